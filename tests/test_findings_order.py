"""Hints that match how people type ids, and the cause of a chain of findings listed first."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cljourney.check.pipeline import validate
from cljourney.cli.app import app
from conftest import RULE_CASES

runner = CliRunner()
PASS = RULE_CASES / "handoff-gap" / "pass.yaml"


def write(tmp_path: Path, old: str, new: str, name: str = "j.yaml") -> Path:
    text = PASS.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / name
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return target


def test_role_did_you_mean_ignores_case(tmp_path: Path) -> None:
    target = write(tmp_path, "    owner: csm\n", "    owner: CSM\n")
    found = [f for f in validate([target]).findings if f.rule == "unknown-reference"]
    assert found and found[0].message.endswith("did you mean 'csm'?")


def test_the_misspelt_key_comes_before_what_it_causes(tmp_path: Path) -> None:
    target = write(tmp_path, "    owner: csm\n", "    ownr: csm\n")
    findings = validate([target]).findings
    assert findings[0].rule == "schema" and "did you mean `owner`" in findings[0].message
    assert {f.rule for f in findings[1:]} <= {"missing-owner", "unused-handoff"}


def test_explain_suggests_across_case() -> None:
    result = runner.invoke(app, ["explain", "WEAK-WHY"])
    assert result.exit_code == 2
    assert "did you mean 'weak-why'?" in result.output


def test_upper_case_suffixes_are_found_in_directories(tmp_path: Path) -> None:
    write(tmp_path, "    owner: csm\n", "    owner: CSM\n", name="UPPER.YAML")
    write(tmp_path, "    owner: csm\n", "    owner: CSM\n", name="other.Yml")
    report = validate([tmp_path])
    assert sorted(Path(f.path).name for f in report.files) == ["UPPER.YAML", "other.Yml"]
