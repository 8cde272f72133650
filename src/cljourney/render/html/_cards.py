"""One touchpoint as an `<article>`: its card (name, owner, channel, why, handoff, flow, findings)
and its cells in the lanes below (feels, does, thinks, pain points, opportunities, metrics).

Every user string goes through `esc` into a text node; ids and links use generated anchors
(`tp-7`), never user text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cljourney.findings import Finding
from cljourney.governance import evidence_label, item_note
from cljourney.graph import LOOP, Flow, Placed
from cljourney.model import Handoff, Touchpoint
from cljourney.model.parts import Metric, Opportunity, PainPoint, text_of
from cljourney.render.html._findings import badge, findings_list, worst
from cljourney.render.html._page import esc

LANES = (
    ("feels", "Feels"),
    ("does", "Does"),
    ("thinks", "Thinks"),
    ("pains", "Pain points"),
    ("opps", "Opportunities"),
    ("metrics", "Measured by"),
)


@dataclass(frozen=True)
class Arrival:
    """An owner change on a flow edge into a touchpoint, with the handoff declared for it (if any)."""

    source: str
    target: str
    handoff: Handoff | None


def anchor(placed: Placed) -> str:
    return f"tp-{placed.order + 1}"


def arrivals(flow: Flow) -> dict[int, list[Arrival]]:
    """Owner changes along every flow edge, keyed by the order of the touchpoint taking over."""
    declared: dict[str, list[Handoff]] = {}
    for handoff in flow.journey.handoffs:
        declared.setdefault(handoff.key, []).append(handoff)
    found: dict[int, list[Arrival]] = {}
    for source, target, _kind, _item in flow.edges():
        if not source.owner or not target.owner or source.owner == target.owner:
            continue
        options = declared.get(f"{source.owner}>{target.owner}", [])
        chosen = next((h for h in options if h.at == target.id), options[0] if options else None)
        arrival = Arrival(source.owner, target.owner, chosen)
        bucket = found.setdefault(target.order, [])
        if all((a.source, a.target) != (arrival.source, arrival.target) for a in bucket):
            bucket.append(arrival)
    return found


def _link(placed: Placed) -> str:
    return (
        f'<a href="#{anchor(placed)}"><span class="n">{placed.order + 1}</span>'
        f" {esc(placed.touchpoint.name)}</a>"
    )


def _flow_notes(flow: Flow, placed: Placed) -> str:
    out = flow.out_edges(placed)
    forward = sorted((t for _s, t, kind, _ in out if kind != LOOP), key=lambda t: t.order)
    loops = sorted((t for _s, t, kind, _ in out if kind == LOOP), key=lambda t: t.order)
    returns = sorted(
        (s for s, _t, kind, _ in flow.in_edges(placed) if kind == LOOP), key=lambda s: s.order
    )
    notes = []
    following = flow.placed[placed.order + 1] if placed.order + 1 < len(flow.placed) else None
    if len(forward) > 1:
        links = ", ".join(_link(t) for t in forward)
        notes.append(
            f'<li class="branch"><span aria-hidden="true">\u21c9</span> Branches to {links}</li>'
        )
    elif forward and forward[0] is not following:
        notes.append(
            f'<li class="jump"><span aria-hidden="true">\u21b7</span> Continues at {_link(forward[0])}</li>'
        )
    if loops:
        links = ", ".join(_link(t) for t in loops)
        notes.append(
            f'<li class="loop"><span aria-hidden="true">\u21ba</span> Loops back to {links}</li>'
        )
    if returns:
        links = ", ".join(_link(s) for s in returns)
        notes.append(
            f'<li class="loop"><span aria-hidden="true">\u21bb</span> Cycle restarts here from {links}</li>'
        )
    if placed.touchpoint.terminal:
        notes.append(
            '<li class="end"><span aria-hidden="true">\u25a0</span> The journey can end here</li>'
        )
    return f'<ul class="flow">{"".join(notes)}</ul>' if notes else ""


def _handoff_note(arrivals: Sequence[Arrival], roles: dict[str, str]) -> str:
    notes = []
    for arrival in arrivals:
        who = (
            f"<b>{esc(roles.get(arrival.source, arrival.source))}</b>"
            ' <span aria-hidden="true">\u2192</span><span class="sr"> to</span>'
            f" <b>{esc(roles.get(arrival.target, arrival.target))}</b>"
        )
        if arrival.handoff is None:
            notes.append(
                f'<div class="handoff gap"><p class="h-title"><span aria-hidden="true">\u21c4</span>'
                f" Owner changes, no handoff declared</p><p>{who}</p></div>"
            )
            continue
        carries = "".join(f"<li>{esc(item)}</li>" for item in arrival.handoff.carries)
        carried = (
            f'<p class="carries-label">Carries</p><ul class="carries">{carries}</ul>'
            if carries
            else ""
        )
        notes.append(
            f'<div class="handoff"><p class="h-title"><span aria-hidden="true">\u21c4</span> Handoff</p>'
            f"<p>{who}</p>{carried}</div>"
        )
    return "".join(notes)


def _list(items: Sequence[str | PainPoint | Opportunity | Metric]) -> str:
    if not items:
        return ""
    return f"<ul>{''.join(f'<li>{esc(text_of(item))}{_note(item_note(item))}</li>' for item in items)}</ul>"


def _note(text: str) -> str:
    """What an object item adds (evidence, status and owner, target and source), set apart."""
    return f' <small class="note">({esc(text)})</small>' if text else ""


def _meter(score: int | None) -> str:
    if score is None:
        return '<p class="meter none">No score</p>'
    dots = "".join(f'<span class="dot{" on" if i <= score else ""}"></span>' for i in range(1, 6))
    return (
        f'<p class="meter e{score}"><span class="dots" aria-hidden="true">{dots}</span>'
        f' <span class="score">{score}/5</span></p>'
    )


def _lane_cells(tp: Touchpoint) -> str:
    moment = tp.customer
    feels = _meter(moment.score if moment else None)
    if moment and moment.feels:
        feels += f'<p class="feel-word">{esc(moment.feels)}</p>'
    if moment and moment.evidence:
        label = esc(evidence_label(moment.evidence))
        feels += f'<p class="evidence"><small class="note">Evidence: {label}</small></p>'
    cells = {
        "feels": feels,
        "does": f"<p>{esc(moment.does)}</p>" if moment and moment.does else "",
        "thinks": f'<blockquote class="bubble"><p>{esc(moment.thinks)}</p></blockquote>'
        if moment and moment.thinks
        else "",
        "pains": _list(tp.pain_points),
        "opps": _list(tp.opportunities),
        "metrics": _list(tp.metrics),
    }
    out = []
    for key, title in LANES:
        body = cells[key] or '<p class="empty">\u2014</p>'
        out.append(f'<div class="cell l-{key}"><h4 class="lane-name">{title}</h4>{body}</div>')
    return "".join(out)


MUST_PASS_CHIP = '<span class="chip must"><span aria-hidden="true">\u25c6</span> Must-pass</span>'
"""On the card of a touchpoint every path from the start to an end goes through: in words, so
it never rests on colour (the map's note says what it means)."""


def touchpoint_article(
    flow: Flow,
    placed: Placed,
    findings: Sequence[Finding],
    arrivals: Sequence[Arrival],
    roles: dict[str, str],
    must_pass: bool = False,
    figures: str = "",
) -> str:
    """The article for one touchpoint: the card row (ending with `figures`, markup the event
    log's overlay made), then one cell per lane."""
    tp = placed.touchpoint
    level = worst(findings)
    status = f" has-{level.value}" if level else ""
    mark = ""
    if level:
        icon, word = badge(level)
        mark = f'<span class="mark {level.value}" title="{word}"><span aria-hidden="true">{icon}</span><span class="sr"> {word}</span></span>'
    owner = roles.get(placed.owner, placed.owner) if placed.owner else "No owner"
    channel = f'<span class="chip channel">{esc(tp.channel)}</span>' if tp.channel else ""
    if must_pass:
        channel += MUST_PASS_CHIP
    why = (
        f'<p class="why"><span class="k">Why it matters to the customer</span>{esc(tp.why)}</p>'
        if tp.why and tp.why.strip()
        else '<p class="why missing"><span class="k">Why it matters to the customer</span>Not stated</p>'
    )
    how = f'<p class="how"><span class="k">How</span>{esc(tp.how)}</p>' if tp.how else ""
    card = (
        f'<div class="card{status}">{_handoff_note(arrivals, roles)}'
        f'<h3 id="{anchor(placed)}-name"><span class="n">{placed.order + 1}</span>'
        f" {esc(tp.name)}{mark}</h3>"
        f'<p class="chips"><span class="chip owner"><span class="sr">Owner: </span>{esc(owner)}</span>{channel}</p>'
        f"{why}{how}{_flow_notes(flow, placed)}{findings_list(findings)}"
        f"{figures}</div>"
    )
    return (
        f'<article class="tp" id="{anchor(placed)}" tabindex="-1"'
        f' aria-labelledby="{anchor(placed)}-name">{card}{_lane_cells(tp)}</article>'
    )
