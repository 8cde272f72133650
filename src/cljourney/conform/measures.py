"""What `conform` measures: plain records (no engine types), and the one function that asks an
engine for them for one journey (the contract of issue 14, items 1-8, in the README)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Protocol, cast

from cljourney.conform import sql
from cljourney.conform.patterns import like
from cljourney.conform.read import Columns, LogSource

if TYPE_CHECKING:  # the engine imports this module before it reads: no networkx, no pydantic
    from cljourney.graph import Flow

VARIANTS_SHOWN = 20
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
BAD_EXAMPLES = 3
Row = tuple[object, ...]


class Engine(Protocol):
    """What the measures need of an engine: run a query (or several that only read, in any
    order or at once), fill a small table; and whether its quantiles select their values
    rather than sort them (`sql.with_quantiles`)."""

    select_quantiles: bool

    def rows(self, query: str) -> list[Row]: ...

    def rows_many(self, queries: Sequence[str]) -> list[list[Row]]: ...

    def fill(self, table: str, rows: Sequence[Row]) -> None: ...


@dataclass(frozen=True)
class BadRows:
    """Rows skipped for one reason, with the first few as `file:row` examples."""

    reason: str
    count: int
    examples: tuple[str, ...]

    @property
    def text(self) -> str:
        """`3 with empty case (e.g. log.csv:12, log.csv:40)`."""
        return f"{self.count:,} with {self.reason} (e.g. {', '.join(self.examples)})"


@dataclass(frozen=True)
class LogFacts:
    """Facts about the whole log, the same for every journey."""

    rows: int
    customers: int
    skipped_rows: int
    first_us: int | None
    last_us: int | None
    as_of_us: int | None
    bad: tuple[BadRows, ...]
    columns: tuple[tuple[str, Columns], ...]
    """Each log (as shown) and the columns read from it as the customer, the event, the time."""


@dataclass(frozen=True)
class TouchpointMeasure:
    id: str
    stage: str
    customers: int
    reach: float | None
    median_from_previous_s: float | None
    p90_from_previous_s: float | None
    within_target: float | None
    dropped: int
    in_progress: int


@dataclass(frozen=True)
class StageMeasure:
    id: str
    customers: int
    median_in_stage_s: float | None
    p90_in_stage_s: float | None
    within_target: float | None


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    declared: bool
    count: int
    customers: int
    median_s: float | None
    p90_s: float | None


@dataclass(frozen=True)
class Variant:
    path: tuple[str, ...]
    customers: int


@dataclass(frozen=True)
class JourneyMeasures:
    """Everything measured for one journey against the log."""

    log: LogFacts
    started: int
    mapped_events: int
    unmapped_events: int
    touchpoints: tuple[TouchpointMeasure, ...]
    stages: tuple[StageMeasure, ...]
    transitions: tuple[Transition, ...]
    variants: tuple[Variant, ...]
    unmapped: tuple[tuple[str, int], ...]
    fitness: float | None
    measured: frozenset[str]


def iso(us: int | None) -> str | None:
    """Microseconds since the epoch as ISO 8601 UTC (`2024-05-01T10:00:00Z`)."""
    if us is None:
        return None
    # Exact to the microsecond over years 1-9999 (a float timestamp is neither).
    moment = _EPOCH + timedelta(microseconds=us)
    text = moment.isoformat(timespec="microseconds" if us % sql.US else "seconds")
    return text.replace("+00:00", "Z")


def period(log: LogFacts, as_of: str = "as of", start: str = "from") -> str:
    """`<start> <first> to <last>, <as_of> <as_of time>` (ISO 8601 UTC), or, for a log without a
    usable row, that it has none (beginning with `start`'s case)."""
    if log.first_us is None:
        none = "no row with a customer, an event and a time"
        return none.capitalize() if start[:1].isupper() else none
    return f"{start} {iso(log.first_us)} to {iso(log.last_us)}, {as_of} {iso(log.as_of_us)}"


def columns_read(log: LogFacts, name: Callable[[str], str], log_name: Callable[[str], str]) -> str:
    """Which columns were read as the customer, the event and the time: `customer 'id', event
    'name', time 'ts'`, once where every log gave the same, else per log (`a.csv: customer ...;
    b.jsonl: ...`). `name`, `log_name`: how a column's name and a log's (untrusted text) are
    shown."""

    def roles(columns: Columns) -> str:
        return ", ".join(
            f"{role} {name(column)}"
            for role, column in (
                ("customer", columns.case),
                ("event", columns.event),
                ("time", columns.time),
            )
        )

    if len({columns for _, columns in log.columns}) == 1:
        return roles(log.columns[0][1])
    return "; ".join(f"{log_name(shown)}: {roles(columns)}" for shown, columns in log.columns)


def _float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def _int(value: object) -> int:
    return 0 if value is None else int(value)  # type: ignore[call-overload]


def log_facts(
    engine: Engine,
    sources: Sequence[LogSource],
    as_of_us: int | None,
    columns: Sequence[Columns],
) -> LogFacts:
    """Facts about the log the engine holds in `events` (the same on every engine): builds
    `good`, `event_rows`, `names` and `cases`, counts rows and customers, and finds examples of
    skipped rows. `columns`: those read from each of `sources`."""
    engine.rows(sql.GOOD)
    engine.rows(sql.EVENT_ROWS)
    engine.rows(sql.EVENT_NAMES)
    engine.rows(sql.CASES)
    summary, bad_rows = engine.rows_many([sql.LOG_SUMMARY, sql.bad_rows(BAD_EXAMPLES)])
    rows, customers, skipped, first, last = summary[0]
    bad: dict[str, tuple[int, list[str]]] = {}
    for reason, total, file_no, row_no, text in bad_rows:
        source = sources[_int(file_no)]
        where = _where(source, _int(row_no))
        if reason == "unparsable time":
            where += f" ({text!r})" if text is not None else " (empty)"
        bad.setdefault(str(reason), (_int(total), []))[1].append(where)
    last_us = None if last is None else _int(last)
    return LogFacts(
        _int(rows),
        _int(customers),
        _int(skipped),
        None if first is None else _int(first),
        last_us,
        as_of_us if as_of_us is not None else last_us,
        tuple(BadRows(r, n, tuple(ex)) for r, (n, ex) in sorted(bad.items())),
        tuple((source.shown, chosen) for source, chosen in zip(sources, columns, strict=True)),
    )


def _where(source: LogSource, row_no: int) -> str:
    """Where a row is, as an editor counts: `log.csv:12` (CSV and TSV lines below the header,
    JSON Lines lines: one record per line, no line breaks inside quotes), `log.parquet:row 12`;
    in a glob or a directory, which the engine reads as one, the row counted across its files
    (`logs/*.jsonl (row 14 of its files together)`)."""
    if source.several:
        return f"{source.shown} (row {row_no} of its files together)"
    if source.kind in ("csv", "tsv"):
        return f"{source.shown}:{row_no + 1}"
    if source.kind == "json":
        return f"{source.shown}:{row_no}"
    return f"{source.shown}:row {row_no}"


def _ids_in_order(flow: Flow) -> list[str]:
    """The touchpoint ids sorted: a variant's path is the list of its ids' places here
    (`tp_names.id_rank`)."""
    return sorted(flow.by_id)


def describe_journey(engine: Engine, flow: Flow) -> frozenset[str]:
    """Fill the journey tables (a touchpoint is its flow order there); return the measured
    touchpoints (those with `events`)."""
    from cljourney.model.fields import duration_seconds

    mapping: list[Row] = []
    info: list[Row] = []
    names: list[Row] = []
    ranks = {tp_id: rank for rank, tp_id in enumerate(_ids_in_order(flow))}
    for placed in flow.by_id.values():
        for name in placed.touchpoint.events:
            mapping.append((like(name), placed.order, len(mapping)))
        target = placed.touchpoint.target
        within = duration_seconds(target.within) if target and target.within else None
        info.append((placed.order, placed.stage_index, within, placed.id in flow.ends))
        names.append((placed.order, placed.id, ranks[placed.id]))
    stages: list[Row] = []
    for number, stage in enumerate(flow.journey.stages):
        text = stage.target.within if stage.target else None
        stages.append((number, duration_seconds(text) if text else None))
    measured = frozenset(p.id for p in flow.by_id.values() if p.touchpoint.events)
    order_of = {p.id: p.order for p in flow.by_id.values()}
    declared: list[Row] = sorted(
        (order_of[a], order_of[b]) for a, b in flow.declared_steps(measured)
    )
    for table, rows in (
        ("mapping", mapping),
        ("tp_info", info),
        ("stage_info", stages),
        ("declared", declared),
        ("tp_names", names),
    ):
        engine.fill(table, rows)
    for query in (
        sql.NAME_MAP,
        sql.RUNS,
        sql.VISITS,
        sql.DROP_RUNS,
        sql.STEPS,
        sql.PATHS,
        sql.PATH_STEPS,
    ):
        engine.rows(query)
    return measured


def measure(engine: Engine, flow: Flow, log: LogFacts, stuck_after_s: float) -> JourneyMeasures:
    """Measure one journey against the log the engine holds."""
    measured = describe_journey(engine, flow)
    ids = {p.order: p.id for p in flow.by_id.values()}  # a touchpoint's number in the queries
    as_of = log.as_of_us if log.as_of_us is not None else 0
    stuck = int(stuck_after_s * sql.US)
    # Independent queries, asked for together (an engine may run them at once), the slowest
    # first so that the quick ones fill in beside them.
    (
        stage_rows,
        transition_rows,
        incoming_rows,
        step_customer_rows,
        customer_rows,
        variant_rows,
        unfit_rows,
        last_rows,
        started_rows,
        mapped_rows,
        unmapped_rows,
    ) = engine.rows_many(
        [
            sql.stages(engine.select_quantiles),
            sql.transitions(engine.select_quantiles),
            sql.incoming(engine.select_quantiles),
            sql.STEP_CUSTOMERS,
            sql.TOUCHPOINT_CUSTOMERS,
            sql.variants(VARIANTS_SHOWN),
            sql.UNFIT,
            sql.last_visits(as_of, stuck),
            sql.STARTED,
            sql.MAPPED_ROWS,
            sql.UNMAPPED,
        ]
    )
    started = _int(started_rows[0][0])
    mapped = _int(mapped_rows[0][0])
    unmapped = tuple((str(e), _int(n)) for e, n in unmapped_rows)
    customers = {ids[_int(tp)]: _int(n) for tp, n in customer_rows}
    incoming = {ids[_int(r[0])]: r[1:] for r in incoming_rows}
    last = {ids[_int(r[0])]: (_int(r[1]), _int(r[2])) for r in last_rows}
    touchpoints = []
    for placed in flow.by_id.values():
        came = incoming.get(placed.id, (None, None, None))  # share, median, p90
        seen = customers.get(placed.id, 0)
        dropped, in_progress = last.get(placed.id, (0, 0))
        target = placed.touchpoint.target
        touchpoints.append(
            TouchpointMeasure(
                placed.id,
                flow.stage(placed).id,
                seen,
                seen / started if started and placed.id in measured else None,
                _float(came[1]),
                _float(came[2]),
                _float(came[0]) if target and target.within else None,
                dropped,
                in_progress,
            )
        )
    by_stage = {_int(r[0]): r[1:] for r in stage_rows}
    stages = []
    for number, stage in enumerate(flow.journey.stages):
        row = by_stage.get(number, (0, None, None, None))  # customers, share, median, p90
        has_target = stage.target is not None and stage.target.within is not None
        stages.append(
            StageMeasure(
                stage.id,
                _int(row[0]),
                _float(row[2]),
                _float(row[3]),
                _float(row[1]) if has_target else None,
            )
        )
    declared = flow.declared_steps(measured)
    step_customers = {(_int(r[0]), _int(r[1])): _int(r[2]) for r in step_customer_rows}
    transitions = sorted(
        (
            Transition(
                ids[_int(r[0])],
                ids[_int(r[1])],
                (ids[_int(r[0])], ids[_int(r[1])]) in declared,
                _int(r[2]),
                step_customers[_int(r[0]), _int(r[1])],
                _float(r[3]),
                _float(r[4]),
            )
            for r in transition_rows
        ),
        key=lambda t: (-t.count, t.source, t.target),
    )
    by_rank = _ids_in_order(flow)
    variants = tuple(
        Variant(tuple(by_rank[_int(rank)] for rank in cast("list[object]", path)), _int(n))
        for path, n in variant_rows
    )
    unfit = _int(unfit_rows[0][0])
    return JourneyMeasures(
        log,
        started,
        mapped,
        sum(n for _, n in unmapped),
        tuple(touchpoints),
        tuple(stages),
        tuple(transitions),
        variants,
        unmapped,
        (started - unfit) / started if started else None,
        measured,
    )
