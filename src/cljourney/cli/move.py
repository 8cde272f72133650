"""`cljourney move TOUCHPOINT --to STAGE`: paths -> the move (edit/move.py) -> written atomically,
then the changes it makes to the journey, as `diff --format text` prints them (edit/effects.py).
`--dry-run`: the changes only. Exit 1 when the move introduces (or would) an error-level finding:
written as asked all the same, like `validate --fix` leaving findings; exit 0 when the touchpoint
is already there (nothing written)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from cljourney.cli.params import EXIT_FINDINGS, EXIT_OK, PATHS_HELP, fail_usage


def move(
    touchpoint: Annotated[
        str, typer.Argument(help="The id of the touchpoint to move.", show_default=False)
    ],
    to: Annotated[str, typer.Option("--to", metavar="STAGE", help="The stage to move it into.")],
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help=f"{PATHS_HELP} Default: current directory.", metavar="PATH"),
    ] = None,
    after: Annotated[
        str | None,
        typer.Option("--after", metavar="ID", help="Put it after this touchpoint of STAGE."),
    ] = None,
    first: Annotated[bool, typer.Option("--first", help="Put it first in STAGE.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would change; write nothing.")
    ] = False,
) -> None:
    """Move a touchpoint (with its comments) into a stage, last unless --after or --first says
    where, and show the flow changes the move causes. Exit 1 when the move introduces an
    error-level finding (the move is written all the same; with --dry-run, nothing is)."""
    from cljourney.cli.atomic import rewrite_journey
    from cljourney.edit.effects import edit_effects, introduced_errors
    from cljourney.edit.move import move as move_touchpoint
    from cljourney.edit.source import EditError, journey_paths, read_text
    from cljourney.errors import OutputError
    from cljourney.report.diff import DiffReportOptions
    from cljourney.report.diff.text import write

    try:
        files = [read_text(path) for path in journey_paths(paths or [Path(".")])]
        moved = move_touchpoint(files, touchpoint, to, after, first)
        source = moved.source
        if moved.unchanged:
            sys.stdout.write(
                f"{source.path}: touchpoint '{touchpoint}' is already there in stage"
                f" '{moved.to_stage}'; nothing changed\n"
            )
            raise typer.Exit(EXIT_OK)
        verb = "would move" if dry_run else "moved"
        where = (
            f"within stage '{moved.to_stage}'"
            if moved.from_stage == moved.to_stage
            else f"from stage '{moved.from_stage}' to stage '{moved.to_stage}'"
        )
        sys.stdout.write(
            f"{source.path}: {verb} touchpoint '{touchpoint}' {where}, to position"
            f" {moved.position}\n"
        )
        effects = edit_effects(source.path, source.encoded(source.text), source.encoded(moved.text))
        write(effects, sys.stdout, DiffReportOptions())
        if not dry_run:
            rewrite_journey(source.path, ("\ufeff" if source.bom else "") + moved.text)
    except (EditError, OutputError) as exc:
        raise fail_usage(str(exc)) from None
    errors = introduced_errors(effects)
    if not errors:
        raise typer.Exit(EXIT_OK)
    sys.stdout.write(_broken(errors, dry_run))
    raise typer.Exit(EXIT_FINDINGS)


def _broken(rules: list[str], dry_run: bool) -> str:
    """The last line of a move that introduces error-level findings (their rules)."""
    from cljourney.text.words import plural

    what = f"{plural(len(rules), 'error')} ({', '.join(dict.fromkeys(rules))})"
    if dry_run:
        return f"cljourney: nothing written; the move would introduce {what}\n"
    them = "it" if len(rules) == 1 else "them"
    return (
        f"cljourney: moved; the move introduces {what}: fix {them}, or move the touchpoint back\n"
    )


def register(app: typer.Typer) -> None:
    app.command(short_help="Move a touchpoint to another stage or place, keeping comments.")(move)
