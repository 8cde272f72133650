"""The HTML map and index laid out by a real Chromium: long words wrap instead of widening the
page, and the index shows each source path as written (the label style stays on the label)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from engines import open_page, require_engines

# Drives a real engine (Chromium + mermaid, cmark-gfm or pre-commit): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

runner = CliRunner()
WORD = "W" * 5000

# A 5,000-letter word in every text field a page shows.
LONG = f"""\
cljourney: 1
journey:
  id: long
  name: Name{WORD}
  owner: Owner{WORD}
  persona: Persona{WORD}
  outcome: Outcome{WORD}
  description: Description{WORD}
roles:
  - {{id: ae, name: Role{WORD}, description: Does{WORD}}}
  - {{id: csm, name: Success{WORD}}}
stages:
  - id: buy
    name: Stage{WORD}
    owner: ae
    why: The customer gets {WORD}
    exit: [Exit{WORD}]
    touchpoints:
      - id: demo
        name: Demo{WORD}
        channel: Channel{WORD}
        why: The customer sees {WORD}
        how: How{WORD}
        customer: {{does: Does{WORD}, thinks: Thinks{WORD}, feels: Feels{WORD}, score: 3}}
        pain_points: [Pain{WORD}]
        opportunities: [Opportunity{WORD}]
        metrics: [Metric{WORD}]
      - id: follow
        name: Follow{WORD}
        owner: csm
        why: The customer continues with {WORD}
handoffs:
  - {{from: ae, to: csm, at: follow, why: The customer keeps {WORD}, carries: [Carry{WORD}]}}
"""

WIDTHS = """(() => ({
  page: document.documentElement.scrollWidth,
  view: window.innerWidth,
  map: document.querySelector('.map') ? document.querySelector('.map').scrollWidth : 0,
  source: [...document.querySelectorAll('.entry h2 + p')].map(p => p.innerText),
}))()"""


@pytest.fixture(scope="module")
def engines() -> None:
    require_engines()


def render_html(tmp_path: Path, folder: str, name: str, text: str) -> Path:
    journeys = tmp_path / folder
    journeys.mkdir()
    (journeys / name).write_text(text, encoding="utf-8")
    out = tmp_path / "maps"
    out.mkdir()
    result = runner.invoke(
        app, ["render", str(journeys), "-o", str(out), "--format", "html", "--isolated"]
    )
    assert result.exit_code == 0, result.output
    return out


def test_a_5000_letter_word_does_not_widen_the_map_or_the_index(
    engines: None, tmp_path: Path
) -> None:
    out = render_html(tmp_path, "journeys", "long.yaml", LONG)
    page = open_page(out / "long.html", eval_js=WIDTHS).eval_result
    assert page["page"] <= page["view"], page  # was about 170,000 px
    assert page["map"] <= page["view"], page  # two touchpoints fit the screen as they should
    index = open_page(out / "index.html", eval_js=WIDTHS).eval_result
    assert index["page"] <= index["view"], index


def test_index_shows_the_source_path_in_its_own_case(engines: None, tmp_path: Path) -> None:
    out = render_html(tmp_path, "Journeys", "Mixed-Case.yaml", LONG.replace(WORD, "x"))
    facts = open_page(out / "index.html", eval_js=WIDTHS).eval_result
    (shown,) = facts["source"]
    label, path = shown.split(maxsplit=1)
    assert path == "../Journeys/Mixed-Case.yaml"
    assert label == "FROM"  # the label keeps its small-capitals style
