"""Findings identify themselves without positions: other places they point at (where a duplicate
was first written, the line an indentation error is out of step with) are `related` locations,
reported in JSON and SARIF and shown by the text reporter, never numbers in the message. So
adding lines above a finding is no change to `diff` or a baseline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.check.discover import Target
from cljourney.check.options import ValidateOptions
from cljourney.check.pipeline import check_target
from cljourney.cli.app import app
from cljourney.diff.pairing import compare, source_text
from conftest import RULE_CASES

runner = CliRunner()
DUPLICATE_ID = (RULE_CASES / "duplicate-id" / "fail.yaml").read_text(encoding="utf-8")
DUPLICATE_KEY = "cljourney: 1\njourney:\n  id: a\n  name: A\n  id: b\n"
INDENTATION = "cljourney: 1\njourney:\n  id: a\n  name: b\n owner: c\n"
ABOVE = "# A description line added above everything.\n# And another.\n"


@pytest.mark.parametrize(
    "text",
    [DUPLICATE_ID, DUPLICATE_KEY, INDENTATION],
    ids=["duplicate-id", "duplicate-key", "indentation"],
)
def test_lines_added_above_a_finding_are_no_change(text: str) -> None:
    result = compare(
        [source_text("j.yaml", text, "j.yaml")],
        [source_text("j.yaml", ABOVE + text, "j.yaml")],
        old_label="old",
        new_label="new",
    )
    assert result.changes == []


@pytest.mark.parametrize(
    ("text", "rule", "related"),
    [
        (DUPLICATE_ID, "duplicate-id", [(23, 13)]),
        (DUPLICATE_KEY, "yaml-syntax", [(3, 3)]),
        (INDENTATION, "yaml-syntax", [(4, 3)]),
    ],
    ids=["duplicate-id", "duplicate-key", "indentation"],
)
def test_related_positions_are_reported_in_json_and_text(
    text: str, rule: str, related: list[tuple[int, int]], chdir_tmp: Path
) -> None:
    (chdir_tmp / "j.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "j.yaml", "--format", "json"])
    [finding] = [f for f in json.loads(result.stdout)["findings"] if f["rule"] == rule]
    assert [(r["line"], r["column"]) for r in finding["related"]] == related
    assert all(r["message"] for r in finding["related"])
    assert not re.search(r"\bline \d", finding["message"])
    text_out = runner.invoke(app, ["validate", "j.yaml", "--format", "text"]).stdout
    assert f"(line {related[0][0]}: " in text_out


def test_no_rule_message_holds_a_line_number() -> None:
    """Every failing rule case: messages carry no `line N` (positions are fields)."""
    for case in sorted(RULE_CASES.glob("*/fail*.yaml")):
        checked = check_target(Target(case, explicit=True), ValidateOptions())
        assert checked is not None
        for finding in checked[1].findings:
            assert not re.search(r"\bline \d", finding.message), (case, finding.message)
