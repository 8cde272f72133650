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
from cljourney.render import RENDERERS
from cljourney.reporters import REPORTERS
from cljourney.reporters.diff import DIFF_REPORTERS

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


DiffFormat = Enum("DiffFormat", {name: name for name in DIFF_REPORTERS}, type=str)  # type: ignore[misc]


class FailOn(str, Enum):
    breaking = "breaking"
    risky = "risky"
    info = "info"


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
) -> None:
    """Check journey files: format, references, flow, handoffs and the customer why of every step."""
    from cljourney.engine import UsageError, validate as run_validate
    from cljourney.findings import Severity
    from cljourney.reporters import ReportOptions, get_reporter

    try:
        report = run_validate(paths or [Path(".")])
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    stream = sys.stdout
    options = ReportOptions(color=use_color(color, stream), strict=strict)
    get_reporter(output_format.value)(report, stream, options)
    failed = report.count(Severity.ERROR) > 0 or (strict and report.count(Severity.WARNING) > 0)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


@app.command()
def diff(
    sources: Annotated[
        Optional[list[str]],
        typer.Argument(
            help="OLD NEW: journey files, directories or git revisions of them (REV:path)."
            " With --base: the working-tree paths to compare (default: current directory).",
            metavar="OLD NEW | PATHS...",
            show_default=False,
        ),
    ] = None,
    base: Annotated[
        Optional[str],
        typer.Option(
            "--base",
            help="Compare PATHS with the same paths at the merge base of REV and HEAD.",
            metavar="REV",
        ),
    ] = None,
    output_format: Annotated[
        DiffFormat, typer.Option("--format", "-f", help="Output format.")
    ] = DiffFormat("text"),
    fail_on: Annotated[
        Optional[FailOn],
        typer.Option("--fail-on", help="Exit 1 when a change at this level or above exists."),
    ] = None,
    color: Annotated[Color, typer.Option("--color", help="Colour the text output.")] = Color.auto,
) -> None:
    """Review journey changes for customers: each one classified breaking, risky or info."""
    from cljourney.diff import Level
    from cljourney.diffset import compare
    from cljourney.engine import UsageError
    from cljourney.gitsource import read_base, read_spec
    from cljourney.reporters.diff import DiffReportOptions, get_diff_reporter

    args = sources or []
    try:
        if base is not None:
            sides = read_base(base, [Path(arg) for arg in args])
            result = compare(
                sides.old, sides.new, old_label=sides.old_label, new_label="working tree"
            )
        elif len(args) == 2:
            old, new = read_spec(args[0]), read_spec(args[1])
            result = compare(old, new, old_label=args[0], new_label=args[1])
        else:
            raise UsageError(
                "give OLD and NEW (files, directories or REV:path), or --base REV [PATHS...]"
            )
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    stream = sys.stdout
    options = DiffReportOptions(color=use_color(color, stream))
    get_diff_reporter(output_format.value)(result, stream, options)
    threshold = Level(fail_on.value) if fail_on else None
    raise typer.Exit(EXIT_FINDINGS if result.fails(threshold) else EXIT_OK)


# `render --format` choices come from the renderer table (cheap: it imports no renderer).
RenderFormat = Enum("RenderFormat", {name: name for name in RENDERERS}, type=str)  # type: ignore[misc]


@app.command()
def render(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Journey files or directories (searched recursively)."),
    ],
    output: Annotated[
        Optional[Path],
        typer.Option(
            "--output",
            "-o",
            help="File or existing directory to write; several journeys need a directory."
            " Default: stdout.",
        ),
    ] = None,
    output_format: Annotated[
        RenderFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RenderFormat("markdown"),
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if any output file is out of date."),
    ] = False,
) -> None:
    """Render journey maps: markdown with Mermaid diagrams, the flowchart alone, or JSON."""
    from cljourney.atomic import OutputError
    from cljourney.engine import UsageError
    from cljourney.render import outputs

    if check and output is None:
        raise fail_usage("--check compares with existing files: give -o FILE_OR_DIR")
    try:
        planned = outputs.plan(paths, output_format.value, output)
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    if planned.failures:
        for finding in planned.failures:
            where = f"{finding.path}:{finding.line}:{finding.column}"
            sys.stderr.write(f"{where}: {finding.rule}: {finding.message}\n")
        sys.stderr.write("cljourney: error: a journey file does not load; nothing written\n")
        raise typer.Exit(EXIT_FINDINGS)
    if check:
        stale = outputs.stale(planned.outputs)
        for path in stale:
            sys.stdout.write(f"stale: {path}\n")
        if stale:
            sys.stdout.write("Rerun the same command without --check to update them.\n")
        raise typer.Exit(EXIT_FINDINGS if stale else EXIT_OK)
    for item in planned.outputs:
        if item.path is None:
            sys.stdout.write(item.text)
    try:
        outputs.write(planned.outputs)
    except OutputError as exc:
        sys.stderr.write(f"cljourney: error: {exc}\n")
        raise typer.Exit(EXIT_FINDINGS) from None
    raise typer.Exit(EXIT_OK)


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
