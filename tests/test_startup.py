"""One-file `validate` imports only what it uses and pauses the garbage collector while importing.

Start-up time itself is measured in bench/startup.py (figures in bench/RESULTS.txt), never here:
these tests check, in a real process, the behaviour the figures rest on.
"""

from __future__ import annotations

import ast
import os
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


# `entry.leave`: the end of every command. A script ends with `EXIT(code)`, once as `sys.exit`
# and once as `leave`; what the outside sees must be the same.
_EXITS = {
    "output and atexit": (
        "import atexit\natexit.register(lambda: print('cleaned up'))\n"
        "print('report ' * 2000)\nEXIT(1)\n"
    ),
    "a message for a code": "EXIT('cljourney: error: stopped')\n",
    "a thread still working": (
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), print('thread done'))).start()\n"
        "EXIT(0)\n"
    ),
    "a pool not shut down": (
        "import time\nfrom concurrent.futures import ThreadPoolExecutor\n"
        "ThreadPoolExecutor(1).submit(lambda: (time.sleep(0.3), print('pool done')))\n"
        "EXIT(0)\n"
    ),
    "no code": "print('done', end='')\nEXIT(None)\n",
}


# Output kept in Python's buffer until the exit flushes it (as when stdout is a pipe or a file).
_BUFFERED = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def _ending(script: str, how: str) -> list[str]:
    prologue = f"import sys\nfrom cljourney.cli.entry import leave\nEXIT = {how}\n"
    return [sys.executable, "-c", prologue + script]


def _ended(script: str, how: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_ending(script, how), capture_output=True, text=True, env=_BUFFERED)


def test_leaving_is_seen_from_outside_as_a_normal_exit() -> None:
    for name, script in _EXITS.items():
        plain, fast = (_ended(script, how) for how in ("sys.exit", "leave"))
        seen = (fast.returncode, fast.stdout, fast.stderr)
        assert seen == (plain.returncode, plain.stdout, plain.stderr), name
    assert _ended(_EXITS["output and atexit"], "leave").stdout.endswith("report \ncleaned up\n")


def test_leaving_skips_the_interpreter_teardown() -> None:
    # What a normal exit does last, and leaving does not: free the modules' objects.
    script = (
        "class Freed:\n    def __del__(self):\n        print('freed')\n"
        "kept = Freed()\nprint('end')\nEXIT(0)\n"
    )
    assert _ended(script, "sys.exit").stdout == "end\nfreed\n"
    assert _ended(script, "leave").stdout == "end\n"


def test_leaving_with_a_closed_pipe_fails_as_a_normal_exit_does() -> None:
    # The reader is gone (`cljourney conform ... | head -1`): the flush fails, and the normal
    # exit reports it in its usual way.
    script = "print('line\\n' * 100, end='')\nEXIT(0)\n"  # in the buffer until the exit
    for how in ("sys.exit", "leave"):
        with subprocess.Popen(
            _ending(script, how), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_BUFFERED
        ) as process:
            assert process.stdout is not None and process.stderr is not None
            process.stdout.close()
            error = process.stderr.read().decode()
            code = process.wait()
        assert code == 120 and "BrokenPipeError" in error, (how, code, error)


def test_leaving_with_stdout_closed_is_a_normal_exit() -> None:
    # `cljourney validate ... -o report.txt >&-`: Python starts with sys.stdout None.
    script = "print('nowhere')\nsys.stderr.write('said\\n')\nEXIT(3)\n"
    ended = [
        subprocess.run(
            _ending(script, how),
            stderr=subprocess.PIPE,
            text=True,
            env=_BUFFERED,
            preexec_fn=lambda: os.close(1),
        )
        for how in ("sys.exit", "leave")
    ]
    assert [(done.returncode, done.stderr) for done in ended] == [(3, "said\n")] * 2
    version = subprocess.run(
        [sys.executable, "-m", "cljourney", "--version"],
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: os.close(1),
    )
    assert (version.returncode, version.stderr) == (0, "")
