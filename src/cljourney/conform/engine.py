"""DuckDB, in-process: reads the logs into the `events` relation and runs `sql`'s queries.

Imported only by `conform` (DuckDB costs ~100 ms to import). Out of core: `memory_limit` caps
what DuckDB holds in memory, the rest spills to a temporary directory removed afterwards.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import duckdb

from cljourney.conform import sql
from cljourney.conform.measures import LogFacts, Row, log_facts
from cljourney.conform.read import (
    ColumnChoice,
    LogSource,
    Offered,
    check_timezone,
    choose_columns,
    offered_columns,
)
from cljourney.errors import UsageError
from cljourney.text.shown import printable

# Rows per INSERT of a journey table: one statement for a typical journey (a statement per row
# costs DuckDB a parse and a plan each; 25 rows: 7 ms -> 2 ms), bounded for huge ones (20,000
# rows: 1.6 s as one statement, 0.8 s in statements of 1,000).
_INSERT_ROWS = 1000


@dataclass(frozen=True)
class EngineSettings:
    memory_limit: str | None = None  # DuckDB's syntax: "2GB", "500MB"
    threads: int | None = None
    timezone: str = "UTC"


class DuckEngine:
    """One DuckDB connection holding one event log (all `--events` files together)."""

    select_quantiles = True  # `quantile_disc` selects in linear time

    def __init__(self, settings: EngineSettings) -> None:
        check_timezone(settings.timezone)
        self._interrupted = False
        self._workers = 1 if settings.threads == 1 else 2
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._spill = tempfile.mkdtemp(prefix="cljourney-conform-")
        self._db = duckdb.connect(":memory:")
        try:
            self._configure(settings)
        except BaseException:
            self.close()  # a refused --memory-limit leaves no spill folder behind
            raise

    def _configure(self, settings: EngineSettings) -> None:
        self._run(f"SET TimeZone = {sql.literal(settings.timezone)}")
        self._run(f"SET temp_directory = {sql.literal(self._spill)}")
        self._run("SET preserve_insertion_order = true")
        # DuckDB's own progress bar writes to stdout, where the report goes.
        self._run("SET enable_progress_bar = false")
        if settings.memory_limit:
            self._setting("memory_limit", settings.memory_limit, "--memory-limit")
        if settings.threads:
            self._setting("threads", str(settings.threads), "--threads")

    def _setting(self, name: str, value: str, flag: str) -> None:
        if value.strip().startswith("-"):  # DuckDB takes "-5GB" without a word
            raise UsageError(
                f"{flag} {value}: give a positive value (a size such as 2GB for --memory-limit)"
            )
        try:
            self._db.execute(f"SET {name} = {sql.literal(value)}")
        except duckdb.Error as exc:
            raise UsageError(f"{flag} {value}: {_first_line(exc)}") from None

    def __enter__(self) -> DuckEngine:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def interrupt(self) -> None:
        """Stop what runs on another thread: the query running now fails with an interrupt
        error, and so does every later one (DuckDB forgets an interrupt sent between queries)."""
        self._interrupted = True
        self._db.interrupt()
        for cursor in list(self._cursors):  # `rows_many`'s, when it runs on the thread stopped
            with suppress(duckdb.Error):  # closed as its queries ended
                cursor.interrupt()

    def close(self) -> None:
        try:
            self._db.close()
        finally:
            shutil.rmtree(self._spill, ignore_errors=True)

    def _run(
        self, query: str, where: str = "the event log", on: duckdb.DuckDBPyConnection | None = None
    ) -> list[Any]:
        with self._answering(where):
            return (on or self._db).execute(query).fetchall()

    @contextmanager
    def _answering(self, where: str) -> Iterator[None]:
        """DuckDB's errors as UsageErrors about `where`; its interrupt as a KeyboardInterrupt."""
        if self._interrupted:
            raise UsageError(f"{where}: reading it was stopped")
        try:
            yield
        except RuntimeError as exc:  # DuckDB's answer to Ctrl-C in this thread
            if str(exc) == "Query interrupted":
                raise KeyboardInterrupt from None
            raise
        except duckdb.OutOfMemoryException:
            raise UsageError(
                f"{where}: out of memory; raise --memory-limit or free disk space for spilling"
            ) from None
        except duckdb.Error as exc:
            raise UsageError(f"{where}: cannot read it: {_first_line(exc)}") from None

    def _columns(self, reader: str, where: str) -> Offered[Any]:
        """The columns a reader offers (nested fields as `parent.field`), without reading rows."""
        with self._answering(where):
            relation = self._db.sql(f"SELECT * FROM {reader}")
            top = list(zip(relation.columns, relation.types, strict=True))
            return offered_columns(top, _fields)

    def rows(self, query: str) -> list[Row]:
        return [tuple(row) for row in self._run(query)]

    def rows_many(self, queries: Sequence[str]) -> list[list[Row]]:
        """The rows of several queries that only read, two at a time on two connections.

        Many of a query's steps run on one thread (a finalising aggregate, a sort of a few
        large groups), so a second query beside it keeps both cores busy: 4.4 -> 3.6 s for the
        measures of one journey at 10M events. With `--threads 1`, one after the other."""
        if self._workers < 2 or len(queries) < 2:
            return [self.rows(query) for query in queries]
        answers: list[list[Row]] = [[] for _ in queries]
        pending = list(range(len(queries)))
        failed: list[BaseException] = []
        lock = threading.Lock()
        cursors = [self._db.cursor() for _ in range(self._workers)]
        self._cursors = cursors
        finished = [threading.Event() for _ in cursors]

        def work(cursor: duckdb.DuckDBPyConnection, done: threading.Event) -> None:
            try:
                while True:
                    with lock:
                        if failed or not pending:
                            return
                        number = pending.pop(0)
                    answers[number] = [tuple(row) for row in self._run(queries[number], on=cursor)]
            except BaseException as exc:  # reported by the caller's thread
                with lock:
                    failed.append(exc)
            finally:
                done.set()

        for cursor, done in zip(cursors, finished, strict=True):
            threading.Thread(target=work, args=(cursor, done), daemon=True).start()
        try:
            for done in finished:
                while not done.wait(0.05):
                    pass
        except BaseException:  # Ctrl-C: stop both queries before going
            with lock:
                failed.append(KeyboardInterrupt())
            _stop(cursors, finished)
            raise
        finally:
            self._cursors = []
            for cursor in cursors:
                cursor.close()
        if failed:
            raise failed[0]
        return answers

    def fill(self, table: str, rows: Sequence[Row]) -> None:
        self._run(sql.create_table(table))
        for start in range(0, len(rows), _INSERT_ROWS):
            part = rows[start : start + _INSERT_ROWS]
            self._db.execute(sql.insert(table, len(part)), [value for row in part for value in row])

    def load(
        self, sources: Sequence[LogSource], choice: ColumnChoice, as_of_us: int | None
    ) -> LogFacts:
        """Read every log into `events` and return the facts about it."""
        selects = []
        chosen = []
        for number, source in enumerate(sources):  # every log's columns before any is read
            reader = sql.scan(source.kind, source.path)
            offered = self._columns(reader, source.shown)
            columns = choose_columns(offered, choice, source.shown)
            chosen.append(columns)
            case, event, time = (
                _as_text(*offered.columns[name])
                for name in (columns.case, columns.event, columns.time)
            )
            selects.append(sql.select_events(number, reader, case, event, time))
        starts = []
        for number, (source, select) in enumerate(zip(sources, selects, strict=True)):
            starts.append(self._run(sql.READ_COUNT)[0][0] if number else 0)
            self._run(sql.read_events(select, first=number == 0), source.shown)
        self._run(sql.numbered_events(starts))
        # Input order matters only while reading (the rowid numbers the rows as they come); every
        # later query orders explicitly, so DuckDB may stream and spill without keeping order.
        self._run("SET preserve_insertion_order = false")
        return log_facts(self, sources, as_of_us, chosen)


def _stop(
    cursors: Sequence[duckdb.DuckDBPyConnection], finished: Sequence[threading.Event]
) -> None:
    """Interrupt the queries of `cursors` until each has ended, whatever more Ctrl-Cs come (a
    connection still busy cannot be closed: closing it then fails instead of waiting)."""
    while True:
        try:
            for cursor, done in zip(cursors, finished, strict=True):
                while not done.wait(0.05):
                    cursor.interrupt()
            return
        except KeyboardInterrupt:  # pressed again: keep stopping, the first one goes on
            continue


def _as_text(path: tuple[str, ...], kind: Any) -> str:
    """A column as SQL whose text `sql.select_events` reads: JSON values unquoted."""
    return sql.json_text(path) if str(kind) == "JSON" else sql.column(path)


def _fields(kind: Any) -> list[tuple[str, Any]]:
    """The fields of a STRUCT column (a JSON object, a Parquet group); none for other types.
    (`kind` is a DuckDBPyType, whose module moved between DuckDB releases.)"""
    return list(kind.children) if kind.id == "struct" else []


def _first_line(exc: BaseException) -> str:
    """DuckDB's error in one line: its first, and for a CSV error the reason DuckDB gives under
    the offending line (which is not repeated: it may be megabytes long)."""
    lines = str(exc).strip().splitlines()
    if not lines:
        return type(exc).__name__
    if len(lines) > 2 and lines[1].startswith("Original Line:") and lines[2].strip():
        reason = lines[2].strip()
        said = f"{lines[0]}: {printable(reason[:300] + ('...' if len(reason) > 300 else ''))}"
        if "unicode" in reason.lower() or "utf-8" in reason.lower():  # worded by DuckDB version
            said += "; save the log as UTF-8 (e.g. iconv -f latin1 -t utf-8 LOG > LOG.utf8.csv)"
        return said
    return lines[0]
