"""Mermaid diagrams of a journey: the flowchart of the flow and the journey (emotion) diagram.

Nothing a user wrote becomes Mermaid syntax. Node ids are generated (`t0` for the touchpoint at
flow order 0, `s0` for the first stage, `e0` for a stub pointing outside a partial diagram), never
user ids, so ids such as `end`, `click` or `o1` cannot break a diagram. Label text goes through
`text()`, which keeps letters, digits, spaces and a few harmless marks and turns everything else
into Mermaid's numeric entity codes (`#58;` for `:`), which Mermaid decodes back into the same
characters when it draws (measured with mermaid 11 in both diagram kinds).

Big journeys degrade: `flowcharts()` returns the whole flowchart when it fits well inside
Mermaid's default limits (500 edges, 50,000 characters), else an overview of the stages plus one
diagram per stage (split further when a stage alone is too big).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cljourney.findings import Finding, Kind, Severity
from cljourney.graph import LOOP, Flow, Placed
from cljourney.model import JourneyFile
from cljourney.render import IndexEntry
from cljourney.wording import noun as noun_for
from cljourney.wording import plural

# Margins under Mermaid's defaults (maxEdges 500, maxTextSize 50,000 UTF-16 code units).
EDGE_BUDGET = 400
TEXT_BUDGET = 40_000
# Diagram labels are for reading at a glance; the tables of the map carry the full text.
LABEL_LIMIT = 60
ROLE_LIMIT = 40
TITLE_LIMIT = 100

_SAFE_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-'?!/()+")

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
_FINDING_STYLES: dict[str, str] = {
    "cjError": "fill:#ffebe9,stroke:#cf222e,stroke-width:3px",
    "cjWarning": "fill:#fff8c5,stroke:#9a6700,stroke-width:2px,stroke-dasharray:4 2",
    "cjStub": "fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:3 3",
}
MARK_ERROR = "\u26d4 "  # no-entry sign: an error-level finding on this touchpoint
MARK_WARNING = "\u26a0 "  # warning sign: a warning-level finding
HANDOFF_ARROW = " \u2192 "
END_MARK = " \u25a0"  # black square after the name: `terminal: true`, an intended end (as in HTML)


@dataclass(frozen=True)
class Diagram:
    """One Mermaid diagram and an optional plain-text title (escaped by whoever shows it)."""

    text: str
    title: str | None = None


def text(value: str, *, limit: int | None = LABEL_LIMIT, extra: str = "") -> str:
    """`value` as Mermaid label text: one line, at most `limit` characters, no syntax.

    Whitespace runs (newlines included) become one space; control characters become U+FFFD;
    characters in `extra` are encoded too (e.g. `,` in journey-diagram actor lists).
    """
    flat = " ".join(value.split())
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "\u2026"
    out: list[str] = []
    for char in flat:
        if char in _SAFE_ASCII and char not in extra:
            out.append(char)
        elif ord(char) < 128:
            out.append(f"#{ord(char)};" if char.isprintable() else "\ufffd")
        else:
            category = unicodedata.category(char)
            if category in ("Cc", "Cs"):
                out.append("\ufffd")
            elif category[0] in "CZ":
                out.append(f"#{ord(char)};")
            else:
                out.append(char)
    return "".join(out)


def size(diagram: str) -> int:
    """Length as Mermaid measures it against maxTextSize (JavaScript UTF-16 code units)."""
    return len(diagram.encode("utf-16-le", "surrogatepass")) // 2


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


@dataclass(frozen=True)
class _Chart:
    """What every partial diagram of one journey shares, computed once per journey."""

    journey: JourneyFile
    flow: Flow
    marks: dict[str, Severity]
    roles: dict[str, str]
    highlight: Mapping[str, str]
    review: bool
    """Drawn for a diff review: fills say what changed, borders say which have findings."""


def _chart(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    highlight: Mapping[str, str] | None,
) -> _Chart:
    roles = {role.id: role.name for role in journey.roles}
    marks = finding_marks(journey, findings)
    review = highlight is not None
    return _Chart(journey, flow, marks, roles, _check_highlight(highlight), review)


def _node(chart: _Chart, placed: Placed) -> str:
    """The node line of a touchpoint; an intended end (`terminal`) is a stadium marked END_MARK."""
    mark = chart.marks.get(placed.id)
    prefix = ""
    if mark is Severity.ERROR:
        prefix = MARK_ERROR
    elif mark is Severity.WARNING:
        prefix = MARK_WARNING
    name = placed.touchpoint.name if placed.touchpoint.name.strip() else placed.id
    label = prefix + text(name)
    if placed.touchpoint.terminal:
        label += END_MARK
    if placed.owner is not None:
        label += "<br>" + text(chart.roles.get(placed.owner, placed.owner), limit=ROLE_LIMIT)
    if placed.touchpoint.terminal:
        return f'        t{placed.order}(["{label}"])'
    return f'        t{placed.order}["{label}"]'


def _handoff_label(source: Placed, target: Placed) -> str | None:
    if source.owner is None or target.owner is None or source.owner == target.owner:
        return None
    return text(source.owner + HANDOFF_ARROW + target.owner, limit=None)


def _edges(flow: Flow, subset: Sequence[Placed] | None = None) -> list[tuple[Placed, Placed, str]]:
    """Flow edges touching `subset` (all edges for None), by source order then target order.

    A subset reads only its own touchpoints' edges, so splitting a big journey stays linear.
    """
    if subset is None:
        found = [(source, target, kind) for source, target, kind, _ in flow.edges()]
    else:
        unique: dict[tuple[int, int], tuple[Placed, Placed, str]] = {}
        for placed in subset:
            for source, target, kind, _ in flow.out_edges(placed) + flow.in_edges(placed):
                unique[(source.order, target.order)] = (source, target, kind)
        found = list(unique.values())
    found.sort(key=lambda edge: (edge[0].order, edge[1].order))
    return found


def _edge_line(source: str, target: str, kind: str, label: str | None) -> str:
    arrow = "-.->" if kind == LOOP else "-->"
    if label is None:
        return f"    {source} {arrow} {target}"
    return f'    {source} {arrow}|"{label}"| {target}'


def _class_lines(members: Mapping[str, list[str]], styles: Mapping[str, str]) -> list[str]:
    lines: list[str] = []
    for name, nodes in members.items():
        if nodes:
            lines.append(f"    classDef {name} {styles[name]}")
            lines.append(f"    class {','.join(nodes)} {name}")
    return lines


def _check_highlight(highlight: Mapping[str, str] | None) -> Mapping[str, str]:
    highlight = highlight or {}
    unknown = sorted(set(highlight.values()) - set(HIGHLIGHT_STYLES))
    if unknown:
        raise ValueError(
            f"unknown highlight class {unknown[0]!r}; known: {sorted(HIGHLIGHT_STYLES)}"
        )
    return highlight


def _subgraphs(chart: _Chart, subset: Sequence[Placed], whole: bool) -> list[str]:
    """One subgraph per stage of `subset` (every stage, even empty ones, for the whole flow)."""
    by_stage: dict[int, list[Placed]] = {}
    for placed in subset:
        by_stage.setdefault(placed.stage_index, []).append(placed)
    lines: list[str] = []
    for stage_index, stage in enumerate(chart.journey.stages):
        members = by_stage.get(stage_index, [])
        if not members and not whole:
            continue
        lines.append(f'    subgraph s{stage_index}["{text(stage.name)}"]')
        lines += [_node(chart, placed) for placed in members]
        lines.append("    end")
    return lines


def _partial(chart: _Chart, subset: Sequence[Placed]) -> tuple[str, int]:
    """The flowchart of `subset` (all when it is every touchpoint) and its edge count.

    Edges into or out of the subset end at dashed stub nodes naming the touchpoint outside.
    """
    flow, journey = chart.flow, chart.journey
    whole = len(subset) == len(flow.placed)
    inside = {placed.order for placed in subset}
    lines = ["flowchart TB", *_subgraphs(chart, subset, whole)]
    stubs: dict[int, str] = {}
    stub_lines: list[str] = []
    edge_lines: list[str] = []
    for source, target, kind in _edges(flow, None if whole else subset):
        ends = []
        for end in (source, target):
            if end.order in inside:
                ends.append(f"t{end.order}")
                continue
            if end.order not in stubs:
                stubs[end.order] = f"e{len(stubs)}"
                stage_name = journey.stages[end.stage_index].name
                label = text(f"{end.touchpoint.name} ({stage_name})")
                stub_lines.append(f'    {stubs[end.order]}["{label}"]')
            ends.append(stubs[end.order])
        edge_lines.append(_edge_line(ends[0], ends[1], kind, _handoff_label(source, target)))
    classes: dict[str, list[str]] = {"cjError": [], "cjWarning": []}
    classes.update({name: [] for name in HIGHLIGHT_STYLES})
    classes["cjStub"] = list(stubs.values())
    for placed in subset:
        mark = chart.marks.get(placed.id)
        if mark is Severity.ERROR:
            classes["cjError"].append(f"t{placed.order}")
        elif mark is Severity.WARNING:
            classes["cjWarning"].append(f"t{placed.order}")
        if placed.id in chart.highlight:
            classes[chart.highlight[placed.id]].append(f"t{placed.order}")
    findings = REVIEW_FINDING_STYLES if chart.review else _FINDING_STYLES
    styles = {**findings, **HIGHLIGHT_STYLES}
    body = lines + stub_lines + edge_lines + _class_lines(classes, styles)
    return "\n".join(body) + "\n", len(edge_lines)


def flowchart(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    *,
    highlight: Mapping[str, str] | None = None,
) -> str:
    """The whole flow as one Mermaid flowchart: a subgraph per stage, a node per touchpoint.

    `highlight` maps touchpoint ids to a class of HIGHLIGHT_STYLES ("added", "changed",
    "removed") so a diff can colour them; ids not in the journey are ignored.
    """
    diagram, _ = _partial(_chart(journey, flow, findings, highlight), flow.placed)
    return diagram


def fits(diagram: str, edges: int) -> bool:
    """Whether a diagram stays inside the budgets (and so inside Mermaid's default limits)."""
    return edges <= EDGE_BUDGET and size(diagram) <= TEXT_BUDGET


def overview(journey: JourneyFile, flow: Flow) -> tuple[str, int]:
    """Stages as nodes, with the flow edges between stages labelled by their owner changes."""
    lines = ["flowchart TB"]
    for index, stage in enumerate(journey.stages):
        count = len(flow.members[index])
        noun = noun_for(count, "touchpoint")
        lines.append(f'    s{index}["{text(stage.name)}<br>{count} {noun}"]')
    crossing: dict[tuple[int, int, bool], list[str]] = {}
    for source, target, kind in _edges(flow):
        if source.stage_index == target.stage_index:
            continue
        key = (source.stage_index, target.stage_index, kind == LOOP)
        labels = crossing.setdefault(key, [])
        label = _handoff_label(source, target)
        if label is not None and label not in labels:
            labels.append(label)
    for (start, end, loop), labels in crossing.items():
        label = ", ".join(labels) if labels else None
        lines.append(_edge_line(f"s{start}", f"s{end}", LOOP if loop else "", label))
    return "\n".join(lines) + "\n", len(crossing)


def _split(chart: _Chart, subset: Sequence[Placed]) -> list[str]:
    """`subset` as one diagram if it fits, else its halves, recursively (in flow order)."""
    diagram, edges = _partial(chart, subset)
    if fits(diagram, edges) or len(subset) <= 1:
        return [diagram]
    middle = len(subset) // 2
    return _split(chart, subset[:middle]) + _split(chart, subset[middle:])


def flowcharts(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    *,
    highlight: Mapping[str, str] | None = None,
) -> tuple[Diagram, ...]:
    """The flowchart, or for a journey too big for one diagram: an overview plus one per stage."""
    chart = _chart(journey, flow, findings, highlight)
    whole, edges = _partial(chart, flow.placed)
    if fits(whole, edges):
        return (Diagram(whole),)
    diagrams: list[Diagram] = []
    summary, summary_edges = overview(journey, flow)
    if fits(summary, summary_edges):
        diagrams.append(Diagram(summary, "Overview: stages and the flow between them"))
    for index, stage in enumerate(journey.stages):
        members = flow.members[index]
        parts = _split(chart, members) if members else []
        for number, part in enumerate(parts, start=1):
            title = f"Stage {index + 1}: {stage.name}"
            if len(parts) > 1:
                title += f" (part {number} of {len(parts)})"
            diagrams.append(Diagram(part, title))
    return tuple(diagrams)


# `render --format mermaid`: the renderer-table interface.
SUFFIX = ".mmd"


def render(journey: JourneyFile, flow: Flow, findings: Sequence[Finding]) -> str:
    """The whole flowchart alone (not split, even past Mermaid's default limits)."""
    return flowchart(journey, flow, findings)


def render_index(entries: Sequence[IndexEntry]) -> str:
    """A flowchart with one node per journey and its counts (Mermaid has no links we allow)."""
    lines = ["flowchart TB"]
    for number, entry in enumerate(entries):
        counts = (
            f"{plural(entry.summary.stages, 'stage')}, {plural(entry.summary.touchpoints, 'touchpoint')},"
            f" {plural(entry.summary.errors, 'error')}, {plural(entry.summary.warnings, 'warning')}"
        )
        lines.append(f'    j{number}["{text(entry.name)}<br>{text(entry.href)}<br>{counts}"]')
    return "\n".join(lines) + "\n"
