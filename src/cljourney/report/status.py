"""Output formats of `cljourney status`, in a name -> writer table that also supplies the
`--format` choices: the portfolio of journeys at a glance (owners, status, review due dates,
evidence shares, open opportunities)."""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from cljourney.governance import OPEN_STATUSES, JourneyStatus
from cljourney.model.parts import EVIDENCE_LEVELS
from cljourney.render.mdtext import code, inline
from cljourney.text.words import plural


@dataclass(frozen=True)
class Portfolio:
    """What `status` found: the journeys (most overdue first), the files it could not load, and
    the day it judged by."""

    journeys: tuple[JourneyStatus, ...]
    not_loaded: tuple[str, ...]
    today: datetime.date


def _review_cells(item: JourneyStatus) -> tuple[str, str, str]:
    """Last review, next due date, and the state in words."""
    review = item.review
    if review is None:
        return "", "", "no cadence"
    last = review.last.isoformat() if review.last else "never"
    if review.from_git:
        last += " (git)"
    due = review.due.isoformat() if review.due else ""
    if review.last is None:
        state = "no review date" if review.every else "no cadence"
        state += " (shallow clone)" if review.shallow else ""
    elif review.overdue_days:
        state = f"overdue by {review.overdue_days} d"
    else:
        state = "ok" if review.due else "no cadence"
    return last, due, state


def _evidence_cell(item: JourneyStatus) -> str:
    if not item.claims:
        return "no claims"
    return " / ".join(f"{round(item.share(level) * 100)}% {level}" for level in EVIDENCE_LEVELS)


def _opportunity_counts(portfolio: Portfolio) -> Counter[tuple[str, str]]:
    """Open opportunities counted by (status, owner)."""
    return Counter(
        (tracked.opportunity.status or "idea", tracked.opportunity.owner or "(no owner)")
        for item in portfolio.journeys
        for tracked in item.open_opportunities
    )


def _rows(portfolio: Portfolio) -> list[list[str]]:
    return [
        [
            item.id,
            item.owner,
            item.status or "",
            *_review_cells(item),
            _evidence_cell(item),
            str(len(item.open_opportunities)),
        ]
        for item in portfolio.journeys
    ]


HEADERS = ["journey", "owner", "status", "last review", "next due", "review", "evidence", "open"]


def write_text(portfolio: Portfolio, stream: TextIO) -> None:
    rows = [HEADERS, *_rows(portfolio)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    for row in rows:
        stream.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        stream.write("\n")
    counts = _opportunity_counts(portfolio)
    if counts:
        stream.write("\nOpen opportunities by status and owner:\n")
        for (status, owner), count in sorted(counts.items(), key=_by_status):
            stream.write(f"  {status:<12} {owner:<20} {count}\n")
    for path in portfolio.not_loaded:
        stream.write(f"\n{path}: not loaded (run `cljourney validate {path}`)")
    if portfolio.not_loaded:
        stream.write("\n")
    shown = plural(len(portfolio.journeys), "journey")
    stream.write(f"\nAs of {portfolio.today.isoformat()}: {shown}.\n")


def _by_status(entry: tuple[tuple[str, str], int]) -> tuple[int, str]:
    (status, owner), _ = entry
    return OPEN_STATUSES.index(status), owner


def write_markdown(portfolio: Portfolio, stream: TextIO) -> None:
    stream.write(f"# Journey portfolio\n\nAs of {portfolio.today.isoformat()}.\n\n")
    stream.write("| " + " | ".join(h.capitalize() for h in HEADERS) + " |\n")
    stream.write("|" + "---|" * len(HEADERS) + "\n")
    for row in _rows(portfolio):
        cells = [code(row[0]), *(inline(cell) for cell in row[1:])]
        stream.write("| " + " | ".join(cells) + " |\n")
    counts = _opportunity_counts(portfolio)
    if counts:
        stream.write("\n## Open opportunities\n\n| Status | Owner | Count |\n|---|---|---|\n")
        for (status, owner), count in sorted(counts.items(), key=_by_status):
            stream.write(f"| {inline(status)} | {inline(owner)} | {count} |\n")
    if portfolio.not_loaded:
        stream.write("\n## Not loaded\n\n")
        stream.writelines(f"- {code(path)}\n" for path in portfolio.not_loaded)


def _journey_json(item: JourneyStatus) -> dict[str, Any]:
    review = item.review
    return {
        "path": item.path,
        "id": item.id,
        "name": item.name,
        "owner": item.owner,
        "status": item.status,
        "review": None if review is None else review.to_dict(),
        "evidence": {"claims": item.claims, **item.evidence},
        "open_opportunities": [
            {
                "touchpoint": tracked.touchpoint,
                "text": tracked.opportunity.text,
                "status": tracked.opportunity.status or "idea",
                "owner": tracked.opportunity.owner,
                "link": tracked.opportunity.link,
            }
            for tracked in item.open_opportunities
        ],
    }


def write_json(portfolio: Portfolio, stream: TextIO) -> None:
    data = {
        "today": portfolio.today.isoformat(),
        "journeys": [_journey_json(item) for item in portfolio.journeys],
        "not_loaded": list(portfolio.not_loaded),
    }
    stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


STATUS_WRITERS: dict[str, Callable[[Portfolio, TextIO], None]] = {
    "text": write_text,
    "json": write_json,
    "markdown": write_markdown,
}


def portfolio(
    statuses: Sequence[JourneyStatus], not_loaded: Sequence[str], today: datetime.date
) -> Portfolio:
    from cljourney.governance import by_urgency

    return Portfolio(tuple(by_urgency(list(statuses))), tuple(not_loaded), today)
