"""Reading the event log, started before the rest of a conform run is built: what to read
(`LogRequest`) and the read itself (`LogReading`, DuckDB on a thread of its own).

Light to import on purpose (no engine, no journey model, no rules): the CLI starts the read as
soon as the options and the config are known, and DuckDB reads (without the GIL) while the rest
of `conform` imports, the journeys load and their flows are built.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from cljourney.conform.read import ColumnChoice, LogSource

if TYPE_CHECKING:
    from cljourney.conform.engine import DuckEngine
    from cljourney.conform.measures import LogFacts
    from cljourney.conform.spark import SparkEngine


@dataclass(frozen=True)
class LogRequest:
    """What to read and how: the logs, their columns, and the engine's settings."""

    logs: tuple[LogSource, ...]
    columns: ColumnChoice = field(default_factory=ColumnChoice)
    as_of_us: int | None = None
    memory_limit: str | None = None
    threads: int | None = None
    timezone: str = "UTC"
    engine: str = "duckdb"  # or "spark"
    spark_master: str | None = None


class LogReading:
    """The engine of `request` reading its logs: DuckDB on a thread started here, Spark (whose
    JVM cannot be stopped half-way cheaply) when `result` is asked for.

    The constructor returns once DuckDB is imported and connected (a tenth of a second): that
    import holds the GIL, and would only be slowed by the caller's own imports running beside
    it; what comes after, the read itself, runs without the GIL."""

    def __init__(self, request: LogRequest) -> None:
        self.request = request
        self._engine: DuckEngine | SparkEngine | None = None
        self._log: LogFacts | None = None
        self._error: BaseException | None = None
        self._cancelled = threading.Event()
        self._ready = threading.Event()  # the engine exists (or could not be made)
        self._done = threading.Event()  # not Thread.is_alive: a Ctrl-C in join() fakes that
        self._thread: threading.Thread | None = None
        if request.engine != "spark":
            self._thread = threading.Thread(target=self._read, name="cljourney-log", daemon=True)
            self._thread.start()
            try:
                self._ready.wait()
            except BaseException:  # SIGTERM or Ctrl-C while DuckDB starts: no folder left
                self.cancel()
                raise

    def _read(self) -> None:
        try:
            try:
                self._engine = _engine(self.request)
            finally:
                self._ready.set()
            if not self._cancelled.is_set():
                request = self.request
                self._log = self._engine.load(request.logs, request.columns, request.as_of_us)
        except BaseException as exc:  # handed to the caller of result()
            self._error = exc
        finally:
            self._done.set()

    def result(self) -> tuple[DuckEngine | SparkEngine, LogFacts]:
        """The engine holding the log, and the facts about it; the engine's error, if any."""
        if self._thread is None:
            self._read()
        else:
            self._done.wait()
        if self._error is not None:
            self.cancel()
            raise self._error
        assert self._engine is not None and self._log is not None
        return self._engine, self._log

    def cancel(self) -> None:
        """Stop the read (if it still runs), wait for the thread to end, close the engine."""
        self._cancelled.set()
        if self._thread is not None:
            while not self._done.wait(0.05):
                if self._engine is not None:  # only DuckDB reads on a thread
                    cast("DuckEngine", self._engine).interrupt()
        if self._engine is not None:
            self._engine.close()
            self._engine = None


def _engine(request: LogRequest) -> DuckEngine | SparkEngine:
    """The engine `request` asks for, imported only then (DuckDB ~100 ms, Spark a JVM)."""
    if request.engine == "spark":
        from cljourney.conform.spark import SparkEngine, SparkSettings

        return SparkEngine(SparkSettings(request.spark_master, request.timezone))
    from cljourney.conform.engine import DuckEngine, EngineSettings

    return DuckEngine(EngineSettings(request.memory_limit, request.threads, request.timezone))
