"""`cljourney fmt`: paths -> edit/fmt.py on every journey -> files rewritten atomically, or
listed (`--check`) or shown as a unified diff (`--diff`). Exit 1 when `--check`/`--diff` find a
file to change or a file cannot be formatted."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import Annotated

import typer

from cljourney.cli.params import EXIT_FINDINGS, EXIT_OK, PATHS_HELP, Jobs, fail_usage


def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help=f"{PATHS_HELP} Default: current directory.", metavar="PATH"),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Write nothing; list files fmt would change; exit 1.")
    ] = False,
    diff: Annotated[
        bool, typer.Option("--diff", help="Write nothing; print the changes as a unified diff.")
    ] = False,
    jobs: Jobs = 0,
) -> None:
    """Lay journey files out canonically (key order, indentation, blank lines), keeping comments."""
    from cljourney.cli.atomic import rewrite_journey
    from cljourney.edit.fmt import format_paths
    from cljourney.edit.source import EditError
    from cljourney.errors import OutputError
    from cljourney.text.shown import printable

    try:
        outcomes = format_paths(paths or [Path(".")], jobs)
    except EditError as exc:
        raise fail_usage(str(exc)) from None
    failed = False
    changed = 0
    for outcome in outcomes:
        if outcome.error:
            sys.stderr.write(f"{printable(outcome.error)}\n")
            failed = True
            continue
        if not outcome.changed:
            continue
        changed += 1
        if diff:
            sys.stdout.writelines(
                difflib.unified_diff(
                    outcome.before.splitlines(keepends=True),
                    outcome.after.splitlines(keepends=True),
                    f"{outcome.path} (before)",
                    f"{outcome.path} (formatted)",
                )
            )
        elif check:
            sys.stdout.write(f"would reformat {printable(str(outcome.path))}\n")
        else:
            try:
                rewrite_journey(
                    Path(outcome.path), ("\ufeff" if outcome.bom else "") + outcome.after
                )
            except OutputError as exc:
                sys.stderr.write(f"cljourney: error: {printable(str(exc))}\n")
                failed = True
                continue
            sys.stdout.write(f"reformatted {printable(str(outcome.path))}\n")
    verb = "would be reformatted" if check or diff else "reformatted"
    sys.stderr.write(
        f"{changed} file{'s' if changed != 1 else ''} {verb},"
        f" {len(outcomes) - changed} left unchanged\n"
    )
    would_change = (check or diff) and changed > 0
    raise typer.Exit(EXIT_FINDINGS if failed or would_change else EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command(short_help="Lay journey files out canonically, keeping comments.")(fmt)
