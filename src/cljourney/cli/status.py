"""`cljourney status`: the portfolio of journeys at a glance (owners, status, review due dates,
evidence shares, open opportunities). Exit 0, or 1 when a file could not be loaded."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cljourney.cli.params import EXIT_FINDINGS, PATHS_HELP, Today, checked_today, usage_errors


class StatusFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"


def status(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help=f"{PATHS_HELP} Default: current directory.", metavar="PATH"),
    ] = None,
    output_format: Annotated[
        StatusFormat, typer.Option("--format", "-f", help="text, json or markdown.")
    ] = StatusFormat.text,
    today: Today = None,
) -> None:
    """Show each journey's owner, review dates, evidence and open opportunities."""
    from cljourney.check.discover import display_path, find_targets
    from cljourney.check.pipeline import load_target
    from cljourney.governance import journey_status
    from cljourney.governance import today as judge_day
    from cljourney.report.status import STATUS_WRITERS, portfolio

    with usage_errors():
        day = judge_day(checked_today(today))
        targets = find_targets(paths or [Path(".")]).targets  # a missing path is a usage error
    statuses, not_loaded = [], []
    for target in targets:
        loaded = load_target(target)
        if loaded is None:
            continue  # not a journey
        if loaded.journey is None:
            not_loaded.append(loaded.path or display_path(target.path))
            continue
        statuses.append(journey_status(loaded.journey, str(target.path), day))
    STATUS_WRITERS[output_format.value](portfolio(statuses, not_loaded, day), sys.stdout)
    if not_loaded:
        raise typer.Exit(EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    app.command(short_help="Journeys at a glance: owners, reviews due, evidence, opportunities.")(
        status
    )
