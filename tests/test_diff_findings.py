"""`diff_findings`: findings matched by rule, severity, element and message, never by line; of a
finding held more times on one side, the extra ones are introduced (or fixed), first ones first."""

from __future__ import annotations

from cljourney.diff.findings import diff_findings
from cljourney.diff.records import Entity, Kind, Level
from cljourney.findings import Finding, Location, Severity
from cljourney.findings import Kind as ElementKind


def _finding(line: int, element: str = "ask", severity: Severity = Severity.WARNING) -> Finding:
    return Finding(
        "missing-why",
        severity,
        f"touchpoint '{element}' has no why",
        "j.yaml",
        Location(line, 3),
        "j",
        element,
        ElementKind.TOUCHPOINT,
    )


def test_extra_copies_of_a_finding_are_introduced_and_moved_lines_are_no_change() -> None:
    old = [_finding(4)]
    new = [_finding(10), _finding(20), _finding(30)]  # same finding, other lines, three times
    changes = diff_findings(old, new, "j", {"ask": "sales"})
    assert [(c.kind, c.level, c.entity, c.stage, c.element) for c in changes] == [
        (Kind.ADDED, Level.RISKY, Entity.FINDING, "sales", "ask"),
        (Kind.ADDED, Level.RISKY, Entity.FINDING, "sales", "ask"),
    ]
    assert changes[0].message == "introduces warning missing-why: touchpoint 'ask' has no why"
    assert (changes[0].before, changes[0].after) == (None, "touchpoint 'ask' has no why")


def test_findings_gone_are_fixed_at_info_and_an_error_introduced_is_breaking() -> None:
    old = [_finding(4, "ask"), _finding(5, "ask"), _finding(6, "pay")]
    new = [_finding(4, "ask"), _finding(6, "pay", Severity.ERROR)]
    changes = diff_findings(old, new, "j")
    assert [(c.kind, c.level, c.element, c.stage) for c in changes] == [
        (Kind.ADDED, Level.BREAKING, "pay", ""),
        (Kind.REMOVED, Level.INFO, "ask", ""),
        (Kind.REMOVED, Level.INFO, "pay", ""),
    ]
    fixed = changes[1]
    assert fixed.message.startswith("fixes warning missing-why:")
    assert (fixed.before, fixed.after) == ("touchpoint 'ask' has no why", None)
