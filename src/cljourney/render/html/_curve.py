"""The emotion curve: one inline SVG point per scored touchpoint, in journey order.

Segments follow the flow (not the file order), so a branch draws as a fork and a terminal step is
not joined to whatever follows it in the file; an unscored touchpoint leaves a gap. The first
touchpoint with the lowest score is marked as the low point. Labels are text nodes, escaped.
The curve keeps to the main journey: parallel stages run beside it, and their touchpoints' scores
are shown in their lanes, not placed on it.
"""

from __future__ import annotations

from cljourney.graph import LOOP, Flow, Placed
from cljourney.render.html._page import esc
from cljourney.text.words import noun

MIN_WIDTH = 1200
MAX_WIDTH = 2400
SLOT = 120  # user units per touchpoint before clamping: wide maps get a wide curve
TOP = 46  # below the stage names
BOTTOM = 206  # above the touchpoint numbers
LEFT = 104
RIGHT = 16
HEIGHT = 236
STAGE_PALETTE = 6
_FEEL_WORDS = {5: "delighted", 4: "pleased", 3: "neutral", 2: "unhappy", 1: "frustrated"}


NARROW = "60rem"  # below this page width the curve keeps a legible size and scrolls sideways
NARROW_SCALE = 0.75  # of the viewBox: 13-unit tick labels stay about 10 px


def main_line(flow: Flow) -> list[Placed]:
    """The touchpoints of the ordinary stages, in journey order: the curve's slots."""
    return [p for p in flow.placed if not flow.in_lane(p)]


def _slots(flow: Flow) -> dict[int, int]:
    """Flow order -> slot on the curve, for the touchpoints of the main journey."""
    return {p.order: slot for slot, p in enumerate(main_line(flow))}


def curve_width(flow: Flow) -> int:
    """The curve's width in user units: a slot per touchpoint, clamped."""
    return max(MIN_WIDTH, min(MAX_WIDTH, LEFT + RIGHT + SLOT * len(main_line(flow))))


def curve_css(flow: Flow) -> str:
    """On a narrow screen the curve would shrink to a sliver: give it a fixed, legible width
    inside its sideways-scrolling region instead (the CSP forbids style attributes)."""
    if not scored(flow):
        return ""
    width = round(curve_width(flow) * NARROW_SCALE)
    return f"@media screen and (max-width: {NARROW}){{.curve{{width:{width}px;max-width:none}}}}\n"


def _x(order: int, slot: float) -> float:
    return LEFT + slot * (order + 0.5)


def _y(score: int) -> float:
    return BOTTOM - (score - 1) * (BOTTOM - TOP) / 4


def _fmt(value: float) -> str:
    """Fixed, short number formatting so the output is byte-identical everywhere."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _clip(text: str, width: float, size: float) -> str:
    """Shorten a label to roughly fit `width` user units (the full text is in the title)."""
    room = max(1, int(width / (size * 0.6)))
    return text if len(text) <= room else text[: max(1, room - 1)].rstrip() + "\u2026"


def _label(placed: Placed) -> str:
    moment = placed.touchpoint.customer
    score = moment.score if moment else None
    feels = f", {moment.feels}" if moment and moment.feels else ""
    return f"{placed.order + 1}. {placed.touchpoint.name}: {score} of 5{feels}"


def scored(flow: Flow) -> list[Placed]:
    """Touchpoints of the main journey that carry a customer score, in journey order."""
    return [p for p in main_line(flow) if p.touchpoint.customer and p.touchpoint.customer.score]


def curve_svg(flow: Flow) -> str:
    """The whole emotion curve as one inline SVG, or "" when no touchpoint has a score."""
    points = scored(flow)
    if not points:
        return ""
    main = main_line(flow)
    slots = _slots(flow)
    total = len(main)
    width = curve_width(flow)
    slot = (width - LEFT - RIGHT) / total
    radius = max(2.0, min(7.0, slot * 0.3))
    parts = [_bands(flow, slot, slots), _axis(width)]
    parts.append(_segments(flow, slot, slots))
    low = low_point(flow)
    for placed in points:
        x, y = _x(slots[placed.order], slot), _y(_score(placed))
        if placed is low:
            parts.append(
                f'<circle class="low-ring" cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(radius + 6)}"/>'
                f'<text class="low-label" x="{_fmt(x)}" y="{_fmt(y + radius + 20)}"'
                f' text-anchor="middle">\u25bc Low point</text>'
            )
        parts.append(
            f'<circle class="point e{_score(placed)}" cx="{_fmt(x)}" cy="{_fmt(y)}"'
            f' r="{_fmt(radius)}"><title>{esc(_label(placed))}</title></circle>'
        )
    if total <= 60:
        for placed in main:
            parts.append(
                f'<text class="num" x="{_fmt(_x(slots[placed.order], slot))}" y="{BOTTOM + 22}"'
                f' text-anchor="middle">{placed.order + 1}</text>'
            )
    summary = (
        f"Emotion scores of {len(points)} of {total} {noun(total, 'touchpoint')}, from 1 (frustrated) to 5"
        f" (delighted). Low point: {_label(low) if low else ''}."
    )
    return (
        f'<svg class="curve" viewBox="0 0 {width} {HEIGHT}" role="img"'
        ' aria-labelledby="curve-title curve-desc" preserveAspectRatio="xMidYMid meet">'
        '<title id="curve-title">Emotion curve</title>'
        f'<desc id="curve-desc">{esc(summary)}</desc>'
        f"{''.join(parts)}</svg>"
    )


def low_point(flow: Flow) -> Placed | None:
    """The first touchpoint with the lowest score on the curve, or None when none is scored."""
    points = scored(flow)
    return min(points, key=lambda p: (_score(p), p.order)) if points else None


def low_note(flow: Flow) -> str:
    """The low point said in words under the curve, for everyone (not only drawn)."""
    low = low_point(flow)
    if low is None:
        return ""
    stage = flow.journey.stages[low.stage_index].name
    return (
        '<p class="low-note"><span aria-hidden="true">\u25bc</span> <strong>Low point:</strong>'
        f' {esc(_label(low))} <span class="low-stage">(stage {esc(stage)})</span></p>'
    )


def curve_table(flow: Flow) -> str:
    """The curve's text alternative: a visually hidden table of touchpoint, stage and score in
    journey order, for screen readers (the SVG itself is one image with a title and summary).
    The wrapper is what hides it: a table grows to its content whatever its own width says."""
    if not scored(flow):
        return ""
    rows = []
    for placed in main_line(flow):
        moment = placed.touchpoint.customer
        score = f"{moment.score} of 5" if moment and moment.score else "Not scored"
        feels = esc(moment.feels) if moment and moment.feels else ""
        rows.append(
            f"<tr><td>{placed.order + 1}. {esc(placed.touchpoint.name)}</td>"
            f"<td>{esc(flow.journey.stages[placed.stage_index].name)}</td>"
            f"<td>{score}</td><td>{feels}</td></tr>"
        )
    return (
        '<div class="sr"><table class="curve-table"><caption>Emotion scores in journey order</caption>'
        '<thead><tr><th scope="col">Touchpoint</th><th scope="col">Stage</th>'
        '<th scope="col">Score</th><th scope="col">Feels</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _score(placed: Placed) -> int:
    moment = placed.touchpoint.customer
    return moment.score if moment and moment.score else 0


def _bands(flow: Flow, slot: float, slots: dict[int, int]) -> str:
    parts: list[str] = []
    for index, stage in enumerate(flow.journey.stages):
        members = [slots[p.order] for p in flow.members[index] if p.order in slots]
        if not members:
            continue
        x0 = LEFT + slot * members[0]
        width = slot * len(members)
        parts.append(
            f'<rect class="band s{index % STAGE_PALETTE}" x="{_fmt(x0)}" y="8"'
            f' width="{_fmt(width)}" height="{BOTTOM - 8 + 8}"/>'
            f'<text class="band-name" x="{_fmt(x0 + 8)}" y="28">'
            f"{esc(_clip(stage.name, width - 12, 15))}<title>{esc(stage.name)}</title></text>"
        )
    return "".join(parts)


def _axis(width: int) -> str:
    parts = []
    for score in range(1, 6):
        y = _fmt(_y(score))
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{width - RIGHT}" y1="{y}" y2="{y}"/>'
            f'<text class="tick" x="{LEFT - 10}" y="{_fmt(_y(score) + 4)}" text-anchor="end">'
            f"{score} {_FEEL_WORDS[score]}</text>"
        )
    return "".join(parts)


def _segments(flow: Flow, slot: float, slots: dict[int, int]) -> str:
    lines = []
    for source, target, kind, _item in flow.edges():
        a, b = _score(source), _score(target)
        if source.order not in slots or target.order not in slots:
            continue  # an edge into or out of a parallel stage: not on the curve
        start, end = slots[source.order], slots[target.order]
        if kind == LOOP or not a or not b or end <= start:
            continue
        lines.append(f"M{_fmt(_x(start, slot))} {_fmt(_y(a))}L{_fmt(_x(end, slot))} {_fmt(_y(b))}")
    lines.sort(key=lambda d: [float(n) for n in d[1:].replace("L", " ").split()])
    return f'<path class="line" d="{"".join(lines)}"/>' if lines else ""
