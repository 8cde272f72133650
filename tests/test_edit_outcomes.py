"""What `move` and `rename` tell a new user: the exit status of a move that breaks the journey
(1, written as asked) or changes nothing (0, nothing written), and refusals that name the id meant
(did you mean) and the place of the id in the way (path:line:column)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cljourney.check.pipeline import validate
from cljourney.cli.app import app
from cljourney.edit.source import read_text
from cljourney.findings import Severity
from conftest import EXAMPLES


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "cs-lifecycle.yaml"
    shutil.copyfile(EXAMPLES / "b2b-saas.yaml", path)
    return path


def _invoke(*argv: str) -> Result:
    return CliRunner().invoke(app, list(argv))


def _stage_of(path: Path, tid: str) -> str:
    root = read_text(path).root
    return next(
        str(stage["id"])
        for stage in root["stages"]
        for point in stage["touchpoints"]
        if point["id"] == tid
    )


def _errors(path: Path) -> list[str]:
    return [f.rule for f in validate([path]).findings if f.severity is Severity.ERROR]


def test_a_move_that_introduces_an_error_writes_it_and_exits_1(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    assert _errors(path) == []
    result = _invoke("move", "support-ticket", "--to", "ongoing", str(path))
    assert result.exit_code == 1, result.output
    assert _stage_of(path, "support-ticket") == "ongoing"
    assert _errors(path) == ["orphaned-touchpoint"]
    assert result.stdout.splitlines()[-1] == (
        "cljourney: moved; the move introduces 1 error (orphaned-touchpoint): fix it, or move"
        " the touchpoint back"
    )


def test_a_dry_run_of_such_a_move_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    before = path.read_bytes()
    result = _invoke("move", "support-ticket", "--to", "ongoing", "--dry-run", str(path))
    assert result.exit_code == 1, result.output
    assert path.read_bytes() == before
    assert result.stdout.splitlines()[-1] == (
        "cljourney: nothing written; the move would introduce 1 error (orphaned-touchpoint)"
    )


def test_a_risky_move_without_a_new_error_exits_0(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    result = _invoke("move", "qbr", "--to", "ongoing", "--first", str(path))
    assert result.exit_code == 0, result.output
    assert _stage_of(path, "qbr") == "ongoing"
    assert "  risky    touchpoint 'qbr' reordered in stage 'ongoing'" in result.stdout
    assert "introduces error" not in result.stdout
    assert not result.stdout.splitlines()[-1].startswith("cljourney:")


@pytest.mark.parametrize(
    "argv",
    [
        ["support-intro", "--to", "ongoing", "--first"],
        ["qbr", "--to", "ongoing", "--after", "success-plan"],
        ["expansion", "--to", "renewal"],
    ],
    ids=["first-already", "after-already", "last-already"],
)
@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["write", "dry-run"])
def test_a_move_to_where_it_is_exits_0_and_writes_nothing(
    tmp_path: Path, argv: list[str], dry_run: list[str]
) -> None:
    path = _copy(tmp_path)
    before = path.read_bytes()
    result = _invoke("move", *argv, *dry_run, str(path))
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    stage = argv[2]
    assert result.stdout == (
        f"{path}: touchpoint '{argv[0]}' is already there in stage '{stage}'; nothing changed\n"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["rename", "kickof", "kickoff2"],
            "no touchpoint, stage or role has the id 'kickof' in the given files; did you mean"
            " 'kickoff'?",
        ),
        (
            ["rename", "onbording", "x", "--kind", "stage"],
            "no stage has the id 'onbording' in the given files; did you mean 'onboarding'?",
        ),
        (
            ["move", "renewal-review", "--to", "onboarding", "--after", "kickof"],
            "{path}: no touchpoint has the id 'kickof' (--after); did you mean 'kickoff'?",
        ),
        (
            ["move", "kickof", "--to", "ongoing"],
            "no touchpoint has the id 'kickof' in the given files; did you mean 'kickoff'?",
        ),
        (
            ["rename", "integration", "kickoff"],
            "{path}:133:13: a touchpoint with the id 'kickoff' already exists",
        ),
    ],
    ids=["rename-unknown", "rename-unknown-kind", "after-unknown", "move-unknown", "rename-taken"],
)
def test_refusals_name_the_id_meant_and_the_place(
    tmp_path: Path, argv: list[str], message: str
) -> None:
    path = _copy(tmp_path)
    before = path.read_bytes()
    result = _invoke(*argv, str(path))
    assert result.exit_code == 2, result.output
    assert f"cljourney: error: {message.format(path=path)}\n" in result.stderr
    assert path.read_bytes() == before


def test_no_did_you_mean_when_nothing_is_close(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    result = _invoke("rename", "zzzzzz", "x", str(path))
    assert result.exit_code == 2
    assert result.stderr.endswith("has the id 'zzzzzz' in the given files\n")
