"""The console-script entry point: answers `--version` without importing anything heavy, and
turns running out of memory into a message and exit 3.

`cljourney --version` runs in pre-commit hooks and CI set-up steps, so it should cost an
interpreter start and no more: importing typer alone takes 60-100 ms here, longer than
yamllint's whole `--version`. Every other invocation goes to `cljourney.cli.main`.
"""

from __future__ import annotations

import os
import sys

EXIT_INTERNAL = 3
# Made at import time: when memory has run out, writing it must not need any more.
OUT_OF_MEMORY = (
    b"cljourney: error: out of memory; check fewer or smaller files at a time (lower"
    b" --max-file-size, use -j 1) or give the process more memory\n"
)


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from cljourney import __version__

        sys.stdout.write(f"cljourney {__version__}\n")
        return
    try:
        from cljourney.cli.app import main as cli_main

        cli_main()
        return
    except MemoryError:
        pass  # leaving the handler drops the traceback, and with it the frames holding the data
    out_of_memory()


def out_of_memory() -> None:
    """Say so on stderr with one system call and exit 3 (an internal limit, not a finding).

    Plain try/except rather than contextlib.suppress: no object to allocate on the way out.
    """
    try:  # noqa: SIM105
        sys.stdout.flush()
    except (MemoryError, OSError, ValueError):
        pass
    try:  # noqa: SIM105
        os.write(2, OUT_OF_MEMORY)
    except OSError:
        pass
    os._exit(EXIT_INTERNAL)  # nothing left to clean up that could not fail for want of memory
