"""Rules about the `events` that tie touchpoints to an event log (used by `conform`)."""

from __future__ import annotations

from collections.abc import Iterator

from cljourney.conform.patterns import is_pattern, overlap
from cljourney.findings import Finding, Kind, Severity
from cljourney.graph import Placed
from cljourney.rules.base import Rule, RuleContext


def _claimed_by(
    name: str, placed: Placed, names: dict[str, Placed], patterns: list[tuple[str, Placed]]
) -> Placed | None:
    """The earlier touchpoint (another one) whose events overlap `name`, if any."""
    other = names.get(name)
    if other is not None and other is not placed:
        return other
    candidates = [*patterns, *(names.items() if is_pattern(name) else ())]
    return next((o for n, o in candidates if o is not placed and overlap(n, name)), None)


def _check_duplicate_event(ctx: RuleContext) -> Iterator[Finding]:
    names: dict[str, Placed] = {}  # plain names, first owner
    patterns: list[tuple[str, Placed]] = []
    for placed in ctx.flow.by_id.values():
        for item, name in enumerate(placed.touchpoint.events):
            other = _claimed_by(name, placed, names, patterns)
            if other is not None:
                what = "pattern" if is_pattern(name) else "event"
                yield ctx.finding(
                    DUPLICATE_EVENT,
                    (*placed.loc, "events", item),
                    f"{what} '{name}' in touchpoint '{placed.id}' also matches the events of"
                    f" touchpoint '{other.id}', so one event would count for both; keep each"
                    " event name in one touchpoint (`conform` gives it to the first)",
                    placed.id,
                    Kind.TOUCHPOINT,
                )
            if is_pattern(name):
                patterns.append((name, placed))
            else:
                names.setdefault(name, placed)


DUPLICATE_EVENT = Rule(
    id="duplicate-event",
    severity=Severity.ERROR,
    summary="an event name or pattern in `events` maps to two touchpoints",
    finds="An entry of a touchpoint's `events` that an earlier touchpoint's `events` also"
    " claims: the same name, a name an earlier `*` pattern matches, or a pattern that matches"
    " some name an earlier entry matches. It is reported at the later entry.",
    matters="`conform` maps each logged event to one touchpoint; an event claimed twice would be"
    " counted for the first touchpoint only, and the second would look unvisited.",
    bad='- id: kickoff\n  events: [kickoff_held]\n- id: training\n  events: ["kickoff_*"]',
    good='- id: kickoff\n  events: [kickoff_held]\n- id: training\n  events: ["training_*"]',
    check=_check_duplicate_event,
)

RULES = (DUPLICATE_EVENT,)
