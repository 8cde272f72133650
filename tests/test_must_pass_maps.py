"""Must-pass touchpoints (every path from the start to an end goes through them) are marked on
the maps: a chip in words on each such card of the HTML map, with a note saying what it means and
linking to them; a mark after the name in the flowchart of the markdown and Mermaid maps, said in
the legend and the diagram's accessible description, and a line under the markdown flowchart."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from cljourney.graph import build_flow
from cljourney.load.journey import load_bytes
from cljourney.model import JourneyFile
from cljourney.render import html, markdown, mermaid
from engines import render_mermaid, require_engines

# ask -> (demo | trial) -> sign: every customer passes ask and sign, not demo or trial; the
# support lane runs alongside and is a detour, never must-pass.
BRANCHING = """\
cljourney: 1
journey: {id: j, name: J, owner: team}
stages:
  - id: buy
    name: Buy
    touchpoints:
      - {id: ask, name: "Ask <b>us</b>", next: [demo, trial]}
      - {id: demo, name: Demo, next: [sign]}
      - {id: trial, name: Trial, next: [sign]}
      - {id: sign, name: Sign, terminal: true}
  - id: support
    name: Support
    during: all
    touchpoints:
      - {id: ticket, name: Ticket}
"""


def _journey(text: str) -> JourneyFile:
    loaded = load_bytes(text.encode(), "j.yaml")
    assert loaded is not None and loaded.journey is not None
    return loaded.journey


class _Cards(HTMLParser):
    """The text of each touchpoint article (by its id), and of the must-pass note."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, str] = {}
        self.note = ""
        self.note_links: list[str] = []
        self._article: str | None = None
        self._in_note = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "article":
            self._article = found["id"] or ""
            self.cards[self._article] = ""
        if tag == "p" and found.get("class") == "must-note":
            self._in_note = True
        if self._in_note and tag == "a":
            self.note_links.append(found["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "article" and self._article:
            self._article = None
        if tag == "p" and self._in_note:
            self._in_note = False

    def handle_data(self, data: str) -> None:
        if self._article:
            self.cards[self._article] += data
        if self._in_note:
            self.note += data


def _parse(page: str) -> _Cards:
    parser = _Cards()
    parser.feed(page)
    return parser


def test_must_pass_cards_carry_the_chip_in_words_and_the_others_do_not() -> None:
    journey = _journey(BRANCHING)
    flow = build_flow(journey)
    assert [p.id for p in flow.must_pass] == ["ask", "sign"]
    parsed = _parse(html.render(journey, flow, []))
    marked = {anchor for anchor, text in parsed.cards.items() if "Must-pass" in text}
    # tp-1 ask, tp-2 demo, tp-3 trial, tp-4 sign, tp-5 the lane's ticket
    assert sorted(parsed.cards) == ["tp-1", "tp-2", "tp-3", "tp-4", "tp-5"]
    assert marked == {"tp-1", "tp-4"}


def test_the_note_says_what_must_pass_means_and_links_each_card() -> None:
    journey = _journey(BRANCHING)
    page = html.render(journey, build_flow(journey), [])
    parsed = _parse(page)
    assert parsed.note_links == ["#tp-1", "#tp-4"]
    note = " ".join(parsed.note.split())
    assert note == (
        "\u25c6 Must-pass Every path from the start to an end goes through these touchpoints:"
        " 1 Ask <b>us</b>, 4 Sign."
    )
    # The user's markup stays text.
    assert "Ask &lt;b&gt;us&lt;/b&gt;" in page and "<b>us</b>" not in page
    # The diamond is decoration; the word is what a screen reader reads.
    assert '<span aria-hidden="true">\u25c6</span> Must-pass' in page


def test_a_journey_without_touchpoints_has_no_note_and_no_chip() -> None:
    journey = _journey(
        "cljourney: 1\njourney: {id: j, name: J, owner: t}\nstages:\n  - {id: s, name: S}\n"
    )
    page = html.render(journey, build_flow(journey), [])
    assert 'class="must-note"' not in page and 'class="chip must"' not in page


def test_the_markdown_map_names_them_under_the_flowchart() -> None:
    journey = _journey(BRANCHING)
    md = markdown.render(journey, build_flow(journey), [])
    line = "**Must-pass:** every path from the start to an end goes through Ask \\<b\\>us\\</b\\>, Sign."
    assert line in md
    flow_section = md.split("## Flow", 1)[1].split("## Stages", 1)[0]
    assert re.search(r"```\n\n\*\*Must-pass:\*\*", flow_section)


def _node_lines(diagram: str) -> dict[str, str]:
    """Touchpoint node id (`t0`) -> its label, from a flowchart's node lines."""
    return dict(re.findall(r'^\s+(t\d+)\(?\["(.*)"\]\)?$', diagram, re.MULTILINE))


def test_flowchart_nodes_of_the_maps_carry_the_mark_and_the_legend_says_it() -> None:
    journey = _journey(BRANCHING)
    flow = build_flow(journey)
    md = markdown.render(journey, flow, [])
    chart = md.split("```mermaid\n", 1)[1].split("```", 1)[0]
    nodes = _node_lines(chart)
    marked = sorted(node for node, label in nodes.items() if "\u25c6" in label)
    assert marked == ["t0", "t3"]  # ask and sign; not demo, trial or the lane's ticket
    assert nodes["t3"].startswith("Sign \u25c6 \u25a0")  # must-pass, then the end mark
    assert "A name followed by \u25c6 is must-pass: every path from the start to an end" in md
    assert (
        "accDescr: 5 touchpoints in 2 stages, grouped by stage. Arrows follow the customer's path."
        " A name followed by \u25c6 is a must-pass touchpoint, one that every path from the start"
        " to an end goes through.\n"
    ) in chart
    # `render --format mermaid` draws the same marks.
    mmd = mermaid.render(journey, flow, [])
    assert sorted(n for n, label in _node_lines(mmd).items() if "\u25c6" in label) == marked


def test_a_diff_review_flowchart_is_not_marked() -> None:
    journey = _journey(BRANCHING)
    drawn = mermaid.flowchart(journey, build_flow(journey), [], highlight={"demo": "changed"})
    assert "\u25c6" not in drawn


@pytest.mark.engines
def test_the_real_mermaid_draws_the_mark_after_the_name() -> None:
    require_engines()
    journey = _journey(BRANCHING)
    [drawn] = render_mermaid([mermaid.flowchart(journey, build_flow(journey), [])])
    assert drawn.ok, drawn.error
    assert any(label.startswith("Sign \u25c6 \u25a0") for label in drawn.labels), drawn.labels
    assert any(label.startswith("Demo") and "\u25c6" not in label for label in drawn.labels)
