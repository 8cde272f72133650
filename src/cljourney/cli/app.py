"""The command line: the only module that knows typer. Options -> typed call -> exit code.

Exit statuses: 0 success, 1 findings that fail the run, 2 usage error (bad option, missing path,
invalid config or baseline, unwritable output), 3 internal error (a bug).
Heavy modules are imported inside the commands that use them, so `--version` and `--help` stay fast.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cljourney import __version__
from cljourney.cli.conform import conform as _conform
from cljourney.cli.help import Command as _Command
from cljourney.cli.help import Commands as _Commands
from cljourney.cli.options import STDOUT, Color, file_output, output_path, use_color
from cljourney.errors import UsageError
from cljourney.render import DIRECTIONS, RENDERERS
from cljourney.report import REPORTERS
from cljourney.report.diff import DIFF_REPORTERS

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

app = typer.Typer(
    cls=_Commands,
    name="cljourney",
    help="Customer lifecycle and customer journeys as code: validate, render and diff journey files.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
        bool | None,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = None,
) -> None:
    """Customer lifecycle and customer journeys as code."""


PATHS_HELP = "Journey files or directories (searched recursively)."


@app.command(
    cls=_Command, short_help="Check journey files: format, references, flow, handoffs, whys."
)
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help=f"{PATHS_HELP} Default: current directory.", metavar="[PATH...]"),
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
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the report to FILE (atomically; `-` is stdout) instead of stdout.",
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    color: Annotated[
        Color,
        typer.Option("--color", help="Colour the text output (always/never win over NO_COLOR)."),
    ] = Color.auto,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Print findings only, no summary.")
    ] = False,
    statistics: Annotated[
        bool,
        typer.Option("--statistics", help="Print how many findings each rule produced instead."),
    ] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", metavar="FILE", help="Use this config file instead of searching."),
    ] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore every config file.")] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline", metavar="FILE", help="Report only findings not in this baseline."
        ),
    ] = None,
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
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            metavar="N",
            help="Worker processes; 0 chooses by input size and CPUs.",
        ),
    ] = 0,
) -> None:
    """Check journey files: format, references, flow, handoffs and the customer why of every step."""
    from cljourney.check.pipeline import validate as run_validate
    from cljourney.cli.atomic import OutputError, check_replaceable
    from cljourney.cli.options import (
        choose_report_format,
        emit_report,
        excluded_note,
        validate_options,
        with_limits,
    )
    from cljourney.findings import Severity

    inputs = paths or [Path(".")]
    try:
        report_path = file_output(output, "the report")
        baseline_path = file_output(write_baseline, "the baseline")
        baseline_to_stdout = write_baseline == STDOUT
        # A baseline records every current finding: filtering through the old one first would
        # drop what it accepted (`--baseline b.json --write-baseline b.json` refreshes in place).
        accepted = None if baseline_path is not None or baseline_to_stdout else baseline
        options, config_used = validate_options(config, isolated, accepted, skip_non_journeys)
        options = with_limits(options, max_file_size, jobs)
        if baseline_path is not None:  # a baseline records every finding, not the first hundred
            options = replace(options, max_per_rule=None)
        chosen = choose_report_format(
            output_format.value if output_format else None,
            statistics,
            to_stdout=report_path is None,
        )
        for target in (report_path, baseline_path):
            if target is not None:
                check_replaceable(target, inputs)  # refuse before the work, not after
        report = run_validate(inputs, options)
        sys.stderr.write(excluded_note(inputs, options, config_used))
        sys.stderr.writelines(f"cljourney: note: {note}\n" for note in report.notes)
        if baseline_path is not None or baseline_to_stdout:
            from cljourney.check import baseline as baselines
            from cljourney.cli.atomic import write_text_atomic
            from cljourney.text.words import plural

            recorded = baselines.dumps(report.findings)
            if baseline_path is None:
                sys.stdout.write(recorded)
            else:
                write_text_atomic(baseline_path, recorded, inputs)
            written = plural(len(report.findings), "finding")
            sys.stderr.write(f"cljourney: wrote {written} to {baseline_path or 'stdout'}\n")
            raise typer.Exit(EXIT_OK)
        emit_report(
            report,
            chosen,
            report_path,
            inputs,
            strict=strict,
            quiet=quiet,
            color=color,
            statistics=statistics,
        )
    except (UsageError, OutputError) as exc:
        raise fail_usage(str(exc)) from None
    failed = report.count(Severity.ERROR) > 0 or (strict and report.count(Severity.WARNING) > 0)
    raise typer.Exit(EXIT_FINDINGS if failed else EXIT_OK)


@app.command(cls=_Command, short_help="Review journey changes: each one breaking, risky or info.")
def diff(
    sources: Annotated[
        list[str] | None,
        typer.Argument(
            help="OLD NEW: journey files, directories or git revisions of them (REV:path)."
            " With --base: the working-tree paths to compare (default: current directory).",
            metavar="OLD NEW | [PATH...]",
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
    color: Annotated[Color, typer.Option("--color", help="Colour the text output.")] = Color.auto,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report to this file (atomically; `-` is stdout).",
            metavar="FILE",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", metavar="FILE", help="Use this config file instead of searching."),
    ] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore every config file.")] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline", metavar="FILE", help="Count only findings not in this baseline."
        ),
    ] = None,
) -> None:
    """Review journey changes for customers: each one classified breaking, risky or info."""
    from cljourney.cli.atomic import OutputError, check_replaceable, write_text_atomic
    from cljourney.cli.options import validate_options
    from cljourney.diff.compare import Level
    from cljourney.diff.git import read_base, read_spec
    from cljourney.diff.pairing import compare
    from cljourney.report.diff import DiffReportOptions, get_diff_reporter

    args = sources or []
    try:
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
    except (UsageError, OutputError) as exc:
        raise fail_usage(str(exc)) from None
    buffer = io.StringIO()
    stream = buffer if report_path is not None else sys.stdout
    report_options = DiffReportOptions(color=report_path is None and use_color(color, stream))
    get_diff_reporter(output_format.value)(result, stream, report_options)
    if report_path is not None:
        try:
            write_text_atomic(report_path, buffer.getvalue(), inputs)
        except OutputError as exc:
            raise fail_usage(str(exc)) from None
    threshold = Level(fail_on.value) if fail_on else None
    raise typer.Exit(EXIT_FINDINGS if result.fails(threshold) else EXIT_OK)


# `render --format` choices come from the renderer table (cheap: it imports no renderer).
RenderFormat = Enum("RenderFormat", {name: name for name in RENDERERS}, type=str)  # type: ignore[misc]


Direction = Enum("Direction", {name: name for name in DIRECTIONS}, type=str)  # type: ignore[misc]


@app.command(cls=_Command, short_help="Render journey maps: markdown, Mermaid, JSON or HTML.")
def render(
    paths: Annotated[list[Path], typer.Argument(help=PATHS_HELP, metavar="PATH...")],
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE_OR_DIR",
            help="File or existing directory to write (a trailing / means a directory);"
            " several journeys need a directory. Default (or `-`): stdout.",
        ),
    ] = None,
    output_format: Annotated[
        RenderFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format. Default: from the -o FILE extension (.md, .mmd, .json, .html),"
            " else markdown.",
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Write nothing; exit 1 if any output file is missing or out of date."
        ),
    ] = False,
    direction: Annotated[
        Direction | None,
        typer.Option(
            "--direction",
            help="Flowchart direction (markdown, mermaid): LR left to right, TB top to bottom."
            " Default: by the journey's shape, LR when it fits across the page (or is wider"
            " than long), else TB.",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option("--config", metavar="FILE", help="Use this config file instead of searching."),
    ] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore every config file.")] = False,
) -> None:
    """Render journey maps: markdown with Mermaid, the flowchart alone, JSON, or an HTML map.

    The findings shown on a map are the ones `validate` reports with the same config.
    """
    from cljourney.cli import maps as outputs
    from cljourney.cli.atomic import OutputError
    from cljourney.cli.options import finish_render, render_command, validate_options
    from cljourney.render import RenderOptions

    try:
        target = None if output == STDOUT else output_path(output)
        if check and target is None:
            raise UsageError("--check compares with existing files: give -o FILE_OR_DIR")
        directory = target is not None and target.directory
        chosen = outputs.choose_format(
            output_format.value if output_format else None,
            target.path if target else None,
            directory,
        )
        options, _ = validate_options(config, isolated, None, skip_non_journeys=False)
        planned = outputs.plan(
            paths,
            chosen,
            target.path if target else None,
            options,
            into_directory=directory,
            drawing=RenderOptions(direction.value if direction else None),
        )
        outputs.check_writable(planned)
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    rerun = render_command(
        paths,
        output or "",
        output_format.value if output_format else None,
        direction.value if direction else None,
        config,
        isolated,
    )
    try:
        code = finish_render(planned, check, rerun=rerun)
    except OutputError as exc:  # an output that cannot be written is a usage error, as elsewhere
        raise fail_usage(str(exc)) from None
    raise typer.Exit(code)


class RulesFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command(cls=_Command, short_help="List every rule: id, default severity and what it finds.")
def rules(
    output_format: Annotated[
        RulesFormat,
        typer.Option("--format", "-f", help="text, markdown (the README table) or json."),
    ] = RulesFormat.text,
) -> None:
    """List every rule: id, default severity and what it finds."""
    from cljourney.rules import docs as ruledocs

    render = {
        "text": ruledocs.text_table,
        "markdown": ruledocs.markdown_table,
        "json": ruledocs.json_list,
    }
    sys.stdout.write(render[output_format.value]())


@app.command(cls=_Command, short_help="Explain a rule, with a failing and a passing example.")
def explain(
    rule: Annotated[str, typer.Argument(help="A rule id, e.g. weak-why.", metavar="RULE")],
) -> None:
    """Explain a rule: what it finds, why it matters to customers, a failing and a passing example."""
    from cljourney.rules import docs as ruledocs

    found = ruledocs.lookup(rule)
    if isinstance(found, str):
        raise fail_usage(found)
    sys.stdout.write(ruledocs.explain(found))


@app.command(cls=_Command, short_help="Print the JSON Schema of the journey format.")
def schema(
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the schema to FILE (atomically; `-` is stdout) instead of stdout.",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the journey format (for editor autocompletion)."""
    import json

    from cljourney.cli.atomic import OutputError, write_text_atomic
    from cljourney.schema import journey_schema

    text = json.dumps(journey_schema(), indent=2, ensure_ascii=False) + "\n"
    try:
        target = file_output(output, "the schema")
        if target is None:
            sys.stdout.write(text)
        else:
            write_text_atomic(target, text)
    except (UsageError, OutputError) as exc:
        raise fail_usage(str(exc)) from None


class Template(str, Enum):
    b2b_saas = "b2b-saas"
    b2c = "b2c"
    marketing = "marketing"
    minimal = "minimal"


@app.command(cls=_Command, short_help="Write a starter journey (never overwrites a file).")
def init(
    path: Annotated[
        str | None,
        typer.Argument(
            help="File or directory to write to (default: <journey id>.yaml).",
            metavar="[PATH]",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Template,
        typer.Option(
            "--template",
            "-t",
            help="Which starter: an example (b2b-saas, b2c, marketing) or a short annotated one"
            " (minimal).",
        ),
    ] = Template.b2b_saas,
    journey_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="Journey id (default: from the file name when PATH is a file, else the"
            " starter's); the file is named after it unless PATH is a file.",
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", metavar="NAME", help="Journey name (default: the starter's)."),
    ] = None,
) -> None:
    """Write a starter journey that validates cleanly; never overwrites an existing file."""
    import shlex

    from cljourney.cli.atomic import OutputError, write_text_new
    from cljourney.starters import (
        check_id,
        check_journey_name,
        check_name,
        id_from_file_name,
        starter,
        template_id,
    )

    try:
        problem = (check_id(journey_id) if journey_id is not None else None) or (
            check_journey_name(name) if name is not None else None
        )
        if problem:
            raise UsageError(problem)
        parsed = output_path(path, label="") if path else None
        if parsed is None or parsed.directory or parsed.path.is_dir():
            chosen = journey_id or template_id(template.value)
            folder = parsed.path if parsed else Path(".")
            target = folder / f"{chosen}.yaml" if parsed else Path(f"{chosen}.yaml")
        else:
            target = parsed.path
            chosen = journey_id or id_from_file_name(target.stem) or ""
            if not chosen:
                raise UsageError(
                    f"{target.name}: no journey id can be made from this file name; give one"
                    " with --id"
                )
        problem = check_name(target.name)
        if problem:
            raise UsageError(problem)
        write_text_new(target, starter(template.value, chosen, name))
    except (UsageError, OutputError) as exc:
        raise fail_usage(str(exc)) from None
    shown = shlex.quote(str(target))
    sys.stderr.write(f"cljourney: wrote {target}; check it with `cljourney validate {shown}`\n")


app.command(
    "conform",
    cls=_Command,
    short_help="Hold journeys against an event log: reach, drop-off, undeclared paths, targets.",
)(_conform)


def main() -> None:
    """Console-script entry point: runs the app and turns unexpected exceptions into exit 3."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("cljourney: interrupted\n")
        sys.exit(130)
    except MemoryError:
        raise  # not a bug: `entry.main` says so without needing memory to say it
    except Exception as exc:  # a bug, not a user mistake
        if os.environ.get("CLJOURNEY_DEBUG"):
            raise
        sys.stderr.write(
            f"cljourney: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in cljourney; rerun with CLJOURNEY_DEBUG=1 for the traceback"
            " and report it.\n"
        )
        sys.exit(EXIT_INTERNAL)
