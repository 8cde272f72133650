"""The test harness is honest: the real engines accept good input, reject bad
input, and report what a page really does."""

from __future__ import annotations

from pathlib import Path

import pytest

from engines import (
    MermaidResult,
    cmark_gfm,
    engines_available,
    mermaid_blocks,
    mermaid_blocks_gfm,
    open_page,
    render_mermaid,
    require_engines,
)

# Drives a real engine (Chromium + mermaid, cmark-gfm or pre-commit): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

FLOWCHART = 'flowchart TD\n  start["Sign up & pay <3"] --> done[Welcome aboard]\n'
BAD_KEYWORD = "flowchart TD\n  end-->b\n"
BAD_NESTED = "flowchart TD\n  a(x(y)) --> b\n"
NOT_A_DIAGRAM = "this is not a diagram\n"
JOURNEY = """journey
  title Buying a kettle
  section Discover
    Search the shop: 3: Customer
    Compare prices: 2: Customer, Partner
  section Buy
    Pay at the till: 5: Customer
"""
CLICK_JS = (
    'flowchart TD\n  a["<img src=x onerror=alert(1)>"] --> b\n  click a "javascript:alert(1)"\n'
)
# Mermaid's default limits stay in force: maxTextSize 50000, maxEdges 500.
OVERSIZE = "flowchart LR\n  a[" + "x" * 50_000 + "] --> b\n"
TOO_MANY_EDGES = "flowchart LR\n" + "".join(f"  n{i} --> n{i + 1}\n" for i in range(501))
DIAGRAMS = [
    FLOWCHART,
    BAD_KEYWORD,
    BAD_NESTED,
    NOT_A_DIAGRAM,
    JOURNEY,
    CLICK_JS,
    OVERSIZE,
    TOO_MANY_EDGES,
]


@pytest.fixture(scope="module")
def rendered() -> dict[str, MermaidResult]:
    """All diagrams of this module in one Chromium launch."""
    require_engines()
    return dict(zip(DIAGRAMS, render_mermaid(DIAGRAMS), strict=True))


def test_engines_reported_available_when_installed() -> None:
    require_engines()
    assert engines_available() is None


def test_valid_flowchart_renders_with_label_text(rendered: dict[str, MermaidResult]) -> None:
    result = rendered[FLOWCHART]
    assert result.ok, result.error
    assert result.error is None
    assert result.diagram_type == "flowchart-v2"
    assert result.svg is not None and result.svg.startswith("<svg")
    assert "Sign up & pay <3" in result.labels
    assert "Welcome aboard" in result.text
    assert result.inert


@pytest.mark.parametrize("source", [BAD_KEYWORD, BAD_NESTED])
def test_invalid_flowchart_is_rejected(rendered: dict[str, MermaidResult], source: str) -> None:
    result = rendered[source]
    assert not result.ok
    assert result.error is not None and "Parse error" in result.error
    assert result.svg is None


def test_unknown_diagram_type_is_rejected(rendered: dict[str, MermaidResult]) -> None:
    result = rendered[NOT_A_DIAGRAM]
    assert not result.ok
    assert result.error is not None and "No diagram type detected" in result.error


def test_default_limits_apply(rendered: dict[str, MermaidResult]) -> None:
    # Over maxTextSize mermaid renders a stand-in diagram instead of throwing;
    # the harness must still report it as a failure.
    oversize = rendered[OVERSIZE]
    assert not oversize.ok
    assert oversize.error is not None and "Maximum text size" in oversize.error
    edges = rendered[TOO_MANY_EDGES]
    assert not edges.ok
    assert edges.error is not None and "Edge limit exceeded" in edges.error


def test_journey_renders_sections_tasks_and_actors(rendered: dict[str, MermaidResult]) -> None:
    result = rendered[JOURNEY]
    assert result.ok, result.error
    assert result.diagram_type == "journey"
    for label in ("Buying a kettle", "Discover", "Buy", "Search the shop", "Pay at the till"):
        assert label in result.labels
    # Actors appear in the legend (and as <title> of the task circles).
    assert "Customer" in result.labels and "Partner" in result.labels
    assert result.inert


def test_strict_mode_defuses_html_and_click(rendered: dict[str, MermaidResult]) -> None:
    # The harness must see what mermaid leaves: strict mode drops onerror and
    # the javascript: URL but still wraps the clicked node in a bare <a>.
    result = rendered[CLICK_JS]
    assert result.ok, result.error
    assert result.scripts == 0 and result.handlers == 0 and result.js_urls == 0
    assert result.links == 1
    assert not result.inert


def test_render_mermaid_of_nothing_is_nothing() -> None:
    assert render_mermaid([]) == []


def test_cmark_gfm_renders_table_and_github_extensions() -> None:
    require_engines()
    out = cmark_gfm(
        "| Stage | Feeling |\n|---|---|\n| Buy | ~~bad~~ good |\n\n"
        "- [x] done\n\nsee www.example.com\n"
    )
    assert "<table>" in out and "<th>Stage</th>" in out and "<td>Buy</td>" in out
    assert "<del>bad</del>" in out
    assert '<input type="checkbox" checked="" disabled="" />' in out
    assert '<a href="http://www.example.com">' in out


def test_cmark_gfm_safe_mode_omits_raw_html_and_js_links() -> None:
    require_engines()
    out = cmark_gfm(
        "<script>alert(1)</script>\n\nhi <b>x</b> <img src=y onerror=alert(1)>\n\n"
        "[click](javascript:alert(1))\n\n| a |\n|---|\n| 1<br>2 |\n"
    )
    assert "<script" not in out and "onerror" not in out and "<b>" not in out
    assert "javascript:" not in out
    assert out.count("<!-- raw HTML omitted -->") >= 5
    assert '<a href="">click</a>' in out
    # Even harmless inline HTML such as <br> in a table cell is dropped.
    assert "<td>1<!-- raw HTML omitted -->2</td>" in out


def test_mermaid_blocks_extracts_fenced_blocks_like_github() -> None:
    require_engines()
    markdown = (
        "# Title\n\n```mermaid\nflowchart TD\n  a --> b\n```\n\n"
        "```text\n```mermaid\nnot a block\n```\n\n"
        "  ~~~~ mermaid extra\n  journey\n    title T\n  ~~~~\n\n"
        "````mermaid\nflowchart LR\n```\nx-->y\n````\n"
    )
    expected = [
        "flowchart TD\n  a --> b\n",
        "journey\n  title T\n",
        "flowchart LR\n```\nx-->y\n",
    ]
    assert mermaid_blocks(markdown) == expected
    assert mermaid_blocks_gfm(markdown) == expected


def test_open_page_records_requests_errors_and_eval(tmp_path: Path) -> None:
    require_engines()
    page = tmp_path / "page.html"
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>Journey &amp; map</title></head>"
        "<body><h1>Hello</h1><p>Käse &lt;3</p>"
        "<img src='http://example.invalid/x.png'>"
        "<img src='data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'>"
        "<script>console.error('boom'); console.log('not an error');"
        "window.answer = {n: 1, list: ['a', null, true], s: 'ü'};"
        "setTimeout(() => { throw new Error('late failure'); }, 0);</script>"
        "</body></html>",
        encoding="utf-8",
    )
    shot = tmp_path / "shot.png"
    result = open_page(page, screenshot=shot, eval_js="window.answer")
    assert result.requests == ("http://example.invalid/x.png",)
    assert len(result.local_requests) == 1 and result.local_requests[0].startswith("data:image/gif")
    assert result.console_errors == ("boom",)
    assert any("late failure" in error for error in result.page_errors)
    assert result.title == "Journey & map"
    assert "Hello" in result.text and "Käse <3" in result.text
    assert result.eval_result == {"n": 1, "list": ["a", None, True], "s": "ü"}
    assert shot.read_bytes().startswith(b"\x89PNG")
