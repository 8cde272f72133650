"""`cljourney diff`: two sides (files, directories, `REV:path`, `--base REV`) -> the comparison ->
a diff reporter -> exit status (1 when a change at `--fail-on` or above exists)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cljourney.cli.options import Color, file_output, use_color, validate_options
from cljourney.cli.params import (
    EXIT_FINDINGS,
    EXIT_OK,
    BaselineFile,
    ColorChoice,
    ConfigFile,
    Isolated,
    ReportFile,
    usage_errors,
)
from cljourney.errors import UsageError
from cljourney.report.diff import DIFF_REPORTERS

DiffFormat = Enum("DiffFormat", {name: name for name in DIFF_REPORTERS}, type=str)  # type: ignore[misc]


class FailOn(str, Enum):
    breaking = "breaking"
    risky = "risky"
    info = "info"


def diff(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="OLD NEW: journey files, directories or git revisions of them (REV:path)."
            " With --base: the working-tree paths to compare (default: current directory).",
            metavar="OLD NEW | PATH",
            show_default=False,
        ),
    ] = None,
    base: Annotated[
        str | None,
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
        FailOn | None,
        typer.Option("--fail-on", help="Exit 1 when a change at this level or above exists."),
    ] = None,
    color: ColorChoice = Color.auto,
    output: ReportFile = None,
    config: ConfigFile = None,
    isolated: Isolated = False,
    baseline: BaselineFile = None,
) -> None:
    """Review journey changes for customers: each one classified breaking, risky or info."""
    from cljourney.cli.atomic import check_replaceable
    from cljourney.cli.options import write_output, written
    from cljourney.diff.git import read_base, read_spec
    from cljourney.diff.pairing import compare
    from cljourney.diff.records import Level
    from cljourney.report.diff import DiffReportOptions, get_diff_reporter

    args = sources or []
    with usage_errors():
        report_path = file_output(output, "the report")
        # Only paths on disk can be overwritten; `REV:path` sides live in git.
        inputs = [Path(arg) for arg in args if Path(arg).exists()]
        if report_path is not None:
            check_replaceable(report_path, inputs)
        # The findings of each side are the ones validate reports, config and baseline included.
        options, _ = validate_options(config, isolated, baseline, False)
        if base is not None:
            sides = read_base(base, [Path(arg) for arg in args])
            result = compare(
                sides.old,
                sides.new,
                old_label=sides.old_label,
                new_label="working tree",
                options=options,
            )
        elif len(args) == 2:
            old, new = read_spec(args[0]), read_spec(args[1])
            result = compare(old, new, old_label=args[0], new_label=args[1], options=options)
        else:
            raise UsageError(
                "give OLD and NEW (files, directories or REV:path), or --base REV [PATHS...]"
            )
        report_options = DiffReportOptions(
            color=report_path is None and use_color(color, sys.stdout)
        )
        reporter = get_diff_reporter(output_format.value)
        text = written(lambda stream: reporter(result, stream, report_options))
        write_output(report_path, text, inputs)
    threshold = Level(fail_on.value) if fail_on else None
    raise typer.Exit(EXIT_FINDINGS if result.fails(threshold) else EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command(short_help="Review journey changes: each one breaking, risky or info.")(diff)
