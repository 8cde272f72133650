"""The journey map page: header and lifecycle strip, emotion curve, the stage-by-lane map,
handoffs and every validation finding.

Layout: `.map` is a CSS grid whose rows are the lanes; each stage is a column whose rows are a
subgrid, and each touchpoint an article spanning the lane rows, so lanes line up across stages
while the DOM reads touchpoint by touchpoint. A parallel stage (`during`) is a row of its own
under the stages, spanning the columns of the stages it runs during, with its cards side by side.
"""

from __future__ import annotations

from collections.abc import Sequence

from cljourney.findings import Finding, Severity
from cljourney.governance import EVIDENCE_LEGEND, ReviewState, review_line, uses_evidence
from cljourney.graph import Flow
from cljourney.model import JourneyFile, Stage
from cljourney.render import summarize
from cljourney.render.events import Measured
from cljourney.render.html._cards import (
    LANES,
    MUST_PASS_CHIP,
    anchor,
    arrivals,
    touchpoint_article,
)
from cljourney.render.html._curve import (
    STAGE_PALETTE,
    curve_svg,
    curve_table,
    low_note,
    main_line,
    scored,
)
from cljourney.render.html._findings import (
    Placement,
    badge,
    counted_noun,
    counts,
    findings_list,
    place,
    worst,
)
from cljourney.render.html._measured import measured_card, measured_panel
from cljourney.render.html._page import esc
from cljourney.text.words import listing, noun, plural

_TOOLBAR = (
    '<div class="toolbar" role="group" aria-label="View options">'
    '<span class="tb-label">Lanes</span>'
    + "".join(
        f'<label><input type="checkbox" id="show-{key}" checked> {title}</label>'
        for key, title in LANES
    )
    + '<span class="tb-sep"></span>'
    '<label><input type="checkbox" id="compact"> Compact cards</label>'
    "</div>"
)


_NONE = "\u2014"


def _has_why(text: str | None) -> bool:
    return bool(text and text.strip())


def _stats(
    journey: JourneyFile,
    findings: Sequence[Finding],
    whys: Sequence[Finding],
    measured: Measured | None = None,
) -> str:
    summary = summarize(journey, findings, whys)  # the counts every format and index shows
    found = counts(findings)
    items = [
        (summary.stages, noun(summary.stages, "stage")),
        (summary.touchpoints, noun(summary.touchpoints, "touchpoint")),
        (summary.roles, noun(summary.roles, "role")),
        (summary.handoffs, noun(summary.handoffs, "handoff")),
        (f"{summary.whys}/{summary.steps}", f"{noun(summary.steps, 'step')} with a customer why"),
    ]
    parts = [f'<li><span class="v">{v}</span> <span class="t">{t}</span></li>' for v, t in items]
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        number = found[severity]
        if severity is Severity.INFO and not number:
            continue  # as `validate` words it: infos only when there are some
        icon = badge(severity)[0]
        cls = f" {severity.value}" if number else " ok"
        parts.append(
            f'<li class="sev{cls}"><span class="v"><span aria-hidden="true">{icon}</span> {number}</span>'
            f' <span class="t">{counted_noun(number, severity)}</span></li>'
        )
    if measured is not None and measured.listed:
        # As the markdown header says it ("1 error, 4 warnings from the log"), the whole of it
        # the link's text, beside the file's own counts above.
        level = worst(measured.listed) or Severity.WARNING
        parts.append(
            f'<li class="sev {level.value}"><a href="#log-findings"><span class="v">'
            f'<span aria-hidden="true">{badge(level)[0]}</span> {measured.found}</span>'
            ' <span class="t">from the log</span></a></li>'
        )
    return f'<ul class="stats" aria-label="Summary">{"".join(parts)}</ul>'


def _header(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    whys: Sequence[Finding],
    review: ReviewState | None = None,
    measured: Measured | None = None,
) -> str:
    info = journey.journey
    facts = [("Persona", info.persona), ("Desired outcome", info.outcome), ("Owner", info.owner)]
    facts.append(("Status", review_line(info, review)))
    if uses_evidence(journey):
        facts.append(("Evidence", EVIDENCE_LEGEND))
    dl = "".join(f"<div><dt>{k}</dt><dd>{esc(v)}</dd></div>" for k, v in facts if v)
    description = f'<p class="desc">{esc(info.description)}</p>' if info.description else ""
    return (
        '<header class="top"><p class="eyebrow">Customer journey map</p>'
        f'<h1>{esc(info.name)}</h1>{description}<dl class="facts">{dl}</dl>'
        f"{_stats(journey, findings, whys, measured)}{_strip(journey, flow)}</header>"
    )


def _strip(journey: JourneyFile, flow: Flow) -> str:
    """The lifecycle at a glance: one chevron per stage, linking to its column."""
    roles = {role.id: role.name for role in journey.roles}
    items: list[str] = []
    lanes: list[str] = []
    for index, stage in enumerate(journey.stages):
        size = len(flow.members[index])
        owner = roles.get(stage.owner, stage.owner) if stage.owner else "No owner"
        item = (
            f'<li class="s{index % STAGE_PALETTE}"><a href="#stage-{index + 1}">'
            f'<span class="sn">{esc(stage.name)}</span>'
            f'<span class="so">{esc(owner)} \u00b7 {plural(size, "touchpoint")}</span>'
            "</a></li>"
        )
        (lanes if stage.parallel else items).append(item)
    parallel = (
        f'<p class="k strip-k">Alongside them</p><ul class="strip lanes-strip">{"".join(lanes)}</ul>'
        if lanes
        else ""
    )
    return f'<nav aria-label="Lifecycle stages"><ol class="strip">{"".join(items)}</ol>{parallel}</nav>'


def _curve_section(flow: Flow) -> str:
    svg = curve_svg(flow)
    if not svg:
        return ""
    count, total = len(scored(flow)), len(main_line(flow))
    beside = " \u00b7 parallel stages are scored in their lanes" if flow.lanes else ""
    return (
        '<section class="panel curve-panel" aria-labelledby="curve-h">'
        f'<h2 id="curve-h">Emotion curve <span class="sub">{count} of {total}'
        f" {noun(total, 'touchpoint')} scored \u00b7 numbers match the cards below{beside}</span></h2>"
        '<div class="curve-wrap" role="region" aria-label="Emotion curve, scrolls sideways"'
        f' tabindex="0">{svg}</div>{low_note(flow)}{curve_table(flow)}</section>'
    )


def _stage_header(
    index: int, stage: Stage, owner: str, findings: Sequence[Finding], kicker: str = ""
) -> str:
    why = (
        f'<p class="why">{esc(stage.why)}</p>'
        if _has_why(stage.why)
        else '<p class="why missing">Why this stage matters to the customer is not stated</p>'
    )
    exits = "".join(f"<li>{esc(item)}</li>" for item in stage.exit)
    exit_list = (
        f'<div class="exit"><p class="k">Exit milestones</p><ul>{exits}</ul></div>' if exits else ""
    )
    return (
        f'<header class="stage-head s{index % STAGE_PALETTE}">'
        f'<p class="k">{kicker or f"Stage {index + 1}"}</p>'
        f'<h2 id="stage-{index + 1}-name">{esc(stage.name)}</h2>'
        f'<p class="chips"><span class="chip owner"><span class="sr">Owner: </span>{esc(owner)}</span></p>'
        f"{why}{exit_list}{findings_list(findings)}</header>"
    )


def _map(journey: JourneyFile, flow: Flow, placement: Placement, measured: Measured | None) -> str:
    roles = {role.id: role.name for role in journey.roles}
    changes = arrivals(flow)
    lanes = "".join(f'<div class="lane-label l-{key}">{title}</div>' for key, title in LANES)
    columns = [
        '<div class="lanes" aria-hidden="true"><div class="lane-label head">Stage</div>'
        f'<div class="lane-label card-l">Touchpoint</div>{lanes}</div>'
    ]
    must = {placed.id for placed in flow.must_pass}
    for index, stage in enumerate(journey.stages):
        members = flow.members[index]
        owner = roles.get(stage.owner, stage.owner) if stage.owner else "No owner"
        if stage.parallel:
            continue
        body = (
            "".join(
                touchpoint_article(
                    flow,
                    p,
                    placement.touchpoints.get(p.id, []),
                    changes.get(p.order, []),
                    roles,
                    p.id in must,
                    measured_card(measured, flow, p),
                )
                for p in members
            )
            or '<p class="no-tp">No touchpoints in this stage yet.</p>'
        )
        columns.append(
            f'<section class="stage s{index % STAGE_PALETTE} n{max(1, len(members))}" id="stage-{index + 1}"'
            f' aria-labelledby="stage-{index + 1}-name">'
            f"{_stage_header(index, stage, owner, placement.stages.get(stage.id, []))}{body}</section>"
        )
    columns += _lanes(journey, flow, placement, measured)
    return (
        '<section class="map-panel" aria-labelledby="map-h"><h2 id="map-h" class="sr">Journey map</h2>'
        f'{_must_pass_note(flow)}{_TOOLBAR}<div class="map" id="stages" role="region" aria-label="Journey map, scrolls sideways"'
        f' tabindex="0">{"".join(columns)}</div></section>'
    )


def _must_pass_note(flow: Flow) -> str:
    """What the must-pass chip on a card means, with a link to each such card."""
    if not flow.must_pass:
        return ""
    links = listing(
        [
            f'<a href="#{anchor(p)}"><span class="n">{p.order + 1}</span> {esc(p.touchpoint.name)}</a>'
            for p in flow.must_pass
        ]
    )
    return (
        f'<p class="must-note">{MUST_PASS_CHIP} Every path from the start to an end goes through'
        f" {noun(len(flow.must_pass), 'this touchpoint', 'these touchpoints')}: {links}.</p>"
    )


def _lanes(
    journey: JourneyFile, flow: Flow, placement: Placement, measured: Measured | None
) -> list[str]:
    """Each parallel stage as a row under the stages, its cards side by side."""
    roles = {role.id: role.name for role in journey.roles}
    changes = arrivals(flow)
    rows = []
    for number, lane in enumerate(flow.lanes):
        index = lane.stage_index
        stage = journey.stages[index]
        owner = roles.get(stage.owner, stage.owner) if stage.owner else "No owner"
        names = (esc(journey.stages[i].name) for i in flow.served(lane))
        served = "every stage" if lane.everywhere else ", ".join(names) or "no stage"
        kicker = f"Parallel stage \u00b7 runs during {served}"
        cards = "".join(
            touchpoint_article(
                flow,
                p,
                placement.touchpoints.get(p.id, []),
                changes.get(p.order, []),
                roles,
                figures=measured_card(measured, flow, p),
            )
            for p in flow.members[index]
        )
        rows.append(
            f'<section class="stage-lane s{index % STAGE_PALETTE} lane{number}" id="stage-{index + 1}"'
            f' aria-labelledby="stage-{index + 1}-name">'
            f"{_stage_header(index, stage, owner, placement.stages.get(stage.id, []), kicker)}"
            f'<div class="lane-cards">{cards or _NO_CARDS}</div></section>'
        )
    return rows


_NO_CARDS = '<p class="no-tp">No touchpoints in this stage yet.</p>'
# The rows of `.map` above the lanes: the stage heads, the cards and the six content rows.
_MAP_ROWS = 8


def lane_css(flow: Flow) -> str:
    """Where each parallel stage sits in the map's grid: a row under the stages, spanning the
    columns from the first to the last stage it runs during (the CSP forbids style attributes).
    Column 1 holds the row labels; ordinary stages fill the next ones in file order."""
    column = {
        index: number + 2
        for number, index in enumerate(
            i for i, stage in enumerate(flow.journey.stages) if not stage.parallel
        )
    }
    every = (min(column.values(), default=2), max(column.values(), default=2))
    rules = []
    for number, lane in enumerate(flow.lanes):
        served = [column[i] for i in flow.served(lane)] if not lane.everywhere else []
        start, end = (min(served), max(served)) if served else every
        rules.append(
            f".lane{number}{{grid-row:{_MAP_ROWS + 1 + number};grid-column:{start}/{end + 1}}}\n"
        )
    return f"@media screen{{\n{''.join(rules)}}}\n" if rules else ""


def _roles(journey: JourneyFile) -> str:
    """The legend of the owner chips: each role's name, id and what it does for the customer."""
    if not journey.roles:
        return ""
    items = "".join(
        f"<div><dt>{esc(role.name)} <code>{esc(role.id)}</code></dt>"
        f"<dd>{esc(role.description or _NONE)}</dd></div>"
        for role in journey.roles
    )
    return (
        '<section class="panel" aria-labelledby="roles-h"><h2 id="roles-h">Roles</h2>'
        f'<dl class="roles">{items}</dl></section>'
    )


def _handoffs(journey: JourneyFile, flow: Flow, placement: Placement) -> str:
    if not journey.handoffs:
        return ""
    roles = {role.id: role.name for role in journey.roles}
    rows = []
    for handoff in journey.handoffs:
        at = flow.by_id.get(handoff.at) if handoff.at else None
        where = (
            f'<a href="#tp-{at.order + 1}"><span class="n">{at.order + 1}</span> {esc(at.touchpoint.name)}</a>'
            if at
            else esc(handoff.at or "\u2014")
        )
        carries = ", ".join(esc(c) for c in handoff.carries) or "\u2014"
        why = (
            esc(handoff.why) if _has_why(handoff.why) else '<span class="missing">Not stated</span>'
        )
        rows.append(
            f"<tr><td>{esc(roles.get(handoff.from_, handoff.from_))}</td>"
            f"<td>{esc(roles.get(handoff.to, handoff.to))}</td><td>{where}</td><td>{carries}</td>"
            f"<td>{why}{findings_list(placement.handoffs.get(handoff.key, []))}</td></tr>"
        )
    return (
        '<section class="panel" aria-labelledby="handoffs-h"><h2 id="handoffs-h">Handoffs</h2>'
        '<div class="table-wrap"><table class="handoffs"><thead><tr><th scope="col">From</th>'
        '<th scope="col">To</th><th scope="col">At</th><th scope="col">Carries</th>'
        '<th scope="col">Why it matters to the customer</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _all_findings(findings: Sequence[Finding], placement: Placement) -> str:
    if not findings:
        return ""
    general = (
        f"<h3>Not tied to one step</h3>{findings_list(placement.journey, with_location=True)}"
        if placement.journey
        else ""
    )
    return (
        '<section class="panel findings-panel" aria-labelledby="findings-h">'
        '<h2 id="findings-h">Validation findings</h2>'
        f"{general}<h3>All findings: syntax and schema first, then in file order</h3>"
        f"{findings_list(findings, with_location=True)}</section>"
    )


def body(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    measured: Measured | None = None,
    why_findings: Sequence[Finding] = (),
    review: ReviewState | None = None,
) -> str:
    """The page body; findings are drawn on the elements they concern and listed at the end;
    `measured` (`render --events`) adds the figures to the cards and a panel before the map;
    `why_findings` (RenderOptions) also decide which whys the summary counts; `review`, the
    review state as of `render --today`, is stated in the header."""
    placement = place(journey, findings)
    return (
        '<body><a class="skip" href="#stages">Skip to the stages</a>'
        f"{_header(journey, flow, findings, why_findings, review, measured)}<main>{_curve_section(flow)}"
        f"{measured_panel(flow, measured)}{_map(journey, flow, placement, measured)}{_roles(journey)}{_handoffs(journey, flow, placement)}"
        f"{_all_findings(findings, placement)}</main>"
        f"<footer><p>Rendered by cljourney from journey <code>{esc(journey.journey.id)}</code>."
        " Regenerate it rather than editing it.</p></footer></body>\n"
    )


def stage_css(flow: Flow) -> str:
    """Grid columns for each stage size used on this page (the CSP forbids style attributes)."""
    sizes = sorted({max(1, len(members)) for members in flow.members})
    rules = "".join(f".stage.n{n}{{grid-template-columns:repeat({n},var(--col))}}\n" for n in sizes)
    return f"@media screen{{\n{rules}}}\n"
