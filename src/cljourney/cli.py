"""The command line: the only module that knows typer. Options -> typed call -> exit code.

Exit statuses: 0 success, 1 findings that fail the run, 2 usage error (bad option, missing path,
invalid config or baseline, unwritable output), 3 internal error (a bug).
Heavy modules are imported inside the commands that use them, so `--version` and `--help` stay fast.
"""

from __future__ import annotations

import io
import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from cljourney import __version__
from cljourney.render import RENDERERS
from cljourney.reporters import REPORTERS
from cljourney.reporters.diff import DIFF_REPORTERS

if TYPE_CHECKING:
    from cljourney.engine import Report, ValidateOptions

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
        Optional[ReportFormat],
        typer.Option(
            "--format", "-f",
            help="Output format. Default: github when GITHUB_ACTIONS=true, else text.",
        ),
    ] = None,
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write the report to FILE (atomically).")
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    color: Annotated[Color, typer.Option("--color", help="Colour the text output.")] = Color.auto,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print findings only, no summary.")] = False,
    statistics: Annotated[
        bool, typer.Option("--statistics", help="Print how many findings each rule produced instead.")
    ] = False,
    config: Annotated[
        Optional[Path], typer.Option("--config", help="Use this config file instead of searching.")
    ] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore every config file.")] = False,
    baseline: Annotated[
        Optional[Path], typer.Option("--baseline", help="Report only findings not in this baseline.")
    ] = None,
    write_baseline: Annotated[
        Optional[Path], typer.Option("--write-baseline", help="Record the current findings in FILE and exit 0.")
    ] = None,
    skip_non_journeys: Annotated[
        bool,
        typer.Option("--skip-non-journeys", help="Skip named YAML files that are not journeys (for pre-commit)."),
    ] = False,
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

    from cljourney.engine import UsageError, validate as run_validate
    from cljourney.findings import Severity
    from cljourney.yamltree import parse_size

    options = _validate_options(config, isolated, baseline, skip_non_journeys)
    if max_file_size is not None:
        size = parse_size(max_file_size)
        if size is None:
            raise fail_usage(
                f"--max-file-size: {max_file_size!r} is not a size; write bytes or a number"
                " with K, M or G (e.g. 16M)"
            )
        options = replace(options, limits=replace(options.limits, max_bytes=size))
    options = replace(options, jobs=jobs)
    try:
        report = run_validate(paths or [Path(".")], options)
    except UsageError as exc:
        raise fail_usage(str(exc)) from None
    if write_baseline is not None:
        from cljourney import baseline as baselines

        _write_output(write_baseline, baselines.dumps(report.findings))
        written = len(report.findings)
        noun = "finding" if written == 1 else "findings"
        sys.stderr.write(f"cljourney: wrote {written} {noun} to {write_baseline}\n")
        raise typer.Exit(EXIT_OK)
    chosen = _choose_format(output_format, statistics)
    _emit(report, chosen, output, strict=strict, quiet=quiet, color=color, statistics=statistics)
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
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Write the report to this file (atomically).", metavar="FILE"),
    ] = None,
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
    buffer = io.StringIO()
    stream = buffer if output is not None else sys.stdout
    options = DiffReportOptions(color=output is None and use_color(color, stream))
    get_diff_reporter(output_format.value)(result, stream, options)
    if output is not None:
        _write_output(output, buffer.getvalue())
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
    config: Annotated[
        Optional[Path], typer.Option("--config", help="Use this config file instead of searching.")
    ] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore every config file.")] = False,
) -> None:
    """Render journey maps: markdown with Mermaid, the flowchart alone, JSON, or an HTML map.

    The findings shown on a map are the ones `validate` reports with the same config.
    """
    from cljourney.atomic import OutputError
    from cljourney.engine import UsageError
    from cljourney.render import outputs

    if check and output is None:
        raise fail_usage("--check compares with existing files: give -o FILE_OR_DIR")
    options = _validate_options(config, isolated, None, skip_non_journeys=False)
    try:
        planned = outputs.plan(paths, output_format.value, output, options)
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

def _validate_options(
    config: Path | None, isolated: bool, baseline: Path | None, skip_non_journeys: bool
) -> ValidateOptions:
    """Config file and command-line choices -> ValidateOptions, or a usage error (exit 2)."""
    from cljourney.baseline import BaselineError, load as load_baseline
    from cljourney.config import ConfigError, build_validate_options, load_config

    if config is not None and not config.is_file():
        raise fail_usage(f"{config}: no such config file")
    try:
        loaded = load_config(config, isolated=isolated)
        accepted = load_baseline(baseline) if baseline is not None else None
    except (ConfigError, BaselineError) as exc:
        raise fail_usage(str(exc)) from None
    return build_validate_options(loaded, baseline=accepted, skip_non_journeys=skip_non_journeys)


def _choose_format(chosen: Enum | None, statistics: bool) -> str:
    name = chosen.value if chosen is not None else None
    if name is None:
        name = "github" if os.environ.get("GITHUB_ACTIONS") == "true" and not statistics else "text"
    if statistics and name not in ("text", "json"):
        raise fail_usage(f"--statistics prints text or json, not {name}")
    return str(name)


def _emit(
    report: Report, name: str, output: Path | None, *, strict: bool, quiet: bool, color: Color,
    statistics: bool,
) -> None:
    """Write the report in format `name` to stdout or, atomically, to `output`."""
    import io

    from cljourney.reporters import ReportOptions, find_root, get_reporter

    buffer = io.StringIO()
    stream = buffer if output is not None else sys.stdout
    if statistics:
        from cljourney.reporters import statistics as stats

        (stats.write_json if name == "json" else stats.write_text)(report, stream)
    else:
        colored = use_color(color, sys.stdout) if output is None else color is Color.always
        options = ReportOptions(
            color=colored and name == "text", strict=strict, quiet=quiet, root=find_root(Path.cwd())
        )
        get_reporter(name)(report, stream, options)
    if output is not None:
        _write_output(output, buffer.getvalue())


def _write_output(path: Path, text: str) -> None:
    from cljourney.atomic import OutputError, write_text_atomic

    try:
        write_text_atomic(path, text)
    except OutputError as exc:
        raise fail_usage(str(exc)) from None


class RulesFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def rules(
    output_format: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="text, markdown (the README table) or json.")
    ] = RulesFormat.text,
) -> None:
    """List every rule: id, default severity and what it finds."""
    from cljourney import ruledocs

    render = {"text": ruledocs.text_table, "markdown": ruledocs.markdown_table, "json": ruledocs.json_list}
    sys.stdout.write(render[output_format.value]())


@app.command()
def explain(rule: Annotated[str, typer.Argument(help="A rule id, e.g. weak-why.")]) -> None:
    """Explain a rule: what it finds, why it matters to customers, a failing and a passing example."""
    from cljourney import ruledocs

    found = ruledocs.lookup(rule)
    if isinstance(found, str):
        raise fail_usage(found)
    sys.stdout.write(ruledocs.explain(found))


@app.command()
def schema(
    output: Annotated[
        Optional[Path], typer.Option("--output", "-o", help="Write the schema to FILE (atomically).")
    ] = None,
) -> None:
    """Print the JSON Schema of the journey format (for editor autocompletion)."""
    import json

    from cljourney.schema import journey_schema

    text = json.dumps(journey_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        _write_output(output, text)


class Template(str, Enum):
    b2b_saas = "b2b-saas"
    b2c = "b2c"
    marketing = "marketing"


@app.command()
def init(
    path: Annotated[
        Optional[Path], typer.Argument(help="File or directory to write to (default: <journey id>.yaml).")
    ] = None,
    template: Annotated[
        Template, typer.Option("--template", "-t", help="Which starter journey to write.")
    ] = Template.b2b_saas,
) -> None:
    """Write a starter journey that validates cleanly; never overwrites an existing file."""
    from cljourney.atomic import OutputError, write_text_new
    from cljourney.scaffold import check_name, default_name, template_text

    target = path or Path(default_name(template.value))
    if target.is_dir():
        target = target / default_name(template.value)
    problem = check_name(target.name)
    if problem:
        raise fail_usage(problem)
    try:
        write_text_new(target, template_text(template.value))
    except OutputError as exc:
        raise fail_usage(str(exc)) from None
    sys.stderr.write(f"cljourney: wrote {target}; check it with `cljourney validate {target}`\n")


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
