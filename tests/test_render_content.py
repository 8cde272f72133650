"""Everything a journey file says reaches the maps: touchpoint metrics, role descriptions and
intended ends (`terminal: true`), in markdown (read through cmark-gfm and Mermaid) and in HTML."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from cljourney.graph import build_flow
from cljourney.load.journey import load_bytes
from cljourney.model import JourneyFile
from cljourney.render import get_renderer
from engines import cmark_gfm, mermaid_blocks, render_mermaid, require_engines

# Drives a real engine (Chromium + mermaid, cmark-gfm or pre-commit): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

JOURNEY = b"""\
cljourney: 1
journey: {id: shop, name: Shop, owner: ops}
roles:
  - {id: ae, name: Account executive, description: Runs the evaluation & the contract}
  - {id: csm, name: Success manager}
stages:
  - id: buy
    name: Buy
    owner: ae
    why: The customer gets what they came for.
    touchpoints:
      - id: demo
        name: Demo
        why: The customer sees their own use case.
        metrics: [Demo-to-trial rate, "*Time* to demo"]
      - id: stall
        name: Stalled deal
        why: The customer is not chased forever.
        next: []
      - id: leave
        name: Leaves
        why: The customer leaves cleanly.
        terminal: true
"""


def journey() -> JourneyFile:
    loaded = load_bytes(JOURNEY, "shop.yaml")
    assert loaded is not None and loaded.journey is not None, loaded and loaded.findings
    return loaded.journey


def render(fmt: str) -> str:
    model = journey()
    return get_renderer(fmt).render(model, build_flow(model), [])


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_markdown_has_a_metrics_column_with_one_row_per_touchpoint() -> None:
    markdown = render("markdown")
    header = next(line for line in markdown.splitlines() if line.startswith("| # |"))
    assert header.endswith("| Metrics |")
    rows = [line for line in markdown.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == 3
    assert rows[0].endswith("| • Demo-to-trial rate • \\*Time\\* to demo |")


def test_markdown_lists_the_roles_with_their_descriptions() -> None:
    markdown = render("markdown")
    section = markdown.split("## Roles", 1)[1].split("\n## ", 1)[0]
    assert "| Account executive (`ae`) | Runs the evaluation \\& the contract |" in section
    assert "| Success manager (`csm`) |  |" in section


def test_markdown_flowchart_draws_an_intended_end_apart_from_a_dead_end() -> None:
    markdown = render("markdown")
    (chart,) = mermaid_blocks(markdown)
    leave = next(line for line in chart.splitlines() if "Leaves" in line)
    stall = next(line for line in chart.splitlines() if "Stalled deal" in line)
    assert re.search(r't\d+\(\["Leaves \u25a0<br>', leave)
    # A plain box; marked must-pass, as every path from Demo ends there.
    assert re.search(r't\d+\["Stalled deal \u25c6<br>', stall)
    assert "(`terminal: true`)" in markdown.split("```mermaid", 1)[0]


def test_html_shows_metrics_in_their_lane_and_a_roles_legend() -> None:
    html = render("html")
    lane = re.search(r'<div class="cell l-metrics">(.*?)</div>', html)
    assert lane is not None
    assert text_of(lane.group(1)) == "Measured by Demo-to-trial rate *Time* to demo"
    assert 'id="show-metrics"' in html
    legend = html.split('id="roles-h">', 1)[1].split("</section>", 1)[0]
    assert text_of(legend) == (
        "Roles Account executive ae Runs the evaluation & the contract Success manager csm \u2014"
    )


@pytest.fixture(scope="module")
def engines() -> None:
    require_engines()


def test_new_content_renders_in_the_real_engines(engines: None) -> None:
    markdown = render("markdown")
    html = cmark_gfm(markdown)
    assert "<th>Metrics</th>" in html
    assert "<td>• Demo-to-trial rate • *Time* to demo</td>" in html
    assert "<td>Runs the evaluation &amp; the contract</td>" in html
    (result,) = render_mermaid(mermaid_blocks(markdown))
    assert result.ok, result.error
    assert any("Leaves \u25a0" in label for label in result.labels)


NARROW_FACTS = """(() => {
  const curve = document.querySelector('.curve').getBoundingClientRect();
  const wrap = document.querySelector('.curve-wrap');
  const tick = document.querySelector('.curve .tick').getBoundingClientRect();
  return {page: document.documentElement.scrollWidth, curveHeight: curve.height,
          tickHeight: tick.height, wrapScrolls: wrap.scrollWidth > wrap.clientWidth,
          strip: document.querySelector('.strip').scrollWidth};
})()"""


def test_phone_width_page_does_not_scroll_sideways_and_the_curve_stays_legible(
    engines: None, tmp_path: Path
) -> None:
    from conftest import EXAMPLES
    from engines import open_page

    loaded = load_bytes((EXAMPLES / "b2b-saas.yaml").read_bytes(), "b2b-saas.yaml")
    assert loaded is not None and loaded.journey is not None
    page = tmp_path / "map.html"
    html = get_renderer("html").render(loaded.journey, build_flow(loaded.journey), [])
    page.write_text(html, encoding="utf-8")
    facts = open_page(page, eval_js=NARROW_FACTS, width=420, height=900).eval_result
    assert facts["page"] <= 420, facts  # the map scrolls inside its own region, not the page
    assert facts["strip"] <= 420, facts
    assert facts["curveHeight"] >= 150 and facts["tickHeight"] >= 9, facts
    assert facts["wrapScrolls"], facts
    wide = open_page(page, eval_js=NARROW_FACTS, width=1600, height=900).eval_result
    assert not wide["wrapScrolls"], wide
