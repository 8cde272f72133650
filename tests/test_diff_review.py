"""The pull-request comment as a reviewer outside ops reads it (rendered by cmark-gfm, as GitHub
does): elements by name with the id in code, Before/After for moves, reorders and owner changes,
and the findings one change brings folded into that change's row."""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest

from cljourney.diff.pairing import DiffResult, compare, source_text
from cljourney.report.diff import DiffReportOptions, get_diff_reporter
from conftest import ROOT
from engines import cmark_gfm, require_engines

# Drives a real engine (Chromium + mermaid, cmark-gfm or pre-commit): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

BASE = (ROOT / "tests" / "data" / "diff" / "base.yaml").read_text(encoding="utf-8")
TRAINING = BASE[BASE.index("      - id: training\n") : BASE.index("      - id: first-value\n")]
FIRST_VALUE = "        name: First report shared\n"


class _Rows(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def diff(old: str, new: str) -> DiffResult:
    return compare(
        [source_text("trial.yaml", old, "a.yaml")],
        [source_text("trial.yaml", new, "b.yaml")],
        old_label="main",
        new_label="HEAD",
    )


def table(old: str, new: str) -> list[list[str]]:
    """The changes table as GitHub shows it, without its header row."""
    require_engines()
    stream = io.StringIO()
    get_diff_reporter("markdown")(diff(old, new), stream, DiffReportOptions())
    parser = _Rows()
    parser.feed(cmark_gfm(stream.getvalue()))
    assert parser.rows[0] == ["Level", "Stage", "Element", "Change", "Before", "After"]
    return parser.rows[1:]


def test_an_owner_change_is_one_row_with_the_findings_it_brings() -> None:
    new = BASE.replace(FIRST_VALUE, FIRST_VALUE + "        owner: ae\n", 1)
    result = diff(BASE, new)
    assert sum(1 for c in result.changes if c.id == "handoff-gap") == 2  # still counted
    [row] = table(BASE, new)
    level, stage, element, change, before, after = row
    assert (level, stage, element) == (
        "🟡 risky",
        "Onboarding",
        "First report shared (first-value)",
    )
    assert (before, after) == ("Customer success manager (csm)", "Account executive (ae)")
    assert change.startswith("owner changed from 'csm' to 'ae' — brings ⚠ 2 handoff-gap warnings:")
    assert "between 'training' and 'first-value'" in change
    assert "between 'first-value' and 'ticket'" in change
    assert change.count("saying what travels with the customer") == 1  # the advice once
    assert "1 unused-handoff warning" in change


def test_a_move_shows_the_old_and_new_stage_and_position() -> None:
    new = BASE.replace(TRAINING, "").replace(
        "      - id: ticket\n", TRAINING + "      - id: ticket\n"
    )
    rows = table(BASE, new)
    moved = next(row for row in rows if row[3].startswith("moved to another stage"))
    assert moved[1:3] == ["Ongoing support", "Product training (training)"]
    assert moved[4:] == [
        "Onboarding (onboarding), position 3",
        "Ongoing support (support), position 1",
    ]
    owner = next(row for row in rows if row[3].startswith("owner changed"))
    assert owner[4:] == ["Customer success manager (csm)", "Support engineer (support)"]


def test_a_reorder_shows_positions_and_a_rename_both_ids() -> None:
    reordered = BASE.replace(TRAINING, "").replace(
        "      - id: setup\n", TRAINING + "      - id: setup\n"
    )
    [row] = table(BASE, reordered)
    assert row[2:] == ["Workspace setup (setup)", "reordered", "position 2", "position 3"]
    renamed = BASE.replace("      - id: training\n", "      - id: product-training\n")
    [row] = table(BASE, renamed)
    assert row[2] == "Product training (product-training)"
    assert row[4:] == ["training", "product-training"]


@pytest.mark.parametrize(
    ("edit", "element"),
    [
        (("name: Support engineer", "name: Support specialist"), "Support specialist (support)"),
        (
            ("carries: [Success criteria, Stakeholder map]", "carries: [Success criteria]"),
            "Account executive → Customer success manager at Kick-off call (ae>csm@kickoff)",
        ),
    ],
    ids=["role", "handoff"],
)
def test_elements_are_named_by_their_names(edit: tuple[str, str], element: str) -> None:
    [row] = table(BASE, BASE.replace(*edit))
    assert row[2] == element


def _legend(old: str, new: str) -> str:
    """The paragraph under the PR flowchart, as GitHub shows it."""
    require_engines()
    stream = io.StringIO()
    get_diff_reporter("markdown")(diff(old, new), stream, DiffReportOptions())
    html = cmark_gfm(stream.getvalue())
    return next(p for p in html.split("<p>") if p.startswith("Legend:")).split("</p>")[0]


def test_the_legend_names_removed_touchpoints_only_when_there_are_some() -> None:
    renamed = BASE.replace(FIRST_VALUE, "        name: First report sent\n", 1)
    assert "emoved" not in _legend(BASE, renamed)  # no promise of a list that is not there
    removed = _legend(BASE, BASE.replace(TRAINING, ""))
    assert removed.endswith("Removed: Product training (<code>training</code>) from Onboarding.")
