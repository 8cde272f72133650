"""The DuckDB engine against a plain-Python reference of the contract, on small random logs
(hypothesis) and on hand-made ones: mapping, traces, transitions, reach, drop-off, stages,
variants, fitness, quantiles, time formats."""

from __future__ import annotations

import csv
import itertools
import math
import random
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import conform_reference as ref
from cljourney.check.pipeline import Target, load_target
from cljourney.conform import sql
from cljourney.conform.engine import DuckEngine, EngineSettings
from cljourney.conform.measures import JourneyMeasures, LogFacts, measure
from cljourney.conform.read import ColumnChoice, log_source
from cljourney.conform.reading import LogReading, LogRequest
from cljourney.errors import UsageError
from cljourney.graph import Flow, build_flow
from eventlogs import mixpanel_export, other_formats

JOURNEY = Path(__file__).parent / "data" / "conform" / "journey.yaml"
BASE = 1_700_000_000  # epoch seconds of the logs' first hour
EVENTS = [
    "signup",
    "signup_web",
    "demo_held",
    "deal_lost",
    "kickoff_held",
    "training_a",
    "training_b",
    "renewed",
    "page_view",
    "sign?up",
    "demo_held%",
]
STUCK_S = 5 * 3600


def flow() -> Flow:
    loaded = load_target(Target(JOURNEY, explicit=True))
    assert loaded is not None and loaded.journey is not None
    return build_flow(loaded.journey)


def write_csv(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["case_id", "activity", "timestamp"])
        writer.writerows(rows)
    return path


def run(
    path: Path, as_of_us: int | None = None
) -> tuple[JourneyMeasures, list[tuple[object, ...]]]:
    journey = flow()
    with DuckEngine(EngineSettings()) as engine:
        log = engine.load([log_source(str(path))], ColumnChoice(), as_of_us)
        measures = measure(engine, journey, log, STUCK_S)
        traces = engine.rows(sql.TRACES)
    return measures, traces


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["c1", "c2", "c3", "c4", "c5"]),
        st.sampled_from(EVENTS),
        st.integers(min_value=0, max_value=30),  # hours: many ties
    ),
    max_size=40,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_strategy)
def test_engine_matches_the_reference(rows: list[tuple[str, str, int]], tmp_path: Path) -> None:
    journey = flow()
    log = [(case, event, float(BASE + hour * 3600)) for case, event, hour in rows]
    path = write_csv(tmp_path / "log.csv", [(c, e, str(int(t))) for c, e, t in log])
    expected = ref.traces(journey, log)
    measures, traces = run(path)

    got: dict[str, list[tuple[str, float, float]]] = {}
    for case, _n, tp, first, last in traces:
        got.setdefault(str(case), []).append((str(tp), first / 1e6, last / 1e6))  # type: ignore[operator]
    assert got == expected.visits
    assert dict(measures.unmapped) == expected.unmapped
    assert measures.started == len(expected.visits)

    steps = ref.transitions(expected)
    got_steps = {
        (t.source, t.target): (t.count, t.customers, t.median_s, t.p90_s)
        for t in measures.transitions
    }
    assert got_steps.keys() == steps.keys()
    for pair, values in steps.items():
        assert got_steps[pair] == pytest.approx(values)
    declared = journey.declared_steps(measures.measured)
    for t in measures.transitions:
        assert t.declared is ((t.source, t.target) in declared)

    as_of = max((t for _, _, t in log), default=0.0)
    last = ref.last_visits(journey, expected, as_of, STUCK_S)
    came = ref.incoming(expected, journey)
    for tp in measures.touchpoints:
        customers = sum(
            1 for trace in expected.visits.values() if any(v[0] == tp.id for v in trace)
        )
        assert tp.customers == customers
        measured = bool(journey.by_id[tp.id].touchpoint.events)
        reach = customers / len(expected.visits) if expected.visits and measured else None
        assert tp.reach == reach  # None where nothing can be measured
        assert (tp.dropped, tp.in_progress) == last.get(tp.id, (0, 0))
        want = came.get(tp.id, (None, None, None))
        assert (tp.median_from_previous_s, tp.p90_from_previous_s) == pytest.approx(want[:2])
        assert tp.within_target == pytest.approx(want[2])

    spent = ref.stage_times(journey, expected)
    for number, stage in enumerate(measures.stages):
        times = spent.get(number, [])
        assert stage.median_in_stage_s == pytest.approx(ref.quantile(times, 0.5))
        assert stage.p90_in_stage_s == pytest.approx(ref.quantile(times, 0.9))

    paths: dict[tuple[str, ...], int] = {}
    for trace in expected.visits.values():
        key = tuple(v[0] for v in trace)
        paths[key] = paths.get(key, 0) + 1
    ranked = sorted(paths.items(), key=lambda item: (-item[1], " ".join(item[0])))[:20]
    assert [(v.path, v.customers) for v in measures.variants] == ranked

    fit = sum(
        1
        for trace in expected.visits.values()
        if all((a[0], b[0]) in declared for a, b in itertools.pairwise(trace))
    )
    assert measures.fitness == (fit / len(expected.visits) if expected.visits else None)


def test_ties_keep_input_order_and_repeats_collapse(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "log.csv",
        [
            ("c1", "signup", "2024-01-01T10:00:00Z"),
            ("c1", "signup_web", "2024-01-01T10:30:00Z"),  # same touchpoint: one visit
            ("c1", "kickoff_held", "2024-01-01T12:00:00Z"),  # tie with the next row:
            ("c1", "demo_held", "2024-01-01T12:00:00Z"),  # input order decides
            ("c1", "page_view", "2024-01-01T13:00:00Z"),
        ],
    )
    measures, traces = run(path)
    assert [row[2] for row in traces] == ["signup", "kickoff", "demo"]
    start = 1704103200 * 1_000_000
    assert traces[0][3:] == (start, start + 1800 * 1_000_000)
    assert [(t.source, t.target, t.declared) for t in measures.transitions] == [
        ("kickoff", "demo", False),
        ("signup", "kickoff", False),
    ]
    assert measures.unmapped == (("page_view", 1),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-01T10:00:00Z", 1704103200),
        ("2024-01-01T11:00:00+01:00", 1704103200),
        ("2024-01-01 10:00:00", 1704103200),  # naive: UTC
        ("1704103200", 1704103200),  # epoch seconds
        ("1704103200000", 1704103200),  # epoch milliseconds
        ("1704103200000000", 1704103200),  # epoch microseconds
        ("1704103200000000000", 1704103200),  # epoch nanoseconds
        ("1704103200123456789", 1704103200.123457),  # to the nearest microsecond
        ("0001-01-01T00:00:00Z", -62135596800),  # the first time a row may hold
        ("1704103200.5", 1704103200.5),
    ],
)
def test_time_formats(text: str, expected: float, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "log.csv", [("c1", "signup", text)])
    _, traces = run(path)
    assert traces[0][3] == round(expected * 1_000_000)


def test_spaces_around_values_are_stripped_whatever_the_space(tmp_path: Path) -> None:
    """A value's leading and trailing spaces are not part of it: ASCII spaces and Unicode's
    other space separators (no-break, em, ideographic), in ids, names and times alike; a value
    of spaces only is empty. Spaces inside a value, and other characters, are kept."""
    nbsp, em, ideographic = "\u00a0", "\u2003", "\u3000"
    path = write_csv(
        tmp_path / "log.csv",
        [
            (" c1 ", f"{nbsp}signup{ideographic}", " 2024-01-01T00:00:00Z "),
            (f"c1{em}", "demo_held ", f"{nbsp}2024-01-02T00:00:00Z"),
            (f"caf\u00e9{nbsp}", "signup", f" 1704067200{em}"),
            ("caf\u00e9", "demo_held", f"2024-01-03T00:00:00Z{ideographic}"),
            ("c 2", "signup", "2024-01-01T00:00:00Z"),
            ("c3", f" {nbsp}", "2024-01-01T00:00:00Z"),
            (ideographic, "signup", "2024-01-01T00:00:00Z"),
            ("c4", "signup", f"{nbsp} "),
        ],
    )
    measures, traces = run(path)
    day = 86_400 * sql.US
    start = 1_704_067_200 * sql.US
    assert traces == [
        ("c 2", 1, "signup", start, start),
        ("c1", 1, "signup", start, start),
        ("c1", 2, "demo", start + day, start + day),
        ("caf\u00e9", 1, "signup", start, start),
        ("caf\u00e9", 2, "demo", start + 2 * day, start + 2 * day),
    ]
    assert sorted((bad.reason, bad.count) for bad in measures.log.bad) == [
        ("empty case", 1),
        ("empty event", 1),
        ("unparsable time", 1),
    ]


def test_times_outside_years_1_to_9999_are_skipped_not_fatal(tmp_path: Path) -> None:
    """A negative year, an epoch of too many digits for any unit, or one too large for an
    integer: each row is skipped as an unparsable time; the rest of the log is measured and the
    report (which writes the log's first and last time) is written."""
    path = write_csv(
        tmp_path / "log.csv",
        [
            ("c1", "signup", "2024-01-01T10:00:00Z"),
            ("c2", "signup", "-0010-01-01T00:00:00Z"),
            ("c3", "signup", "9" * 21),  # nanoseconds: about year 31,700
            ("c4", "signup", "9" * 40),
            ("c5", "signup", "10000-01-01T00:00:00Z"),
        ],
    )
    measures, traces = run(path)
    assert [row[0] for row in traces] == ["c1"]
    assert (measures.log.rows, measures.log.skipped_rows) == (5, 4)
    (bad,) = measures.log.bad
    assert bad.reason == "unparsable time" and bad.count == 4
    from cljourney.conform.measures import period

    assert period(measures.log) == (
        "from 2024-01-01T10:00:00Z to 2024-01-01T10:00:00Z, as of 2024-01-01T10:00:00Z"
    )


def test_a_json_field_that_changes_type_late_is_read_as_text(tmp_path: Path) -> None:
    """Mixpanel ids are numbers for some customers and text (`$device:...`) for others, and a
    bad time may come anywhere: after 25,000 rows of numbers (beyond any sample) the log still
    reads, the text id is a customer like the others and the bad time is skipped, shown as
    written (unquoted)."""
    rows = [(str(n), "signup", str(BASE + n)) for n in range(25_000)]
    rows += [("$device:abc", "signup", str(BASE)), ("7", "demo_held", "yesterday")]
    path = mixpanel_export(tmp_path / "export.jsonl", rows)
    lines = path.read_text().splitlines()
    for number in range(25_000):  # numbers, as Mixpanel writes ids it made itself
        lines[number] = lines[number].replace(
            f'"distinct_id": "{number}"', f'"distinct_id": {number}'
        )
    path.write_text("\n".join(lines) + "\n")
    measures, traces = run(path)
    assert measures.log.customers == 25_001 and measures.started == 25_001
    assert ("$device:abc", 1, "signup") in {row[:3] for row in traces}
    (bad,) = measures.log.bad
    assert bad.examples == (f"{path}:25002 ('yesterday')",)


def test_naive_times_follow_timezone(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "log.csv", [("c1", "signup", "2024-07-01 12:00:00")])
    with DuckEngine(EngineSettings(timezone="Europe/Paris")) as engine:
        engine.load([log_source(str(path))], ColumnChoice(), None)
        (t,) = engine.rows("SELECT t FROM good")[0]
    assert t == 1719828000 * 1_000_000  # 10:00 UTC (Paris is UTC+2 in July)


def test_bad_rows_are_skipped_counted_and_shown(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "log.csv",
        [
            ("c1", "signup", "2024-01-01T10:00:00Z"),
            ("", "signup", "2024-01-01T10:00:00Z"),
            ("  ", "signup", "2024-01-01T10:00:00Z"),
            ("c2", "", "2024-01-01T10:00:00Z"),
            ("c3", "signup", "yesterday"),
            ("c3", "signup", ""),
            ("c4", "signup", "2024-13-45"),
        ],
    )
    with DuckEngine(EngineSettings()) as engine:
        log = engine.load([log_source(str(path))], ColumnChoice(), None)
    assert (log.rows, log.skipped_rows, log.customers) == (7, 6, 1)
    shown = {bad.reason: (bad.count, bad.examples) for bad in log.bad}
    assert shown["empty case"] == (2, (f"{path}:3", f"{path}:4"))
    assert shown["empty event"] == (1, (f"{path}:5",))
    assert shown["unparsable time"][0] == 3
    assert shown["unparsable time"][1][0] == f"{path}:6 ('yesterday')"


def test_rows_are_numbered_per_log_and_ties_across_logs_keep_their_order(tmp_path: Path) -> None:
    """Several logs: a skipped row is shown at its line in its own file, and a tie between
    two files is broken by the order the files were given."""
    first = write_csv(
        tmp_path / "a.csv",
        [("c1", "signup", "2024-01-01T10:00:00Z"), ("c1", "demo_held", "2024-01-01T12:00:00Z")],
    )
    second = write_csv(
        tmp_path / "b.csv",
        [
            ("c1", "kickoff_held", "2024-01-01T12:00:00Z"),  # ties with a.csv's demo: after it
            ("c2", "signup", "2024-01-01T09:00:00Z"),
            ("", "signup", "2024-01-01T10:00:00Z"),  # line 4 of b.csv
        ],
    )
    with DuckEngine(EngineSettings()) as engine:
        log = engine.load([log_source(str(first)), log_source(str(second))], ColumnChoice(), None)
        measure(engine, flow(), log, STUCK_S)
        traces = engine.rows(sql.TRACES)
        numbered = engine.rows("SELECT file_no, row_no FROM events ORDER BY file_no, row_no")
    assert numbered == [(0, 1), (0, 2), (1, 1), (1, 2), (1, 3)]
    assert [bad.examples for bad in log.bad] == [(f"{second}:4",)]
    assert [(row[0], row[2]) for row in traces] == [
        ("c1", "signup"),
        ("c1", "demo"),
        ("c1", "kickoff"),
        ("c2", "signup"),
    ]


@pytest.mark.slow  # a log of ~30 MB, so that DuckDB reads it on several threads
def test_a_log_read_on_every_thread_keeps_its_input_order(tmp_path: Path) -> None:
    """Ties are broken by input order even where DuckDB splits the file between threads (it
    reads ~8 MB per thread): every customer's events share one time, in an order that differs
    from customer to customer, and each trace must list them as the file does."""
    touchpoints = [("signup", "signup"), ("demo_held", "demo"), ("kickoff_held", "kickoff")]
    orders = list(itertools.permutations(touchpoints))
    path = tmp_path / "big.csv"
    customers = 300_000
    with path.open("w", encoding="utf-8") as stream:
        stream.write("case_id,activity,timestamp\n")
        for number in range(customers):
            for event, _ in orders[number % len(orders)]:
                stream.write(f"customer-{number:07d},{event},2024-01-01T10:00:00Z\n")
    assert path.stat().st_size > 24_000_000
    with DuckEngine(EngineSettings(threads=4)) as engine:
        log = engine.load([log_source(str(path))], ColumnChoice(), None)
        measure(engine, flow(), log, STUCK_S)
        got = engine.rows(
            "SELECT c.case_id, list(t.id ORDER BY v.n) FROM visits v JOIN cases c"
            " ON v.case_id = c.cid JOIN tp_names t ON v.tp = t.tp GROUP BY c.case_id"
        )
    assert len(got) == customers
    for case, path_ids in got:
        number = int(str(case).removeprefix("customer-"))
        assert path_ids == [tp for _, tp in orders[number % len(orders)]], case


def test_skipped_rows_of_a_glob_are_counted_across_its_files(tmp_path: Path) -> None:
    """A glob is read as one log, so its rows are numbered across the files it matches; the
    example says so instead of a `file:line` no file has."""
    folder = tmp_path / "logs"
    folder.mkdir()
    for name in ("a.csv", "b.csv"):
        write_csv(
            folder / name,
            [("c1", "signup", "2024-01-01T10:00:00Z"), ("", "signup", "2024-01-01T10:00:00Z")],
        )
    pattern = str(folder / "*.csv")
    with DuckEngine(EngineSettings()) as engine:
        log = engine.load([log_source(pattern)], ColumnChoice(), None)
    (bad,) = log.bad
    assert bad.examples == (
        f"{pattern} (row 2 of its files together)",
        f"{pattern} (row 4 of its files together)",
    )


def _formats(tmp_path: Path) -> Iterator[Path]:
    rows = [("c1", "signup", "2024-01-01T10:00:00Z"), ("c1", "demo_held", "2024-01-02T10:00:00Z")]
    log = write_csv(tmp_path / "log.csv", rows)
    yield log
    yield from other_formats(log, rows, tmp_path / "parts")


def test_every_format_reads_the_same(tmp_path: Path) -> None:
    results = set()
    for path in _formats(tmp_path):
        measures, traces = run(path)
        results.add((tuple(tuple(row[1:]) for row in traces), measures.started))
    assert len(results) == 1
    ((traces, started),) = results
    assert started == 1 and [t[1] for t in traces] == ["signup", "demo"]


def test_as_of_splits_dropped_from_in_progress(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "log.csv",
        [("c1", "signup", "2024-01-01T00:00:00Z"), ("c2", "signup", "2024-01-01T04:00:00Z")],
    )
    measures, _ = run(path)  # as of the last time: 4 h and 0 h idle, under 5 h
    signup = measures.touchpoints[0]
    assert (signup.dropped, signup.in_progress) == (0, 2)
    later = (1704067200 + 8 * 3600) * 1_000_000
    measures, _ = run(path, as_of_us=later)  # 8 h and 4 h idle
    signup = measures.touchpoints[0]
    assert (signup.dropped, signup.in_progress) == (1, 1)


def test_log_facts_are_shared(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "log.csv", [("c1", "page_view", "2024-01-01T00:00:00Z")])
    measures, traces = run(path)
    assert traces == [] and measures.started == 0 and measures.fitness is None
    assert isinstance(measures.log, LogFacts) and measures.log.customers == 1
    assert all(t.reach is None for t in measures.touchpoints)


@pytest.mark.parametrize("threads", [None, 1])
def test_queries_asked_together_answer_as_asked_one_by_one(
    threads: int | None, tmp_path: Path
) -> None:
    """`rows_many` runs the measures' queries two at a time (one after the other with
    `--threads 1`); each answer comes back in the place of its query."""
    rows = [
        (f"c{n % 40}", EVENTS[n % len(EVENTS)], f"2024-01-{1 + n % 28:02d}T10:00:00Z")
        for n in range(600)
    ]
    path = write_csv(tmp_path / "log.csv", rows)
    queries = [
        sql.stages(select=True),
        sql.transitions(select=True),
        sql.incoming(select=True),
        sql.TOUCHPOINT_CUSTOMERS,
        sql.variants(None),
        sql.TRACES,
        sql.CASE_SPANS,
        sql.STARTED,
    ]
    with DuckEngine(EngineSettings(threads=threads)) as engine:
        log = engine.load([log_source(str(path))], ColumnChoice(), None)
        measure(engine, flow(), log, STUCK_S)
        one_by_one = [engine.rows(query) for query in queries]
        together = engine.rows_many(queries)
    # Rows in the order of each answer (some queries have no ORDER BY; their rows may come in
    # any order, and do differ between runs on some DuckDB releases).
    assert [sorted(rows, key=repr) for rows in together] == [
        sorted(rows, key=repr) for rows in one_by_one
    ]
    assert all(one_by_one)


def test_a_failing_query_among_many_is_reported_and_ends_the_others() -> None:
    before = threading.active_count()
    with DuckEngine(EngineSettings()) as engine:
        with pytest.raises(UsageError, match="nowhere"):
            engine.rows_many(["SELECT 1", "SELECT * FROM nowhere", "SELECT 2", "SELECT 3"])
        assert engine.rows_many(["SELECT 1", "SELECT 2"]) == [[(1,)], [(2,)]]
    assert threading.active_count() == before


def test_a_second_ctrl_c_while_stopping_still_waits_for_every_query() -> None:
    """Ctrl-C pressed again while the queries run together are being stopped: the stop goes on
    until each has ended (a connection still busy cannot be closed, so leaving early turned the
    second Ctrl-C into an internal error)."""
    from cljourney.conform.engine import _stop

    class Busy:
        def __init__(self, done: threading.Event) -> None:
            self.done, self.calls = done, 0

        def interrupt(self) -> None:
            self.calls += 1
            if self.calls == 1:
                raise KeyboardInterrupt  # the second Ctrl-C lands here
            self.done.set()

    finished = [threading.Event(), threading.Event()]
    cursors = [Busy(done) for done in finished]
    _stop(cursors, finished)  # type: ignore[arg-type]
    assert all(done.is_set() for done in finished)
    assert [cursor.calls for cursor in cursors] == [2, 2]  # each Ctrl-C absorbed, then stopped


def test_queries_run_together_on_another_thread_are_interrupted() -> None:
    """`interrupt` (conform cancelling its log read) also stops the queries `rows_many` runs on
    its own connections, not only the engine's main one."""
    long = "SELECT sum(hash(i)) FROM range(3000000000) t(i)"
    outcome: list[object] = []
    with DuckEngine(EngineSettings()) as engine:

        def work() -> None:
            try:
                outcome.append(engine.rows_many([long, long]))
            except (UsageError, KeyboardInterrupt) as exc:
                outcome.append(exc)

        thread = threading.Thread(target=work)
        started = time.monotonic()
        thread.start()
        while thread.is_alive():
            engine.interrupt()
            thread.join(0.01)
        assert time.monotonic() - started < 10  # each query alone runs for about a minute
    assert len(outcome) == 1 and not isinstance(outcome[0], list), outcome


def test_ctrl_c_while_queries_run_together_stops_them_all() -> None:
    """Ctrl-C in the caller's thread while two long queries run on their own connections:
    both are interrupted (not left running for seconds) and the KeyboardInterrupt goes on."""
    long = "SELECT sum(hash(i)) FROM range(3000000000) t(i)"
    before = threading.active_count()
    main = threading.main_thread().ident
    assert main is not None
    with DuckEngine(EngineSettings()) as engine:
        timer = threading.Timer(0.3, signal.pthread_kill, (main, signal.SIGINT))
        timer.start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            engine.rows_many([long, long, long])
        assert time.monotonic() - started < 10  # each query alone runs for about a minute
        timer.join()
    assert threading.active_count() == before


def test_ctrl_c_while_the_engine_starts_leaves_no_spill_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Ctrl-C (or SIGTERM, which the CLI turns into an exit) while the read's thread starts
    the engine, before the constructor returns: the read is stopped and its folder removed."""
    from cljourney.conform import reading

    spill_root = tmp_path / "spill"
    spill_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill_root))
    main = threading.main_thread().ident
    assert main is not None
    made = reading._engine

    def slow_start(request: LogRequest) -> object:
        engine = made(request)
        signal.pthread_kill(main, signal.SIGINT)  # arrives while the caller waits for this
        time.sleep(0.5)
        return engine

    monkeypatch.setattr(reading, "_engine", slow_start)
    path = write_csv(tmp_path / "log.csv", [("c1", "signup", "2024-01-01T00:00:00Z")])
    with pytest.raises(KeyboardInterrupt):
        LogReading(LogRequest((log_source(str(path)),)))
    assert not [t for t in threading.enumerate() if t.name == "cljourney-log"]
    assert list(spill_root.iterdir()) == []


def test_a_query_on_another_thread_is_interrupted() -> None:
    """`interrupt` stops what the engine runs on another thread (conform's log read): the query
    fails with DuckDB's interrupt instead of running to its end (a few seconds of hashing)."""
    outcome: list[object] = []
    with DuckEngine(EngineSettings()) as engine:

        def work() -> None:
            try:
                outcome.append(engine.rows("SELECT sum(hash(i)) FROM range(3000000000) t(i)"))
            except UsageError as exc:
                outcome.append(exc)

        thread = threading.Thread(target=work)
        thread.start()
        while thread.is_alive():  # until the query has started and seen the interrupt
            engine.interrupt()
            thread.join(0.01)
    assert len(outcome) == 1 and isinstance(outcome[0], UsageError), outcome
    assert "interrupt" in str(outcome[0]).lower()


def test_a_cancelled_log_read_leaves_no_thread_and_no_spill_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """conform reads the log on a thread while the journeys load; when a journey cannot be
    measured the read is cancelled: the thread is joined and the engine closed (its spill
    folder removed), whether the read had finished or not."""
    spill_root = tmp_path / "spill"
    spill_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill_root))
    path = write_csv(tmp_path / "log.csv", [("c1", "signup", "2024-01-01T00:00:00Z")])
    for wait in (False, True):
        reading = LogReading(LogRequest((log_source(str(path)),)))
        if wait:
            _, log = reading.result()
            assert log.rows == 1 and list(spill_root.iterdir())  # the engine is open
        reading.cancel()
        assert not [t for t in threading.enumerate() if t.name == "cljourney-log"]
        assert list(spill_root.iterdir()) == []


def test_the_cli_stops_its_early_read_when_the_run_cannot_be_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI starts reading the log before it builds the rest of the run; if building fails,
    the read is stopped and its engine closed before the error is reported."""
    from cljourney.cli import eventlog

    spill_root = tmp_path / "spill"
    spill_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill_root))
    path = write_csv(tmp_path / "log.csv", [("c1", "signup", "2024-01-01T00:00:00Z")])

    def fails(*_: object, **__: object) -> None:
        assert list(spill_root.iterdir()), "the read has started"
        raise UsageError("cannot build the run")

    monkeypatch.setattr(eventlog, "conform_run", fails)
    with pytest.raises(UsageError, match="cannot build the run"):
        eventlog.run_conform(
            [JOURNEY], eventlog.LogOptions((str(path),)), None, True, require_events=True
        )
    assert not [t for t in threading.enumerate() if t.name == "cljourney-log"]
    assert list(spill_root.iterdir()) == []


def _who_what_at(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as stream:
        stream.write(
            "who,what,at\nc1,signup,2024-01-01T00:00:00Z\nc1,demo_held,2024-01-02T00:00:00Z\n"
        )
    return path


def test_the_read_starts_before_the_config_is_checked_and_stops_if_it_is_wrong(
    chdir_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read starts from a quick look at the config's `events` table, before the config
    (a quarter of a second of imports) is checked; a config that turns out wrong stops it, and
    the config's own error is the one reported."""
    from cljourney.cli import eventlog, options

    spill_root = chdir_tmp / "spill"
    spill_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill_root))
    log = _who_what_at(chdir_tmp / "log.csv")
    Path("cljourney.toml").write_text(
        'sevrity = {}\n[events]\ncase = "who"\nevent = "what"\ntime = "at"\n'
    )
    checked = options.loaded_config

    def check(config: Path | None, isolated: bool) -> object:
        assert list(spill_root.iterdir()), "the read has started"
        return checked(config, isolated)

    monkeypatch.setattr(options, "loaded_config", check)
    with pytest.raises(UsageError, match=r"cljourney.toml:1: sevrity: unknown key"):
        eventlog.run_conform(
            [JOURNEY], eventlog.LogOptions((str(log),)), None, False, require_events=True
        )
    assert not [t for t in threading.enumerate() if t.name == "cljourney-log"]
    assert list(spill_root.iterdir()) == []


def test_the_early_read_is_kept_when_the_checked_config_agrees_and_redone_when_not(
    chdir_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The early read is the run's read when the checked config asks for the same; should the
    quick look at the config have been wrong, the read is stopped and made again as the checked
    config asks, and the figures are the same."""
    from cljourney.check import configfile
    from cljourney.cli import eventlog
    from cljourney.conform import reading

    log = _who_what_at(chdir_tmp / "log.csv")
    Path("cljourney.toml").write_text('[events]\ncase = "who"\nevent = "what"\ntime = "at"\n')
    made: list[LogRequest] = []
    cancelled: list[LogRequest] = []

    class Counted(LogReading):
        def __init__(self, request: LogRequest) -> None:
            made.append(request)
            super().__init__(request)

        def cancel(self) -> None:
            cancelled.append(self.request)
            super().cancel()

    monkeypatch.setattr(reading, "LogReading", Counted)

    def measured() -> list[tuple[str, int]]:
        _, report = eventlog.run_conform(
            [JOURNEY], eventlog.LogOptions((str(log),)), None, False, require_events=True
        )
        (result,) = report.journeys
        assert result.measures is not None
        return [(tp.id, tp.customers) for tp in result.measures.touchpoints if tp.customers]

    assert measured() == [("signup", 1), ("demo", 1)]
    assert len(made) == 1 and made[0].columns.case == "who"
    assert cancelled == []  # the run used it

    made.clear()
    cancelled.clear()
    wrong = configfile.EventsPeek("customer", "what", "at", None, Path("cljourney.toml").resolve())
    monkeypatch.setattr(configfile, "peek_events", lambda *_: wrong)
    assert measured() == [("signup", 1), ("demo", 1)]
    assert [request.columns.case for request in made] == ["customer", "who"]
    assert cancelled == made[:1]


def test_the_quick_look_at_the_config_reads_only_what_it_can_read_again(
    chdir_tmp: Path,
) -> None:
    """`peek_events`: the `events` table of the config that applies; nothing to peek without
    one or with --isolated; None (no early read) where the quick look cannot tell: invalid
    TOML, a value that is not text, a stream that only the checked load may read."""
    import os

    from cljourney.check.configfile import EventsPeek, peek_events

    assert peek_events(None, False) == EventsPeek()
    Path("pyproject.toml").write_text('[tool.cljourney.events]\ncase = "who"\ntimezone = "UTC"\n')
    found = EventsPeek("who", None, None, "UTC", (chdir_tmp / "pyproject.toml").resolve())
    assert peek_events(None, False) == found
    assert peek_events(None, True) == EventsPeek()
    Path("other.toml").write_text("[events]\ncase = 3\n")
    assert peek_events(Path("other.toml"), False) is None
    Path("other.toml").write_text("[events\n")
    assert peek_events(Path("other.toml"), False) is None
    Path("other.toml").write_text('events = "who"\n')
    assert peek_events(Path("other.toml"), False) is None
    os.mkfifo("stream.toml")
    assert peek_events(Path("stream.toml"), False) is None  # would block if it were opened


@pytest.mark.parametrize("count", [0, 1, 999, 1000, 1001, 2500])
def test_journey_tables_hold_every_row_whatever_their_size(count: int) -> None:
    """The journey tables are inserted in statements of up to 1,000 rows: every row lands once,
    NULLs and booleans as given, around each boundary."""
    rows = [(n, n % 7, None if n % 3 else n / 2, n % 2 == 0) for n in range(count)]
    with DuckEngine(EngineSettings()) as engine:
        engine.fill("tp_info", rows)
        held = engine.rows("SELECT tp, stage_no, within_s, is_end FROM tp_info ORDER BY tp")
    assert held == rows


def test_variants_with_tied_counts_sort_by_their_ids_as_text(tmp_path: Path) -> None:
    """Paths are grouped and sorted as lists of each id's place in sorted order; ties must still
    come in the order of the ids joined by spaces, also where one id begins another ('a' and
    'a-b', 'a' and 'ab') and where the paths differ in length."""
    ids = ["b", "a-b", "ab", "a", "a0", "a_b"]
    touchpoints = "".join(
        f"      - {{id: {tp}, name: Step {tp}, why: The customer gets step {tp} done.,"
        f" events: [ev_{n}], next: []}}\n"
        for n, tp in enumerate(ids)
    )
    journey = tmp_path / "j.yaml"
    journey.write_text(
        "cljourney: 1\njourney: {id: ties, name: Ties, owner: cs}\n"
        "roles: [{id: cs, name: Customer success}]\n"
        "stages:\n  - id: s\n    name: S\n    owner: cs\n"
        "    why: The customer gets every step done.\n    touchpoints:\n" + touchpoints
    )
    paths = [("a",), ("a", "b"), ("a-b",), ("ab",), ("a0",), ("a_b",), ("a", "a-b"), ("b", "a")]
    rows = [
        (f"c{k}", f"ev_{ids.index(tp)}", f"2024-01-01T{hour:02d}:00:00Z")
        for k, path in enumerate(paths)
        for hour, tp in enumerate(path)
    ]
    log = write_csv(tmp_path / "log.csv", rows)
    loaded = load_target(Target(journey, explicit=True))
    assert loaded is not None and loaded.journey is not None, loaded
    with DuckEngine(EngineSettings()) as engine:
        facts = engine.load([log_source(str(log))], ColumnChoice(), None)
        measures = measure(engine, build_flow(loaded.journey), facts, STUCK_S)
    shown = [v.path for v in measures.variants]
    assert shown == sorted(paths, key=" ".join), shown
    assert all(v.customers == 1 for v in measures.variants)


def test_an_interrupt_between_queries_is_not_forgotten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB drops an interrupt sent while no query runs; the engine keeps it, so a read
    cancelled between two of its queries stops at the next one instead of reading on."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with DuckEngine(EngineSettings()) as engine:
        assert engine.rows("SELECT 1") == [(1,)]
        engine.interrupt()
        with pytest.raises(UsageError, match="reading it was stopped"):
            engine.rows("SELECT 1")
    assert list(tmp_path.iterdir()) == []


def test_a_refused_setting_leaves_no_spill_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(UsageError, match="--memory-limit lots"):
        DuckEngine(EngineSettings(memory_limit="lots"))
    assert list(tmp_path.iterdir()) == []


def _formula(values: list[float], q: float) -> float | None:
    """The quantile as `sql` defines it, spelled out on the sorted values (Python's floats are
    the engines' doubles; no FMA)."""
    if not values:
        return None
    ordered = sorted(values)
    at = float(len(ordered) - 1) * q
    lo, hi = ordered[math.floor(at)], ordered[math.ceil(at)]
    return lo + (hi - lo) * (at - math.floor(at))


@pytest.mark.parametrize("select", [True, False], ids=["selecting", "sorting"])
def test_quantiles_equal_the_formula_bit_for_bit(select: bool, tmp_path: Path) -> None:
    """`sql.with_quantiles` finds each quantile's two values by selection (`quantile_disc`, and
    a second pass for the p90's lower one) or by sorting each group: either way the same
    doubles as the formula, for every group size from 1 to 260 (each remainder of 0.9 (n - 1))
    and a few large ones, with ties, NULLs, a group of NULLs only and a NULL key."""
    rng = random.Random(20261202)
    groups: dict[int | None, list[float | None]] = {}
    for size in [*range(1, 261), 1001, 9_999, 10_000, 10_001, 65_537]:
        tied = size % 3 == 0  # a third of the groups draw from a few values: ties everywhere
        groups[size] = [
            float(rng.randint(0, 4)) if tied else rng.uniform(0, 1e7) / 7 for _ in range(size)
        ]
        groups[size].append(None)
    groups[0] = [None, None]
    groups[None] = [3.5, 1.0, None, 2.0, 1.0]  # a NULL key is a group, as in GROUP BY
    path = tmp_path / "values.csv"
    with path.open("w", newline="") as out:  # repr: the shortest text that reads back exactly
        csv.writer(out).writerows(
            (g, "" if v is None else repr(v)) for g, vs in groups.items() for v in vs
        )
    db = duckdb.connect()
    db.execute(
        "CREATE TABLE vals_in AS SELECT * FROM read_csv(?, header = false,"
        " columns = {'g': 'INTEGER', 'v': 'DOUBLE'})",
        [str(path)],
    )
    query = sql.with_quantiles("SELECT g, v FROM vals_in", ["g"], ["count(*)"], select=select)
    got = {row[0]: row[1:] for row in db.execute(query).fetchall()}
    assert got.keys() == groups.keys()
    for size, values in groups.items():
        present = [v for v in values if v is not None]
        want = (len(values), _formula(present, 0.5), _formula(present, 0.9))
        assert got[size] == want, size  # exact, not approximately
