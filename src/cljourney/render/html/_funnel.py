"""A funnel per stage (`render --events`): one inline SVG bar per measured touchpoint, its
length the share of the customers who started the journey that reached it.

Every figure is text as well as length: each bar carries its number, and the SVG's title and
description say all of it in words for screen readers (it is an image to them). A touchpoint
where customers stop (a drop-off finding) gets a ⚠ and the count. Names are escaped text nodes.
No script, no style attribute (the page's CSP forbids them): classes and presentation
attributes only.
"""

from __future__ import annotations

from cljourney.graph import Flow
from cljourney.render.events import Measured, drop_text, reach_text, stage_members
from cljourney.render.html._page import esc
from cljourney.text.figures import share

NAME_WIDTH = 200
BAR_WIDTH = 220
VALUE_WIDTH = 240
ROW = 28
BAR = 18
TOP = 4
NAME_CHARACTERS = 28  # about what NAME_WIDTH holds at 13 px; the full name is in the description


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _clip(text: str) -> str:
    return text if len(text) <= NAME_CHARACTERS else text[: NAME_CHARACTERS - 1].rstrip() + "\u2026"


def funnel_svg(flow: Flow, measured: Measured, stage_index: int) -> str:
    """The funnel of one stage, or "" when none of its touchpoints has `events`."""
    stage = flow.journey.stages[stage_index]
    members = stage_members(measured, stage.id)
    if not members:
        return ""
    width = NAME_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = TOP * 2 + ROW * len(members)
    rows: list[str] = []
    spoken: list[str] = []
    for number, tp in enumerate(members):
        placed = flow.by_id[tp.id]
        name = f"{placed.order + 1}. {placed.touchpoint.name}"
        y = TOP + number * ROW
        length = BAR_WIDTH * (tp.reach or 0.0)
        value = f"{share(tp.reach)} \u00b7 {tp.customers:,}"
        dropping = tp.id in measured.dropping
        said = f"{name}: {reach_text(tp)}"
        if dropping:
            value += f" \u00b7 \u26a0 {tp.dropped:,} stopped"
            said += f", {drop_text(tp)}"
        spoken.append(said)
        middle = _fmt(y + BAR / 2 + 4.5)
        rows.append(
            f'<text class="f-name" x="0" y="{middle}">{esc(_clip(name))}</text>'
            f'<rect class="f-track" x="{NAME_WIDTH}" y="{y}" width="{BAR_WIDTH}" height="{BAR}"/>'
            f'<rect class="f-bar{" drop" if dropping else ""}" x="{NAME_WIDTH}" y="{y}"'
            f' width="{_fmt(length)}" height="{BAR}"/>'
            f'<text class="f-val" x="{NAME_WIDTH + BAR_WIDTH + 8}" y="{middle}">{esc(value)}</text>'
        )
    key = f"funnel-{stage_index + 1}"
    title = f"Funnel of stage {stage.name}: reach of each touchpoint"
    return (
        f'<svg class="funnel-svg" viewBox="0 0 {width} {height}" role="img"'
        f' aria-labelledby="{key}-title {key}-desc" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{key}-title">{esc(title)}</title>'
        f'<desc id="{key}-desc">{esc("; ".join(spoken))}.</desc>{"".join(rows)}</svg>'
    )


FUNNEL_CSS = (
    ".funnels{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,30rem),1fr));gap:.75rem}\n"
    ".funnel{margin:0}\n.funnel figcaption{font-size:.86rem;margin-bottom:.3rem}\n"
    ".funnel-svg{display:block;width:100%;max-width:40rem;height:auto;font-family:var(--font)}\n"
    ".funnel-svg .f-name{fill:var(--ink);font-size:13px}\n"
    ".funnel-svg .f-val{fill:var(--ink);font-size:13px;font-weight:600}\n"
    ".funnel-svg .f-track{fill:var(--soft)}\n.funnel-svg .f-bar{fill:var(--accent)}\n"
    ".funnel-svg .f-bar.drop{fill:var(--err)}\n"
)
