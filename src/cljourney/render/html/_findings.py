"""Which element of the map each finding concerns, and how a finding is drawn.

A finding names its element by id and kind, so a stage, a touchpoint and a role sharing an id
each get their own findings. Findings that match no drawn element (roles, the journey, the file)
stay in the journey-level list, so none is ever hidden.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from cljourney.findings import Finding, Kind, Severity
from cljourney.model import JourneyFile
from cljourney.render.html._page import esc
from cljourney.text.words import noun

# Icon and word for each severity: colour is never the only signal.
_BADGE = {
    Severity.ERROR: ("\u2716", "Error"),
    Severity.WARNING: ("\u25b2", "Warning"),
    Severity.INFO: ("\u2139", "Info"),
}
_SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


@dataclass(frozen=True)
class Placement:
    """Findings grouped by the element they are drawn on."""

    touchpoints: dict[str, list[Finding]] = field(default_factory=dict)
    stages: dict[str, list[Finding]] = field(default_factory=dict)
    handoffs: dict[str, list[Finding]] = field(default_factory=dict)
    journey: list[Finding] = field(default_factory=list)


def place(journey: JourneyFile, findings: Sequence[Finding]) -> Placement:
    """Sort findings onto touchpoints, stages, handoffs or the journey as a whole."""
    touchpoints = {tp.id for stage in journey.stages for tp in stage.touchpoints}
    stages = {stage.id for stage in journey.stages}
    handoffs = {handoff.key for handoff in journey.handoffs}
    placement = Placement()
    for finding in findings:
        element, kind = finding.element, finding.kind
        if kind is Kind.HANDOFF and element in handoffs:
            placement.handoffs.setdefault(element, []).append(finding)
        elif kind is Kind.STAGE and element in stages:
            placement.stages.setdefault(element, []).append(finding)
        elif kind is Kind.TOUCHPOINT and element in touchpoints:
            placement.touchpoints.setdefault(element, []).append(finding)
        else:
            placement.journey.append(finding)
    return placement


_CODE_SPAN = re.compile(r"`([^`]+)`")


def message(text: str) -> str:
    """A finding message as HTML: escaped first, then its `backtick spans` wrapped in <code>.

    The spans are matched in the escaped text, so what they wrap can hold no tag or entity that
    was not already escaped: user text inside a message stays text.
    """
    return _CODE_SPAN.sub(r"<code>\1</code>", esc(text))


def worst(findings: Sequence[Finding]) -> Severity | None:
    """The most severe level among `findings`, or None when there are none."""
    for severity in _SEVERITY_ORDER:
        if any(f.severity is severity for f in findings):
            return severity
    return None


def findings_list(findings: Sequence[Finding], *, with_location: bool = False) -> str:
    """A list of findings, each with an icon, the severity in words, the rule id and the message."""
    if not findings:
        return ""
    items = []
    for finding in findings:
        icon, word = _BADGE[finding.severity]
        where = (
            f' <span class="where">line {finding.line}, column {finding.column}</span>'
            if with_location
            else ""
        )
        items.append(
            f'<li class="finding {finding.severity.value}">'
            f'<span class="icon" aria-hidden="true">{icon}</span> '
            f"<strong>{word}</strong> <code>{esc(finding.rule)}</code>{where}"
            f'<span class="msg">{message(finding.message)}</span></li>'
        )
    return f'<ul class="findings">{"".join(items)}</ul>'


def counts(findings: Sequence[Finding]) -> dict[Severity, int]:
    """How many findings of each severity."""
    return {s: sum(1 for f in findings if f.severity is s) for s in _SEVERITY_ORDER}


def badge(severity: Severity) -> tuple[str, str]:
    """The (icon, word) pair for a severity."""
    return _BADGE[severity]


def counted_noun(number: int, severity: Severity) -> str:
    """The severity's word after a count, as `validate` says it ("2 warnings", "2 info")."""
    word = _BADGE[severity][1].lower()
    return word if severity is Severity.INFO else noun(number, word)
