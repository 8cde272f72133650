"""`conform --format text`: per stage a table of its touchpoints, the top undeclared paths and
unmapped events, then the findings as `validate` prints them; numbers people read (`4.2 d`,
`87.5 %`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TextIO

from cljourney.conform.measures import JourneyMeasures, columns_read, period
from cljourney.findings import Severity
from cljourney.render.events import touchpoint_cells
from cljourney.report import ReportOptions
from cljourney.report.text import format_line
from cljourney.text.figures import duration, share
from cljourney.text.shown import printable
from cljourney.text.words import counted, plural

if TYPE_CHECKING:
    from rich.console import Console

    from cljourney.conform.run import ConformReport

LISTED = 10  # undeclared paths and unmapped events shown; the rest are counted
WIDTH = 110  # columns when not writing to a terminal, so reports are the same everywhere


def _quoted(name: str) -> str:
    """A column's name as the log's error messages quote it (`conform.read`)."""
    return f"'{printable(name)}'"


def _header(m: JourneyMeasures, journey: str, path: str) -> str:
    log = m.log
    fitness = share(m.fitness)
    return (
        f"{printable(path)}: journey '{journey}'\n"
        f"  log: {counted(log.rows, 'row')}, {counted(log.customers, 'customer')},"
        f" {m.started:,} started the journey; {counted(m.mapped_events, 'event')} mapped,"
        f" {m.unmapped_events:,} unmapped, {counted(log.skipped_rows, 'row')} skipped\n"
        f"  columns: {columns_read(log, _quoted, printable)}\n"
        f"  {period(log)};"
        f" fitness {fitness} (customers whose every step is declared)\n"
    )


def _stage_tables(console: Console, m: JourneyMeasures) -> None:
    from rich.table import Table

    for stage in m.stages:
        title = (
            f"{stage.id}: {counted(stage.customers, 'customer')}, median"
            f" {duration(stage.median_in_stage_s)}"
            f" in stage (p90 {duration(stage.p90_in_stage_s)})"
        )
        if stage.within_target is not None:
            title += f", {share(stage.within_target)} within target"
        console.print(title, markup=False)
        table = Table(expand=False)
        for name in (
            "touchpoint",
            "customers",
            "reach",
            "median",
            "p90",
            "on time",
            "dropped",
            "in progress",
        ):
            table.add_column(name, justify="left" if name == "touchpoint" else "right")
        for t in m.touchpoints:
            if t.stage != stage.id:
                continue
            if t.id not in m.measured:
                table.add_row(t.id, *["-"] * 7)
                continue
            table.add_row(t.id, *touchpoint_cells(t))
        console.print(table)


def _lists(console: Console, m: JourneyMeasures) -> None:
    undeclared = [t for t in m.transitions if not t.declared]
    if undeclared:
        shown = "" if len(undeclared) <= LISTED else f", the {LISTED} most taken shown"
        console.print(f"Undeclared paths ({len(undeclared)}{shown}):")
        for t in undeclared[:LISTED]:
            console.print(
                f"  {t.source} -> {t.target}: {counted(t.customers, 'customer')},"
                f" {counted(t.count, 'time')},"
                f" median {duration(t.median_s)}",
                highlight=False,
            )
    if m.unmapped:
        names = plural(len(m.unmapped), "name")
        shown = "" if len(m.unmapped) <= LISTED else f"; the {LISTED} most frequent shown"
        console.print(f"Unmapped events ({names}, {counted(m.unmapped_events, 'row')}{shown}):")
        for event, count in m.unmapped[:LISTED]:
            console.print(f"  {printable(event)}: {count:,}", markup=False, highlight=False)


def write(report: ConformReport, stream: TextIO, options: ReportOptions) -> None:
    from rich.console import Console

    console = Console(
        file=stream,
        force_terminal=options.color,
        no_color=not options.color,
        highlight=False,
        width=None if options.color else WIDTH,
        soft_wrap=False,
    )
    if not options.quiet:
        for result in report.journeys:
            if result.measures is None:
                continue
            console.print(
                _header(result.measures, result.journey, result.path), markup=False, soft_wrap=True
            )
            _stage_tables(console, result.measures)
            _lists(console, result.measures)
            console.print()
    findings = report.findings
    for finding in findings:
        console.print(format_line(finding), markup=False, highlight=False, soft_wrap=True)
    if options.quiet:
        return
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING)
    infos = sum(1 for f in findings if f.severity is Severity.INFO)
    line = (
        f"{plural(errors, 'error')}, {plural(warnings, 'warning')}, {infos} info in"
        f" {plural(len(report.journeys), 'journey')}."
    )
    if options.strict and warnings:
        line += " (--strict: warnings fail the run)"
    console.print(line, markup=False)
