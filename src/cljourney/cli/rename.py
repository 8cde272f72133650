"""`cljourney rename OLD NEW`: paths -> the rename (edit/rename.py) -> written atomically, and
every changed value listed (`--dry-run`: listed only)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cljourney.cli.params import EXIT_OK, PATHS_HELP, fail_usage


class Kind(str, Enum):
    touchpoint = "touchpoint"
    stage = "stage"
    role = "role"


def rename(
    old: Annotated[str, typer.Argument(help="The id to rename.", show_default=False)],
    new: Annotated[str, typer.Argument(help="Its new id.", show_default=False)],
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help=f"{PATHS_HELP} Default: current directory.", metavar="PATH"),
    ] = None,
    kind: Annotated[
        Kind | None,
        typer.Option("--kind", help="Which kind of id OLD is, when it names more than one."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would change; write nothing.")
    ] = False,
) -> None:
    """Rename a touchpoint, stage or role id and every reference to it, keeping comments."""
    from cljourney.cli.atomic import rewrite_journey
    from cljourney.edit.rename import IdKind
    from cljourney.edit.rename import rename as rename_ids
    from cljourney.edit.source import EditError, journey_paths, read_text
    from cljourney.errors import OutputError

    try:
        files = [read_text(path) for path in journey_paths(paths or [Path(".")])]
        results = rename_ids(files, old, new, IdKind(kind.value) if kind else None)
        verb = "would rename" if dry_run else "renamed"
        for result in results:
            for spot in result.spots:
                sys.stdout.write(
                    f"{result.source.path}:{spot.line}:{spot.column}: {verb} {spot.kind.value}"
                    f" {spot.field} '{old}' -> '{new}'\n"
                )
            if not dry_run:
                rewrite_journey(
                    result.source.path, ("\ufeff" if result.source.bom else "") + result.text
                )
    except (EditError, OutputError) as exc:
        raise fail_usage(str(exc)) from None
    raise typer.Exit(EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command(short_help="Rename an id and every reference to it.")(rename)
