"""The structure assistive technology relies on, read from the generated HTML: landmarks, one h1
and headings in order, a skip link to the stages, and the emotion curve's text alternative (a table
of touchpoint, stage and score in journey order, and the low point said in words)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from cljourney.graph import build_flow
from conftest import EXAMPLES
from test_render_html import DOCS, HOSTILE, html_of, load

MAPS = [*sorted(EXAMPLES.glob("*.yaml")), HOSTILE]


class _Outline(HTMLParser):
    """Tags, ids, headings and the text of the curve table's cells and the low-point note."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.headings: list[int] = []
        self.ids: set[str] = set()
        self.rows: list[list[str]] = []
        self.low = ""
        self._in_table = self._in_cell = self._in_low = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attr))
        self.ids.add(attr.get("id", ""))
        classes = attr.get("class", "").split()
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "table" and "curve-table" in classes:
            self._in_table = True
        elif self._in_table and tag == "tr":
            self.rows.append([])
        elif self._in_table and tag == "td":
            self._in_cell = True
            self.rows[-1].append("")
        elif tag == "p" and "low-note" in classes:
            self._in_low = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._in_table = False
        elif tag == "td":
            self._in_cell = False
        elif tag == "p":
            self._in_low = False

    def handle_data(self, data: str) -> None:
        if self._in_cell:
            self.rows[-1][-1] += data
        if self._in_low:
            self.low += data


def outline(text: str) -> _Outline:
    parser = _Outline()
    parser.feed(text)
    return parser


@pytest.mark.parametrize("path", MAPS, ids=[p.stem for p in MAPS])
def test_map_has_landmarks_one_h1_headings_in_order_and_a_skip_link(path: Path) -> None:
    page = outline(html_of(path))
    names = [tag for tag, _ in page.tags]
    assert ("html", {"lang": "en"}) in page.tags
    assert {"header", "main", "nav"} <= set(names)
    assert names.count("main") == 1
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    skips = [(a, b) for a, b in zip(page.headings, page.headings[1:], strict=False) if b > a + 1]
    assert not skips, f"heading levels skipped: {skips}"
    first_link = next(attr for tag, attr in page.tags if tag == "a")
    assert first_link.get("class") == "skip" and first_link["href"] == "#stages"
    assert "stages" in page.ids


@pytest.mark.parametrize("path", MAPS, ids=[p.stem for p in MAPS])
def test_curve_has_a_table_of_every_touchpoint_and_the_low_point_in_words(path: Path) -> None:
    journey, _ = load(path)
    flow = build_flow(journey)
    main = [p for p in flow.placed if not flow.in_lane(p)]
    page = outline(html_of(path))
    expected = []
    for placed in main:
        moment = placed.touchpoint.customer
        score = f"{moment.score} of 5" if moment and moment.score else "Not scored"
        expected.append(
            [
                f"{placed.order + 1}. {placed.touchpoint.name}",
                journey.stages[placed.stage_index].name,
                score,
                (moment.feels or "") if moment else "",
            ]
        )
    assert [row for row in page.rows if row] == expected
    scored = [p for p in main if p.touchpoint.customer and p.touchpoint.customer.score]
    low = min(scored, key=lambda p: (p.touchpoint.customer.score, p.order))  # type: ignore[union-attr]
    moment = low.touchpoint.customer
    assert moment is not None
    feels = f", {moment.feels}" if moment.feels else ""
    stage = journey.stages[low.stage_index].name
    assert " ".join(page.low.split()) == " ".join(
        f"\u25bc Low point: {low.order + 1}. {low.touchpoint.name}: {moment.score} of 5{feels}"
        f" (stage {stage})".split()
    )


def test_index_has_landmarks_and_one_h1() -> None:
    page = outline((DOCS / "index.html").read_text("utf-8"))
    names = [tag for tag, _ in page.tags]
    assert ("html", {"lang": "en"}) in page.tags
    assert {"header", "main"} <= set(names) and page.headings.count(1) == 1
