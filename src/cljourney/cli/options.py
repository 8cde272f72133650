"""Command-line plumbing that needs no typer: colour, `-o` values, the config, and the one way a
command writes its output.

The command modules declare the options (with cli/params.py) and turn `UsageError` into exit
status 2; everything here is plain Python so these choices can be tested without a command line.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from cljourney.errors import UsageError

if TYPE_CHECKING:
    from cljourney.check.config import LoadedConfig
    from cljourney.check.options import ValidateOptions


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
        from cljourney.cli.atomic import missing_directory  # only here: start-up stays light

        raise UsageError(missing_directory(parsed.path, parent))
    return parsed.path


def require_config_file(config: Path | None) -> None:
    """Raise UsageError unless `--config` names something to read: a file, or a stream such as
    `--config <(...)` or `--config /dev/null` (read once, like a file)."""
    if config is None or config.is_file():
        return
    if config.is_dir():
        raise UsageError(f"{config}: is a directory, not a config file; name the TOML file in it")
    if not config.exists():
        raise UsageError(f"{config}: no such config file")


def loaded_config(config: Path | None, isolated: bool) -> LoadedConfig:
    """The config a command reads: `--config`, else the one found (none with `--isolated`)."""
    from cljourney.check.config import ConfigError, load_config

    require_config_file(config)
    try:
        return load_config(config, isolated=isolated)
    except ConfigError as exc:
        raise UsageError(*exc.lines) from None


def validate_options(
    config: Path | None, isolated: bool, baseline: Path | None, skip_non_journeys: bool
) -> tuple[ValidateOptions, Path | None]:
    """Config file and command-line choices -> (ValidateOptions, the config file used)."""
    from cljourney.check.baseline import BaselineError
    from cljourney.check.baseline import load as load_baseline
    from cljourney.check.config import build_validate_options

    loaded = loaded_config(config, isolated)
    try:
        accepted = load_baseline(baseline) if baseline is not None else None
    except BaselineError as exc:
        raise UsageError(str(exc)) from None
    options = build_validate_options(loaded, baseline=accepted, skip_non_journeys=skip_non_journeys)
    return options, loaded.path


def judged_on(options: ValidateOptions, day: str | None) -> ValidateOptions:
    """`options` whose rules judge dates as on `day` (a checked `--today`); None: unchanged."""
    from dataclasses import replace

    if day is None:
        return options
    return replace(options, rules=replace(options.rules, today=day))


def write_output(target: Path | None, text: str, inputs: Sequence[Path] = ()) -> None:
    """The one way a command writes what it made: to stdout when `target` is None (no `-o`, or
    `-o -`), else atomically to `target`, which must not be one of `inputs` or a journey.

    Raises OutputError when `target` cannot (or must not) be written.
    """
    if target is None:
        sys.stdout.write(text)
        return
    from cljourney.cli.atomic import write_text_atomic

    write_text_atomic(target, text, inputs)


def written(write: Callable[[TextIO], None]) -> str:
    """What a reporter (`write(stream)`) writes, as text for `write_output`."""
    buffer = io.StringIO()
    write(buffer)
    return buffer.getvalue()
