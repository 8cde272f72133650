"""Project-level rules: they check the whole set of journeys of a run, not one journey."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cljourney.findings import Finding, Kind, Severity
from cljourney.rules.base import JourneyEntry, ProjectRule


def _check_duplicate_journey_id(journeys: Iterable[JourneyEntry]) -> Iterator[Finding]:
    """Every journey reusing the id of an earlier file, in one pass (a dict of ids seen)."""
    first: dict[str, str] = {}
    for entry in journeys:
        earlier = first.setdefault(entry.journey, entry.path)
        if entry.at is None or earlier == entry.path:
            continue
        message = (
            f"journey id '{entry.journey}' is already used by {earlier}; give this journey"
            " its own id (maps and diffs are keyed by it)"
        )
        yield DUPLICATE_JOURNEY_ID.finding(
            message, entry.path, entry.at, entry.journey, Kind.JOURNEY
        )


DUPLICATE_JOURNEY_ID = ProjectRule(
    id="duplicate-journey-id",
    severity=Severity.ERROR,
    summary="two journey files declare the same `journey.id`",
    finds="A journey whose `journey.id` was already used by another file in the same run; it is"
    " reported on the second file, naming the first.",
    matters="Maps are named after the journey id and `diff` pairs journeys by it, so one of the"
    " two journeys would overwrite or be compared with the other.",
    bad="# onboarding.yaml\njourney:\n  id: onboarding\n# renewal.yaml (copied from it)\n"
    "journey:\n  id: onboarding",
    good="# onboarding.yaml\njourney:\n  id: onboarding\n# renewal.yaml\njourney:\n  id: renewal",
    check_project=_check_duplicate_journey_id,
)

RULES = (DUPLICATE_JOURNEY_ID,)
