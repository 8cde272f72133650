"""The event-log options `conform` and `render --events` share, declared once, and the one
functions turning them (with the config) into a `LogRequest`, a `ConformRun` and a report.

Typer needs every option on the command function, so each command lists these aliases; what
they mean (config fallbacks, `--as-of` parsing, the default time zone) is decided here only.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Protocol, TypeVar

import typer

from cljourney.cli.terminate import ended_cleanly_when_terminated
from cljourney.errors import UsageError

if TYPE_CHECKING:
    from cljourney.check.config import LoadedConfig
    from cljourney.conform.measures import LogFacts
    from cljourney.conform.reading import LogReading, LogRequest
    from cljourney.conform.run import ConformReport, ConformRun
    from cljourney.render.events import Measured

T = TypeVar("T")

EVENTS_HELP = (
    "Event log: CSV/TSV (.gz), JSON Lines (.jsonl/.ndjson, .gz), Parquet (a file, a directory or"
    " a glob). Repeat for several."
)
EventLogs = Annotated[
    list[str] | None, typer.Option("--events", "-e", metavar="LOG", help=EVENTS_HELP)
]
CaseColumn = Annotated[
    str | None,
    typer.Option(
        "--case",
        metavar="COLUMN",
        help="Column of the customer id (a nested JSON field as parent.field).",
    ),
]
EventColumn = Annotated[
    str | None, typer.Option("--event", metavar="COLUMN", help="Column of the event name.")
]
TimeColumn = Annotated[
    str | None, typer.Option("--time", metavar="COLUMN", help="Column of the time.")
]
TimeZone = Annotated[
    str | None,
    typer.Option(
        "--timezone", metavar="ZONE", help="Zone of times without an offset. Default: UTC."
    ),
]
AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="TIME",
        help="Judge drop-off as of this time. Default: the latest time in the log.",
    ),
]
MemoryLimit = Annotated[
    str | None,
    typer.Option(
        "--memory-limit", metavar="SIZE", help="Memory the engine may use (2GB); it spills."
    ),
]
Threads = Annotated[
    int | None, typer.Option("--threads", min=1, metavar="N", help="Engine threads.")
]


class Engine(str, Enum):
    duckdb = "duckdb"
    spark = "spark"


EngineChoice = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="Where the queries run: DuckDB in this process, or Apache Spark (needs"
        " cljourney[spark] and Java, or a Spark Connect server in SPARK_REMOTE).",
    ),
]
SparkMaster = Annotated[
    str | None,
    typer.Option(
        "--spark-master",
        metavar="URL",
        help="Spark master for --engine spark (local[*], spark://..., yarn). Default: the"
        " active session, SPARK_REMOTE, else local[*].",
    ),
]


@dataclass(frozen=True)
class LogOptions:
    """The event-log options as given on the command line (None: not given)."""

    events: tuple[str, ...]
    case: str | None = None
    event: str | None = None
    time: str | None = None
    timezone: str | None = None
    as_of: str | None = None
    memory_limit: str | None = None
    threads: int | None = None
    engine: str = Engine.duckdb.value
    spark_master: str | None = None

    def given(self) -> list[str]:
        """The flags given besides `--events` (they mean nothing without a log)."""
        return self.words()[2 * len(self.events) :: 2]

    def words(self) -> list[str]:
        """These options as command-line words (for the command a `--check` prints)."""
        words: list[str] = []
        for log in self.events:
            words += ["--events", log]
        for flag, value in (
            ("--case", self.case),
            ("--event", self.event),
            ("--time", self.time),
            ("--timezone", self.timezone),
            ("--as-of", self.as_of),
            ("--memory-limit", self.memory_limit),
            ("--threads", None if self.threads is None else str(self.threads)),
            ("--engine", None if self.engine == Engine.duckdb.value else self.engine),
            ("--spark-master", self.spark_master),
        ):
            if value is not None:
                words += [flag, value]
        return words


def parse_as_of(text: str | None, zone: str = "UTC") -> int | None:
    """`--as-of` (ISO 8601; a date or a time; without an offset, in `zone`, a checked IANA name,
    as the log's naive times are) as microseconds since the epoch."""
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
        import zoneinfo

        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(zone))
    return round(moment.timestamp() * 1_000_000)


class EventSettings(Protocol):
    """The config's `events` table as the read needs it: `EventsConfig` once the config is
    loaded, `EventsPeek` before."""

    @property
    def case(self) -> str | None: ...
    @property
    def event(self) -> str | None: ...
    @property
    def time(self) -> str | None: ...
    @property
    def timezone(self) -> str | None: ...


def log_request(log: LogOptions, columns: EventSettings, config: Path | None) -> LogRequest:
    """What to read: command-line options first, then the config's `[tool.cljourney.events]`
    (`columns`, from the file `config`), then the defaults (recognised columns, UTC). Light:
    the CLI starts the read with it before the rest of the run is imported and built."""
    from cljourney.check.configfile import key_origin
    from cljourney.conform.read import ColumnChoice, check_timezone, log_source
    from cljourney.conform.reading import LogRequest

    spark = log.engine == Engine.spark.value
    _check_engine_options(spark, log)
    zone = log.timezone or columns.timezone or "UTC"
    origin = None
    if log.timezone is None and columns.timezone and config is not None:
        origin = key_origin(config, ("events", "timezone"))
    check_timezone(zone, origin)  # once, before --as-of is read in it
    return LogRequest(
        logs=tuple(log_source(name, remote=spark) for name in log.events),
        columns=ColumnChoice(
            log.case or columns.case,
            log.event or columns.event,
            log.time or columns.time,
            _config_origins(log, columns, config),
        ),
        as_of_us=parse_as_of(log.as_of, zone),
        memory_limit=log.memory_limit,
        threads=log.threads,
        timezone=zone,
        engine=log.engine,
        spark_master=log.spark_master,
    )


def conform_run(
    journeys: tuple[Path, ...],
    request: LogRequest,
    loaded: LoadedConfig,
    *,
    require_events: bool = True,
) -> ConformRun:
    """The run measuring `journeys` against the logs of `request`, with the config's rules."""
    from cljourney.check.config import build_validate_options, conform_options, rule_selection
    from cljourney.conform.run import ConformRun

    return ConformRun(
        journeys=journeys,
        log=request,
        options=conform_options(loaded.config.options),
        selection=rule_selection(loaded),
        require_events=require_events,
        # conform reports the journey's own errors; render draws them on the map itself.
        checks=build_validate_options(loaded) if require_events else None,
    )


def run_conform(
    journeys: Sequence[Path],
    log: LogOptions,
    config: Path | None,
    isolated: bool,
    *,
    require_events: bool,
) -> tuple[ConformRun, ConformReport]:
    """Measure `journeys` against the logs of `log`, with the config that applies (`--config`
    `config`, `--isolated`), a spinner on a terminal. The read starts first, so DuckDB reads
    while the config is checked, the rest of `conform` is imported and the run is built (a
    third of a second at 1M events, with one core idle otherwise): started from a quick look
    at the config's `events` table, and again should the checked config ask for another read."""
    from cljourney.cli.options import loaded_config

    with ended_cleanly_when_terminated():
        early = _early_reading(log, config, isolated)
        try:
            loaded = loaded_config(config, isolated)
        except BaseException:
            if early is not None:
                early.cancel()
            raise
        return _run_with(journeys, log, loaded, early, require_events=require_events)


def _run_with(
    journeys: Sequence[Path],
    log: LogOptions,
    loaded: LoadedConfig,
    early: LogReading | None,
    *,
    require_events: bool,
) -> tuple[ConformRun, ConformReport]:
    """`run_conform` past the config: `early` (a read started) is kept if the config asks it."""
    from cljourney.conform.reading import LogReading

    reading = early
    try:
        request = log_request(log, loaded.config.events, loaded.path)
        if reading is None or reading.request != request:
            if reading is not None:
                reading.cancel()
            reading = LogReading(request)
        from cljourney.conform.run import conform

        run = conform_run(tuple(journeys), request, loaded, require_events=require_events)
    except BaseException:
        if reading is not None:
            reading.cancel()
        raise
    started = reading
    return run, with_spinner(lambda: conform(run, started))


def _early_reading(log: LogOptions, config: Path | None, isolated: bool) -> LogReading | None:
    """The read of `log` as the config seems to ask, started before the config is checked;
    None where that cannot be told or the request is wrong (the checked config and the request
    made from it then say what is wrong, in their usual order)."""
    from cljourney.check.configfile import peek_events
    from cljourney.conform.reading import LogReading

    peek = peek_events(config, isolated)
    if peek is None:
        return None
    try:
        return LogReading(log_request(log, peek, peek.path))
    except UsageError:
        return None


def _config_origins(
    log: LogOptions, columns: EventSettings, config: Path | None
) -> tuple[tuple[str, str], ...]:
    """(role, `path:line`) for each column the config names and the command line does not."""
    from cljourney.check.configfile import key_origin

    if config is None:
        return ()
    return tuple(
        (role, key_origin(config, ("events", role)))
        for role, flag in (("case", log.case), ("event", log.event), ("time", log.time))
        if flag is None and getattr(columns, role) is not None
    )


def _check_engine_options(spark: bool, log: LogOptions) -> None:
    """Options of one engine given with the other are mistakes, not silently ignored."""
    if spark and (log.memory_limit is not None or log.threads is not None):
        flag = "--memory-limit" if log.memory_limit is not None else "--threads"
        raise UsageError(
            f"{flag} applies to --engine duckdb; size Spark with its own settings"
            " (spark-submit --driver-memory, --executor-memory, --master local[N])"
        )
    if not spark and log.spark_master is not None:
        raise UsageError("--spark-master applies to --engine spark")


def with_spinner(work: Callable[[], T]) -> T:
    """Run `work` with a transient spinner on stderr when stderr is a terminal (reading a large
    log takes seconds); otherwise (CI, pipes, files) print nothing."""
    if not sys.stderr.isatty():
        return work()
    from rich.console import Console

    with Console(stderr=True).status("cljourney: reading the event log and measuring..."):
        return work()


def log_notes(report: ConformReport) -> None:
    """Skipped rows and an empty log, on stderr (the report stays data)."""
    from cljourney.text.words import plural

    log = report.log
    if log.skipped_rows:
        parts = [bad.text for bad in log.bad]
        sys.stderr.write(
            f"cljourney: note: skipped {plural(log.skipped_rows, 'row')} of the log:"
            f" {'; '.join(parts)}\n"
        )
    if log.rows == 0:
        sys.stderr.write("cljourney: note: the event log has no rows\n")
    note = as_of_note(report.log)
    if note:
        sys.stderr.write(f"cljourney: note: {note}\n")


def as_of_note(log: LogFacts) -> str | None:
    """What an `--as-of` before the log's last event does to the figures (None if nothing):
    `as_of` is when drop-off is judged, so a customer seen after it is never stuck."""
    from cljourney.conform.measures import iso

    if log.as_of_us is None or log.last_us is None or log.as_of_us >= log.last_us:
        return None
    if log.first_us is not None and log.as_of_us < log.first_us:
        which, when, who = "first", log.first_us, "every customer"
    else:
        which, when, who = "last", log.last_us, "a customer seen after it"
    return (
        f"--as-of {iso(log.as_of_us)} is before the log's {which} event ({iso(when)}): {who}"
        " counts as in progress, never as dropped; give a later --as-of, or none to judge as of"
        " the last event"
    )


def measure_maps(
    journeys: Sequence[Path], log: LogOptions, loaded: LoadedConfig
) -> dict[Path, Measured]:
    """`render --events`: each journey file (resolved path) -> its measures and conform
    findings, for the maps to draw, with the config render has checked. Journeys without
    `events` are left out, with a note."""
    from cljourney.render.events import Measured

    with ended_cleanly_when_terminated():  # the config read once: render checked it
        run, report = _run_with(journeys, log, loaded, None, require_events=False)
    log_notes(report)
    measured: dict[Path, Measured] = {}
    for result in report.journeys:
        if result.measures is None:
            if result.findings:  # it did not load: the render says why
                continue
            sys.stderr.write(
                f"cljourney: note: {result.path}: journey '{result.journey}' maps no events;"
                " its map is drawn without figures\n"
            )
            continue
        measured[Path(result.path).resolve()] = Measured(
            result.measures, result.findings, log.events, run.options.min_path_share
        )
    return measured
