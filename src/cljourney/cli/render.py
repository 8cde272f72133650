"""`cljourney render`: paths -> a plan of maps (cli/maps.py) -> written, or checked with `--check`.

The `--format` and `--direction` choices come from the renderer table (cheap: it imports no
renderer).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cljourney.cli.eventlog import (
    AsOf,
    CaseColumn,
    Engine,
    EngineChoice,
    EventColumn,
    EventLogs,
    LogOptions,
    MemoryLimit,
    SparkMaster,
    Threads,
    TimeColumn,
    TimeZone,
)
from cljourney.cli.options import STDOUT, judged_on, loaded_config, output_path
from cljourney.cli.params import (
    PATHS_HELP,
    ConfigFile,
    Isolated,
    Today,
    checked_today,
    usage_errors,
)
from cljourney.errors import UsageError
from cljourney.render import DIRECTIONS, RENDERERS

if TYPE_CHECKING:
    from cljourney.check.config import LoadedConfig
    from cljourney.cli.maps import Plan
    from cljourney.render.events import Measured

RenderFormat = Enum("RenderFormat", {name: name for name in RENDERERS}, type=str)  # type: ignore[misc]
# The formats `--events` draws on (JSON is data: `conform --format json` has the figures).
OVERLAID = ("markdown", "mermaid", "html")
Direction = Enum("Direction", {name: name for name in DIRECTIONS}, type=str)  # type: ignore[misc]


def render(
    paths: Annotated[list[Path], typer.Argument(help=PATHS_HELP, metavar="PATH")],
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
    config: ConfigFile = None,
    isolated: Isolated = False,
    today: Today = None,
    events: EventLogs = None,
    case: CaseColumn = None,
    event: EventColumn = None,
    time: TimeColumn = None,
    timezone_name: TimeZone = None,
    as_of: AsOf = None,
    memory_limit: MemoryLimit = None,
    threads: Threads = None,
    engine: EngineChoice = Engine.duckdb,
    spark_master: SparkMaster = None,
) -> None:
    """Render journey maps: markdown with Mermaid, the flowchart alone, JSON, or an HTML map.

    The findings shown on a map are the ones `validate` reports with the same config. With
    `--events`, the maps also show what the log says (as `conform` measures it): reach and
    median time per touchpoint, drop-off, undeclared paths, and a funnel per stage in HTML.
    With `--today` (or CLJOURNEY_TODAY), the header states the review as of that day (overdue
    by how many days, or due in how many), taking the last review from git when the file
    gives none; without it, the header reads neither the clock nor git.
    """
    import datetime
    import os
    import shlex
    from dataclasses import replace

    from cljourney.check.config import build_validate_options
    from cljourney.cli import maps
    from cljourney.cli.validate import print_note
    from cljourney.governance import TODAY_ENV
    from cljourney.render import RenderOptions

    format_name = output_format.value if output_format else None
    drawn = direction.value if direction else None
    with usage_errors():
        day = checked_today(today)
        target = None if output == STDOUT else output_path(output)
        if check and target is None:
            raise UsageError("--check compares with existing files: give -o FILE_OR_DIR")
        directory = target is not None and target.directory
        chosen = maps.choose_format(format_name, target.path if target else None, directory)
        loaded = loaded_config(config, isolated)  # once: `--config <(...)` reads only once
        options = build_validate_options(loaded)
        options = judged_on(replace(options, note=print_note), day)  # findings as validate's
        log = LogOptions(
            tuple(events or ()),
            case=case,
            event=event,
            time=time,
            timezone=timezone_name,
            as_of=as_of,
            memory_limit=memory_limit,
            threads=threads,
            engine=engine.value,
            spark_master=spark_master,
        )
        measured = _measured(paths, chosen, log, loaded)
        planned = maps.plan(
            paths,
            chosen,
            target.path if target else None,
            options,
            into_directory=directory,
            drawing=RenderOptions(drawn, today=datetime.date.fromisoformat(day) if day else None),
            measured=measured,
        )
        planned = replace(planned, inputs=planned.inputs + tuple(Path(n) for n in log.events))
        maps.check_writable(planned, writing=not check)
        # A day the environment gives (CLJOURNEY_TODAY) holds for the rerun too: not repeated.
        given = day if day != os.environ.get(TODAY_ENV) else None
        rerun = render_command(paths, output or "", format_name, drawn, config, isolated, given)
        rerun += "".join(f" {shlex.quote(word)}" for word in log.words())
        code = finish_render(planned, check, rerun=rerun)
    raise typer.Exit(code)


def _measured(
    paths: Sequence[Path], chosen: str, log: LogOptions, loaded: LoadedConfig
) -> dict[Path, Measured] | None:
    """The event log's figures per journey file for `--events` (None without it)."""
    if not log.events:
        if log.given():
            raise UsageError(
                f"{log.given()[0]} names a column or setting of the event log: give --events LOG"
            )
        return None
    if chosen not in OVERLAID:
        raise UsageError(
            f"--events draws the log's figures on the markdown and HTML maps (and the Mermaid"
            f" flowchart), not on {chosen}; for the figures as data, run `cljourney conform"
            " --format json`"
        )
    from cljourney.check.discover import find_targets
    from cljourney.cli.eventlog import measure_maps

    journeys = [target.path for target in find_targets(paths).targets]
    return measure_maps(journeys, log, loaded)


def render_command(
    paths: Sequence[Path],
    output: str,
    format_name: str | None,
    direction: str | None,
    config: Path | None,
    isolated: bool,
    today: str | None = None,
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
    if today is not None:
        words += ["--today", today]
    return shlex.join(words)


def finish_render(planned: Plan, check: bool, *, rerun: str) -> int:
    """Report, check or write a planned render; the exit status (0 done, 1 failures or stale).

    Load failures are printed with validate's text line format (the same formatter), so both
    commands say the same thing about a broken file. `rerun`: the command that brings stale
    files up to date, printed when `--check` fails. Raises OutputError when a write fails.
    """
    from cljourney.cli import maps
    from cljourney.report.text import format_line

    if planned.failures:
        for finding in planned.failures:
            sys.stderr.write(format_line(finding) + "\n")
        sys.stderr.write("cljourney: error: a journey file does not load; nothing written\n")
        return 1
    if check:
        return check_render(planned, rerun)
    maps.write(planned)
    from cljourney.text.shown import printable

    for extra in planned.extras:
        shown = printable(str(extra))
        sys.stderr.write(f"cljourney: removed {shown}: no journey produces it any more\n")
    return 0


def check_render(planned: Plan, rerun: str) -> int:
    """`--check`: name each missing, stale or extra map on stdout; 1 when there is any."""
    from cljourney.cli import maps

    stale = maps.stale(planned.outputs)
    for item in planned.outputs:
        if item.path in stale:
            sys.stdout.write(f"{'missing' if item.missing else 'stale'}: {item.path}\n")
    for extra in planned.extras:
        sys.stdout.write(f"extra: {extra}\n")
    if stale or planned.extras:
        what = "update them and remove the extra maps" if planned.extras else "update them"
        sys.stdout.write(f"To {what}, run: {rerun}\n")
    return 1 if stale or planned.extras else 0


def register(app: typer.Typer) -> None:
    app.command(short_help="Render journey maps: markdown, Mermaid, JSON or HTML.")(render)
