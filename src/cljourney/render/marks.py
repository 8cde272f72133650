"""How a map marks a touchpoint: the text marks put before or after its name (a finding's
severity, must-pass, an intended end) and the Mermaid classes that colour the flowchart's nodes.

Marks are text, so they read the same in every renderer and never depend on colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from cljourney.findings import Finding, Kind, Severity
from cljourney.model import JourneyFile

# Classes a caller may ask `flowchart(highlight=...)` to apply, with their look.
# A diff review colours the fill by what changed (green added, blue changed, red removed) and a
# finding by an amber fill with a thick border (orange dashed: warning, red: error); a changed
# touchpoint with a finding keeps its blue fill and gets the border, since change styles set no
# stroke and come after the finding styles. Text is dark on these light fills in any theme.
# Contrast is measured in Chromium with Mermaid (tests/test_diff_palette.py).
HIGHLIGHT_STYLES: dict[str, str] = {
    "added": "fill:#aceebb,color:#1f2328",
    "changed": "fill:#9ecbff,color:#1f2328",
    "removed": "fill:#ffc1bd,stroke-dasharray:5 3,color:#1f2328",
}
REVIEW_FINDING_STYLES: dict[str, str] = {
    "cjError": "fill:#ffe3a3,stroke:#a40e26,stroke-width:4px,color:#1f2328",
    "cjWarning": "fill:#ffe3a3,stroke:#953800,stroke-width:4px,stroke-dasharray:8 3,color:#1f2328",
    "cjStub": "fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:3 3,color:#1f2328",
}
FINDING_STYLES: dict[str, str] = {
    "cjError": "fill:#ffebe9,stroke:#cf222e,stroke-width:3px",
    "cjWarning": "fill:#fff8c5,stroke:#9a6700,stroke-width:2px,stroke-dasharray:4 2",
    "cjStub": "fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:3 3",
}
MARK_ERROR = "\u26d4 "  # no-entry sign: an error-level finding on this touchpoint
MARK_WARNING = "\u26a0 "  # warning sign: a warning-level finding
HANDOFF_ARROW = " \u2192 "
END_MARK = " \u25a0"  # black square after the name: `terminal: true`, an intended end (as in HTML)
MUST_PASS_MARK = " \u25c6"  # black diamond after the name: every path goes through it (as in HTML)
# Said without a colon or other marks `text` would encode, so it reads the same in the source.
MUST_PASS_SAID = (
    f" A name followed by{MUST_PASS_MARK} is a must-pass touchpoint, one that every path from the"
    " start to an end goes through."
)


def finding_marks(journey: JourneyFile, findings: Sequence[Finding]) -> dict[str, Severity]:
    """Touchpoint id -> the most severe warning or error about it.

    Only findings of kind `touchpoint` count, so a stage's or role's finding never marks a
    touchpoint that shares its id.
    """
    touchpoints = {tp.id for stage in journey.stages for tp in stage.touchpoints}
    marks: dict[str, Severity] = {}
    for finding in findings:
        element = finding.element
        if finding.kind is not Kind.TOUCHPOINT or element not in touchpoints:
            continue
        if finding.severity is Severity.INFO:
            continue
        current = marks.get(element)
        if current is None or finding.severity.rank > current.rank:
            marks[element] = finding.severity
    return marks


def class_lines(members: Mapping[str, list[str]], styles: Mapping[str, str]) -> list[str]:
    """`classDef` and `class` lines giving each class of `styles` to its member nodes."""
    lines: list[str] = []
    for name, nodes in members.items():
        if nodes:
            lines.append(f"    classDef {name} {styles[name]}")
            lines.append(f"    class {','.join(nodes)} {name}")
    return lines


def checked_highlight(highlight: Mapping[str, str] | None) -> Mapping[str, str]:
    """`highlight` (touchpoint id -> a class of HIGHLIGHT_STYLES), refusing an unknown class."""
    highlight = highlight or {}
    unknown = sorted(set(highlight.values()) - set(HIGHLIGHT_STYLES))
    if unknown:
        raise ValueError(
            f"unknown highlight class {unknown[0]!r}; known: {sorted(HIGHLIGHT_STYLES)}"
        )
    return highlight
