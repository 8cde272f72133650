"""The text report's summary and colours: it says why --strict fails, what a baseline silenced,
and --color always colours fully (even under NO_COLOR) without adding lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from conftest import EXAMPLES, RULE_CASES

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


WEAK = str(RULE_CASES / "weak-why" / "fail.yaml")  # one warning
CLEAN = str(EXAMPLES / "b2b-saas.yaml")  # no findings, and its own journey id
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_strict_summary_says_why_the_run_fails() -> None:
    code, out, _ = run("validate", WEAK, "--strict")
    assert code == 1
    assert out.splitlines()[-1] == (
        "Found 0 errors, 1 warning in 1 of 1 journey file. (--strict: warnings fail the run)"
    )
    assert "--strict" not in run("validate", WEAK)[1]


def test_baseline_summary_counts_what_it_silenced(chdir_tmp: Path) -> None:
    assert run("validate", WEAK, "--write-baseline", "base.json")[0] == 0
    code, out, _ = run("validate", WEAK, CLEAN, "--baseline", "base.json")
    assert code == 0
    assert out.strip() == (
        "All checks passed (2 journey files; 1 finding silenced by the baseline)."
    )


@pytest.mark.parametrize(
    ("paths", "flags", "style"),
    [
        ([CLEAN], [], "\x1b[1;32m"),  # green: clean
        ([WEAK], [], "\x1b[1;33m"),  # yellow: only warnings
        ([WEAK], ["--strict"], "\x1b[1;31m"),  # red: the run fails
    ],
    ids=["clean", "warnings", "strict"],
)
def test_color_always_wins_over_no_color_and_adds_no_lines(
    paths: list[str], flags: list[str], style: str
) -> None:
    _, plain, _ = run("validate", *paths, *flags)
    _, colored, _ = run("validate", *paths, *flags, "--color", "always")  # NO_COLOR=1 is set
    assert ANSI.sub("", colored) == plain
    assert colored.splitlines()[-1].startswith(style)
    if paths == [WEAK]:
        assert "\x1b[33mwarning" in colored
