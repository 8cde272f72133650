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
from cljourney.graph import ENTER, LOOP, RETURN, Flow, Placed
from cljourney.model import JourneyFile
from cljourney.render import DEFAULT_OPTIONS, DIRECTIONS, IndexEntry, RenderOptions
from cljourney.render.events import Measured
from cljourney.render.events_markdown import node_lines, undeclared_lines
from cljourney.render.layout import choose_direction, shape
from cljourney.text.words import noun as noun_for
from cljourney.text.words import plural

# Margins under Mermaid's defaults (maxEdges 500, maxTextSize 50,000 UTF-16 code units).
EDGE_BUDGET = 400
TEXT_BUDGET = 40_000
# Diagram labels are for reading at a glance; the tables of the map carry the full text.
LABEL_LIMIT = 60
ROLE_LIMIT = 40
TITLE_LIMIT = 100

# Mermaid hides entity codes behind placeholders (`#35;` becomes `\ufb02\u00b0\u00b035\u00b6\u00df`)
# and decodes every placeholder left in the drawn SVG, so a label holding `\ufb02\u00b0\u00b0` or
# `\u00b6\u00df` would show `&#` or `;` instead. A WORD JOINER (invisible, no line break) between the
# two characters keeps them apart; as an entity code, so the source holds no invisible character.
_PLACEHOLDER_PAIRS = frozenset({("\ufb02", "\u00b0"), ("\u00b6", "\u00df")})
_WORD_JOINER = "#8288;"
_TRAILING = " ,;:-\u2013\u2014"  # not left before the ellipsis of a shortened label

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
        flat = shorten(flat, limit)
    out: list[str] = []
    previous = ""
    for char in flat:
        if (previous, char) in _PLACEHOLDER_PAIRS:
            out.append(_WORD_JOINER)
        previous = char
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


def shorten(flat: str, limit: int) -> str:
    """`flat` (one line) in at most `limit` characters: cut at the last word boundary, with an
    ellipsis ("Contract and…", never "Contract and signatu"). A single word longer than half the
    limit is cut inside, as there is no better place."""
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if flat[limit - 1] != " ":
        space = cut.rfind(" ")
        if space >= limit // 2:
            cut = cut[:space]
    return cut.rstrip(_TRAILING) + "\u2026"


ACC_LIMIT = 300  # an accessible description is read aloud: a sentence or two


def accessible(title: str, description: str) -> list[str]:
    """Mermaid's accessibility lines (`accTitle`, `accDescr`): the SVG's <title> and <desc>
    that screen readers announce. Both are escaped like any label (user text stays text)."""
    return [
        f"    accTitle: {text(title, limit=TITLE_LIMIT)}",
        f"    accDescr: {text(description, limit=ACC_LIMIT)}",
    ]


def name_of(name: str, element_id: str) -> str:
    """A name to draw: the name, or the element's id when the name is blank (Mermaid 11 refuses
    an empty subgraph label, `title` or `section`)."""
    return name if name.strip() else element_id


def size(diagram: str) -> int:
    """Length as Mermaid measures it against maxTextSize (JavaScript UTF-16 code units)."""
    return len(diagram.encode("utf-16-le", "surrogatepass")) // 2


def role_names(journey: JourneyFile) -> dict[str, str]:
    """Role id -> the name to draw (the id for a blank name); the first role of an id wins."""
    names: dict[str, str] = {}
    for role in journey.roles:
        names.setdefault(role.id, name_of(role.name, role.id))
    return names


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
    highlight = _check_highlight(highlight)
    return _Chart(journey, flow, marks, roles, highlight, review, direction, measured)


def _node(chart: _Chart, placed: Placed) -> str:
    """The node line of a touchpoint; an intended end (`terminal`) is a stadium marked END_MARK."""
    mark = chart.marks.get(placed.id)
    prefix = ""
    if mark is Severity.ERROR:
        prefix = MARK_ERROR
    elif mark is Severity.WARNING:
        prefix = MARK_WARNING
    label = prefix + text(name_of(placed.touchpoint.name, placed.id))
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
    acc = accessible(
        f"Flow of {name_of(journey.journey.name, journey.journey.id)}",
        f"{plural(len(subset), 'touchpoint')} in {plural(stages, 'stage')}, grouped by stage."
        " Arrows follow the customer's path.",
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
    findings = REVIEW_FINDING_STYLES if chart.review else _FINDING_STYLES
    styles = {**findings, **HIGHLIGHT_STYLES}
    nodes = {placed.id: f"t{placed.order}" for placed in subset}
    links = len(edge_lines) + len(lanes)
    measured, extra = undeclared_lines(chart.measured, nodes, links)
    body = lines + stub_lines + edge_lines + lanes + measured + _class_lines(classes, styles)
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
    LR or TB; None chooses by the flow's shape (`choose_direction`).
    """
    chart = _chart(journey, flow, findings, highlight, direction, measured)
    diagram, _ = _partial(chart, flow.placed)
    return diagram


def fits(diagram: str, edges: int) -> bool:
    """Whether a diagram stays inside the budgets (and so inside Mermaid's default limits)."""
    return edges <= EDGE_BUDGET and size(diagram) <= TEXT_BUDGET


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
            f" {plural(entry.summary.errors, 'error')}, {plural(entry.summary.warnings, 'warning')}"
        )
        name = name_of(entry.name, entry.journey_id)
        lines.append(f'    j{number}["{text(name)}<br>{text(entry.href)}<br>{counts}"]')
    return "\n".join(lines) + "\n"
