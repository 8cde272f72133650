"""`cljourney conform`: hold journeys against an event log. Options -> `ConformRun` -> report.

Registered on the app by `cli.app`; DuckDB and the engine are imported only when it runs.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from cljourney.cli.options import Color, file_output, use_color
from cljourney.cli.params import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE
from cljourney.errors import UsageError
from cljourney.report.conform import CONFORM_FORMATS

T = TypeVar("T")


class Engine(str, Enum):
    duckdb = "duckdb"
    spark = "spark"


ConformFormat = Enum("ConformFormat", {name: name for name in CONFORM_FORMATS}, type=str)  # type: ignore[misc]


def parse_as_of(text: str | None) -> int | None:
    """`--as-of` (ISO 8601; a date or a time, naive = UTC) as microseconds since the epoch."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--as-of {text}: not an ISO 8601 date or time; write e.g. 2024-06-30 or"
            " 2024-06-30T12:00:00Z"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return round(moment.timestamp() * 1_000_000)


def conform(
    journeys: Annotated[
        list[Path], typer.Argument(help="Journey files to check.", metavar="JOURNEY...")
    ],
    events: Annotated[
        list[str],
        typer.Option(
            "--events",
            "-e",
            metavar="LOG",
            help="Event log: CSV/TSV (.gz), JSON Lines (.jsonl/.ndjson, .gz), Parquet (a file, a"
            " directory or a glob). Repeat for several.",
        ),
    ],
    case: Annotated[
        str | None, typer.Option("--case", metavar="COLUMN", help="Column of the customer id.")
    ] = None,
    event: Annotated[
        str | None, typer.Option("--event", metavar="COLUMN", help="Column of the event name.")
    ] = None,
    time: Annotated[
        str | None, typer.Option("--time", metavar="COLUMN", help="Column of the time.")
    ] = None,
    timezone_name: Annotated[
        str | None,
        typer.Option(
            "--timezone", metavar="ZONE", help="Zone of times without an offset. Default: UTC."
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="TIME",
            help="Judge drop-off as of this time. Default: the latest time in the log.",
        ),
    ] = None,
    memory_limit: Annotated[
        str | None,
        typer.Option(
            "--memory-limit", metavar="SIZE", help="Memory the engine may use (2GB); it spills."
        ),
    ] = None,
    threads: Annotated[
        int | None, typer.Option("--threads", min=1, metavar="N", help="Engine threads.")
    ] = None,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="Where the queries run: DuckDB in this process, or Apache Spark (needs"
            " cljourney[spark] and Java, or a Spark Connect server in SPARK_REMOTE).",
        ),
    ] = Engine.duckdb,
    spark_master: Annotated[
        str | None,
        typer.Option(
            "--spark-master",
            metavar="URL",
            help="Spark master for --engine spark (local[*], spark://..., yarn). Default: the"
            " active session, SPARK_REMOTE, else local[*].",
        ),
    ] = None,
    output_format: Annotated[
        ConformFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ConformFormat.text,  # type: ignore[attr-defined]
    output: Annotated[
        str | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write the report to FILE."),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print findings only.")] = False,
    color: Annotated[Color, typer.Option("--color", help="Colour the text output.")] = Color.auto,
    config: Annotated[
        Path | None,
        typer.Option("--config", metavar="FILE", help="Use this config file instead of searching."),
    ] = None,
    isolated: Annotated[bool, typer.Option("--isolated", help="Ignore every config file.")] = False,
) -> None:
    """Hold journeys against an event log: reach, drop-off, undeclared paths, times vs targets."""
    from cljourney.check.config import ConfigError, conform_options, load_config, rule_selection
    from cljourney.cli.atomic import OutputError, check_replaceable, write_text_atomic
    from cljourney.conform.read import ColumnChoice, log_source
    from cljourney.conform.run import ConformRun
    from cljourney.conform.run import conform as run_conform
    from cljourney.findings import Severity
    from cljourney.report import ReportOptions, find_root
    from cljourney.report.conform import get_conform_reporter

    try:
        if config is not None and not config.is_file():
            raise UsageError(f"{config}: no such config file")
        try:
            loaded = load_config(config, isolated=isolated)
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
        columns = loaded.config.events
        report_path = file_output(output, "the report")
        inputs = [*journeys, *(Path(log) for log in events)]  # never written over
        if report_path is not None:
            check_replaceable(report_path, inputs)
        spark = engine is Engine.spark
        _check_engine_options(spark, memory_limit, threads, spark_master)
        run = ConformRun(
            journeys=tuple(journeys),
            logs=tuple(log_source(log, remote=spark) for log in events),
            columns=ColumnChoice(
                case or columns.case, event or columns.event, time or columns.time
            ),
            as_of_us=parse_as_of(as_of),
            memory_limit=memory_limit,
            threads=threads,
            timezone=timezone_name or columns.timezone or "UTC",
            engine=engine.value,
            spark_master=spark_master,
            options=conform_options(loaded.config.options),
            selection=rule_selection(loaded),
        )
        report = _with_spinner(lambda: run_conform(run))
        _notes(report)
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
    except (UsageError, OutputError) as exc:
        sys.stderr.write(f"cljourney: error: {exc}\n")
        raise typer.Exit(EXIT_USAGE) from None
    findings = report.findings
    errors = any(f.severity is Severity.ERROR for f in findings)
    warnings = any(f.severity is Severity.WARNING for f in findings)
    raise typer.Exit(EXIT_FINDINGS if errors or (strict and warnings) else EXIT_OK)


def _check_engine_options(
    spark: bool, memory_limit: str | None, threads: int | None, master: str | None
) -> None:
    """Options of one engine given with the other are mistakes, not silently ignored."""
    if spark and (memory_limit is not None or threads is not None):
        flag = "--memory-limit" if memory_limit is not None else "--threads"
        raise UsageError(
            f"{flag} applies to --engine duckdb; size Spark with its own settings"
            " (spark-submit --driver-memory, --executor-memory, --master local[N])"
        )
    if not spark and master is not None:
        raise UsageError("--spark-master applies to --engine spark")


def _with_spinner(work: Callable[[], T]) -> T:
    """Run `work` with a transient spinner on stderr when stderr is a terminal (reading a large
    log takes seconds); otherwise (CI, pipes, files) print nothing."""
    if not sys.stderr.isatty():
        return work()
    from rich.console import Console

    with Console(stderr=True).status("cljourney: reading the event log and measuring..."):
        return work()


def _notes(report: object) -> None:
    """Skipped rows and journeys nobody started, on stderr (the report stays data)."""
    from cljourney.conform.run import ConformReport
    from cljourney.text.words import plural

    assert isinstance(report, ConformReport)
    log = report.log
    if log.skipped_rows:
        parts = [
            f"{bad.count:,} with {bad.reason} (e.g. {', '.join(bad.examples)})" for bad in log.bad
        ]
        sys.stderr.write(
            f"cljourney: note: skipped {plural(log.skipped_rows, 'row')} of the log:"
            f" {'; '.join(parts)}\n"
        )
    if log.rows == 0:
        sys.stderr.write("cljourney: note: the event log has no rows\n")
    for result in report.journeys:
        if result.measures is not None and result.measures.started == 0 and log.rows:
            sys.stderr.write(
                f"cljourney: note: {result.path}: no event of the log maps to a touchpoint of"
                f" journey '{result.journey}'; compare its `events` with the unmapped events"
                " listed\n"
            )


def register(app: typer.Typer) -> None:
    app.command(
        short_help="Hold journeys against an event log: reach, drop-off, undeclared paths, targets."
    )(conform)
