"""The format additions for `conform`: `events`, `target.reach`, `target.within` (issue 14)."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from cljourney.check.pipeline import validate
from cljourney.cli.app import app
from cljourney.conform.patterns import like, overlap
from cljourney.model.fields import duration_seconds, share_fraction
from cljourney.schema import journey_schema
from conftest import ROOT


def schema_findings(path: Path) -> list[tuple[str, int, int, str]]:
    """The schema findings of one file (the rest, such as missing-why, are not the point here)."""
    return [
        (f.rule, f.line, f.column, f.message)
        for f in validate([path]).findings
        if f.rule == "schema"
    ]


JOURNEY = """\
cljourney: 1
journey: {{id: demo, name: Demo, owner: cs-ops}}
stages:
  - id: sales
    name: Sales
    target:
      within: {stage_within}
    touchpoints:
      - id: demo
        name: Product demo
        events: [demo_held, "demo_*"]
        target: {{reach: {reach}, within: {within}}}
"""


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90m", 5400),
        ("12h", 43200),
        ("5d", 432000),
        ("2w", 1209600),
        ("30s", 30),
        ("1.5d", 129600),
        ("P5D", 432000),
        ("PT12H", 43200),
        ("PT90M", 5400),
        ("P1DT2H", 93600),
        ("P2W", 1209600),
    ],
)
def test_durations(text: str, seconds: float, tmp_path: Path) -> None:
    assert duration_seconds(text) == seconds
    path = tmp_path / "j.yaml"
    path.write_text(JOURNEY.format(stage_within=text, reach="90%", within=text))
    assert schema_findings(path) == []


@pytest.mark.parametrize(
    ("value", "fraction"), [("90%", 0.9), ("100%", 1.0), ("0.9", 0.9), ("1", 1.0)]
)
def test_shares(value: str, fraction: float, tmp_path: Path) -> None:
    loaded = yaml.safe_load(value)
    assert share_fraction(loaded) == pytest.approx(fraction)
    path = tmp_path / "j.yaml"
    path.write_text(JOURNEY.format(stage_within="30d", reach=value, within="5d"))
    assert schema_findings(path) == []


@pytest.mark.parametrize(
    ("field", "value", "line", "column", "words"),
    [
        ("stage_within", "3x", 7, 15, "is not a duration"),
        ("stage_within", "P1M", 7, 15, "is not a duration"),
        ("within", "5", 12, 38, "the number 5 is not a duration"),
        ("reach", "120%", 12, 25, "is not a share"),
        ("reach", "1.5", 12, 25, "the number 1.5 is not a share"),
        ("reach", "'0.5'", 12, 25, "is not a share"),
        ("reach", "true", 12, 25, "is not a share"),
    ],
)
def test_bad_targets_are_schema_findings_at_the_value(
    field: str, value: str, line: int, column: int, words: str, tmp_path: Path
) -> None:
    values = {"stage_within": "30d", "reach": "90%", "within": "5d", field: value}
    path = tmp_path / "j.yaml"
    path.write_text(JOURNEY.format(**values))
    findings = schema_findings(path)
    assert [f[:3] for f in findings] == [("schema", line, column)]
    assert words in findings[0][3]


def test_json_schema_knows_the_additions() -> None:
    schema = journey_schema()
    good = yaml.safe_load(JOURNEY.format(stage_within="P30D", reach=0.9, within="5d"))
    jsonschema.validate(good, schema)
    bad = yaml.safe_load(JOURNEY.format(stage_within="30 days", reach="90%", within="5d"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


@pytest.mark.parametrize(
    ("first", "second", "meet"),
    [
        ("a", "a", True),
        ("a", "b", False),
        ("kickoff_*", "kickoff_held", True),
        ("kick*_held", "kickoff_held", True),
        ("demo_*", "*_done", True),
        ("a*b", "c*", False),
        ("*", "anything", True),
        ("a*", "*b", True),
        ("ab*", "*ba", True),
        ("x*y", "x*z", False),
    ],
)
def test_overlap(first: str, second: str, meet: bool) -> None:
    assert overlap(first, second) is meet
    assert overlap(second, first) is meet


def test_like_escapes_sql_wildcards() -> None:
    assert like("trial_started*") == "trial\\_started%"
    assert like("100%") == "100\\%"


def test_counts_of_one_read_in_the_singular() -> None:
    """The demo log has one skipped row and one customer in its renewal stage: text and
    markdown say "1 row", "1 customer" (and keep the plural and thousands separators beside)."""
    journey, log = (
        ROOT / "tests/data/conform/journey.yaml",
        ROOT / "tests/data/conform/measured.csv",
    )
    text = CliRunner().invoke(app, ["conform", str(journey), "--events", str(log)]).stdout
    assert "  log: 15 rows, 5 customers, 5 started the journey; 12 events mapped" in text
    assert ", 1 row skipped\n" in text and "renewal: 1 customer, median" in text
    assert "Unmapped events (2 names, 2 rows):" in text
    markdown = (
        CliRunner()
        .invoke(app, ["conform", str(journey), "--events", str(log), "-f", "markdown"])
        .stdout
    )
    assert "5 of 5 customers started the journey; 12 events mapped" in markdown
    assert "2 unmapped, 1 row skipped." in markdown
    assert "### renewal: 1 customer, median - in stage" in markdown
