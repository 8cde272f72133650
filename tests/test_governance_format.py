"""The governance fields of the format (issue 18): journey status and review, evidence on
customer claims and pain points, tracked opportunities and structured metrics. All optional."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from cljourney.graph import build_flow
from cljourney.load.journey import load_bytes
from cljourney.load.tree import Tree, parse_tree
from cljourney.model.parts import Metric, Opportunity, PainPoint, text_of
from cljourney.render import html, markdown

runner = CliRunner()
FULL = Path(__file__).parent / "data" / "governance" / "full.yaml"
EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("*.yaml"))


def test_every_field_loads_into_the_model() -> None:
    loaded = load_bytes(FULL.read_bytes(), str(FULL))
    assert loaded is not None and loaded.journey is not None, loaded
    journey = loaded.journey
    assert journey.journey.status == "live"
    assert journey.journey.review is not None
    assert (journey.journey.review.every, journey.journey.review.last) == ("90d", "2026-09-14")
    tp = journey.stages[0].touchpoints[0]
    assert tp.customer is not None and tp.customer.evidence is not None
    assert tp.customer.evidence.level == "observed"
    pain, plain = tp.pain_points
    assert isinstance(pain, PainPoint) and pain.evidence is not None
    assert pain.evidence.date == "2026-08-01" and plain == "Too many attendees"
    opportunity = tp.opportunities[0]
    assert isinstance(opportunity, Opportunity) and opportunity.status == "planned"
    metric, figure, plain = tp.metrics
    assert isinstance(metric, Metric) and metric.target == "95%"
    assert isinstance(figure, Metric) and figure.target == "4"  # a number is read as its text
    assert plain == "Time to first value"
    assert [text_of(m) for m in tp.metrics] == [
        "Kick-off within 5 business days",
        "Attendees",
        "Time to first value",
    ]


def test_object_items_render_as_their_text() -> None:
    loaded = load_bytes(FULL.read_bytes(), str(FULL))
    assert loaded is not None and loaded.journey is not None
    flow = build_flow(loaded.journey)
    md = markdown.render(loaded.journey, flow, [])
    assert "• Too many attendees | • Send the success criteria" in md
    page = html.render(loaded.journey, flow, [])
    assert "<li>Record the call</li>" in page
    assert "PainPoint(" not in md + page


BAD = {
    "status: liv": (6, 11, "`status` in `journey`: the text 'liv' is not valid here; expected"),
    "review: {every: 90x}": (
        6,
        19,
        "`every` in `review` of the journey: the text '90x' is not a duration",
    ),
    "review: {last: 2026-13-01}": (6, 18, "is not a date; write it as YYYY-MM-DD"),
    "review: {bye: x}": (6, 12, "unknown key `bye` in `review` of the journey; did you mean `by`?"),
}


@pytest.mark.parametrize("line", list(BAD))
def test_bad_journey_fields_are_schema_findings_where_written(line: str) -> None:
    text = FULL.read_text().replace("  status: live\n", f"  {line}\n", 1)
    text = text.replace("  review:\n    every: 90d\n    last: 2026-09-14\n    by: cs-ops\n", "")
    loaded = load_bytes(text.encode(), "j.yaml")
    assert loaded is not None
    found = [(f.rule, f.line, f.column, f.message) for f in loaded.findings]
    line_no, column, words = BAD[line]
    assert len(found) == 1 and found[0][:3] == ("schema", line_no, column), found
    assert words in found[0][3]


@pytest.mark.parametrize(
    ("old", "new", "where", "words"),
    [
        (
            "level: observed,",
            "level: seen,",
            (24, 30),
            "expected 'observed', 'reported' or 'assumed'",
        ),
        (
            "date: 2026-08-01",
            "date: yesterday",
            (27, 73),
            "`evidence` of a pain point of touchpoint 'kickoff'",
        ),
        ("- Too many attendees", "- 5", (28, 13), "expected text, got the number 5"),
        ("status: planned", "status: maybe", (32, 21), "opportunity #1 of touchpoint 'kickoff'"),
        ("target: 95%", "target: true", (37, 21), "`target` in metric #1 of touchpoint 'kickoff'"),
        ("- Record the call", "- {txt: x}", (34, 14), "unknown key `txt` in opportunity #2"),
    ],
)
def test_bad_item_fields_are_schema_findings_where_written(
    old: str, new: str, where: tuple[int, int], words: str
) -> None:
    text = FULL.read_text()
    assert old in text
    loaded = load_bytes(text.replace(old, new, 1).encode(), "j.yaml")
    assert loaded is not None
    found = [(f.line, f.column, f.message) for f in loaded.findings if f.rule == "schema"]
    assert any((line, column) == where and words in message for line, column, message in found), (
        found
    )


def _validator() -> jsonschema.Draft202012Validator:
    result = runner.invoke(app, ["schema"])
    return jsonschema.Draft202012Validator(json.loads(result.stdout))


def test_schema_accepts_the_new_fields_and_version_1_files() -> None:
    validator = _validator()
    for path in [FULL, *EXAMPLES]:
        tree = parse_tree(path.read_bytes())
        assert isinstance(tree, Tree)
        assert list(validator.iter_errors(tree.root)) == [], path


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("status: live", "status: liv"),
        ("every: 90d", "every: 90x"),
        ("last: 2026-09-14", "last: 14/09/2026"),
        ("level: observed,", "level: seen,"),
        ("status: planned", "status: maybe"),
        ("target: 95%", "target: true"),
    ],
)
def test_schema_refuses_what_the_loader_refuses(old: str, new: str) -> None:
    text = FULL.read_text().replace(old, new, 1)
    tree = parse_tree(text.encode())
    assert isinstance(tree, Tree)
    assert list(_validator().iter_errors(tree.root)) != []
    loaded = load_bytes(text.encode(), "j.yaml")
    assert loaded is not None and loaded.journey is None


def test_render_json_carries_the_object_items() -> None:
    """`render --format json` dumps the journey as written: objects stay objects."""
    result = runner.invoke(app, ["render", str(FULL), "--format", "json"])
    assert result.exit_code == 0, result.output
    tp = json.loads(result.stdout)["journey"]["stages"][0]["touchpoints"][0]
    assert tp["pain_points"][1] == "Too many attendees"
    assert tp["pain_points"][0]["evidence"]["level"] == "reported"
    assert tp["opportunities"][0]["status"] == "planned"
    assert tp["metrics"][0]["target"] == "95%"
