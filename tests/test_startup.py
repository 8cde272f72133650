"""One-file `validate` imports only what it uses and pauses the garbage collector while importing.

Start-up time itself is measured in bench/startup.py (figures in bench/RESULTS.txt), never here:
these tests check, in a real process, the behaviour the figures rest on.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import EXAMPLES

# Modules one-file `validate` must not import: the other commands' engines and output, and the
# parts of cljourney that only they use.
NOT_IMPORTED = (
    "rich",  # the text report writes plain text
    "duckdb",  # conform's engine
    "ruamel",  # comment-keeping writes (fmt, rename)
    "cljourney.conform.measures",  # what an event log says: conform's rules only
)


def run_validate(tmp_path: Path, probe: str) -> Any:
    """Run `cljourney validate` on one example journey in a folder without a config file, and
    return the value of the Python expression `probe` at exit."""
    journey = tmp_path / "journey.yaml"
    shutil.copyfile(EXAMPLES / "b2b-saas.yaml", journey)
    report = tmp_path / "probe.txt"
    code = (
        "import atexit, gc, pathlib, sys\n"
        f"atexit.register(lambda: pathlib.Path({str(report)!r}).write_text(repr({probe})))\n"
        f"sys.argv = ['cljourney', 'validate', {str(journey)!r}]\n"
        "from cljourney.cli.entry import main\n"
        "main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return ast.literal_eval(report.read_text())


def test_validate_leaves_other_commands_modules_unimported(tmp_path: Path) -> None:
    names = (*NOT_IMPORTED, "networkx")
    probe = f"[name for name in {names!r} if name in sys.modules]"
    # networkx is the graph layer: every check builds the flow.
    assert run_validate(tmp_path, probe) == ["networkx"]


def test_validate_without_a_config_file_builds_no_config_validator(tmp_path: Path) -> None:
    probe = "sys.modules['cljourney.check.config'].Config.__pydantic_complete__"
    assert run_validate(tmp_path, probe) is False


def test_validate_sets_start_up_objects_aside_and_collects_garbage(tmp_path: Path) -> None:
    # Frozen: the objects made while importing are out of every later collection.
    frozen, enabled = run_validate(tmp_path, "(gc.get_freeze_count(), gc.isenabled())")
    assert frozen > 10_000
    assert enabled is True


def test_validate_collects_the_youngest_generation_rarely(tmp_path: Path) -> None:
    # The command's own imports (the pipeline, pydantic's models, networkx) make hundreds of
    # thousands of objects that live to the end: at CPython's threshold of 700 allocations a
    # one-file `validate` ran about a hundred collections that found almost nothing.
    collections = run_validate(tmp_path, "gc.get_stats()[0]['collections']")
    assert collections < 30
