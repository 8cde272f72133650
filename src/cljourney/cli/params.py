"""The options several commands share, declared once as `Annotated` aliases, and the exit codes.

A command names its parameters with these types (`output: ReportFile = None`), so `-o`,
`--config`, `--isolated`, `--jobs`, `--color` and `--baseline` read and behave the same everywhere.
Exit statuses: 0 success, 1 findings that fail the run, 2 usage error (bad option, missing path,
invalid config or baseline, unwritable output), 3 internal error (a bug).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from cljourney.cli.options import Color
from cljourney.errors import OutputError, UsageError

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3


def fail_usage(*lines: str) -> typer.Exit:
    """Say what is wrong on stderr, one message a line; the Exit (status 2) for the caller to raise.

    A file name in a message may hold a newline or bytes that are not UTF-8: shown escaped, so it
    cannot split the message or start a workflow command (GitHub Actions reads stderr too)."""
    from cljourney.text.shown import printable

    sys.stderr.write("cljourney: error: " + "\n".join(printable(line) for line in lines) + "\n")
    return typer.Exit(EXIT_USAGE)


@contextmanager
def usage_errors() -> Iterator[None]:
    """Turn a UsageError or OutputError raised inside into its message and exit status 2."""
    try:
        yield
    except UsageError as exc:
        raise fail_usage(*exc.lines) from None
    except OutputError as exc:
        raise fail_usage(str(exc)) from None


PATHS_HELP = "Journey files or directories (searched recursively)."

ReportFile = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to FILE (atomically; `-` is stdout) instead of stdout.",
    ),
]
ConfigFile = Annotated[
    Path | None,
    typer.Option("--config", metavar="FILE", help="Use this config file instead of searching."),
]
Isolated = Annotated[bool, typer.Option("--isolated", help="Ignore every config file.")]
Jobs = Annotated[
    int,
    typer.Option(
        "--jobs",
        "-j",
        min=0,
        metavar="N",
        help="Worker processes; 0 chooses by input size and CPUs.",
    ),
]
Today = Annotated[
    str | None,
    typer.Option(
        "--today",
        envvar="CLJOURNEY_TODAY",
        metavar="DATE",
        help="Judge review and evidence dates as on this day (YYYY-MM-DD). Default: the clock.",
    ),
]


def checked_today(value: str | None) -> str | None:
    """`--today` (or CLJOURNEY_TODAY) as given, once it is known to be a date."""
    if value is None or value == "":
        return None
    import datetime

    try:
        valid = len(value) == 10 and bool(datetime.date.fromisoformat(value))
    except ValueError:
        valid = False
    if not valid:
        raise UsageError(f"--today (or CLJOURNEY_TODAY): {value!r} is not a date; write YYYY-MM-DD")
    return value


ColorChoice = Annotated[
    Color,
    typer.Option("--color", help="Colour the text output (always/never win over NO_COLOR)."),
]
BaselineFile = Annotated[
    Path | None,
    typer.Option(
        "--baseline", metavar="FILE", help="Leave out the findings recorded in this baseline."
    ),
]
