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
from cljourney.text.figures import percent
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


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0 %"),
        (0.0004, "< 0.1 %"),
        (0.001, "0.1 %"),
        (0.875, "87.5 %"),
        (0.999, "99.9 %"),
        (0.9996, "> 99.9 %"),
        (1, "100 %"),
    ],
)
def test_a_share_between_none_and_all_never_reads_as_either(value: float, shown: str) -> None:
    assert percent(value) == shown


def test_long_lists_say_how_many_they_show(tmp_path: Path) -> None:
    """Twelve customers each skip from the first touchpoint to a different later one: twelve
    undeclared paths, of which the text report lists ten and says so."""
    ids = [f"t{n}" for n in range(14)]
    touchpoints = "".join(
        f"      - {{id: {tp}, name: Step {tp}, why: The customer gets step {tp} done., events: [{tp}_done]}}\n"
        for tp in ids
    )
    journey = tmp_path / "j.yaml"
    journey.write_text(
        "cljourney: 1\njourney: {id: long, name: Long, owner: cs}\n"
        "roles: [{id: cs, name: Customer success}]\nstages:\n  - id: s\n    name: S\n    owner: cs\n"
        "    why: The customer gets every step done.\n    touchpoints:\n" + touchpoints
    )
    log = tmp_path / "log.csv"
    rows = [
        f"c{k},t0_done,2024-01-01T00:00:00Z\nc{k},t{k}_done,2024-01-02T00:00:00Z\n"
        for k in range(2, 14)
    ]
    log.write_text("case_id,activity,timestamp\n" + "".join(rows))
    out = CliRunner().invoke(app, ["conform", str(journey), "--events", str(log)]).stdout
    assert "Undeclared paths (12, the 10 most taken shown):" in out, out
    assert sum(1 for line in out.splitlines() if line.startswith("  t0 -> ")) == 10
