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

from cljourney.findings import Finding, Severity
from cljourney.graph import LOOP, Flow, Placed
from cljourney.model import JourneyFile
from cljourney.render import IndexEntry

# Margins under Mermaid's defaults (maxEdges 500, maxTextSize 50,000 UTF-16 code units).
EDGE_BUDGET = 400
TEXT_BUDGET = 40_000
# Diagram labels are for reading at a glance; the tables of the map carry the full text.
LABEL_LIMIT = 60
ROLE_LIMIT = 40
TITLE_LIMIT = 100

_SAFE_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-'?!/()+")
# Words a journey-diagram task line must not start with (they are statements there).
_JOURNEY_KEYWORDS = ("journey", "title", "section", "acctitle", "accdescr")

# Classes a caller may ask `flowchart(highlight=...)` to apply, with their look.
HIGHLIGHT_STYLES: dict[str, str] = {
    "added": "fill:#dafbe1,stroke:#1a7f37,stroke-width:2px",
    "changed": "fill:#fff8c5,stroke:#9a6700,stroke-width:2px",
    "removed": "fill:#ffebe9,stroke:#cf222e,stroke-width:2px,stroke-dasharray:5 3",
}
_FINDING_STYLES: dict[str, str] = {
    "cjError": "fill:#ffebe9,stroke:#cf222e,stroke-width:3px",
    "cjWarning": "fill:#fff8c5,stroke:#9a6700,stroke-width:2px,stroke-dasharray:4 2",
    "cjStub": "fill:#f6f8fa,stroke:#8c959f,stroke-dasharray:3 3",
}
MARK_ERROR = "\u26d4 "  # no-entry sign: an error-level finding on this touchpoint
MARK_WARNING = "\u26a0 "  # warning sign: a warning-level finding
HANDOFF_ARROW = " \u2192 "


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
    """Touchpoint id -> the most severe finding about it.

    A finding concerns a touchpoint when its `element` is that touchpoint's id. When the id is
    also a stage or role id (allowed), only rules that look at touchpoints alone count, so a
    stage's finding never marks a touchpoint of the same name.
    """
    touchpoints = {tp.id for stage in journey.stages for tp in stage.touchpoints}
    shared = {stage.id for stage in journey.stages} | {role.id for role in journey.roles}
    marks: dict[str, Severity] = {}
    for finding in findings:
        element = finding.element
        if element not in touchpoints:
            continue
        if element in shared and finding.rule not in _TOUCHPOINT_RULES:
            continue
        if finding.severity is Severity.INFO:
            continue
        current = marks.get(element)
        if current is None or finding.severity.rank > current.rank:
            marks[element] = finding.severity
    return marks


_TOUCHPOINT_RULES = frozenset(
    {
        "orphaned-touchpoint",
        "dead-end",
        "forward-loop",
        "unknown-channel",
        "ordering-cycle",
        "stage-order",
    }
)


def _role_name(journey: JourneyFile, role_id: str | None) -> str | None:
    if role_id is None:
        return None
    for role in journey.roles:
        if role.id == role_id:
            return role.name
    return role_id


def _node_label(journey: JourneyFile, placed: Placed, mark: Severity | None) -> str:
    prefix = ""
    if mark is Severity.ERROR:
        prefix = MARK_ERROR
    elif mark is Severity.WARNING:
        prefix = MARK_WARNING
    name = placed.touchpoint.name if placed.touchpoint.name.strip() else placed.id
    label = prefix + text(name)
    owner = _role_name(journey, placed.owner)
    if owner is not None:
        label += "<br>" + text(owner, limit=ROLE_LIMIT)
    return label


def _handoff_label(source: Placed, target: Placed) -> str | None:
    if source.owner is None or target.owner is None or source.owner == target.owner:
        return None
    return text(source.owner + HANDOFF_ARROW + target.owner, limit=None)


def _edges(flow: Flow) -> list[tuple[Placed, Placed, str]]:
    """Flow edges in a stable order: by source order, then target order."""
    edges = [(source, target, kind) for source, target, kind, _ in flow.edges()]
    edges.sort(key=lambda edge: (edge[0].order, edge[1].order))
    return edges


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


def _partial(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    subset: Sequence[Placed],
    highlight: Mapping[str, str],
) -> tuple[str, int]:
    """The flowchart of `subset` (all when it is every touchpoint) and its edge count.

    Edges into or out of the subset end at dashed stub nodes naming the touchpoint outside.
    """
    marks = finding_marks(journey, findings)
    inside = {placed.order for placed in subset}
    lines = ["flowchart TB"]
    for stage_index, stage in enumerate(journey.stages):
        members = [p for p in subset if p.stage_index == stage_index]
        if not members and len(inside) != len(flow.placed):
            continue
        lines.append(f'    subgraph s{stage_index}["{text(stage.name)}"]')
        for placed in members:
            label = _node_label(journey, placed, marks.get(placed.id))
            lines.append(f'        t{placed.order}["{label}"]')
        lines.append("    end")
    stubs: dict[int, str] = {}
    stub_lines: list[str] = []
    edge_lines: list[str] = []
    for source, target, kind in _edges(flow):
        if source.order not in inside and target.order not in inside:
            continue
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
        mark = marks.get(placed.id)
        if mark is Severity.ERROR:
            classes["cjError"].append(f"t{placed.order}")
        elif mark is Severity.WARNING:
            classes["cjWarning"].append(f"t{placed.order}")
        if placed.id in highlight:
            classes[highlight[placed.id]].append(f"t{placed.order}")
    styles = {**_FINDING_STYLES, **HIGHLIGHT_STYLES}
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
    diagram, _ = _partial(journey, flow, findings, flow.placed, _check_highlight(highlight))
    return diagram


def fits(diagram: str, edges: int) -> bool:
    """Whether a diagram stays inside the budgets (and so inside Mermaid's default limits)."""
    return edges <= EDGE_BUDGET and size(diagram) <= TEXT_BUDGET


def overview(journey: JourneyFile, flow: Flow) -> tuple[str, int]:
    """Stages as nodes, with the flow edges between stages labelled by their owner changes."""
    lines = ["flowchart TB"]
    for index, stage in enumerate(journey.stages):
        count = sum(1 for p in flow.placed if p.stage_index == index)
        noun = "touchpoint" if count == 1 else "touchpoints"
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


def _split(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    subset: Sequence[Placed],
    highlight: Mapping[str, str],
) -> list[str]:
    """`subset` as one diagram if it fits, else its halves, recursively (in flow order)."""
    diagram, edges = _partial(journey, flow, findings, subset, highlight)
    if fits(diagram, edges) or len(subset) <= 1:
        return [diagram]
    middle = len(subset) // 2
    return _split(journey, flow, findings, subset[:middle], highlight) + _split(
        journey, flow, findings, subset[middle:], highlight
    )


def flowcharts(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    *,
    highlight: Mapping[str, str] | None = None,
) -> tuple[Diagram, ...]:
    """The flowchart, or for a journey too big for one diagram: an overview plus one per stage."""
    checked = _check_highlight(highlight)
    whole, edges = _partial(journey, flow, findings, flow.placed, checked)
    if fits(whole, edges):
        return (Diagram(whole),)
    diagrams: list[Diagram] = []
    summary, summary_edges = overview(journey, flow)
    if fits(summary, summary_edges):
        diagrams.append(Diagram(summary, "Overview: stages and the flow between them"))
    for index, stage in enumerate(journey.stages):
        members = [p for p in flow.placed if p.stage_index == index]
        parts = _split(journey, flow, findings, members, checked) if members else []
        for number, part in enumerate(parts, start=1):
            title = f"Stage {index + 1}: {stage.name}"
            if len(parts) > 1:
                title += f" (part {number} of {len(parts)})"
            diagrams.append(Diagram(part, title))
    return tuple(diagrams)


def _task_name(value: str) -> str:
    escaped = text(value)
    if escaped.lower().startswith(_JOURNEY_KEYWORDS):
        escaped = f"#{ord(escaped[0])};{escaped[1:]}"
    return escaped


def _journey_text(journey: JourneyFile, flow: Flow, stage_indexes: Sequence[int]) -> str:
    lines = ["journey", f"    title {text(journey.journey.name, limit=TITLE_LIMIT)}"]
    for index in stage_indexes:
        lines.append(f"    section {text(journey.stages[index].name)}")
        for placed in flow.placed:
            moment = placed.touchpoint.customer
            if placed.stage_index != index or moment is None or moment.score is None:
                continue
            name = placed.touchpoint.name if placed.touchpoint.name.strip() else placed.id
            task = f"      {_task_name(name)}: {moment.score}"
            actor = _role_name(journey, placed.owner)
            if actor is not None:
                task += f": {text(actor, limit=ROLE_LIMIT, extra=',')}"
            lines.append(task)
    return "\n".join(lines) + "\n"


def _scored_stages(flow: Flow) -> list[int]:
    found: list[int] = []
    for placed in flow.placed:
        moment = placed.touchpoint.customer
        if moment is not None and moment.score is not None and placed.stage_index not in found:
            found.append(placed.stage_index)
    return found


def journey_diagram(journey: JourneyFile, flow: Flow, findings: Sequence[Finding]) -> str | None:
    """The emotion curve as a Mermaid journey diagram, or None when no touchpoint has a score.

    Sections are stages, tasks are scored touchpoints, actors their owner role names.
    `findings` is accepted for a uniform signature; the curve does not show them.
    """
    stages = _scored_stages(flow)
    return _journey_text(journey, flow, stages) if stages else None


def journey_diagrams(
    journey: JourneyFile, flow: Flow, findings: Sequence[Finding]
) -> tuple[Diagram, ...]:
    """The journey diagram, split into runs of consecutive stages when too big for one."""
    stages = _scored_stages(flow)
    whole = _journey_text(journey, flow, stages) if stages else None
    if whole is None:
        return ()
    if size(whole) <= TEXT_BUDGET:
        return (Diagram(whole),)
    diagrams: list[Diagram] = []
    run: list[int] = []
    for index in stages:
        candidate = _journey_text(journey, flow, [*run, index])
        if run and size(candidate) > TEXT_BUDGET:
            diagrams.append(Diagram(_journey_text(journey, flow, run)))
            run = [index]
        else:
            run.append(index)
    diagrams.append(Diagram(_journey_text(journey, flow, run)))
    return tuple(
        Diagram(d.text, f"Emotion curve, part {n} of {len(diagrams)}")
        for n, d in enumerate(diagrams, start=1)
    )


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
            f"{entry.summary.stages} stages, {entry.summary.touchpoints} touchpoints,"
            f" {entry.summary.errors} errors, {entry.summary.warnings} warnings"
        )
        lines.append(f'    j{number}["{text(entry.name)}<br>{text(entry.href)}<br>{counts}"]')
    return "\n".join(lines) + "\n"
