"""The structure assistive technology relies on, read from the generated HTML: landmarks, one h1
and headings in order, a skip link to the stages, and the emotion curve's text alternative (a table
of touchpoint, stage and score in journey order, and the low point said in words)."""

from __future__ import annotations

import itertools
import math
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cljourney.graph import build_flow
from conftest import EXAMPLES, ROOT
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


# Machado, Oliveira and Fernandes (2009), severity 1: linear-RGB simulation of each deficiency.
_SIMULATIONS = {
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}
MIN_DELTA_E = 5.0  # CIE76: clearly told apart side by side


def _lab(hex_colour: str, matrix: tuple[tuple[float, ...], ...]) -> tuple[float, float, float]:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    r, g, b = (
        min(1.0, max(0.0, sum(m * c for m, c in zip(row, linear, strict=True)))) for row in matrix
    )
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _stage_palettes() -> dict[str, list[str]]:
    css = (ROOT / "src" / "cljourney" / "render" / "html" / "style.css").read_text("utf-8")
    light, dark = css.split("@media (prefers-color-scheme: dark)", 1)
    return {
        scheme: [re.search(rf"--s{n}: (#[0-9a-f]{{6}})", block).group(1) for n in range(6)]  # type: ignore[union-attr]
        for scheme, block in (("light", light), ("dark", dark.split("}", 1)[0]))
    }


@pytest.mark.parametrize("deficiency", sorted(_SIMULATIONS))
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_stage_colours_stay_apart_for_colour_vision_deficiencies(
    scheme: str, deficiency: str
) -> None:
    palette = _stage_palettes()[scheme]
    matrix = _SIMULATIONS[deficiency]
    close = [
        (a, b, round(math.dist(_lab(a, matrix), _lab(b, matrix)), 1))
        for a, b in itertools.combinations(palette, 2)
        if math.dist(_lab(a, matrix), _lab(b, matrix)) < MIN_DELTA_E
    ]
    assert not close, f"stage colours look alike under {deficiency} ({scheme}): {close}"


def test_nothing_animates_so_reduced_motion_has_nothing_to_stop() -> None:
    css = (ROOT / "src" / "cljourney" / "render" / "html" / "style.css").read_text("utf-8")
    moving = re.findall(r"(?:animation|transition)[a-z-]*\s*:|scroll-behavior\s*:\s*smooth", css)
    assert not moving, "wrap motion in @media (prefers-reduced-motion: no-preference)"


class _Curve(HTMLParser):
    """The emotion curve's <svg> attributes and the text of each element with an id inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.svg: dict[str, str] | None = None
        self.texts: dict[str, str] = {}
        self._depth = 0
        self._open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "svg" and "curve" in attr.get("class", "").split():
            self.svg, self._depth = attr, 0
        if self.svg is not None and self._depth >= 0:
            self._depth += 1
            self._open.append(attr.get("id", ""))

    def handle_endtag(self, tag: str) -> None:
        if self.svg is not None and self._depth > 0:
            self._depth -= 1
            self._open.pop()
            if self._depth == 0:
                self._depth = -1  # the curve is closed: stop collecting

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1]:
            self.texts[self._open[-1]] = self.texts.get(self._open[-1], "") + data


@pytest.mark.parametrize("path", MAPS, ids=[p.stem for p in MAPS])
def test_curve_image_is_named_and_described_with_its_low_point(path: Path) -> None:
    journey, _ = load(path)
    flow = build_flow(journey)
    main = [p for p in flow.placed if not flow.in_lane(p)]
    scored = [p for p in main if p.touchpoint.customer and p.touchpoint.customer.score]
    parser = _Curve()
    parser.feed(html_of(path))
    if not scored:
        assert parser.svg is None
        return
    assert parser.svg is not None and parser.svg["role"] == "img"
    title_id, desc_id = parser.svg["aria-labelledby"].split()
    assert parser.texts[title_id] == "Emotion curve"
    low = min(scored, key=lambda p: (p.touchpoint.customer.score, p.order))  # type: ignore[union-attr]
    moment = low.touchpoint.customer
    assert moment is not None
    feels = f", {moment.feels}" if moment.feels else ""
    assert parser.texts[desc_id] == (
        f"Emotion scores of {len(scored)} of {len(main)} touchpoints, from 1 (frustrated) to 5"
        f" (delighted). Low point: {low.order + 1}. {low.touchpoint.name}: {moment.score} of 5"
        f"{feels}."
    )
