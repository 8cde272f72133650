"""`render --events` on the HTML map: the figures on each card (reach, time from the step before,
target compliance, who was last seen there, the undeclared paths out of it, conform's findings
on it), and a panel with the log, a funnel per stage, the undeclared paths and unmapped events.

Every user string (names, event names, log paths, messages) is escaped into a text node; links
use the generated card anchors (`#tp-7`).
"""

from __future__ import annotations

from cljourney.findings import Kind
from cljourney.graph import Flow, Placed
from cljourney.render.events import (
    UNMAPPED_SHOWN,
    Measured,
    card_figures,
    log_text,
    path_text,
    stage_text,
)
from cljourney.render.html._cards import anchor
from cljourney.render.html._findings import findings_list
from cljourney.render.html._funnel import FUNNEL_CSS, funnel_svg
from cljourney.render.html._page import esc
from cljourney.text.figures import duration


def _link(placed: Placed) -> str:
    return (
        f'<a href="#{anchor(placed)}"><span class="n">{placed.order + 1}</span>'
        f" {esc(placed.touchpoint.name)}</a>"
    )


def measured_card(measured: Measured | None, flow: Flow, placed: Placed) -> str:
    """The figures block of one card ("" without `--events`)."""
    if measured is None:
        return ""
    tp = measured.touchpoint(placed.id)
    if tp is None:
        return (
            '<div class="measured"><p class="k">Measured</p>'
            "<p>Not measured: this touchpoint has no <code>events</code>.</p></div>"
        )
    figures = "".join(f"<div><dt>{k}:</dt> <dd>{esc(v)}</dd></div>" for k, v in card_figures(tp))
    paths = [
        f"<li>{_link(flow.by_id[step.target])} ({esc(path_text(measured, step))})</li>"
        for step in measured.undeclared
        if step.source == placed.id
    ]
    undeclared = (
        f'<p class="k">Undeclared paths from here</p><ul class="undeclared">{"".join(paths)}</ul>'
        if paths
        else ""
    )
    own = [f for f in measured.listed if f.kind is Kind.TOUCHPOINT and f.element == placed.id]
    return (
        '<div class="measured"><p class="k">Measured</p>'
        f'<dl class="figs">{figures}</dl>{undeclared}{findings_list(own)}</div>'
    )


def _table(caption: str, header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th scope="col">{title}</th>' for title in header)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return (
        f'<div class="table-wrap"><table class="measured-table"><caption class="sr">{caption}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _funnels(flow: Flow, measured: Measured) -> str:
    figures = []
    for index, stage in enumerate(flow.journey.stages):
        svg = funnel_svg(flow, measured, index)
        if svg:
            figures.append(
                f'<figure class="funnel"><figcaption><b>{esc(stage.name)}</b>:'
                f" {esc(stage_text(measured, stage.id))}</figcaption>{svg}</figure>"
            )
    return f'<div class="funnels">{"".join(figures)}</div>'


def measured_panel(flow: Flow, measured: Measured | None) -> str:
    """The panel on the log and the figures beyond the cards ("" without `--events`)."""
    if measured is None:
        return ""
    logs = ", ".join(f"<code>{esc(log)}</code>" for log in measured.logs)
    parts = [
        '<section class="panel measured-panel" aria-labelledby="measured-h">'
        '<h2 id="measured-h">Measured against the event log</h2>'
        f'<p><span class="k">Log</span> {logs}</p><p>{esc(log_text(measured))}</p>'
        "<h3>Reach per stage</h3><p>Each bar: the share of the customers who started the"
        " journey that reached the touchpoint, then how many they are; \u26a0: customers stop"
        f" there (a drop-off finding).</p>{_funnels(flow, measured)}"
    ]
    if measured.undeclared:
        rows = [
            [
                _link(flow.by_id[t.source]),
                _link(flow.by_id[t.target]),
                f"{t.customers:,}",
                f"{t.count:,}",
                duration(t.median_s),
            ]
            for t in measured.undeclared
        ]
        header = ["From", "To", "Customers", "Times", "Median time"]
        parts.append(
            "<h3>Undeclared paths</h3><p>Paths customers took that the journey does not declare"
            " (from <code>min-path-share</code> of the moves out of a touchpoint), the most taken"
            " first.</p>" + _table("Undeclared paths", header, rows)
        )
    unmapped = measured.measures.unmapped[:UNMAPPED_SHOWN]
    if unmapped:
        rows = [[f"<code>{esc(event)}</code>", f"{count:,}"] for event, count in unmapped]
        parts.append(
            "<h3>Unmapped events</h3><p>Events of the log no touchpoint's <code>events</code>"
            " names, the most frequent first.</p>"
            + _table("Unmapped events", ["Event", "Rows"], rows)
        )
    if measured.listed:
        parts.append(
            '<h3 id="log-findings">Findings from the log</h3>'
            + findings_list(measured.listed, with_location=True)
        )
    return "".join(parts) + "</section>"


def measured_css(measured: Measured | None) -> str:
    """The styles of the overlay, only on a measured map."""
    if measured is None:
        return ""
    return FUNNEL_CSS + (
        ".measured{margin-top:.5rem;padding-top:.4rem;border-top:1px dashed var(--line)}\n"
        ".measured .figs{display:grid;gap:.15rem;margin:.2rem 0;font-size:.82rem}\n"
        ".measured .figs dt{display:inline;color:var(--muted)}\n"
        ".measured .figs dd{display:inline;margin:0;font-weight:600}\n"
        ".measured .undeclared{margin:.2rem 0;padding-left:1rem;font-size:.82rem}\n"
    )
