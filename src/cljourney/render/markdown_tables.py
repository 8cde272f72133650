"""The tables of the markdown map: each stage with its touchpoints, the roles, the handoffs;
and `table`, the GFM table every section of the map uses.

Every user string goes through `mdtext`; a touchpoint's name carries its finding mark.
"""

from __future__ import annotations

from collections.abc import Sequence

from cljourney.findings import Finding, Severity
from cljourney.governance import EVIDENCE_LEGEND, evidence_label, item_note, uses_evidence
from cljourney.graph import Flow, Placed
from cljourney.model import JourneyFile, Role, Touchpoint
from cljourney.model.parts import Metric, Opportunity, PainPoint, text_of
from cljourney.render.marks import MARK_ERROR, MARK_WARNING, finding_marks
from cljourney.render.mdtext import block, code, inline

_MARKS = {Severity.ERROR: MARK_ERROR, Severity.WARNING: MARK_WARNING}

Roles = dict[str, Role]


def role_table(journey: JourneyFile) -> Roles:
    """Role id -> role (the first of an id): every table row looks its owner up."""
    roles: Roles = {}
    for role in journey.roles:
        roles.setdefault(role.id, role)
    return roles


def _role(roles: Roles, role_id: str | None) -> str:
    if role_id is None:
        return ""
    role = roles.get(role_id)
    if role is not None:
        return f"{inline(role.name)} ({code(role.id)})"
    return inline(role_id)


def _cell(value: str | None) -> str:
    return inline(value) if value else ""


def _items(values: Sequence[str | PainPoint | Opportunity | Metric]) -> str:
    shown = []
    for value in values:
        text = text_of(value)
        if text.strip():
            note = item_note(value)
            shown.append(f"• {inline(text)}" + (f" _({inline(note)})_" if note else ""))
    return " ".join(shown)


def _customer(touchpoint: Touchpoint) -> str:
    moment = touchpoint.customer
    if moment is None:
        return ""
    parts = [
        f"**{label}:** {inline(value)}"
        for label, value in (
            ("Does", moment.does),
            ("Thinks", moment.thinks),
            ("Feels", moment.feels),
        )
        if value and value.strip()
    ]
    if moment.score is not None:
        parts.append(f"**Score:** {moment.score}/5")
    if moment.evidence is not None:
        parts.append(f"_({inline(evidence_label(moment.evidence))})_")
    return " · ".join(parts)


_COLUMNS: tuple[tuple[str, bool], ...] = (
    ("#", True),
    ("Touchpoint", True),
    ("Owner", True),
    ("Channel", False),
    ("Customer why", True),
    ("How", False),
    ("Customer does, thinks, feels", False),
    ("Pain points", False),
    ("Opportunities", False),
    ("Metrics", False),
)


def _row(roles: Roles, placed: Placed, marks: dict[str, Severity]) -> list[str]:
    tp = placed.touchpoint
    mark = _MARKS.get(marks[tp.id], "") if tp.id in marks else ""
    return [
        str(placed.order + 1),
        f"{mark}{inline(tp.name)} ({code(tp.id)})",
        _role(roles, placed.owner),
        _cell(tp.channel),
        _cell(tp.why),
        _cell(tp.how),
        _customer(tp),
        _items(tp.pain_points),
        _items(tp.opportunities),
        _items(tp.metrics),
    ]


def table(columns: Sequence[tuple[str, bool]], rows: Sequence[Sequence[str]]) -> list[str]:
    """A GFM table of `rows` under `columns` (title, always shown); a column that is not always
    shown is left out when every one of its cells is empty."""
    keep = [
        index
        for index, (_, always) in enumerate(columns)
        if always or any(row[index] for row in rows)
    ]
    lines = ["| " + " | ".join(columns[i][0] for i in keep) + " |", "|" + "---|" * len(keep)]
    lines += ["| " + " | ".join(row[i] for i in keep) + " |" for row in rows]
    return [*lines, ""]


def _touchpoint_tables(
    journey: JourneyFile, flow: Flow, findings: Sequence[Finding], roles: Roles
) -> dict[int, list[str]]:
    """The touchpoint table of each stage index, with the optional columns that stage uses."""
    marks = finding_marks(journey, findings)
    tables: dict[int, list[str]] = {}
    for stage_index, members in enumerate(flow.members):
        rows = [_row(roles, placed, marks) for placed in members]
        tables[stage_index] = table(_COLUMNS, rows) if rows else ["_No touchpoints._", ""]
    return tables


def stages(
    journey: JourneyFile, flow: Flow, findings: Sequence[Finding], roles: Roles
) -> list[str]:
    """The Stages section: each stage's facts (owner, why, exit, lane) over its touchpoints."""
    tables = _touchpoint_tables(journey, flow, findings, roles)
    lines = ["## Stages", ""]
    if uses_evidence(journey):
        lines += [f"**Evidence** (in brackets after a claim): {inline(EVIDENCE_LEGEND)}", ""]
    for index, stage in enumerate(journey.stages):
        lines += [f"### {index + 1}. {inline(stage.name)} ({code(stage.id)})", ""]
        facts = []
        if stage.owner:
            facts.append(f"**Owner:** {_role(roles, stage.owner)}")
        if stage.why and stage.why.strip():
            facts.append(f"**Why it matters to the customer:** {block(stage.why)}")
        else:
            facts.append("**Why it matters to the customer:** _not given_")
        if any(milestone.strip() for milestone in stage.exit):
            facts.append(f"**Exit when:** {_items(stage.exit)}")
        lane = flow.lane_of.get(index)
        if lane is not None:
            served = (
                ["every stage"]
                if lane.everywhere
                else [inline(journey.stages[i].name) for i in flow.served(lane)]
            )
            facts.insert(
                0, f"**Runs during:** {', '.join(served) or '_no stage_'} (parallel stage)"
            )
        lines += ["\\\n".join(facts), "", *tables[index]]
    return lines


def _touchpoint_name(flow: Flow, touchpoint_id: str | None) -> str:
    if touchpoint_id is None:
        return ""
    placed = flow.by_id.get(touchpoint_id)
    if placed is None:
        return inline(touchpoint_id)
    return f"{inline(placed.touchpoint.name)} ({code(placed.id)})"


def role_section(journey: JourneyFile) -> list[str]:
    """Who the roles are: the owners named in the tables, with what each does for the customer."""
    if not journey.roles:
        return []
    rows = [
        [f"{inline(role.name)} ({code(role.id)})", _cell(role.description)]
        for role in journey.roles
    ]
    columns = [("Role", True), ("What they do for the customer", False)]
    return ["## Roles", "", *table(columns, rows)]


def handoffs(journey: JourneyFile, flow: Flow, roles: Roles) -> list[str]:
    """The Handoffs section: who hands the customer to whom, where, with what and why."""
    if not journey.handoffs:
        return []
    rows = [
        [
            _role(roles, handoff.from_),
            _role(roles, handoff.to),
            _touchpoint_name(flow, handoff.at),
            _items(handoff.carries),
            _cell(handoff.why),
        ]
        for handoff in journey.handoffs
    ]
    columns = [("From", True), ("To", True), ("At", False), ("Carries", False), ("Why", True)]
    return ["## Handoffs", "", *table(columns, rows)]
