"""duplicate-journey-id: a check across files, run after the per-file reports, in any process."""

from __future__ import annotations

import shutil
from pathlib import Path

from cljourney.check.options import ValidateOptions
from cljourney.check.pipeline import validate
from cljourney.check.selection import RuleSelection
from cljourney.rules import REGISTRY
from conftest import RULE_CASES

CASE = RULE_CASES / "duplicate-journey-id"


def copies(tmp_path: Path, count: int) -> list[Path]:
    paths = []
    for number in range(count):
        path = tmp_path / f"j{number:02d}.yaml"
        shutil.copy(CASE / "fail-first.yaml", path)
        paths.append(path)
    return paths


def duplicates(report_findings: list) -> list[tuple[str, int, str]]:  # type: ignore[type-arg]
    return [
        (Path(f.path).name, f.line, f.message)
        for f in report_findings
        if f.rule == "duplicate-journey-id"
    ]


def test_every_later_file_names_the_first(tmp_path: Path) -> None:
    copies(tmp_path, 3)
    found = duplicates(validate([tmp_path], ValidateOptions(jobs=1)).findings)
    assert [(name, line) for name, line, _ in found] == [("j01.yaml", 3), ("j02.yaml", 3)]
    assert all("j00.yaml" in message for _, _, message in found)


def test_parallel_run_reports_the_same(tmp_path: Path) -> None:
    copies(tmp_path, 12)
    sequential = validate([tmp_path], ValidateOptions(jobs=1))
    assert len(duplicates(sequential.findings)) == 11
    assert validate([tmp_path], ValidateOptions(jobs=2)) == sequential


def test_the_rule_can_be_turned_off(tmp_path: Path) -> None:
    copies(tmp_path, 2)
    selection = RuleSelection(enabled=frozenset(REGISTRY) - {"duplicate-journey-id"})
    assert validate([tmp_path], ValidateOptions(selection=selection)).findings == []
