"""`--max-file-size`: a large limit costs no memory up front (files are read in chunks), and an
absurd one is a usage error, never a MemoryError or OverflowError on every file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES

MEMORY = 1024**3  # address space for the whole command: far below the limits given


def validate_with_memory_limit(*args: str) -> subprocess.CompletedProcess[str]:
    """`cljourney validate ARGS` in a process that may map at most MEMORY bytes."""
    code = (
        "import resource, runpy, sys;"
        f" resource.setrlimit(resource.RLIMIT_AS, ({MEMORY}, {MEMORY}));"
        " sys.argv = ['cljourney', *sys.argv[1:]];"
        " runpy.run_module('cljourney', run_name='__main__')"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLJOURNEY_")}
    return subprocess.run(
        [sys.executable, "-c", code, "validate", "--isolated", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "NO_COLOR": "1"},
        check=False,
    )


@pytest.mark.parametrize("limit", ["4G", "64G", "1024G", str(2**40)])
def test_a_large_limit_reads_small_files_in_a_small_memory(limit: str) -> None:
    journeys = [str(path) for path in sorted(EXAMPLES.glob("*.yaml"))]
    result = validate_with_memory_limit("--max-file-size", limit, *journeys)
    assert "MemoryError" not in result.stderr and "internal error" not in result.stderr
    assert (result.returncode, result.stdout) == (0, "All checks passed (3 journey files).\n")


@pytest.mark.parametrize("limit", ["1025G", "99999999999999G", str(2**40 + 1), "9" * 400])
def test_an_absurd_limit_is_a_usage_error(limit: str) -> None:
    result = validate_with_memory_limit("--max-file-size", limit, str(EXAMPLES / "b2c-retail.yaml"))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"cljourney: error: --max-file-size: {limit} is more than")
    assert "at most 1024G" in result.stderr


def test_a_pipe_named_directly_is_read_up_to_the_limit(tmp_path: Path) -> None:
    fifo = tmp_path / "journey.yaml"
    os.mkfifo(fifo)
    writer = subprocess.Popen(
        [sys.executable, "-c", f"open({str(fifo)!r}, 'w').write('cljourney: 1\\n# ' + 'x' * 9000)"],
        stderr=subprocess.DEVNULL,
    )
    result = validate_with_memory_limit("--max-file-size", "4K", "--format", "json", str(fifo))
    writer.wait(60)
    assert result.returncode == 1, result.stderr
    assert "over the 4,096-byte limit" in result.stdout
