"""DuckDB, in-process: reads the logs into the `events` relation and runs `sql`'s queries.

Imported only by `conform` (DuckDB costs ~100 ms to import). Out of core: `memory_limit` caps
what DuckDB holds in memory, the rest spills to a temporary directory removed afterwards.
"""

from __future__ import annotations

import shutil
import tempfile
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import duckdb

from cljourney.conform import sql
from cljourney.conform.measures import BadRows, LogFacts, Row
from cljourney.conform.read import ColumnChoice, LogSource, choose_columns
from cljourney.errors import UsageError

BAD_EXAMPLES = 3


@dataclass(frozen=True)
class EngineSettings:
    memory_limit: str | None = None  # DuckDB's syntax: "2GB", "500MB"
    threads: int | None = None
    timezone: str = "UTC"


class DuckEngine:
    """One DuckDB connection holding one event log (all `--events` files together)."""

    def __init__(self, settings: EngineSettings) -> None:
        try:
            zoneinfo.ZoneInfo(settings.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise UsageError(
                f"--timezone {settings.timezone}: unknown time zone; use an IANA name such as"
                " Europe/Paris or UTC"
            ) from None
        self._spill = tempfile.mkdtemp(prefix="cljourney-conform-")
        self._db = duckdb.connect(":memory:")
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

    def close(self) -> None:
        self._db.close()
        shutil.rmtree(self._spill, ignore_errors=True)

    def _run(self, query: str, where: str = "the event log") -> list[Any]:
        try:
            return self._db.execute(query).fetchall()
        except duckdb.OutOfMemoryException:
            raise UsageError(
                f"{where}: out of memory; raise --memory-limit or free disk space for spilling"
            ) from None
        except duckdb.Error as exc:
            raise UsageError(f"{where}: cannot read it: {_first_line(exc)}") from None

    def rows(self, query: str) -> list[Row]:
        return [tuple(row) for row in self._run(query)]

    def fill(self, table: str, rows: Sequence[Row]) -> None:
        self._run(sql.create_table(table))
        if rows:
            self._db.executemany(sql.insert(table), [list(row) for row in rows])

    def load(
        self, sources: Sequence[LogSource], choice: ColumnChoice, as_of_us: int | None
    ) -> LogFacts:
        """Read every log into `events` and return the facts about it."""
        selects = []
        for number, source in enumerate(sources):
            reader = sql.scan(source.kind, source.path)
            found = [str(row[0]) for row in self._run(sql.columns_of(reader), source.shown)]
            columns = choose_columns(found, choice, source.shown)
            selects.append(
                sql.select_events(number, reader, columns.case, columns.event, columns.time)
            )
        self._run(sql.load_events(selects), ", ".join(s.shown for s in sources))
        # Input order matters only while reading (row_no numbers the rows as they come); every
        # later query orders explicitly, so DuckDB may stream and spill without keeping order.
        self._run("SET preserve_insertion_order = false")
        self._run(sql.GOOD)
        self._run(sql.EVENT_NAMES)
        self._run(sql.CASES)
        rows, customers, skipped, first, last = self._run(sql.LOG_SUMMARY)[0]
        bad: dict[str, tuple[int, list[str]]] = {}
        for reason, total, file_no, row_no, text in self._run(sql.bad_rows(BAD_EXAMPLES)):
            source = sources[int(file_no)]
            where = f"{source.shown}:{_line(source, int(row_no))}"
            if reason == "unparsable time":
                where += f" ({text!r})" if text is not None else " (empty)"
            bad.setdefault(str(reason), (int(total), []))[1].append(where)
        return LogFacts(
            int(rows),
            int(customers or 0),
            int(skipped or 0),
            first,
            last,
            as_of_us if as_of_us is not None else last,
            tuple(BadRows(r, n, tuple(ex)) for r, (n, ex) in sorted(bad.items())),
        )


def _line(source: LogSource, row_no: int) -> str:
    """Where a row is, as an editor counts: CSV and TSV lines below the header, JSON Lines
    lines, Parquet rows (assuming one record per line, no line breaks inside quotes)."""
    if source.kind in ("csv", "tsv"):
        return str(row_no + 1)
    if source.kind == "json":
        return str(row_no)
    return f"row {row_no}"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
