"""The Mermaid flowchart of a journey's flow, and `render --format mermaid`.

Node ids are generated (`t0` for the touchpoint at flow order 0, `s0` for the first stage, `e0`
for a stub pointing outside a partial diagram), never user ids, so ids such as `end`, `click` or
`o1` cannot break a diagram; label text goes through `mermaid_text.text`.

Big journeys degrade: `flowcharts()` returns the whole flowchart when it fits well inside
Mermaid's default limits (500 edges, 50,000 characters), else an overview of the stages plus one
diagram per stage (split further when a stage alone is too big).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cljourney.findings import Finding, Severity
from cljourney.graph import ENTER, LOOP, RETURN, Flow, Placed
from cljourney.model import JourneyFile
from cljourney.render import DEFAULT_OPTIONS, DIRECTIONS, IndexEntry, RenderOptions
from cljourney.render.events import Measured
from cljourney.render.events_markdown import node_lines, undeclared_lines
from cljourney.render.layout import choose_direction, shape
from cljourney.render.marks import (
    END_MARK,
    FINDING_STYLES,
    HANDOFF_ARROW,
    HIGHLIGHT_STYLES,
    MARK_ERROR,
    MARK_WARNING,
    MUST_PASS_MARK,
    MUST_PASS_SAID,
    REVIEW_FINDING_STYLES,
    checked_highlight,
    class_lines,
    finding_marks,
)
from cljourney.render.mermaid_text import (
    ROLE_LIMIT,
    Diagram,
    accessible,
    fits,
    name_of,
    role_names,
    text,
)
from cljourney.text.words import noun as noun_for
from cljourney.text.words import plural, tally


def _flow_direction(subset: Sequence[Placed], edges: Sequence[tuple[Placed, Placed, str]]) -> str:
    forward = [(source.order, target.order) for source, target, kind in edges if kind != LOOP]
    return choose_direction(*shape([placed.order for placed in subset], forward))


def _linked_stages(
    subset: Sequence[Placed], edges: Sequence[tuple[Placed, Placed, str]]
) -> set[int]:
    """Stages of `subset` with an edge to a node outside their subgraph. Mermaid draws any
    other subgraph in the opposite direction unless the subgraph states its own."""
    inside = {placed.order for placed in subset}
    linked: set[int] = set()
    for source, target, _ in edges:
        if source.stage_index != target.stage_index or not {source.order, target.order} <= inside:
            linked.update({source.stage_index, target.stage_index})
    return linked


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
    direction: str | None
    """`--direction`, or None to choose for each diagram by its shape."""
    must: frozenset[str] = frozenset()
    """Ids of the must-pass touchpoints to mark: a map marks them, a diff review (which marks
    what changed) does not."""
    measured: Measured | None = None
    """`render --events`: the figures to draw on the nodes, the undeclared paths."""


def _chart(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    highlight: Mapping[str, str] | None,
    direction: str | None = None,
    measured: Measured | None = None,
) -> _Chart:
    if direction is not None and direction not in DIRECTIONS:
        raise ValueError(f"unknown direction {direction!r}; known: {list(DIRECTIONS)}")
    roles = role_names(journey)
    marks = finding_marks(journey, findings)
    review = highlight is not None
    must = frozenset() if review else frozenset(placed.id for placed in flow.must_pass)
    highlighted = checked_highlight(highlight)
    return _Chart(journey, flow, marks, roles, highlighted, review, direction, must, measured)


def _node(chart: _Chart, placed: Placed) -> str:
    """The node line of a touchpoint; an intended end (`terminal`) is a stadium marked END_MARK,
    and a must-pass touchpoint is marked MUST_PASS_MARK."""
    mark = chart.marks.get(placed.id)
    prefix = ""
    if mark is Severity.ERROR:
        prefix = MARK_ERROR
    elif mark is Severity.WARNING:
        prefix = MARK_WARNING
    label = prefix + text(name_of(placed.touchpoint.name, placed.id))
    if placed.id in chart.must:
        label += MUST_PASS_MARK
    if placed.touchpoint.terminal:
        label += END_MARK
    if placed.owner is not None:
        label += "<br>" + text(chart.roles.get(placed.owner, placed.owner), limit=ROLE_LIMIT)
    label += "".join("<br>" + text(line, limit=None) for line in node_lines(chart.measured, placed))
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
    arrow = "-.->" if kind in (LOOP, ENTER, RETURN) else "-->"
    if label is None:
        return f"    {source} {arrow} {target}"
    return f'    {source} {arrow}|"{label}"| {target}'


def _subgraphs(
    chart: _Chart, subset: Sequence[Placed], whole: bool, direction: str, linked: set[int]
) -> list[str]:
    """One subgraph per stage of `subset` (every stage, even empty ones, for the whole flow);
    a subgraph linked to nothing outside states `direction`, which Mermaid would flip."""
    by_stage: dict[int, list[Placed]] = {}
    for placed in subset:
        by_stage.setdefault(placed.stage_index, []).append(placed)
    lines: list[str] = []
    for stage_index, stage in enumerate(chart.journey.stages):
        members = by_stage.get(stage_index, [])
        if not members and not whole:
            continue
        title = text(name_of(stage.name, stage.id)) + (" (parallel)" if stage.parallel else "")
        lines.append(f'    subgraph s{stage_index}["{title}"]')
        if members and stage_index not in linked:
            lines.append(f"        direction {direction}")
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
    edges = _edges(flow, None if whole else subset)
    direction = chart.direction or _flow_direction(subset, edges)
    linked = _linked_stages(subset, edges)
    lanes = _lane_lines(flow) if whole else []
    linked.update(index for lane in flow.lanes for index in (lane.stage_index, *flow.served(lane)))
    stages = len({placed.stage_index for placed in subset})
    must = any(placed.id in chart.must for placed in subset)
    acc = accessible(
        f"Flow of {name_of(journey.journey.name, journey.journey.id)}",
        f"{plural(len(subset), 'touchpoint')} in {plural(stages, 'stage')}, grouped by stage."
        " Arrows follow the customer's path." + (MUST_PASS_SAID if must else ""),
    )
    lines = [
        f"flowchart {direction}",
        *acc,
        *_subgraphs(chart, subset, whole, direction, linked),
    ]
    stubs: dict[int, str] = {}
    stub_lines: list[str] = []
    edge_lines: list[str] = []
    for source, target, kind in edges:
        ends = []
        for end in (source, target):
            if end.order in inside:
                ends.append(f"t{end.order}")
                continue
            if end.order not in stubs:
                stubs[end.order] = f"e{len(stubs)}"
                stage = journey.stages[end.stage_index]
                name = name_of(end.touchpoint.name, end.id)
                label = text(f"{name} ({name_of(stage.name, stage.id)})")
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
    findings = REVIEW_FINDING_STYLES if chart.review else FINDING_STYLES
    styles = {**findings, **HIGHLIGHT_STYLES}
    nodes = {placed.id: f"t{placed.order}" for placed in subset}
    links = len(edge_lines) + len(lanes)
    measured, extra = undeclared_lines(chart.measured, nodes, links)
    body = lines + stub_lines + edge_lines + lanes + measured + class_lines(classes, styles)
    return "\n".join(body) + "\n", links + extra


def _lane_lines(flow: Flow) -> list[str]:
    """Dotted edges from each stage a parallel stage runs during to its first touchpoint, and
    from its end back to the stage: one pair per stage, not one per touchpoint, so the diagram
    stays readable (entering is possible from every touchpoint of the stage)."""
    lines: list[str] = []
    for lane in flow.lanes:
        for index in flow.served(lane):
            if lane.first is not None:
                lines.append(_edge_line(f"s{index}", f"t{lane.first.order}", ENTER, "enter"))
            if lane.end is not None:
                lines.append(_edge_line(f"t{lane.end.order}", f"s{index}", RETURN, "return"))
    return lines


def flowchart(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    *,
    highlight: Mapping[str, str] | None = None,
    direction: str | None = None,
    measured: Measured | None = None,
) -> str:
    """The whole flow as one Mermaid flowchart: a subgraph per stage, a node per touchpoint.

    `highlight` maps touchpoint ids to a class of HIGHLIGHT_STYLES ("added", "changed",
    "removed") so a diff can colour them; ids not in the journey are ignored. `direction` is
    LR or TB; None chooses by the flow's shape (`choose_direction`). Must-pass touchpoints are
    marked MUST_PASS_MARK, except in a diff review (`highlight` given).
    """
    chart = _chart(journey, flow, findings, highlight, direction, measured)
    diagram, _ = _partial(chart, flow.placed)
    return diagram


def overview(journey: JourneyFile, flow: Flow, direction: str | None = None) -> tuple[str, int]:
    """Stages as nodes, with the flow edges between stages labelled by their owner changes."""
    lines: list[str] = []
    for index, stage in enumerate(journey.stages):
        count = len(flow.members[index])
        noun = noun_for(count, "touchpoint")
        lines.append(f'    s{index}["{text(name_of(stage.name, stage.id))}<br>{count} {noun}"]')
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
    for lane in flow.lanes:
        for index in flow.served(lane):
            lines.append(_edge_line(f"s{index}", f"s{lane.stage_index}", ENTER, "enter"))
            if lane.end is not None:
                lines.append(_edge_line(f"s{lane.stage_index}", f"s{index}", RETURN, "return"))
    if direction is None:
        forward = [(start, end) for start, end, loop in crossing if not loop]
        direction = choose_direction(*shape(range(len(journey.stages)), forward))
    edges = sum(1 for line in lines if "-->" in line or "-.->" in line)
    acc = accessible(
        f"Stages of {name_of(journey.journey.name, journey.journey.id)}",
        f"{plural(len(journey.stages), 'stage')} as boxes with their touchpoint counts."
        " Arrows follow the flow between stages, labelled with owner changes.",
    )
    return "\n".join([f"flowchart {direction}", *acc, *lines]) + "\n", edges


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
    direction: str | None = None,
    measured: Measured | None = None,
) -> tuple[Diagram, ...]:
    """The flowchart, or for a journey too big for one diagram: an overview plus one per stage.

    `direction` (LR or TB) applies to every diagram; None chooses each one's by its shape.
    `highlight` as for `flowchart`.
    """
    chart = _chart(journey, flow, findings, highlight, direction, measured)
    whole, edges = _partial(chart, flow.placed)
    if fits(whole, edges):
        return (Diagram(whole),)
    diagrams: list[Diagram] = []
    summary, summary_edges = overview(journey, flow, direction)
    if fits(summary, summary_edges):
        diagrams.append(Diagram(summary, "Overview: stages and the flow between them"))
    for index, stage in enumerate(journey.stages):
        members = flow.members[index]
        parts = _split(chart, members) if members else []
        for number, part in enumerate(parts, start=1):
            title = f"Stage {index + 1}: {name_of(stage.name, stage.id)}"
            if len(parts) > 1:
                title += f" (part {number} of {len(parts)})"
            diagrams.append(Diagram(part, title))
    return tuple(diagrams)


# `render --format mermaid`: the renderer-table interface.
SUFFIX = ".mmd"
FLOWCHART = True
# The first line of a `.mmd` file cljourney writes (a Mermaid comment): its generated marker.
MARKER = "%% Generated by cljourney render; edit the journey file, not this diagram."


def is_generated(head: str, tail: str) -> bool:
    """A diagram file this module wrote: its first line is MARKER."""
    return head.startswith(MARKER + "\n")


def render(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    options: RenderOptions = DEFAULT_OPTIONS,
) -> str:
    """The whole flowchart alone (not split, even past Mermaid's default limits), after MARKER."""
    drawn = flowchart(
        journey, flow, findings, direction=options.direction, measured=options.measured
    )
    return MARKER + "\n" + drawn


def render_index(entries: Sequence[IndexEntry]) -> str:
    """A flowchart with one node per journey and its counts (Mermaid has no links we allow)."""
    lines = [
        MARKER,
        "flowchart TB",
        *accessible(
            "Journey maps",
            f"{plural(len(entries), 'journey')}, each a box with its file and counts.",
        ),
    ]
    for number, entry in enumerate(entries):
        counts = (
            f"{plural(entry.summary.stages, 'stage')}, {plural(entry.summary.touchpoints, 'touchpoint')},"
            f" {tally(entry.summary.errors, entry.summary.warnings, entry.summary.infos)}"
        )
        name = name_of(entry.name, entry.journey_id)
        lines.append(f'    j{number}["{text(name)}<br>{text(entry.href)}<br>{counts}"]')
    return "\n".join(lines) + "\n"
