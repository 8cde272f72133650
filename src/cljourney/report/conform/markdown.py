"""`conform --format markdown`: a report for a wiki or a pull request. Per journey, a Mermaid
flowchart of what customers did (each touchpoint with its reach; each observed step with its
customers and share of the moves out of its source; undeclared steps dashed and red; touchpoints
with a drop-off finding marked), then per stage a table, the top undeclared paths and unmapped
events, and the findings. Deterministic, so a report can be committed."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from cljourney.conform.measures import JourneyMeasures, columns_read, period
from cljourney.render import mdtext
from cljourney.render.events import touchpoint_cells
from cljourney.report import ReportOptions
from cljourney.report.conform.text import LISTED
from cljourney.text.figures import duration, percent, share
from cljourney.text.words import counted

if TYPE_CHECKING:
    from cljourney.conform.run import ConformReport, JourneyResult

_UNDECLARED = "stroke:#d73a49,stroke-width:2px,stroke-dasharray:5 5"


def _cell(text: str) -> str:
    """Text for a table cell: pipes escaped, no line breaks, no HTML."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def flowchart(m: JourneyMeasures, dropping: set[str]) -> list[str]:
    """The Mermaid flowchart of one journey's measures (ids are slugs: safe in Mermaid)."""
    node = {t.id: f"t{number}" for number, t in enumerate(m.touchpoints)}
    lines = ["```mermaid", "flowchart LR"]
    stages: dict[str, list[str]] = {}
    for t in m.touchpoints:
        stages.setdefault(t.stage, []).append(t.id)
    for number, (stage, members) in enumerate(stages.items()):
        lines.append(f'  subgraph s{number}["{stage}"]')
        for tp_id in members:
            t = next(x for x in m.touchpoints if x.id == tp_id)
            label = tp_id if t.reach is None else f"{tp_id}<br/>{t.customers:,} · {share(t.reach)}"
            if tp_id in dropping:
                label += f"<br/>⚠ {t.dropped:,} stopped here"
            lines.append(f'    {node[tp_id]}["{label}"]')
        lines.append("  end")
    out: dict[str, int] = {}
    for step in m.transitions:
        out[step.source] = out.get(step.source, 0) + step.count
    dashed = []
    in_file = sorted(
        m.transitions, key=lambda s: (int(node[s.source][1:]), int(node[s.target][1:]))
    )
    for number, step in enumerate(in_file):
        arrow = "-->" if step.declared else "-.->"
        label = f"{step.customers:,} · {percent(step.count / out[step.source])}"
        lines.append(f'  {node[step.source]} {arrow}|"{label}"| {node[step.target]}')
        if not step.declared:
            dashed.append(str(number))
    if dashed:
        lines.append(f"  linkStyle {','.join(dashed)} {_UNDECLARED}")
    if dropping:
        lines.append("  classDef dropping fill:#ffeef0,stroke:#d73a49,stroke-width:2px")
        lines.append(f"  class {','.join(node[d] for d in sorted(dropping))} dropping")
    lines.append("```")
    return lines


def _journey(result: JourneyResult, m: JourneyMeasures) -> list[str]:
    log = m.log
    dropping = {f.element for f in result.findings if f.rule == "drop-off"}
    lines = [
        f"## Journey `{result.journey}` (`{_cell(result.path)}`)",
        "",
        f"{m.started:,} of {counted(log.customers, 'customer')} started the journey;"
        f" {counted(m.mapped_events, 'event')} mapped to touchpoints, {m.unmapped_events:,}"
        f" unmapped, {counted(log.skipped_rows, 'row')} skipped."
        f" Columns read: {columns_read(log, mdtext.code, mdtext.code)}."
        f" {period(log, start='From')}. Fitness {share(m.fitness)} (customers whose every step is"
        " declared).",
        "",
        *flowchart(m, dropping),
        "",
    ]
    for stage in m.stages:
        lines += [
            f"### {stage.id}: {counted(stage.customers, 'customer')}, median"
            f" {duration(stage.median_in_stage_s)} in stage"
            + (
                f", {share(stage.within_target)} within target"
                if stage.within_target is not None
                else ""
            ),
            "",
            "| touchpoint | customers | reach | median | p90 | on time | dropped | in progress |",
            "|---|--:|--:|--:|--:|--:|--:|--:|",
        ]
        for t in m.touchpoints:
            if t.stage != stage.id:
                continue
            if t.id not in m.measured:
                lines.append(f"| `{t.id}` | - | - | - | - | - | - | - |")
                continue
            lines.append(f"| `{t.id}` | {' | '.join(touchpoint_cells(t))} |")
        lines.append("")
    undeclared = [t for t in m.transitions if not t.declared][:LISTED]
    if undeclared:
        lines += [
            "### Undeclared paths",
            "",
            "| from | to | customers | times | median |",
            "|---|---|--:|--:|--:|",
        ]
        lines += [
            f"| `{t.source}` | `{t.target}` | {t.customers:,} | {t.count:,} | {duration(t.median_s)} |"
            for t in undeclared
        ]
        lines.append("")
    if m.unmapped:
        lines += ["### Unmapped events", "", "| event | rows |", "|---|--:|"]
        lines += [f"| {_cell(event)} | {count:,} |" for event, count in m.unmapped[:LISTED]]
        lines.append("")
    return lines


def write(report: ConformReport, stream: TextIO, options: ReportOptions) -> None:
    lines = ["# Conform report", ""]
    for result in report.journeys:
        if result.measures is not None:
            lines += _journey(result, result.measures)
    findings = report.findings
    lines += ["## Findings", ""]
    if not findings:
        lines.append("None.")
    for f in findings:
        lines.append(
            f"- **{f.severity.value}** `{f.rule}` {_cell(f.path)}:{f.line}:{f.column}: {_cell(f.message)}"
        )
    stream.write("\n".join(lines) + "\n")
