"""The validation findings a change introduces or fixes, as change records beside the
journey's own changes (a review sees what a change breaks as well as what it edits)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from cljourney.diff.records import Change, Entity, Kind, Level
from cljourney.findings import Finding, Severity
from cljourney.model import JourneyFile

_FINDING_LEVEL = {
    Severity.ERROR: Level.BREAKING,
    Severity.WARNING: Level.RISKY,
    Severity.INFO: Level.INFO,
}


def _key(finding: Finding) -> tuple[str, str, str, str]:
    return (finding.rule, finding.severity.value, finding.element, finding.message)


def _unmatched(findings: Sequence[Finding], others: Sequence[Finding]) -> list[Finding]:
    """The findings of `findings` that `others` does not hold as many times, in order: of a key
    held 3 times against 1, the first two."""
    left = Counter(map(_key, findings))
    left.subtract(map(_key, others))
    found = []
    for finding in findings:
        if left[_key(finding)] > 0:
            left[_key(finding)] -= 1
            found.append(finding)
    return found


def diff_findings(
    old: Sequence[Finding],
    new: Sequence[Finding],
    journey: str,
    stage_of: dict[str, str] | None = None,
) -> list[Change]:
    """Validation findings the change introduces (level by severity) or fixes (info).

    Findings are matched by rule, severity, element and message, never by line, so moving text
    around does not count as fixing one finding and introducing another.
    """
    stage_of = stage_of or {}

    def change(finding: Finding, introduced: bool) -> Change:
        level = _FINDING_LEVEL[finding.severity] if introduced else Level.INFO
        verb = "introduces" if introduced else "fixes"
        message = finding.message
        return Change(
            Kind.ADDED if introduced else Kind.REMOVED,
            Entity.FINDING,
            finding.rule,
            journey,
            level,
            f"{verb} {finding.severity.value} {finding.rule}: {message}",
            None,
            None if introduced else message,
            message if introduced else None,
            stage_of.get(finding.element, ""),
            finding.element,
        )

    changes = [change(finding, True) for finding in _unmatched(new, old)]
    return changes + [change(finding, False) for finding in _unmatched(old, new)]


def finding_severity(change: Change) -> Severity:
    """The severity of the finding a finding change introduces or fixes, read back from the
    message `diff_findings` writes (`introduces warning rule: ...`)."""
    return Severity(change.message.split(" ", 2)[1])


def element_stages(journey: JourneyFile | None) -> dict[str, str]:
    """Element id (stage, touchpoint, handoff) -> its stage id, to group finding changes."""
    if journey is None:
        return {}
    found: dict[str, str] = {}
    for stage in journey.stages:
        found.setdefault(stage.id, stage.id)
        for touchpoint in stage.touchpoints:
            found.setdefault(touchpoint.id, stage.id)
    for handoff in journey.handoffs:
        if handoff.at in found:
            found.setdefault(f"{handoff.from_}>{handoff.to}", found[handoff.at])
    return found
