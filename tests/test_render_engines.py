"""Rendered maps through the real engines: every Mermaid block in headless Chromium's mermaid,
every map in cmark-gfm (GitHub's markdown). One Chromium launch for all diagrams."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cljourney.check.discover import Target
from cljourney.check.pipeline import check_loaded, load_target
from cljourney.cli.maps import plan
from cljourney.graph import build_flow
from cljourney.model import JourneyFile
from cljourney.render import marks, mermaid_text
from cljourney.render.markdown import render, render_index
from cljourney.rules import RuleOptions
from conftest import EXAMPLES
from engines import MermaidResult, cmark_gfm, mermaid_blocks, render_mermaid, require_engines
from test_render import big_journey

# Drives a real engine (Chromium + mermaid, cmark-gfm or pre-commit): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

DATA = Path(__file__).resolve().parent / "data"
JOURNEYS = [*sorted(EXAMPLES.glob("*.yaml")), DATA / "hostile.yaml", DATA / "broken.yaml"]


def flat(value: str) -> str:
    return " ".join(value.split())


def label(value: str) -> str:
    """What a diagram label shows for `value`: one line, cut at a word with an ellipsis."""
    text = flat(value)
    limit = mermaid_text.LABEL_LIMIT
    if len(text) <= limit:
        return text
    words = text[:limit].split(" ")[:-1]  # drop the word the limit cuts (or the space after it)
    cut = " ".join(words) if len(" ".join(words)) >= limit // 2 else text[: limit - 1]
    return cut.rstrip(" ,;:-\u2013\u2014") + "\u2026"


def load(path: Path) -> tuple[JourneyFile, list]:  # type: ignore[type-arg]
    loaded = load_target(Target(path, explicit=True))
    assert loaded is not None and loaded.journey is not None
    return loaded.journey, check_loaded(loaded, RuleOptions())


def _map(path: Path) -> str:
    journey, findings = load(path)
    return render(journey, build_flow(journey), findings)


MAPS = {path.name: _map(path) for path in JOURNEYS}
BIG = big_journey(3, 250)
BIG_MAP = render(BIG, build_flow(BIG), [])


@pytest.fixture(scope="module")
def drawn() -> dict[str, list[MermaidResult]]:
    """Every mermaid block of every map, drawn in one batch."""
    require_engines()
    readme = (EXAMPLES.parent / "README.md").read_text("utf-8")
    pages = {**MAPS, "big": BIG_MAP, "README.md": readme}
    blocks = {name: mermaid_blocks(text) for name, text in pages.items()}
    results = iter(render_mermaid([block for group in blocks.values() for block in group]))
    return {name: [next(results) for _ in group] for name, group in blocks.items()}


def test_every_diagram_is_accepted_and_inert(drawn: dict[str, list[MermaidResult]]) -> None:
    for name, results in drawn.items():
        assert results, name
        for result in results:
            assert result.ok, f"{name}: {result.error}\n{result.source}"
            assert result.inert and result.scripts == 0 and result.handlers == 0, name


def test_big_journey_degrades_to_overview_and_stage_diagrams(
    drawn: dict[str, list[MermaidResult]],
) -> None:
    kinds = [r.diagram_type for r in drawn["big"]]
    assert kinds.count("flowchart-v2") >= 4  # an overview plus one or more per stage
    text = " ".join(r.text for r in drawn["big"])
    for stage in BIG.stages:
        for touchpoint in stage.touchpoints:
            assert label(touchpoint.name) in text


@pytest.mark.parametrize("name", [path.name for path in JOURNEYS])
def test_every_name_shows_literally_in_the_diagrams(
    name: str, drawn: dict[str, list[MermaidResult]]
) -> None:
    journey, _ = load(next(p for p in JOURNEYS if p.name == name))
    flowchart, *curve = drawn[name]
    shown = flowchart.labels
    for stage in journey.stages:
        suffix = " (parallel)" if stage.during is not None else ""
        assert label(stage.name) + suffix in shown
        for tp in stage.touchpoints:
            assert any(label(tp.name) in item for item in shown), tp.name
    if curve:
        tasks = curve[0].labels
        scored = [  # the curve follows the lifecycle: parallel stages are not on it
            tp
            for s in journey.stages
            if s.during is None
            for tp in s.touchpoints
            if tp.customer and tp.customer.score
        ]
        for tp in scored:
            assert label(tp.name) in tasks, tp.name


def _acc(result: MermaidResult) -> tuple[str, str]:
    """The accessible name and description Mermaid gave the drawn SVG (its <title>, <desc>)."""
    svg = result.svg or ""
    root = re.match(r"<svg[^>]*>", svg)
    assert root and 'aria-labelledby="chart-title-' in root.group(0), root
    assert 'aria-describedby="chart-desc-' in root.group(0)
    title = re.search(r'<title id="chart-title-[^"]*">(.*?)</title>', svg, re.DOTALL)
    desc = re.search(r'<desc id="chart-desc-[^"]*">(.*?)</desc>', svg, re.DOTALL)
    assert title and desc
    return html.unescape(title.group(1)), html.unescape(desc.group(1))


def _short(value: str) -> str:
    return mermaid_text.shorten(flat(value), mermaid_text.TITLE_LIMIT)


@pytest.mark.parametrize("name", [path.name for path in JOURNEYS])
def test_every_diagram_has_an_accessible_title_and_description(
    name: str, drawn: dict[str, list[MermaidResult]]
) -> None:
    journey, _ = load(next(p for p in JOURNEYS if p.name == name))
    flowchart, *curve = drawn[name]
    title, desc = _acc(flowchart)
    assert title == _short(f"Flow of {journey.journey.name}")
    touchpoints = sum(len(stage.touchpoints) for stage in journey.stages)
    assert desc.startswith(f"{touchpoints} touchpoint"), desc
    if curve:
        title, desc = _acc(curve[0])
        assert title == _short(f"Emotion curve of {journey.journey.name}")
        assert "The low point is " in desc


def test_big_journey_parts_have_accessible_titles(drawn: dict[str, list[MermaidResult]]) -> None:
    titles = [_acc(result)[0] for result in drawn["big"]]
    assert titles[0] == _short(f"Stages of {BIG.journey.name}")
    assert all(t.startswith(("Flow of ", "Emotion curve of ")) for t in titles[1:]), titles


class _Html(HTMLParser):
    """Tags with attributes, and tables as rows of cell texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.tables: list[list[list[str]]] = []
        self.headings: list[str] = []
        self.text: list[str] = []
        self._cell: list[str] | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("h1", "h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell))
            self._cell = None
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append("".join(self._heading))
            self._heading = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for sink in (self._cell, self._heading):
            if sink is not None:
                sink.append(data)


ALLOWED_TAGS = {
    "h1",
    "h2",
    "h3",
    "p",
    "strong",
    "em",
    "code",
    "pre",
    "br",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def parse(markdown: str) -> _Html:
    html = cmark_gfm(markdown)
    assert "raw HTML omitted" not in html
    parser = _Html()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("name", [path.name for path in JOURNEYS])
def test_markdown_shows_every_name_and_why_intact(name: str) -> None:
    require_engines()
    journey, findings = load(next(p for p in JOURNEYS if p.name == name))
    page = parse(MAPS[name])
    assert {tag for tag, _ in page.tags} <= ALLOWED_TAGS
    for tag, attrs in page.tags:
        if tag == "a":
            assert attrs.get("href") == "#findings" or str(attrs.get("href")).startswith("mailto:")
        if tag == "code" and attrs:
            assert attrs == {"class": "language-mermaid"}
    assert page.headings[0] == flat(journey.journey.name)
    stage_tables = [t for t in page.tables if t[0][:2] == ["#", "Touchpoint"]]
    rows = [dict(zip(table[0], row, strict=True)) for table in stage_tables for row in table[1:]]
    placed = build_flow(journey).placed
    assert len(rows) == len(placed)  # one row per touchpoint
    severities = marks.finding_marks(journey, findings)
    for cells, item in zip(rows, placed, strict=True):
        tp = item.touchpoint
        mark = {"error": marks.MARK_ERROR, "warning": marks.MARK_WARNING}.get(
            severities[tp.id].value if tp.id in severities else "", ""
        )
        assert cells["Touchpoint"] == f"{mark}{flat(tp.name)} ({tp.id})"
        assert cells["Customer why"] == flat(tp.why or "")
        if tp.how:
            assert cells["How"] == flat(tp.how)
    body = "".join(page.text)
    for index, stage in enumerate(journey.stages, start=1):
        assert f"{index}. {flat(stage.name)} ({stage.id})" in page.headings
        for line in (stage.why or "").splitlines():
            assert flat(line) in body
    for handoff in journey.handoffs:
        assert flat(handoff.why or "") in body
    if findings:
        assert "Findings" in page.headings
        for finding in findings:  # `spans` of a message are drawn as code, without backticks
            assert re.sub(r"`([^`]+)`", r"\1", flat(finding.message)) in body


def test_hostile_text_never_becomes_markup() -> None:
    require_engines()
    page = parse(MAPS["hostile.yaml"])
    body = "".join(page.text)
    for literal in (
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "**bold**",
        "~~strike~~",
        "[link](javascript:alert(3))",
        "&lt;&amp;&#60;",
        "![no image](http://evil.example/x.png)",
        "https://evil.example/x",
    ):
        assert literal in body
    assert not any(
        tag in ("img", "script", "del", "li", "blockquote", "hr") for tag, _ in page.tags
    )


def test_index_page_links_every_map(tmp_path: Path) -> None:
    require_engines()
    result = plan([EXAMPLES], "markdown", tmp_path)
    index = result.outputs[-1]
    page = parse(index.text)
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    maps = [o.path.name for o in result.outputs[:-1] if o.path is not None]
    # Every map once; in the order of their next review (test_governance_maps), not file order.
    assert sorted(h for h in hrefs if h and h.endswith(".md")) == sorted(maps)
    assert len(page.tables[0]) == len(maps) + 1
    assert render_index([]).startswith("# Journey maps")
    assert re.search(r"\d+ journeys", index.text)
