"""The console-script entry point: answers `--version` without importing anything heavy, imports
the command line without garbage collections, and turns running out of memory into a message and
exit 3.

`cljourney --version` runs in pre-commit hooks and CI set-up steps, so it should cost an
interpreter start and no more: importing typer alone takes 60-100 ms here, longer than
yamllint's whole `--version`. Every other invocation goes to `cljourney.cli.main`.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import NoReturn

EXIT_INTERNAL = 3
# Allocations between two collections of the youngest generation (CPython's default is 700).
YOUNG_COLLECTION = 50_000
# Made at import time: when memory has run out, writing it must not need any more.
OUT_OF_MEMORY = (
    b"cljourney: error: out of memory; check fewer or smaller files at a time (lower"
    b" --max-file-size, use -j 1) or give the process more memory\n"
)


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from cljourney import __version__

        if sys.stdout is not None:  # None: closed when the process started (`>&-`)
            sys.stdout.write(f"cljourney {__version__}\n")
        return
    try:
        cli_main = import_app()
        try:
            cli_main()
        except SystemExit as exc:
            code = exc.code
        else:
            code = 0
    except MemoryError:
        pass  # leaving the handler drops the traceback, and with it the frames holding the data
    else:
        leave(code)
    out_of_memory()


def leave(code: str | int | None) -> NoReturn:
    """Exit with `code` without the interpreter's teardown: freeing every object of the
    thousand modules a command imported (pydantic's, networkx's, DuckDB's) takes 0.1-0.15 s, a
    tenth of a `conform` of 1M events, for nothing the process needs. mypy exits the same way.

    What a normal exit does that matters still happens: the `atexit` handlers run (libraries
    register their cleanups there: PySpark kills the JVM it started), and standard output and
    error are flushed. Where that is not enough, the normal exit runs: a code that is not a
    number (`sys.exit("message")` prints it), a thread the normal exit would wait for (a thread
    or process pool not shut down, whose workers and manager are such threads), a flush that
    fails (a closed pipe: the normal exit says so as usual)."""
    import atexit
    import threading

    waited = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    if waited or not (code is None or isinstance(code, int)):
        sys.exit(code)
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: closed when the process started (`>&-`)
                stream.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code or 0)


def import_app() -> Callable[[], None]:
    """Import the command line (typer and the command modules) with the cyclic garbage collector
    paused, then set what the import made aside from later collections.

    What start-up makes lives as long as the process: collecting while importing only walks it
    again and again (a one-file `validate` ran 132 collections, one of them over everything, at
    CPython's default threshold). `gc.freeze` keeps it out of the collections that the check
    itself triggers. The command then imports its own engines (the pipeline, pydantic's models,
    networkx: hundreds of modules more), so the youngest generation is collected every
    `YOUNG_COLLECTION` allocations instead of CPython's 700, as mypy does: a one-file `validate`
    ran about a hundred collections that found almost nothing. Figures in bench/RESULTS.txt.
    """
    gc.disable()
    try:
        from cljourney.cli.app import main as cli_main
    finally:
        settle_garbage_collector()
    return cli_main


def settle_garbage_collector() -> None:
    """Set what exists so far aside from later collections, collect the youngest generation
    every `YOUNG_COLLECTION` allocations and (re-)enable the collector: the command line's set-up,
    which the benchmarks repeat to time what a command does."""
    gc.freeze()
    gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])
    gc.enable()


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
