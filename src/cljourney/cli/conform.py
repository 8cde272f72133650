"""`cljourney conform`: hold journeys against an event log. Options -> `ConformRun` -> report.

Registered on the app by `cli.app`; DuckDB and the engine are imported only when it runs.
"""

from __future__ import annotations

import io
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cljourney.cli.eventlog import (
    AsOf,
    CaseColumn,
    Engine,
    EngineChoice,
    EventColumn,
    EventLogs,
    LogOptions,
    MemoryLimit,
    SparkMaster,
    Threads,
    TimeColumn,
    TimeZone,
    log_notes,
    run_conform,
)
from cljourney.cli.options import Color, file_output, use_color
from cljourney.cli.params import (
    EXIT_FINDINGS,
    EXIT_OK,
    ColorChoice,
    ConfigFile,
    Isolated,
    ReportFile,
    usage_errors,
)
from cljourney.report.conform import CONFORM_FORMATS

ConformFormat = Enum("ConformFormat", {name: name for name in CONFORM_FORMATS}, type=str)  # type: ignore[misc]


def conform(
    journeys: Annotated[
        list[Path], typer.Argument(help="Journey files to check.", metavar="JOURNEY...")
    ],
    events: EventLogs,
    case: CaseColumn = None,
    event: EventColumn = None,
    time: TimeColumn = None,
    timezone_name: TimeZone = None,
    as_of: AsOf = None,
    memory_limit: MemoryLimit = None,
    threads: Threads = None,
    engine: EngineChoice = Engine.duckdb,
    spark_master: SparkMaster = None,
    output_format: Annotated[
        ConformFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ConformFormat.text,  # type: ignore[attr-defined]
    output: ReportFile = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print findings only.")] = False,
    color: ColorChoice = Color.auto,
    config: ConfigFile = None,
    isolated: Isolated = False,
) -> None:
    """Hold journeys against an event log: reach, drop-off, undeclared paths, times vs targets."""
    from cljourney.cli.atomic import check_replaceable, write_text_atomic
    from cljourney.findings import Severity
    from cljourney.report import ReportOptions, find_root
    from cljourney.report.conform import get_conform_reporter

    with usage_errors():
        report_path = file_output(output, "the report")
        logs = tuple(events or ())
        inputs = [*journeys, *(Path(log) for log in logs)]  # never written over
        if report_path is not None:
            check_replaceable(report_path, inputs)
        log = LogOptions(
            logs,
            case=case,
            event=event,
            time=time,
            timezone=timezone_name,
            as_of=as_of,
            memory_limit=memory_limit,
            threads=threads,
            engine=engine.value,
            spark_master=spark_master,
        )
        _, report = run_conform(journeys, log, config, isolated, require_events=True)
        log_notes(report)
        name = output_format.value
        buffer = io.StringIO()
        stream = buffer if report_path is not None else sys.stdout
        colored = name == "text" and report_path is None and use_color(color, sys.stdout)
        options = ReportOptions(
            color=colored, strict=strict, quiet=quiet, root=find_root(Path.cwd())
        )
        get_conform_reporter(name)(report, stream, options)
        if report_path is not None:
            write_text_atomic(report_path, buffer.getvalue(), inputs)
    findings = report.findings
    errors = any(f.severity is Severity.ERROR for f in findings)
    warnings = any(f.severity is Severity.WARNING for f in findings)
    raise typer.Exit(EXIT_FINDINGS if errors or (strict and warnings) else EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command(
        short_help="Hold journeys against an event log: reach, drop-off, undeclared paths, targets."
    )(conform)
