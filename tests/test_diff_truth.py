"""`diff` and `validate` agree: every finding `diff` calls introduced is one `validate` reports on
the new side, every finding it calls fixed one `validate` reports on the old side, whatever hides
findings (inline `ignore[...]`, config `ignore`/`select`/`severity`/`per-file-ignores`, a
baseline, duplicate journey ids across files)."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from conftest import ROOT

BASE = (ROOT / "tests" / "data" / "diff" / "base.yaml").read_text(encoding="utf-8")
runner = CliRunner()

# The new side: one weak why (inline-silenced or not, per case) and one fixed missing one.
TRAINING_WHY = "why: The customer's team learns the workflows they will use every day."


def _validate(path: str, *extra: str) -> Counter[tuple[str, str, str]]:
    result = runner.invoke(app, ["validate", path, "--format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    findings = json.loads(result.stdout)["findings"]
    return Counter((f["rule"], f["severity"], f["message"]) for f in findings)


def _diff(*extra: str) -> tuple[Counter[tuple[str, str, str]], Counter[tuple[str, str, str]]]:
    result = runner.invoke(app, ["diff", "old.yaml", "new.yaml", "--format", "json", *extra])
    assert result.exit_code == 0, result.output
    introduced: Counter[tuple[str, str, str]] = Counter()
    fixed: Counter[tuple[str, str, str]] = Counter()
    for change in json.loads(result.stdout)["changes"]:
        if change["entity"] != "finding":
            continue
        verb = re.match(r"(introduces|fixes) (\w+) ", change["message"])
        assert verb is not None, change
        if change["kind"] == "added":
            introduced[(change["id"], verb[2], change["after"])] += 1
        else:
            fixed[(change["id"], verb[2], change["before"])] += 1
    return introduced, fixed


CASES = {
    "inline-ignore": ("  # cljourney: ignore[weak-why] rewritten next quarter", "", ()),
    "config-ignore": ("", 'ignore = ["weak-why"]\n', ()),
    "config-select": ("", 'select = ["missing-why", "missing-owner"]\n', ()),
    "config-severity": ("", '[severity]\nweak-why = "info"\n', ()),
    "per-file-ignores": ("", '[per-file-ignores]\n"new.yaml" = ["weak-why"]\n', ()),
    "config-exclude": ("", 'exclude = ["new.yaml"]\n', ()),
    "baseline": ("", "", ("--baseline", "accepted.json")),
    "nothing-hides-it": ("", "", ()),
}


@pytest.mark.parametrize("case", CASES)
def test_every_finding_diff_reports_is_one_validate_reports(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    comment, config, extra = CASES[case]
    monkeypatch.chdir(tmp_path)
    old = BASE.replace(
        "    why: The customer gets unblocked fast whenever something goes wrong.\n", ""
    )
    new = BASE.replace(TRAINING_WHY, "why: TBD" + comment)
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    if config:
        (tmp_path / "cljourney.toml").write_text(config, encoding="utf-8")
    if extra:
        written = runner.invoke(app, ["validate", "new.yaml", "--write-baseline", "accepted.json"])
        assert written.exit_code == 0, written.output
    introduced, fixed = _diff(*extra)
    before, after = _validate("old.yaml", *extra), _validate("new.yaml", *extra)
    assert introduced == after - before
    assert fixed == before - after
    weak = {key for key in after if key[0] == "weak-why"}
    if case == "nothing-hides-it":
        assert weak and {key for key in introduced if key[0] == "weak-why"} == weak
    elif case == "config-severity":
        assert {key[1] for key in introduced if key[0] == "weak-why"} == {"info"}
    else:
        assert not weak and not any(key[0] == "weak-why" for key in introduced)
    # the stage why added back on the new side is a fix validate also sees
    assert any(key[0] == "missing-why" for key in fixed)


def test_duplicate_journey_ids_are_compared_as_validate_reports_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for side in ("old", "new"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "a.yaml").write_text(BASE, encoding="utf-8")
    (tmp_path / "new" / "b.yaml").write_text(BASE, encoding="utf-8")
    result = runner.invoke(app, ["diff", "old", "new", "--format", "json"])
    rules = [c["id"] for c in json.loads(result.stdout)["changes"] if c["entity"] == "finding"]
    assert rules == ["duplicate-journey-id"]


def test_per_file_ignores_match_files_read_from_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--base` reads the old side from git: config globs match it by its working-tree path, so a
    silenced finding is silenced on both sides, not 'fixed'."""
    for name, value in {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    subprocess.run(["git", "init", "-q", "-b", "main"], check=True)
    (tmp_path / "journeys").mkdir()
    journey = tmp_path / "journeys" / "trial.yaml"
    journey.write_text(BASE.replace(TRAINING_WHY, "why: TBD"), encoding="utf-8")
    config = '[per-file-ignores]\n"journeys/*.yaml" = ["weak-why"]\n'
    (tmp_path / "cljourney.toml").write_text(config, encoding="utf-8")
    subprocess.run(["git", "add", "-A"], check=True)
    subprocess.run(["git", "commit", "-q", "-m", "base"], check=True)
    journey.write_text(journey.read_text("utf-8").replace("TBD", "TBD."), encoding="utf-8")
    result = runner.invoke(app, ["diff", "--base", "main", "journeys/", "--format", "json"])
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    assert [(c["entity"], c["field"]) for c in changes] == [("touchpoint", "why")]


def test_a_journey_that_stops_loading_fixes_nothing(chdir_tmp: Path) -> None:
    """Its old findings are hidden by the syntax error, not fixed: the one change is the error."""
    old = BASE.replace(TRAINING_WHY, "why: TBD")  # a weak why validate reports on the old side
    Path("old.yaml").write_text(old, encoding="utf-8")
    Path("new.yaml").write_text(old + "  - bad: [\n", encoding="utf-8")
    assert _validate("old.yaml")  # the old side has findings the new side can no longer show
    introduced, fixed = _diff()
    assert fixed == Counter()
    assert [(rule, severity) for rule, severity, _ in introduced] == [("yaml-syntax", "error")]
