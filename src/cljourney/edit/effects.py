"""What an edit does to a journey, told the way `diff` tells it: the journey before and after are
compared in memory by the diff machinery (diff/pairing.py: model changes, and the findings the
edit introduces or fixes), plus the implicit successors that changed.

`diff` compares what is written; a move also changes what is *not* written: the touchpoint that
followed the moved one in file order (its implicit `next`) is now another. Those changes are
flow changes, which the diff policy ranks risky (diff/levels.py, `RISKY_FIELDS`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from cljourney.diff.findings import finding_severity
from cljourney.diff.levels import RISKY_FIELDS
from cljourney.diff.pairing import DiffResult, compare, source_text
from cljourney.diff.records import Change, Entity, Kind, Level, show_value
from cljourney.findings import Severity
from cljourney.graph import IMPLICIT, build_flow
from cljourney.model import JourneyFile

IMPLICIT_FIELD = "next (implicit)"


def implicit_successors(journey: JourneyFile) -> dict[str, tuple[str, str | None]]:
    """Touchpoint id -> (its stage id, the touchpoint its implicit order leads to, or None)."""
    flow = build_flow(journey)
    found: dict[str, tuple[str, str | None]] = {
        placed.id: (journey.stages[placed.stage_index].id, None)
        for placed in flow.placed
        if flow.by_id[placed.id] is placed
    }
    found.update(
        (source.id, (journey.stages[source.stage_index].id, target.id))
        for source, target, _, _ in flow.edges(IMPLICIT)
    )
    return found


def implicit_changes(old: JourneyFile, new: JourneyFile) -> list[Change]:
    """One flow change per touchpoint (in the new file order) whose implicit successor changed."""
    before, after = implicit_successors(old), implicit_successors(new)
    level = Level.RISKY if "next" in RISKY_FIELDS else Level.INFO
    changes = []
    for tid, (stage, successor) in after.items():
        if tid not in before or before[tid][1] == successor:
            continue
        was = before[tid][1]
        changes.append(
            Change(
                Kind.CHANGED,
                Entity.TOUCHPOINT,
                tid,
                new.journey.id,
                level,
                f"touchpoint '{tid}': flow changed: implicit `next` {show_value(was)}"
                f" -> {show_value(successor)}",
                IMPLICIT_FIELD,
                was,
                successor,
                stage,
            )
        )
    return changes


def edit_effects(path: Path, before: bytes, after: bytes) -> DiffResult:
    """The diff of one file's edit, as `diff` reports it, with the implicit flow changes added."""
    shown = str(path)
    result = compare(
        [source_text(shown, before, shown)],
        [source_text(shown, after, shown)],
        old_label="before",
        new_label="after",
    )
    journeys = []
    for journey in result.journeys:
        old = journey.old.journey if journey.old else None
        new = journey.new.journey if journey.new else None
        extra = implicit_changes(old, new) if old is not None and new is not None else []
        # After the model's changes, before the findings the edit introduces or fixes.
        model = [c for c in journey.changes if c.entity is not Entity.FINDING]
        findings = [c for c in journey.changes if c.entity is Entity.FINDING]
        journeys.append(replace(journey, changes=(*model, *extra, *findings)))
    return replace(result, journeys=tuple(journeys))


def introduced_errors(result: DiffResult) -> list[str]:
    """The rule of each error-level finding the edit introduces, in report order."""
    return [
        change.id
        for journey in result.journeys
        for change in journey.changes
        if change.entity is Entity.FINDING
        and change.kind is Kind.ADDED
        and finding_severity(change) is Severity.ERROR
    ]
