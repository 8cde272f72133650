"""Every rule has documentation, failing cases that find exactly what is annotated, and a passing
case; the registry says what kind each rule is and which options it reads.

Cases are data files under tests/rules/<rule>/: `fail.yaml` and, for rules with several branches,
one `fail.<branch>.yaml` per further branch; `pass.yaml`; and `<case>-*.yaml` companions that a
cross-file rule compares a case with (they must be clean themselves).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cljourney.check.config import OptionsConfig
from cljourney.check.pipeline import validate
from cljourney.conform.read import log_source
from cljourney.conform.reading import LogRequest
from cljourney.conform.run import ConformRun, conform
from cljourney.rules import CONFORM_ONLY, OPTIONS, REGISTRY, FileRule, LogRule, ProjectRule, Rule
from cljourney.rules.base import Step
from cljourney.rules.docs import json_list
from conftest import RULE_CASES, expectations

RULE_IDS = sorted(REGISTRY)
FAILING = sorted(
    path
    for rule_id in RULE_IDS
    for path in (RULE_CASES / rule_id).glob("fail*.yaml")
    if path.name == "fail.yaml" or path.name.count(".") == 2  # not a `fail-*.yaml` companion
)
# Rules whose code takes several branches, each with its own failing case.
BRANCHES = {
    "weak-why": 3,  # a placeholder, a why repeating the name, one too short
    "missing-why": 2,  # no `why`, an empty one
    "unknown-reference": 2,  # an unknown owner; unknown next, loops_to, from, to and at
    "dead-end": 2,  # `next: []`; only unknown successors
    "unused-handoff": 2,  # roles that never follow each other; an `at` off the takeover
    "forward-loop": 2,  # a loop forward; a loop to itself
    "unused-suppression": 2,  # a directive silencing nothing, naming an unknown rule; malformed
    "yaml-syntax": 3,  # a duplicate key; text that does not parse; an alias or a tag
    "schema": 3,  # an unknown key; a missing key or a wrong type; an unsupported version
    "duplicate-id": 2,  # touchpoints; stages and roles
}


def found(path: Path) -> set[tuple[str, int]]:
    """What validate finds in a case file, checked after its companions (`fail-*.yaml` for
    `fail.yaml`: files a cross-file rule compares it with; they must be clean themselves), and
    what conform finds when the case has an event log beside it (`fail.csv` for `fail.yaml`)."""
    companions = sorted(path.parent.glob(f"{path.stem}-*.yaml"))
    findings = {(f.rule, f.line) for f in validate([*companions, path]).findings}
    log = path.with_suffix(".csv")
    if log.exists():
        run = ConformRun(journeys=(path,), log=LogRequest((log_source(str(log)),)))
        findings |= {(f.rule, f.line) for f in conform(run).findings}
    return findings


def test_every_case_folder_is_a_rule() -> None:
    assert sorted(p.name for p in RULE_CASES.iterdir() if p.is_dir()) == RULE_IDS


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_is_documented(rule_id: str) -> None:
    rule = REGISTRY[rule_id]
    assert rule.id == rule_id
    for text in (rule.summary, rule.finds, rule.matters, rule.bad, rule.good):
        assert text.strip(), f"{rule_id} lacks documentation"
    assert rule.bad != rule.good


@pytest.mark.parametrize("path", FAILING, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_failing_case(path: Path) -> None:
    rule_id = path.parent.name
    expected = expectations(path)
    assert any(rule == rule_id for rule, _ in expected), "the case must expect its own rule"
    assert found(path) == expected


@pytest.mark.parametrize("rule_id", sorted(BRANCHES))
def test_rules_with_branches_have_a_failing_case_per_branch(rule_id: str) -> None:
    cases = [path for path in FAILING if path.parent.name == rule_id]
    assert len(cases) >= BRANCHES[rule_id], [path.name for path in cases]


def test_every_rule_says_what_checks_it() -> None:
    """A journey rule has its check, a project rule its project check, a log rule its check on
    an event log, a file-level rule the step that reports it: no rule without one, none with two."""
    for rule in REGISTRY.values():
        if isinstance(rule, Rule):
            assert callable(rule.check), rule.id
        elif isinstance(rule, ProjectRule):
            assert callable(rule.check_project), rule.id
        elif isinstance(rule, LogRule):
            assert callable(rule.check_log), rule.id
        else:
            assert isinstance(rule, FileRule), rule.id
            assert isinstance(rule.reported_by, Step), rule.id
    kinds = {rule.id: rule.scope for rule in REGISTRY.values()}
    assert kinds["duplicate-journey-id"] == "project"
    file_level = {"read-error", "yaml-syntax", "schema", "unused-suppression"}
    assert {rule_id for rule_id, scope in kinds.items() if scope == "file"} == file_level
    assert {rule_id for rule_id, scope in kinds.items() if scope == "log"} == CONFORM_ONLY


def test_config_options_are_the_options_the_rules_declare() -> None:
    """The config model, `explain` and `rules --format json` all read the options off the rules."""
    fields = OptionsConfig.model_fields
    assert set(fields) == {option.attribute for option in OPTIONS.values()}
    for option in OPTIONS.values():
        assert fields[option.attribute].description == option.description
        assert option.extends is None or option.extends in OPTIONS
    declared = [option for rule in REGISTRY.values() for option in rule.options]
    assert len(declared) == len(OPTIONS), "an option is declared by one rule"
    rows = {row["id"]: row for row in json.loads(json_list())}
    for rule in REGISTRY.values():
        assert list(rows[rule.id]["options"]) == [option.key for option in rule.options]
        assert rows[rule.id]["scope"] == rule.scope


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_passing_case(rule_id: str) -> None:
    assert found(RULE_CASES / rule_id / "pass.yaml") == set()


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_finding_severity_matches_registry(rule_id: str) -> None:
    """Also for file-level rules, whose findings the loader creates with literal ids, and for the
    rules `conform` runs on a case's event log (`fail.csv` beside `fail.yaml`)."""
    for path in (path for path in FAILING if path.parent.name == rule_id):
        findings = validate([path]).findings
        if path.with_suffix(".csv").exists():
            run = ConformRun(
                journeys=(path,), log=LogRequest((log_source(str(path.with_suffix(".csv"))),))
            )
            findings += conform(run).findings
            assert findings
        for finding in findings:
            assert finding.severity is REGISTRY[finding.rule].severity
