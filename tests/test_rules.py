"""Every rule has documentation, a failing case that finds exactly what is annotated, and a passing case."""

from __future__ import annotations

from pathlib import Path

import pytest

from cljourney.check.pipeline import validate
from cljourney.conform.read import log_source
from cljourney.conform.run import ConformRun, conform
from cljourney.rules import REGISTRY
from conftest import RULE_CASES, expectations

RULE_IDS = sorted(REGISTRY)


def found(path: Path) -> set[tuple[str, int]]:
    """What validate finds in a case file, checked after its companions (`fail-*.yaml` for
    `fail.yaml`: files a cross-file rule compares it with; they must be clean themselves), and
    what conform finds when the case has an event log beside it (`fail.csv` for `fail.yaml`)."""
    companions = sorted(path.parent.glob(f"{path.stem}-*.yaml"))
    findings = {(f.rule, f.line) for f in validate([*companions, path]).findings}
    log = path.with_suffix(".csv")
    if log.exists():
        run = ConformRun(journeys=(path,), logs=(log_source(str(log)),))
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


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_failing_case(rule_id: str) -> None:
    path = RULE_CASES / rule_id / "fail.yaml"
    expected = expectations(path)
    assert any(rule == rule_id for rule, _ in expected), "the case must expect its own rule"
    assert found(path) == expected


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_passing_case(rule_id: str) -> None:
    assert found(RULE_CASES / rule_id / "pass.yaml") == set()


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_finding_severity_matches_registry(rule_id: str) -> None:
    path = RULE_CASES / rule_id / "fail.yaml"
    findings = validate([path]).findings
    if path.with_suffix(".csv").exists():
        run = ConformRun(journeys=(path,), logs=(log_source(str(path.with_suffix(".csv"))),))
        findings += conform(run).findings
        assert findings
    for finding in findings:
        assert finding.severity is REGISTRY[finding.rule].severity
