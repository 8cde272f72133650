"""Command-line plumbing that needs no typer: colour, output paths, options and report output.

`cli.py` declares the options and turns `UsageError` into exit status 2; everything here is plain
Python so the commands stay thin and these choices can be tested without a command line.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from cljourney.errors import UsageError

if TYPE_CHECKING:
    from cljourney.check.options import ValidateOptions
    from cljourney.cli.maps import Plan
    from cljourney.findings import Report


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def use_color(choice: Color, stream: object) -> bool:
    """`--color always|never` wins outright; with `auto`, NO_COLOR, then FORCE_COLOR, then isatty.

    An explicit flag is the user's latest word, so `--color always` colours fully even when
    NO_COLOR is set in the environment (see https://no-color.org: NO_COLOR is a default).
    """
    if choice is Color.always:
        return True
    if choice is Color.never or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@dataclass(frozen=True)
class OutputPath:
    """An `-o` value: the path, and whether it was written as a directory (a trailing `/`)."""

    path: Path
    directory: bool


def output_path(raw: str | None, label: str = "-o ") -> OutputPath | None:
    """Parse an `-o` value, keeping the trailing separator that `Path` would drop.

    A trailing `/` says "a directory": one that does not exist is an error (create it first), and
    an existing file there is an error too, never a file created under that name.
    """
    if raw is None:
        return None
    if not raw:
        raise UsageError(f"{label.strip()}: give a file or directory name, not an empty string")
    separators = ("/", os.sep) if os.altsep is None else ("/", os.sep, os.altsep)
    directory = raw.endswith(separators) and raw.rstrip("".join(separators)) != ""
    path = Path(raw)
    if directory and not path.is_dir():
        if path.exists():
            raise UsageError(
                f"{label}{raw}: {path} is a file, not a directory; drop the trailing '/' to"
                " write that file, or name a directory"
            )
        raise UsageError(f"{label}{raw}: no such directory; create it first (mkdir -p {path})")
    return OutputPath(path, directory or path.is_dir())


STDOUT = "-"
"""The `-o` value that means standard output (`./-` names a file called `-`)."""


def file_output(raw: str | None, what: str) -> Path | None:
    """An `-o` value for a command that writes one file (`what`, e.g. "the report").

    None means standard output: no `-o`, or `-o -`.
    """
    from cljourney.cli.atomic import missing_directory  # not at the top: `--help` stays light

    if raw == STDOUT:
        return None
    parsed = output_path(raw)
    if parsed is None:
        return None
    if parsed.directory:
        raise UsageError(
            f"-o {raw}: is a directory, but {what} is one file; give a file name"
            f" (e.g. {parsed.path / 'report.txt'})"
        )
    parent = parsed.path.parent if str(parsed.path.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(missing_directory(parsed.path, parent))
    return parsed.path


def validate_options(
    config: Path | None, isolated: bool, baseline: Path | None, skip_non_journeys: bool
) -> tuple[ValidateOptions, Path | None]:
    """Config file and command-line choices -> (ValidateOptions, the config file used)."""
    from cljourney.check.baseline import BaselineError
    from cljourney.check.baseline import load as load_baseline
    from cljourney.check.config import ConfigError, build_validate_options, load_config

    if config is not None and not config.is_file():
        raise UsageError(f"{config}: no such config file")
    try:
        loaded = load_config(config, isolated=isolated)
        accepted = load_baseline(baseline) if baseline is not None else None
    except (ConfigError, BaselineError) as exc:
        raise UsageError(str(exc)) from None
    options = build_validate_options(loaded, baseline=accepted, skip_non_journeys=skip_non_journeys)
    return options, loaded.path


MAX_FILE_SIZE_LIMIT = 1024**4
"""The largest `--max-file-size` accepted (1 TiB): files are read in chunks up to the limit, so a
large limit costs nothing up front, but beyond this no machine holds the parsed file."""


def with_limits(options: ValidateOptions, max_file_size: str | None, jobs: int) -> ValidateOptions:
    """`--max-file-size` and `--jobs` applied to the options built from the config."""
    from dataclasses import replace

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
    """A note about the run on stderr, in the form of the other notes."""
    sys.stderr.write(f"cljourney: note: {text}\n")


def excluded_note(paths: Sequence[Path], options: ValidateOptions, config: Path | None) -> str:
    """A note naming the config file when files named on the command line are excluded by it."""
    named = [path for path in paths if path.is_file() and options.selection.excluded(path)]
    if not named:
        return ""
    from cljourney.check.discover import display_path

    source = display_path(config) if config is not None else "the config"
    shown = ", ".join(str(path) for path in named)
    return (
        f"cljourney: note: {shown} {'is' if len(named) == 1 else 'are'} excluded by `exclude`"
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


def emit_report(
    report: Report,
    name: str,
    output: Path | None,
    inputs: Sequence[Path],
    *,
    strict: bool,
    quiet: bool,
    color: Color,
    statistics: bool,
    stdout: TextIO | None = None,
) -> None:
    """Write the report in format `name` to stdout or, atomically, to `output`.

    Raises cljourney.atomic.OutputError when `output` cannot be written (or is an input).
    """
    import io

    from cljourney.cli.atomic import write_text_atomic
    from cljourney.report import ReportOptions, find_root, get_reporter

    terminal = stdout or sys.stdout
    buffer = io.StringIO()
    stream = buffer if output is not None else terminal
    if statistics:
        from cljourney.report import statistics as stats

        (stats.write_json if name == "json" else stats.write_text)(report, stream)
    else:
        colored = use_color(color, terminal) if output is None else color is Color.always
        options = ReportOptions(
            color=colored and name == "text", strict=strict, quiet=quiet, root=find_root(Path.cwd())
        )
        get_reporter(name)(report, stream, options)
    if output is not None:
        write_text_atomic(output, buffer.getvalue(), inputs)


def render_command(
    paths: Sequence[Path],
    output: str,
    format_name: str | None,
    direction: str | None,
    config: Path | None,
    isolated: bool,
) -> str:
    """The `cljourney render` command line that writes what a `--check` with these options
    compares, quoted for a POSIX shell (printed when the check fails, e.g. in pre-commit)."""
    import shlex

    words = ["cljourney", "render", *(str(path) for path in paths), "-o", output]
    if format_name is not None:
        words += ["--format", format_name]
    if direction is not None:
        words += ["--direction", direction]
    if config is not None:
        words += ["--config", str(config)]
    if isolated:
        words.append("--isolated")
    return shlex.join(words)


def finish_render(
    planned: Plan,
    check: bool,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    *,
    rerun: str = "the same command without --check",
) -> int:
    """Report, check or write a planned render; the exit status (0 done, 1 failures or stale).

    Load failures are printed with validate's text line format (the same formatter), so both
    commands say the same thing about a broken file. `rerun`: the command that brings stale
    files up to date, printed when `--check` fails. Raises OutputError when a write fails.
    """
    from cljourney.cli import maps as outputs
    from cljourney.report.text import format_line

    out, err = stdout or sys.stdout, stderr or sys.stderr
    if planned.failures:
        for finding in planned.failures:
            err.write(format_line(finding) + "\n")
        err.write("cljourney: error: a journey file does not load; nothing written\n")
        return 1
    if check:
        stale = outputs.stale(planned.outputs)
        for item in planned.outputs:
            if item.path in stale:
                out.write(f"{'missing' if item.missing else 'stale'}: {item.path}\n")
        for extra in planned.extras:
            out.write(f"extra: {extra}\n")
        if stale or planned.extras:
            what = "update them and remove the extra maps" if planned.extras else "update them"
            out.write(f"To {what}, run: {rerun}\n")
        return 1 if stale or planned.extras else 0
    for item in planned.outputs:
        if item.path is None:
            out.write(item.text)
    outputs.write(planned)
    for extra in planned.extras:
        err.write(f"cljourney: removed {extra}: no journey produces it any more\n")
    return 0
