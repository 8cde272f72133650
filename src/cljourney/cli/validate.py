"""`cljourney validate`: options -> ValidateOptions -> the pipeline -> a reporter -> exit status.

The `--format` choices come from the reporter table (report/__init__.py), so a new reporter is
one table entry. Heavy modules are imported inside the command, so `--help` stays fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from cljourney.cli.options import (
    STDOUT,
    Color,
    file_output,
    judged_on,
    use_color,
    validate_options,
)
from cljourney.cli.params import (
    EXIT_FINDINGS,
    EXIT_OK,
    PATHS_HELP,
    BaselineFile,
    ColorChoice,
    ConfigFile,
    Isolated,
    Jobs,
    ReportFile,
    Today,
    checked_today,
    usage_errors,
)
from cljourney.errors import UsageError
from cljourney.report import REPORTERS

if TYPE_CHECKING:
    from cljourney.check.options import ValidateOptions
    from cljourney.findings import Report

ReportFormat = Enum("ReportFormat", {name: name for name in REPORTERS}, type=str)  # type: ignore[misc]

MAX_FILE_SIZE_LIMIT = 1024**4
"""The largest `--max-file-size` accepted (1 TiB): files are read in chunks up to the limit, so a
large limit costs nothing up front, but beyond this no machine holds the parsed file."""


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help=f"{PATHS_HELP} Default: current directory.", metavar="PATH"),
    ] = None,
    output_format: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: github when GITHUB_ACTIONS=true and writing to stdout,"
            " else text.",
        ),
    ] = None,
    output: ReportFile = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    color: ColorChoice = Color.auto,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print findings only, no summary.")
    ] = False,
    statistics: Annotated[
        bool,
        typer.Option("--statistics", help="Print how many findings each rule produced instead."),
    ] = False,
    config: ConfigFile = None,
    isolated: Isolated = False,
    baseline: BaselineFile = None,
    write_baseline: Annotated[
        str | None,
        typer.Option(
            "--write-baseline",
            metavar="FILE",
            help="Record the current findings in FILE (`-` is stdout) and exit 0.",
        ),
    ] = None,
    skip_non_journeys: Annotated[
        bool,
        typer.Option(
            "--skip-non-journeys",
            help="Skip named YAML files that are not journeys (for pre-commit).",
        ),
    ] = False,
    max_file_size: Annotated[
        str | None,
        typer.Option(
            "--max-file-size",
            envvar="CLJOURNEY_MAX_FILE_SIZE",
            metavar="SIZE",
            help="Refuse files larger than this (bytes, or with K, M, G: 512K, 16M). Default: 16M.",
        ),
    ] = None,
    jobs: Jobs = 0,
    today: Today = None,
    fix: Annotated[
        bool,
        typer.Option("--fix", help="Apply the certain fixes (each listed), then report the rest."),
    ] = False,
    show_diff: Annotated[
        bool,
        typer.Option(
            "--diff", help="With --fix: print the fixes as a unified diff; write nothing."
        ),
    ] = False,
) -> None:
    """Check journey files: format, references, flow, handoffs and the customer why of every step."""
    from cljourney.check.pipeline import validate as run_validate
    from cljourney.cli.options import write_output, written
    from cljourney.findings import Severity

    inputs = paths or [Path(".")]
    with usage_errors():
        report_path = file_output(output, "the report")
        baseline_path = file_output(write_baseline, "the baseline")
        recording = baseline_path is not None or write_baseline == STDOUT
        # A baseline records every current finding: filtering through the old one first would
        # drop what it accepted (`--baseline b.json --write-baseline b.json` refreshes in place).
        accepted = None if recording else baseline
        options, config_used = validate_options(config, isolated, accepted, skip_non_journeys)
        options = with_limits(options, max_file_size, jobs)
        options = judged_on(options, checked_today(today))
        if recording:  # a baseline records every finding, not the first hundred
            options = replace(options, max_per_rule=None)
        chosen = choose_report_format(
            output_format.value if output_format else None, statistics, report_path is None
        )
        for target in (report_path, baseline_path):
            if target is not None:
                from cljourney.cli.atomic import check_replaceable  # only for -o: start-up

                check_replaceable(target, inputs)  # refuse before the work, not after
        if show_diff and not fix:
            raise UsageError("--diff shows what --fix would change: give --fix too")
        report = run_validate(inputs, options)
        if fix:
            report = fixed_report(report, show_diff, lambda: run_validate(inputs, options))
        sys.stderr.write(excluded_note(inputs, options, config_used))
        for note in report.notes:
            print_note(note)
        if recording:
            record_baseline(report, baseline_path, inputs)
            raise typer.Exit(EXIT_OK)
        colored = use_color(color, sys.stdout) if report_path is None else color is Color.always

        def reporter(stream: TextIO) -> None:
            if statistics:
                write_statistics(report, chosen, stream)
            else:
                write_report(report, chosen, stream, colored, strict, quiet)

        write_output(report_path, written(reporter), inputs)
    failed = report.count(Severity.ERROR) > 0 or (strict and report.count(Severity.WARNING) > 0)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


FIX_ROUNDS = 3
"""`--fix` validates again after fixing, and fixes again what that shows, at most this often."""


def fixed_report(report: Report, show_diff: bool, rerun: Callable[[], Report]) -> Report:
    """`--fix`: the fixes made and listed; the report of the fixed files (`--diff`: exit here)."""
    from cljourney.cli.fix import apply_fixes, summary

    fixed = apply_fixes(report, show_diff)
    if show_diff:
        sys.stderr.write(summary(fixed, show_diff))
        raise typer.Exit(EXIT_FINDINGS if fixed.fixes or fixed.failed else EXIT_OK)
    total = fixed
    for _ in range(FIX_ROUNDS):  # a fix can make another certain (`ownr: CSM` -> owner -> csm)
        if not fixed.fixes:
            break
        report = rerun()
        fixed = apply_fixes(report, show_diff, total.failed)
        total = total + fixed
    sys.stderr.write(summary(total, show_diff))
    return rerun() if fixed.fixes else report


def record_baseline(report: Report, target: Path | None, inputs: Sequence[Path]) -> None:
    """Write every finding of `report` as a baseline to `target` (None: stdout), and say so."""
    from cljourney.check import baseline as baselines
    from cljourney.cli.options import write_output
    from cljourney.text.words import plural

    write_output(target, baselines.dumps(report.findings), inputs)
    count = plural(len(report.findings), "finding")
    from cljourney.text.shown import printable

    sys.stderr.write(f"cljourney: wrote {count} to {printable(str(target or 'stdout'))}\n")


def write_report(
    report: Report, name: str, stream: TextIO, colored: bool, strict: bool, quiet: bool
) -> None:
    """The report in format `name` (a REPORTERS entry) on `stream`; colour only in text."""
    from cljourney.report import ReportOptions, find_root, get_reporter

    options = ReportOptions(
        color=colored and name == "text", strict=strict, quiet=quiet, root=find_root(Path.cwd())
    )
    get_reporter(name)(report, stream, options)


def write_statistics(report: Report, name: str, stream: TextIO) -> None:
    """`--statistics`: findings per rule, as text or json."""
    from cljourney.report import statistics as stats

    (stats.write_json if name == "json" else stats.write_text)(report, stream)


def with_limits(options: ValidateOptions, max_file_size: str | None, jobs: int) -> ValidateOptions:
    """`--max-file-size` and `--jobs` applied to the options built from the config."""
    from cljourney.load.tree import parse_size

    if max_file_size is not None:
        size = parse_size(max_file_size)
        if size is None:
            raise UsageError(
                f"--max-file-size: {max_file_size!r} is not a size; write bytes or a number"
                " with K, M or G (e.g. 16M)"
            )
        if size > MAX_FILE_SIZE_LIMIT:
            raise UsageError(
                f"--max-file-size: {max_file_size} is more than cljourney can read; give at most"
                " 1024G (a journey file is a few megabytes)"
            )
        options = replace(options, limits=replace(options.limits, max_bytes=size))
    return replace(options, jobs=jobs, note=print_note)


def print_note(text: str) -> None:
    """A note about the run on stderr, in the form of the other notes (on one line: a file name in
    it may hold a newline)."""
    from cljourney.text.shown import printable

    sys.stderr.write(f"cljourney: note: {printable(text)}\n")


def excluded_note(paths: Sequence[Path], options: ValidateOptions, config: Path | None) -> str:
    """A note naming the config file when files named on the command line are excluded by it."""
    named = [path for path in paths if path.is_file() and options.selection.excluded(path)]
    if not named:
        return ""
    from cljourney.check.discover import display_path
    from cljourney.text.shown import printable
    from cljourney.text.words import noun

    source = printable(display_path(config)) if config is not None else "the config"
    shown = ", ".join(printable(str(path)) for path in named)
    return (
        f"cljourney: note: {shown} {noun(len(named), 'is', 'are')} excluded by `exclude`"
        f" in {source}; not checked (run with --isolated to check anyway)\n"
    )


def choose_report_format(chosen: str | None, statistics: bool, to_stdout: bool) -> str:
    """The validate format: the one given, else github on GitHub Actions stdout, else text.

    Workflow commands (`::warning`) only mean something in the job log, so a report written to
    a file with `-o` stays text unless `--format github` is asked for.
    """
    name = chosen
    if name is None:
        on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
        name = "github" if on_actions and to_stdout and not statistics else "text"
    if statistics and name not in ("text", "json"):
        raise UsageError(f"--statistics prints text or json, not {name}")
    return name


def register(app: typer.Typer) -> None:
    app.command(short_help="Check journey files: format, references, flow, handoffs, whys.")(
        validate
    )
