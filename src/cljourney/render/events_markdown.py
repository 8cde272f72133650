"""`render --events` on the markdown map and the Mermaid flowchart: each touchpoint's node
carries its reach, customers and median time from the step before; undeclared paths are dashed
red arrows labelled `undeclared`; a touchpoint where customers stop is marked ⚠ and outlined; and
a "Measured" section holds the figures per stage, the undeclared paths, the unmapped events and
conform's findings.

User text (names, event names, log paths) goes through `mdtext` or `mermaid.text`; node ids are
the flowchart's generated ones (`t3`), never user ids.
"""

from __future__ import annotations

from collections.abc import Mapping

from cljourney.graph import Flow, Placed
from cljourney.render.events import (
    UNMAPPED_SHOWN,
    Measured,
    drop_text,
    log_text,
    node_text,
    path_text,
    stage_members,
    stage_text,
    touchpoint_cells,
)
from cljourney.render.mdtext import code, inline, message
from cljourney.render.mermaid_text import text
from cljourney.text.figures import duration

MARK_DROP = "\u26a0 "  # warning sign: customers stop at this touchpoint (a drop-off finding)
UNDECLARED_STYLE = "stroke:#cf222e,stroke-width:2px,stroke-dasharray:6 4,color:#a40e26"
DROP_STYLE = "stroke:#cf222e,stroke-width:3px"
LEGEND = (
    "Each touchpoint in the flowchart shows the share of the customers who started the journey"
    " that reached it, how many they are, and the median time from the step before. Dashed"
    " arrows labelled *undeclared* are paths customers took that the journey does not declare"
    " (the most taken, from `min-path-share` of the moves out of a touchpoint); ⚠ marks a touchpoint where customers stop (a `drop-off` finding)."
)


def node_lines(measured: Measured | None, placed: Placed) -> list[str]:
    """The figure lines under a touchpoint's name, as plain text (the caller escapes them)."""
    if measured is None:
        return []
    tp = measured.touchpoint(placed.id)
    lines = [node_text(tp)]
    if tp is not None and placed.id in measured.dropping:
        lines.append(MARK_DROP + drop_text(tp))
    return lines


def undeclared_lines(
    measured: Measured | None, nodes: Mapping[str, str], first_link: int
) -> tuple[list[str], int]:
    """Mermaid lines for the undeclared paths between `nodes` (touchpoint id -> node id) and
    the drop-off outline, with the number of links they add. `first_link`: how many links the
    diagram defines before these (linkStyle counts links in order)."""
    if measured is None:
        return [], 0
    lines: list[str] = []
    for step in measured.undeclared:
        if step.source in nodes and step.target in nodes:
            label = text(path_text(measured, step), limit=None)
            lines.append(f'    {nodes[step.source]} -.->|"{label}"| {nodes[step.target]}')
    links = len(lines)
    if links:
        numbers = ",".join(str(first_link + k) for k in range(links))
        lines.append(f"    linkStyle {numbers} {UNDECLARED_STYLE}")
    dropping = [nodes[tp] for tp in sorted(measured.dropping) if tp in nodes]
    if dropping:
        lines += [f"    classDef cjDrop {DROP_STYLE}", f"    class {','.join(dropping)} cjDrop"]
    return lines, links


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    align = ["---" if i == 0 or header[i] in ("From", "To") else "--:" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    return lines + ["| " + " | ".join(row) + " |" for row in rows] + [""]


def _stage_tables(flow: Flow, measured: Measured) -> list[str]:
    lines: list[str] = []
    for stage in flow.journey.stages:
        members = stage_members(measured, stage.id)
        lines += [f"### {inline(stage.name)} ({code(stage.id)})", ""]
        lines += [inline(stage_text(measured, stage.id)) + ".", ""]
        if not members:
            continue
        rows = [
            [f"{inline(flow.by_id[t.id].touchpoint.name)} ({code(t.id)})", *touchpoint_cells(t)]
            for t in members
        ]
        header = ["Touchpoint", "Customers", "Reach", "Median", "p90", "On time", "Dropped"]
        lines += _table([*header, "In progress"], rows)
    return lines


def _name(flow: Flow, tp_id: str) -> str:
    return f"{inline(flow.by_id[tp_id].touchpoint.name)} ({code(tp_id)})"


def measured_section(flow: Flow, measured: Measured | None) -> list[str]:
    """The "Measured" section of the markdown map (nothing without `--events`)."""
    if measured is None:
        return []
    m = measured.measures
    logs = ", ".join(code(log) for log in measured.logs)
    lines = ["## Measured against the event log", "", f"**Log:** {logs}", ""]
    lines += [inline(log_text(measured)), "", LEGEND, ""]
    lines += _stage_tables(flow, measured)
    if measured.undeclared:
        rows = [
            [
                _name(flow, t.source),
                _name(flow, t.target),
                f"{t.customers:,}",
                f"{t.count:,}",
                duration(t.median_s),
            ]
            for t in measured.undeclared
        ]
        lines += ["### Undeclared paths", ""]
        lines += _table(["From", "To", "Customers", "Times", "Median"], rows)
    if m.unmapped:
        rows = [[inline(event), f"{count:,}"] for event, count in m.unmapped[:UNMAPPED_SHOWN]]
        lines += ["### Unmapped events", "", *_table(["Event", "Rows"], rows)]
    if measured.listed:
        lines += ["### Findings from the log", ""]
        lines += [
            f"- **{f.severity.value}** {code(f.rule)} (line {f.line}): {message(f.message)}"
            for f in measured.listed
        ]
        lines.append("")
    return lines
