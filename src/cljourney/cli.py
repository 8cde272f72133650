"""The command line: the only module that knows typer. Options -> typed call -> exit code.

Exit statuses: 0 success, 1 findings that fail the run, 2 usage error, 3 internal error (a bug).
Heavy modules are imported inside the commands that use them, so `--version` and `--help` stay fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from cljourney import __version__
from cljourney.reporters import REPORTERS

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

app = typer.Typer(
    name="cljourney",
    help="Customer lifecycle and customer journeys as code: validate, render and diff journey files.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def use_color(choice: Color, stream: object) -> bool:
    """`--color`, then NO_COLOR / FORCE_COLOR (https://no-color.org), then whether it is a terminal."""
    if choice is Color.always:
        return True
    if choice is Color.never or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


# The `--format` choices come from the reporter table, so a new reporter is one table entry.
ReportFormat = Enum("ReportFormat", {name: name for name in REPORTERS}, type=str)  # type: ignore[misc]


def fail_usage(message: str) -> typer.Exit:
    sys.stderr.write(f"cljourney: error: {message}\n")
    return typer.Exit(EXIT_USAGE)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"cljourney {__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def root(
    version: Annotated[
        Optional[bool],
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = None,
) -> None:
    """Customer lifecycle and customer journeys as code."""


@app.command()
def validate(
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(help="Journey files or directories (searched recursively). Default: current directory."),
    ] = None,
    output_format: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ReportFormat("text"),
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    color: Annotated[Color, typer.Option("--color", help="Colour the text output.")] = Color.auto,
    max_file_size: Annotated[
        Optional[str],
        typer.Option(
            "--max-file-size",
            envvar="CLJOURNEY_MAX_FILE_SIZE",
            help="Refuse files larger than this (bytes, or with K, M, G: 512K, 16M). Default: 16M.",
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option("--jobs", "-j", min=0, help="Worker processes; 0 chooses by input size and CPUs."),
    ] = 0,
) -> None:
    """Check journey files: format, references, flow, handoffs and the customer why of every step."""
    from dataclasses import replace

    from cljourney.engine import UsageError, ValidateOptions, validate as run_validate
    from cljourney.findings import Severity
    from cljourney.reporters import ReportOptions, get_reporter
    from cljourney.yamltree import DEFAULT_LIMITS, parse_size

    limits = DEFAULT_LIMITS
    if max_file_size is not None:
        size = parse_size(max_file_size)
        if size is None:
            raise fail_usage(
                f"--max-file-size: {max_file_size!r} is not a size; write bytes or a number"
                " with K, M or G (e.g. 16M)"
            )
        limits = replace(limits, max_bytes=size)
    try:
        report = run_validate(paths or [Path(".")], ValidateOptions(limits=limits, jobs=jobs))
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    stream = sys.stdout
    options = ReportOptions(color=use_color(color, stream), strict=strict)
    get_reporter(output_format.value)(report, stream, options)
    failed = report.count(Severity.ERROR) > 0 or (strict and report.count(Severity.WARNING) > 0)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


def main() -> None:
    """Console-script entry point: runs the app and turns unexpected exceptions into exit 3."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("cljourney: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug, not a user mistake
        if os.environ.get("CLJOURNEY_DEBUG"):
            raise
        sys.stderr.write(
            f"cljourney: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in cljourney; rerun with CLJOURNEY_DEBUG=1 for the traceback"
            " and report it.\n"
        )
        sys.exit(EXIT_INTERNAL)
