"""Values a drafting user leaves empty or writes loosely, and what the loader says about them."""

from __future__ import annotations

import json

import jsonschema
import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from cljourney.load.journey import load_bytes
from cljourney.load.tree import Tree, parse_tree

runner = CliRunner()

HEAD = """cljourney: 1
journey: {id: demo, name: Demo, owner: cx}
roles:
  - {id: csm, name: Customer success}
stages:
  - id: onboard
    name: Onboarding
    owner: csm
    why: So that the customer reaches first value without waiting on us.
"""
TOUCHPOINT = """      - id: kickoff
        name: Kick-off
        why: So that the customer knows who helps them and what happens next.
"""


def findings(text: str) -> list[tuple[str, int, str]]:
    loaded = load_bytes(text.encode(), "j.yaml")
    assert loaded is not None
    from cljourney.check.pipeline import check_loaded
    from cljourney.rules import RuleOptions

    return [(f.rule, f.line, f.message) for f in check_loaded(loaded, RuleOptions())]


def test_empty_touchpoints_is_an_empty_stage_not_a_schema_error() -> None:
    found = findings(HEAD + "    exit:\n    touchpoints:\n")
    assert [(rule, line) for rule, line, _ in found] == [("empty-stage", 6)]


@pytest.mark.parametrize("field", ["pain_points", "opportunities", "metrics", "loops_to"])
def test_empty_touchpoint_lists_are_empty(field: str) -> None:
    found = findings(HEAD + "    touchpoints:\n" + TOUCHPOINT + f"        {field}:\n")
    assert [rule for rule, _, _ in found if rule == "schema"] == []


def test_empty_next_is_an_error_that_names_both_meanings() -> None:
    [(rule, line, message)] = findings(HEAD + "    touchpoints:\n" + TOUCHPOINT + "        next:\n")
    assert (rule, line) == ("schema", 14)
    assert "remove `next:`" in message and "`next: []` to end the journey" in message


def test_empty_name_says_the_value_is_empty() -> None:
    [(_, _, message)] = findings(
        HEAD.replace("name: Onboarding", "name:") + "    touchpoints:\n" + TOUCHPOINT
    )
    assert message == "`name` in stage 'onboard': the value is empty; fill it in"


def test_format_version_wording() -> None:
    [(_, _, message)] = findings(HEAD.replace("cljourney: 1", "cljourney: 2"))
    assert message.startswith("unsupported format version 2;")
    [(_, _, message)] = findings(HEAD.replace("cljourney: 1", "cljourney: '1'"))
    assert message.startswith("unsupported format version: the text '1';")
    [(_, _, message)] = findings(HEAD.replace("cljourney: 1", "cljourney: 1.0"))
    assert message.startswith("unsupported format version 1.0;")


def test_terminal_yes_says_how_to_write_it() -> None:
    [(_, _, message)] = findings(
        HEAD + "    touchpoints:\n" + TOUCHPOINT + "        terminal: yes\n"
    )
    assert message.endswith("write `terminal: true` or `terminal: false`")


def test_schema_matches_the_loader_on_empty_values() -> None:
    result = runner.invoke(app, ["schema"])
    validator = jsonschema.Draft202012Validator(json.loads(result.stdout))
    for text, ok in [
        (HEAD + "    exit:\n    touchpoints:\n", True),
        (HEAD + "    touchpoints:\n" + TOUCHPOINT + "        next:\n", False),
        (HEAD + "    touchpoints:\n" + TOUCHPOINT + "        next: []\n", True),
        (HEAD.split("stages:")[0] + "stages:\n", False),
    ]:
        tree = parse_tree(text.encode())
        assert isinstance(tree, Tree)
        assert (list(validator.iter_errors(tree.root)) == []) is ok, text
