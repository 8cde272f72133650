"""The pull-request flowchart's palette, measured where it is seen: the diagram of a real diff is
drawn by Mermaid in Chromium, in the default and the dark theme, and the colours are read back
with getComputedStyle. Added, changed and has-a-finding must each look unlike the others and
unlike an untouched box, and every label must stay readable (WCAG contrast). (The old palette
drew "changed" and "has a warning" in the same yellow, #fff8c5, about 10 CIE76 units from the
#ffffde box a reviewer saw.)"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from cljourney.diff.pairing import compare, source_text
from cljourney.report.diff import DiffReportOptions, get_diff_reporter
from conftest import ROOT
from engines import mermaid_blocks_gfm, open_page, render_mermaid, require_engines

# Drives a real engine (Chromium + mermaid, cmark-gfm or pre-commit): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

BASE = (ROOT / "tests" / "data" / "diff" / "base.yaml").read_text(encoding="utf-8")
DEMO_WHY = "why: The customer sees their own use case working on real data."
TRAINING_WHY = "why: The customer's team learns the workflows they will use every day."
CHECKLIST = """      - id: checklist
        name: Setup checklist
        channel: email
        why: The customer knows every step left before their team can go live.
"""
# Node ids follow flow order: t0 demo, t1 proposal, t2 kickoff, t3 setup, t4 checklist...
NODES = {
    "untouched": "t1",  # proposal
    "finding": "t0",  # demo: weak why on both sides
    "changed": "t2",  # kickoff: renamed
    "added": "t4",  # checklist
    "changed+finding": "t5",  # training: its why made weak
}
READ = """[...document.querySelectorAll('svg')].map(svg => Object.fromEntries(
  [...svg.querySelectorAll('g.node')].map(g => {
    const shape = g.querySelector('.label-container');
    const label = g.querySelector('.nodeLabel');
    const s = getComputedStyle(shape);
    return [g.id.replace(/^.*flowchart-/, '').replace(/-\\d+$/, ''),
            {fill: s.fill, stroke: s.stroke, width: s.strokeWidth,
             color: getComputedStyle(label).color}];
  })))"""


def _diagram() -> str:
    old = BASE.replace(DEMO_WHY, "why: TBD")
    new = (
        old.replace("name: Kick-off call", "name: Kick-off meeting")
        .replace("      - id: training\n", CHECKLIST + "      - id: training\n")
        .replace(TRAINING_WHY, "why: TBD")
    )
    result = compare(
        [source_text("t.yaml", old, "a.yaml")],
        [source_text("t.yaml", new, "b.yaml")],
        old_label="a",
        new_label="b",
    )
    stream = io.StringIO()
    get_diff_reporter("markdown")(result, stream, DiffReportOptions())
    [block] = mermaid_blocks_gfm(stream.getvalue())
    return block


def _rgb(css: str) -> tuple[float, float, float]:
    found = re.fullmatch(r"rgba?\((\d+), (\d+), (\d+)(?:, [\d.]+)?\)", css)
    assert found, css
    red, green, blue = (int(v) / 255 for v in found.groups())
    return red, green, blue


def _luminance(css: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = map(linear, _rgb(css))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two CSS colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def delta_e(a: str, b: str) -> float:
    """CIE76 colour difference (about 2.3 is just noticeable; above 20, clearly other colours)."""

    def lab(css: str) -> tuple[float, float, float]:
        def linear(c: float) -> float:
            return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = map(linear, _rgb(css))
        x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
        y = 0.2126 * r + 0.7152 * g + 0.0722 * b
        z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

        def f(t: float) -> float:
            return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

        return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))

    return sum((p - q) ** 2 for p, q in zip(lab(a), lab(b), strict=True)) ** 0.5


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, dict[str, str]]]:
    """Computed colours per node, per theme, as Chromium shows the Mermaid SVG."""
    require_engines()
    diagram = _diagram()
    themes = ("default", "dark")
    sources = [f'%%{{init: {{"theme": "{theme}"}}}}%%\n{diagram}' for theme in themes]
    results = render_mermaid(sources)
    assert all(r.ok for r in results), [r.error for r in results]
    page = Path(tmp_path_factory.mktemp("palette")) / "palette.html"
    svgs = "".join(f"<div>{r.svg}</div>" for r in results)
    page.write_text(f"<!doctype html><meta charset=utf-8><body>{svgs}</body>", encoding="utf-8")
    read = open_page(page, eval_js=READ).eval_result
    assert isinstance(read, list) and len(read) == 2
    return dict(zip(themes, json.loads(json.dumps(read)), strict=True))


@pytest.mark.parametrize("theme", ["default", "dark"])
def test_each_state_has_its_own_colour(
    drawn: dict[str, dict[str, dict[str, str]]], theme: str
) -> None:
    nodes = {state: drawn[theme][node] for state, node in NODES.items()}
    fills = {state: nodes[state]["fill"] for state in ("untouched", "changed", "added", "finding")}
    fills["#ffffde box"] = "rgb(255, 255, 222)"
    for first in fills:
        for second in fills:
            if first < second:
                assert delta_e(fills[first], fills[second]) > 20, (theme, first, second, fills)
    # A finding also has a thick border of its own colour, kept over a change's fill.
    assert nodes["changed+finding"]["fill"] == nodes["changed"]["fill"]
    for state in ("finding", "changed+finding"):
        border = nodes[state]["stroke"]
        assert nodes[state]["width"] == "4px"
        assert delta_e(border, nodes[state]["fill"]) > 20
        assert contrast(border, nodes[state]["fill"]) >= 3  # WCAG non-text contrast


@pytest.mark.parametrize("theme", ["default", "dark"])
def test_highlighted_labels_are_readable(
    drawn: dict[str, dict[str, dict[str, str]]], theme: str
) -> None:
    for state in ("changed", "added", "finding", "changed+finding"):
        node = drawn[theme][NODES[state]]
        assert contrast(node["color"], node["fill"]) >= 7, (theme, state, node)  # WCAG AAA
