"""Apache Spark: the same queries as DuckDB (`sql`, translated by `dialect`), for logs that
outgrow one machine. Spark reads the logs where they are; only aggregated rows (per touchpoint,
per transition, variants) come back to this process, never the events.

The session: the active one, else spark-submit's (when it runs us), else Spark Connect when
`SPARK_REMOTE` is set, else a new one on `--spark-master` (default `local[*]`, which needs Java). Imported only by
`conform --engine spark`; pyspark and sqlglot come with the `cljourney[spark]` extra.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cljourney.conform import sql
from cljourney.conform.measures import LogFacts, Row, log_facts
from cljourney.conform.read import (
    ColumnChoice,
    LogSource,
    check_timezone,
    choose_columns,
    offered_columns,
)
from cljourney.errors import UsageError

INSTALL = "install it with: pip install 'cljourney[spark]'"
_SOURCE = "_cljourney_source_{}"


@dataclass(frozen=True)
class SparkSettings:
    master: str | None = None  # None: the active session, SPARK_REMOTE, else local[*]
    timezone: str = "UTC"


def _modules() -> tuple[Any, Any]:
    """pyspark and the translator, or a UsageError saying how to install them."""
    try:
        import pyspark.sql as spark_sql
    except ImportError:
        raise UsageError(f"--engine spark needs pyspark; {INSTALL}") from None
    try:
        from cljourney.conform import dialect
    except ImportError:
        raise UsageError(f"--engine spark needs sqlglot; {INSTALL}") from None
    return spark_sql, dialect


def java_missing() -> str | None:
    """Why a local Spark cannot start a JVM here, or None when Java is found."""
    home = os.environ.get("JAVA_HOME")
    if home:
        if os.access(os.path.join(home, "bin", "java"), os.X_OK):
            return None
        return f"JAVA_HOME={home} holds no bin/java"
    if shutil.which("java"):
        return None
    return "Java is not installed (no `java` on PATH, no JAVA_HOME)"


@contextmanager
def _spark_errors(where: str) -> Iterator[None]:
    """Spark's failures (a bad path, a bad master URL, a query it refuses) as a UsageError
    with Spark's first line; never a JVM stack trace."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        yield
    except (PySparkException, Py4JError, ConnectionError) as exc:
        raise UsageError(f"{where}: Spark failed: {_first_line(exc)}") from None


class SparkEngine:
    """One Spark session holding one event log (all `--events` files together)."""

    # Sorted, each group's values gathered once: selecting needs a second pass over the values,
    # which Spark recomputes from the start (36.8 against 25.8 s on the example log).
    select_quantiles = False

    def __init__(self, settings: SparkSettings) -> None:
        check_timezone(settings.timezone)
        spark_sql, self._dialect = _modules()
        self._owned = False
        self._kept: dict[str, Any] = {}
        with _spark_errors("the Spark session"), warnings.catch_warnings():
            # pyspark warns about the pandas it finds (Spark Connect imports it; conform never
            # uses it).
            warnings.simplefilter("ignore", FutureWarning)
            self._spark = self._session(spark_sql, settings.master)
            # Naive times are read in this zone, as DuckDB's TimeZone setting does.
            self._spark.conf.set("spark.sql.session.timeZone", settings.timezone)

    def _session(self, spark_sql: Any, master: str | None) -> Any:
        active = spark_sql.SparkSession.getActiveSession()
        if active is not None and master is None:
            return active
        builder = spark_sql.SparkSession.builder.appName("cljourney conform")
        if master is None and os.environ.get("PYSPARK_GATEWAY_PORT"):
            # Inside spark-submit: its JVM is running, and the session comes from what was
            # submitted (master, memory, credentials), not from our defaults.
            return builder.getOrCreate()
        if master is None and os.environ.get("SPARK_REMOTE"):
            return builder.getOrCreate()  # Spark Connect reads SPARK_REMOTE itself
        why = java_missing()
        if why is not None:
            raise UsageError(
                f"--engine spark: {why}; a local Spark needs Java 17 or later (Debian:"
                " apt-get install default-jre-headless), or point SPARK_REMOTE at a Spark"
                " Connect server"
            )
        self._owned = True
        log = Path(__file__).with_name("log4j2.properties").as_uri()
        builder = (
            builder.master(master or "local[*]")
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={log}")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
        )
        if (master or "local").startswith("local"):
            # One machine: a few shuffle partitions, not the cluster default of 200 (tiny tasks
            # whose overhead dominates: 3x slower on the example log).
            partitions = str(2 * (os.cpu_count() or 1))
            builder = builder.config("spark.sql.shuffle.partitions", partitions)
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        return session

    def close(self) -> None:
        for frame in self._kept.values():
            frame.unpersist()
        self._kept.clear()
        if self._owned:
            self._spark.stop()

    def rows(self, query: str, where: str = "the event log") -> list[Row]:
        """Run one of `sql`'s queries; a CREATE defines a temporary view (a TABLE is also
        cached, so it is computed once), anything else returns its (small) result. A DROP is
        not run: a view of Spark Connect reads the relations it names when it is used, so they
        stay (a kept table stays cached until it is defined again or the engine closes)."""
        statement = self._dialect.to_spark(query)
        if statement.drops is not None:
            return []
        with _spark_errors(where):
            frame = self._spark.sql(statement.query)
            if statement.defines is None:
                return [tuple(row) for row in frame.collect()]
            old = self._kept.pop(statement.defines, None)
            if statement.keep:
                frame = frame.cache()
                self._kept[statement.defines] = frame
            frame.createOrReplaceTempView(statement.defines)
            if old is not None:
                old.unpersist()
        return []

    def rows_many(self, queries: Sequence[str]) -> list[list[Row]]:
        """Several queries, one after the other (Spark runs each on every executor already)."""
        return [self.rows(query) for query in queries]

    def fill(self, table: str, rows: Sequence[Row]) -> None:
        columns = [c.strip().split(" ", 1) for c in sql.JOURNEY_TABLES[table].split(",")]
        schema = ", ".join(f"{name} {self._dialect.spark_type(kind)}" for name, kind in columns)
        with _spark_errors(table):
            frame = self._spark.createDataFrame([list(row) for row in rows], schema)
            frame.createOrReplaceTempView(table)

    def load(
        self, sources: Sequence[LogSource], choice: ColumnChoice, as_of_us: int | None
    ) -> LogFacts:
        """Read every log into `events` and return the facts about it."""
        selects = []
        chosen = []
        for number, source in enumerate(sources):
            with _spark_errors(source.shown):
                frame = self._numbered(self._reader(source))
                top = [
                    (field.name, field.dataType)
                    for field in frame.schema.fields
                    if field.name != self._dialect.ROW_NO
                ]
            offered = offered_columns(top, _fields)
            columns = choose_columns(offered, choice, source.shown)
            chosen.append(columns)
            view = _SOURCE.format(number)
            frame.createOrReplaceTempView(view)
            selects.append(
                sql.select_events(
                    number,
                    view,
                    sql.column(offered.path(columns.case)),
                    sql.column(offered.path(columns.event)),
                    sql.column(offered.path(columns.time)),
                    self._dialect.ROW_NO,
                )
            )
        self.rows(sql.load_events(selects), ", ".join(s.shown for s in sources))
        return log_facts(self, sources, as_of_us, chosen)

    def _reader(self, source: LogSource) -> Any:
        """Spark's reader for one log, every column of text formats as text (as DuckDB reads
        them), quotes doubled inside quoted CSV fields."""
        read = self._spark.read
        if source.kind in ("csv", "tsv"):
            sep = "\t" if source.kind == "tsv" else ","
            return read.csv(source.path, header=True, sep=sep, quote='"', escape='"')
        if source.kind == "json":
            return read.json(source.path, primitivesAsString=True)
        # A directory is read whole (Spark discovers hive partitions), not through a glob.
        return read.parquet(source.shown if "**" in source.path else source.path)

    def _numbered(self, frame: Any) -> Any:
        """The rows with their 1-based input order: partitions follow the file, and within one
        the id counts rows; a count per partition (a few numbers) gives each one's offset
        (how RDD.zipWithIndex numbers rows, which Spark Connect does not offer)."""
        from pyspark.sql import functions as f

        ids = f.monotonically_increasing_id()
        # Not cached: reading a file twice costs less than keeping a copy of it (`events`,
        # made from it once, is kept), and its partitions and their order are the same each time.
        marked = frame.withColumn("_cljourney_id", ids)
        part = f.shiftright(f.col("_cljourney_id"), 33)
        counts = sorted(marked.groupBy(part.alias("_cljourney_p")).count().collect())
        offsets, total = [], 0
        for p, n in counts:
            offsets.append((int(p), total))
            total += int(n)
        table = self._spark.createDataFrame(
            offsets or [(0, 0)], "_cljourney_p BIGINT, _cljourney_offset BIGINT"
        )
        within = f.col("_cljourney_id").bitwiseAND((1 << 33) - 1)
        return (
            marked.join(f.broadcast(table), part == f.col("_cljourney_p"))
            .withColumn(self._dialect.ROW_NO, f.col("_cljourney_offset") + within + 1)
            .drop("_cljourney_id", "_cljourney_p", "_cljourney_offset")
        )


def _fields(kind: Any) -> list[tuple[str, Any]]:
    """The fields of a struct column (a JSON object, a Parquet group); none for other types."""
    from pyspark.sql.types import StructType

    return [(f.name, f.dataType) for f in kind.fields] if isinstance(kind, StructType) else []


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
