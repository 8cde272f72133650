"""What the maps show of ownership, review and evidence (issue 18): the review state in the
header, evidence marks with a legend, opportunity status and owner, metric target and source.
Without `--today` (test_governance_today.py) the header reads neither the clock nor git, so a
rendered map stays current until the journey changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from cljourney.graph import build_flow
from cljourney.load.journey import load_bytes
from cljourney.model import JourneyFile
from cljourney.render import html, markdown

FULL = Path(__file__).parent / "data" / "governance" / "full.yaml"


def _journey(text: str | None = None) -> JourneyFile:
    loaded = load_bytes((text or FULL.read_text()).encode(), "j.yaml")
    assert loaded is not None and loaded.journey is not None
    return loaded.journey


def test_markdown_map() -> None:
    journey = _journey()
    md = markdown.render(journey, build_flow(journey), [])
    assert (
        "**Status:** live · reviewed 2026-09-14 by cs-ops, next due 2026-12-13 (every 90d)\n" in md
    )
    assert "**Evidence** (in brackets after a claim): observed: seen (recordings" in md
    assert (
        "**Thinks:** Will I have to explain everything again? ·"
        " _(observed: 12 kickoff recordings, 2026-Q3)_ |"
    ) in md
    assert (
        "| • Repeating the goals already shared in sales _(reported: NPS verbatims, 2026-08-01)_"
        " • Too many attendees |"
        " • Send the success criteria before the call _(planned, owner csm)_ • Record the call |"
        " • Kick-off within 5 business days _(target 95%, source Gainsight, owner csm)_"
        " • Attendees _(target 4)_ • Time to first value |"
    ) in md


def test_markdown_map_without_a_written_review_date() -> None:
    journey = _journey(FULL.read_text().replace("    last: 2026-09-14\n", ""))
    md = markdown.render(journey, build_flow(journey), [])
    assert (
        "**Status:** live · reviewed every 90d by cs-ops; last review: the last commit of the file"
    ) in md


def test_markdown_escapes_governance_text() -> None:
    journey = _journey(FULL.read_text().replace("source: Gainsight", "source: '<b>*x*</b>'"))
    md = markdown.render(journey, build_flow(journey), [])
    assert "<b>" not in md and "source \\<b\\>\\*x\\*\\</b\\>" in md


def test_html_map() -> None:
    journey = _journey()
    page = html.render(journey, build_flow(journey), [])
    assert (
        "<div><dt>Status</dt><dd>live · reviewed 2026-09-14 by cs-ops, next due 2026-12-13"
        " (every 90d)</dd></div><div><dt>Evidence</dt><dd>observed: seen"
    ) in page
    assert (
        '<p class="evidence"><small class="note">Evidence: observed: 12 kickoff recordings,'
        " 2026-Q3</small></p>"
    ) in page
    assert (
        '<li>Send the success criteria before the call <small class="note">(planned, owner csm)'
        "</small></li>"
    ) in page
    assert (
        '<li>Kick-off within 5 business days <small class="note">(target 95%, source Gainsight,'
        " owner csm)</small></li>"
    ) in page


def test_html_escapes_governance_text() -> None:
    journey = _journey(FULL.read_text().replace("source: Gainsight", "source: '<b>x</b>'"))
    page = html.render(journey, build_flow(journey), [])
    assert "<b>x</b>" not in page and "source &lt;b&gt;x&lt;/b&gt;" in page


def test_no_governance_fields_no_additions() -> None:
    journey = _journey(
        "cljourney: 1\njourney: {id: a, name: A, owner: o}\nstages:\n  - id: s\n    name: S\n"
        "    touchpoints:\n      - id: t\n        name: T\n        customer: {thinks: Hm}\n"
        "        pain_points: [P]\n"
    )
    md = markdown.render(journey, build_flow(journey), [])
    page = html.render(journey, build_flow(journey), [])
    assert "**Status:**" not in md and "**Evidence**" not in md and "_(" not in md
    assert "<dt>Status</dt>" not in page and 'class="note"' not in page


def _portfolio(tmp_path: Path) -> Path:
    """Three journeys: one due 2026-12-13, one due 2026-10-31 (the more overdue), one retired."""
    source = tmp_path / "journeys"
    source.mkdir()
    portfolio = Path(__file__).parent / "data" / "governance" / "portfolio"
    for name in ("b2b.yaml", "retail.yaml"):
        (source / name).write_text((portfolio / name).read_text())
    old = (portfolio / "retail.yaml").read_text().replace("id: retail", "id: old-retail")
    (source / "old.yaml").write_text(old.replace("status: draft", "status: retired"))
    return source


@pytest.mark.usefixtures("undated")
def test_markdown_index_lists_review_state_most_overdue_first(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cljourney.cli.app import app

    out = tmp_path / "maps"
    out.mkdir()
    result = CliRunner().invoke(app, ["render", str(_portfolio(tmp_path)), "-o", f"{out}/"])
    assert result.exit_code == 0, result.output
    index = (out / "README.md").read_text()
    rows = [line for line in index.splitlines() if line.startswith("| [")]
    assert [row.split("]")[0] for row in rows] == ["| [Retail", "| [B2B onboarding"]
    assert index.splitlines()[4].endswith("| Owner | Status | Last review | Next due |")
    assert rows[0].endswith("| cx | draft | 2026-10-01 | 2026-10-31 |")
    assert (out / "old-retail.md").exists()  # a retired journey keeps its map, off the index


@pytest.mark.usefixtures("undated")
def test_html_index_lists_review_state(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cljourney.cli.app import app

    out = tmp_path / "maps"
    out.mkdir()
    args = ["render", str(_portfolio(tmp_path)), "-f", "html", "-o", f"{out}/"]
    assert CliRunner().invoke(app, args).exit_code == 0
    index = (out / "index.html").read_text()
    assert index.index(">Retail<") < index.index(">B2B onboarding<")
    assert "old-retail" not in index
    assert (
        '<dl class="review"><div><dt>Owner</dt><dd>cx</dd></div><div><dt>Status</dt>'
        "<dd>draft</dd></div><div><dt>Last review</dt><dd>2026-10-01</dd></div>"
        "<div><dt>Next due</dt><dd>2026-10-31</dd></div></dl>"
    ) in index
