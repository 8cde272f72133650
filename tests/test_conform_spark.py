"""`conform --engine spark`: Spark, run for real in `local[2]`, gives the same JSON as DuckDB,
byte for byte, on every log the conform tests use and on small random logs; missing pyspark or
Java and Spark's own failures are messages and exit 2. The translation itself (`dialect`) is
checked without a JVM."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cljourney.cli.app import app
from cljourney.conform import dialect, sql
from conftest import EXAMPLES, RULE_CASES
from eventlogs import mixpanel_export, other_formats

runner = CliRunner()
JOURNEY = Path(__file__).parent / "data" / "conform" / "journey.yaml"
CASES = sorted(
    (case.name, kind)
    for case in RULE_CASES.iterdir()
    if (case / "fail.csv").exists()
    for kind in ("fail", "pass")
)
HEADER = "case_id,activity,timestamp\n"


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    """One JVM for the module: `--engine spark` without `--spark-master` uses the active
    session, as it does inside spark-submit."""
    from pyspark.sql import SparkSession

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # pyspark on the pandas pm4py brings
        session = (
            SparkSession.builder.master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate()
        )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["conform", *args], env={"NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def same_on_both(*args: str) -> str:
    """Run `conform ARGS -f json` on both engines; assert the same bytes, notes and status."""
    duck = run(*args, "-f", "json")
    spark = run(*args, "-f", "json", "--engine", "spark")
    assert duck[0] in (0, 1), duck[2]
    assert spark == duck
    return duck[1]


@pytest.mark.engines
@pytest.mark.parametrize(("case", "kind"), CASES, ids=[f"{c}-{k}" for c, k in CASES])
def test_rule_cases_are_identical(spark: object, case: str, kind: str) -> None:
    folder = RULE_CASES / case
    out = same_on_both(str(folder / f"{kind}.yaml"), "--events", str(folder / f"{kind}.csv"))
    assert json.loads(out)["journeys"][0]["log"]["rows"] > 0


@pytest.mark.engines
def test_example_log_is_identical(spark: object) -> None:
    out = same_on_both(
        str(EXAMPLES / "b2b-saas.yaml"), "--events", str(EXAMPLES / "events" / "b2b-saas.csv")
    )
    document = json.loads(out)
    assert document["journeys"][0]["log"]["skipped_rows"] == 9
    assert any(t["p90_s"] for t in document["journeys"][0]["transitions"])


@pytest.mark.engines
@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_measured_maps_are_identical(spark: object, fmt: str) -> None:
    """`render --events` runs the same computation, so its maps are the same on both engines."""
    args = ["render", str(EXAMPLES / "b2b-saas.yaml"), "--format", fmt]
    args += ["--events", str(EXAMPLES / "events" / "b2b-saas.csv")]
    duck = runner.invoke(app, args, env={"NO_COLOR": "1"})
    on_spark = runner.invoke(app, [*args, "--engine", "spark"], env={"NO_COLOR": "1"})
    assert duck.exit_code == 0, duck.stderr
    assert "Measured against the event log" in duck.stdout
    assert (on_spark.exit_code, on_spark.stdout) == (0, duck.stdout)


def _write(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text(HEADER + "".join(",".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _formats(tmp_path: Path) -> Iterator[Path]:
    """The same log as CSV, TSV, JSON Lines, gzipped NDJSON and a directory of Parquet."""
    rows = [
        ("c1", "signup", "2024-01-01T10:00:00Z"),
        ("c1", "demo_held", "2024-01-02T10:30:00+01:00"),
        ("c2", "signup", "1704103200000"),
        ("c2", "kickoff_held", "1704189600.25"),
        ("c3", "signup", "2024-01-01 09:00:00"),
        ("c3", "renewed", "yesterday"),
        ("", "signup", "2024-01-01T10:00:00Z"),
    ]
    log = _write(tmp_path / "log.csv", rows)
    yield log
    yield from other_formats(log, rows, tmp_path / "parts", partition="day=1", text_columns=True)


@pytest.mark.engines
def test_every_format_is_identical(spark: object, tmp_path: Path) -> None:
    outputs = set()
    columns = {}
    for path in _formats(tmp_path):
        document = json.loads(same_on_both(str(JOURNEY), "--events", str(path)))
        (read,) = document["journeys"][0]["log"].pop("columns")
        assert read.pop("log") == str(path)
        columns[path.name] = tuple(read.values())
        outputs.add(json.dumps(document))
    assert len(outputs) == 1  # and every format reads the same log
    assert columns == {  # each under the names its export gives (tests/eventlogs.py)
        "log.csv": ("case_id", "activity", "timestamp"),
        "log.tsv": ("user_id", "event_name", "time"),
        "log.jsonl": ("distinct_id", "event", "timestamp"),
        "log.ndjson.gz": ("distinct_id", "event", "timestamp"),
        "parts": ("case_id", "activity", "timestamp"),
    }


@pytest.mark.engines
def test_nested_json_fields_are_identical(spark: object, tmp_path: Path) -> None:
    """A Mixpanel raw export (customer and time under `properties`) is recognised and read the
    same by both engines (Spark's JSON reader gives the nested fields as text)."""
    rows = [
        (f"c{n % 7}", event, str(1_700_000_000 + n * 3600))
        for n, event in enumerate(
            ["signup", "demo_held", "kickoff_held", "training_a", "renewed", "deal_lost"] * 5
        )
    ]
    path = mixpanel_export(tmp_path / "export.jsonl", rows)
    out = same_on_both(str(JOURNEY), "--events", str(path))
    assert json.loads(out)["journeys"][0]["log"]["started"] == 7
    # ids and times that are numbers for 25,000 rows, then text: DuckDB reads them as JSON
    late = [(str(n), "signup", str(1_700_000_000 + n)) for n in range(25_000)]
    late += [("$device:abc", "demo_held", "1700000000"), ("7", "demo_held", "yesterday")]
    path = mixpanel_export(tmp_path / "late.jsonl", late)
    lines = path.read_text().splitlines()
    for number in range(25_000):
        lines[number] = lines[number].replace(
            f'"distinct_id": "{number}"', f'"distinct_id": {number}'
        )
    path.write_text("\n".join(lines) + "\n")
    out = same_on_both(str(JOURNEY), "--events", str(path))
    assert json.loads(out)["journeys"][0]["log"]["customers"] == 25_001


@pytest.mark.engines
def test_time_zone_as_of_and_ties_are_identical(spark: object, tmp_path: Path) -> None:
    path = _write(
        tmp_path / "log.csv",
        [
            ("c1", "signup", "2024-07-01 12:00:00"),
            ("c1", "kickoff_held", "2024-07-01 13:00:00"),  # a tie: input order decides
            ("c1", "demo_held", "2024-07-01 13:00:00"),
            ("c2", "signup", "2024-07-01T12:00:00+02:00"),
        ],
    )
    out = same_on_both(
        str(JOURNEY), "--events", str(path), "--timezone", "Europe/Paris", "--as-of", "2024-08-01"
    )
    log = json.loads(out)["journeys"][0]["log"]
    assert log["first"] == "2024-07-01T10:00:00Z"  # naive times in Paris, UTC+2 in July


@pytest.mark.engines
def test_spaces_around_values_are_identical(spark: object, tmp_path: Path) -> None:
    # Spaces around ids, names and times (stripped), inside an id (kept), and a non-ASCII id,
    # whose trimming takes the engines' full `trim`.
    path = _write(
        tmp_path / "log.csv",
        [
            (" c1 ", " signup", " 2024-07-01T12:00:00Z "),
            ("c1", "demo_held  ", "2024-07-01T13:00:00Z"),
            ("caf\u00e9 ", "signup", " 1719835200 "),
            ("c 2", "signup", "2024-07-01T12:00:00Z"),
            ("c3", "  ", "2024-07-01T12:00:00Z"),
        ],
    )
    log = json.loads(same_on_both(str(JOURNEY), "--events", str(path)))["journeys"][0]["log"]
    assert (log["customers"], log["skipped_rows"]) == (3, 1)


rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["c1", "c2", "c3", "c4"]),
        st.sampled_from(["signup", "demo_held", "kickoff_held", "training_a", "renewed", "x"]),
        st.integers(min_value=0, max_value=40 * 3600 * 1_000_000),  # microseconds: odd gaps
    ),
    min_size=1,
    max_size=40,
)


@pytest.mark.engines
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=rows_strategy)
def test_random_logs_are_identical(
    spark: object, rows: list[tuple[str, str, int]], tmp_path: Path
) -> None:
    base = 1_700_000_000_000_000
    text = [(c, e, f"{(base + us) / 1e6:.6f}") for c, e, us in rows]
    same_on_both(str(JOURNEY), "--events", str(_write(tmp_path / "log.csv", text)))


@pytest.mark.engines
def test_a_path_spark_cannot_read_is_a_usage_error(spark: object, tmp_path: Path) -> None:
    missing = (tmp_path / "nowhere" / "log.parquet").as_uri()
    code, _, err = run(str(JOURNEY), "--events", missing, "--engine", "spark")
    assert code == 2
    assert err.startswith(f"cljourney: error: {missing}: Spark failed: ")
    assert "Traceback" not in err and "\tat " not in err


@pytest.mark.engines
def test_new_session_on_a_master_and_a_bad_master(tmp_path: Path) -> None:
    """Without an active session the engine starts its own (here `local[2]`); a master URL
    Spark refuses is exit 2 with Spark's reason."""
    log = EXAMPLES / "events" / "b2b-saas.csv"
    base = [sys.executable, "-m", "cljourney", "conform", str(EXAMPLES / "b2b-saas.yaml")]
    base += ["--events", str(log), "-f", "json"]
    duck = subprocess.run(base, capture_output=True, text=True, timeout=600)
    spark = subprocess.run(
        [*base, "--engine", "spark", "--spark-master", "local[2]"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert spark.returncode == duck.returncode == 0, spark.stderr
    assert spark.stdout == duck.stdout
    bad = subprocess.run(
        [*base, "--engine", "spark", "--spark-master", "nowhere://x"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert bad.returncode == 2
    assert "cljourney: error: the Spark session: Spark failed: " in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.engines
def test_spark_connect_from_the_environment() -> None:
    """`SPARK_REMOTE` selects Spark Connect (here `local[2]`: pyspark starts a Connect server),
    with the same JSON as DuckDB. Needs pyspark's `connect` extra, which cljourney[spark] leaves
    to those who use Connect."""
    pytest.importorskip("grpc", reason="pyspark[connect] is not installed")
    pytest.importorskip("pyarrow", reason="pyspark[connect] is not installed")
    base = [
        sys.executable,
        "-m",
        "cljourney",
        "conform",
        str(RULE_CASES / "drop-off" / "fail.yaml"),
    ]
    base += ["--events", str(RULE_CASES / "drop-off" / "fail.csv"), "-f", "json"]
    duck = subprocess.run(base, capture_output=True, text=True, timeout=600)
    env = {**os.environ, "SPARK_REMOTE": "local[2]"}
    connect = subprocess.run(
        [*base, "--engine", "spark"], capture_output=True, text=True, timeout=900, env=env
    )
    assert connect.returncode == duck.returncode == 0, connect.stderr[-2000:]
    assert connect.stdout == duck.stdout


def _without(env_change: dict[str, str | None], *python: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in env_change}
    env.update({k: v for k, v in env_change.items() if v is not None})
    args = [str(JOURNEY), "--events", str(RULE_CASES / "drop-off" / "fail.csv")]
    script = (
        "import sys\n"
        + "".join(python)
        + "from cljourney.cli.entry import main\n"
        + f"sys.argv = ['cljourney', 'conform', *{args!r}, '--engine', 'spark']\n"
        + "main()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120
    )


def test_missing_pyspark_says_how_to_install() -> None:
    done = _without({}, "sys.modules['pyspark'] = None\n")
    assert done.returncode == 2
    assert done.stderr == (
        "cljourney: error: --engine spark needs pyspark; install it with:"
        " pip install 'cljourney[spark]'\n"
    )


def test_missing_java_is_named_before_any_jvm_starts(tmp_path: Path) -> None:
    done = _without({"JAVA_HOME": None, "SPARK_REMOTE": None, "PATH": str(tmp_path)})
    assert done.returncode == 2
    assert "Java is not installed" in done.stderr
    assert "apt-get install default-jre-headless" in done.stderr
    assert "Traceback" not in done.stderr
    done = _without({"JAVA_HOME": str(tmp_path), "SPARK_REMOTE": None})
    assert done.returncode == 2
    assert f"JAVA_HOME={tmp_path} holds no bin/java" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--engine", "spark", "--threads", "2"], "--threads applies to --engine duckdb"),
        (["--engine", "spark", "--memory-limit", "1GB"], "--memory-limit applies to --engine"),
        (["--spark-master", "local[2]"], "--spark-master applies to --engine spark"),
        (["--engine", "flink"], "'flink' is not one of"),
    ],
)
def test_options_of_the_other_engine_are_refused(args: list[str], message: str) -> None:
    code, _, err = run(str(JOURNEY), "--events", str(RULE_CASES / "drop-off" / "fail.csv"), *args)
    assert code == 2
    assert message in err


def test_duckdb_runs_never_import_spark_or_sqlglot() -> None:
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from cljourney.cli.app import app\n"
        f"CliRunner().invoke(app, ['conform', {str(JOURNEY)!r}, '--events',"
        f" {str(RULE_CASES / 'drop-off' / 'fail.csv')!r}])\n"
        "print(sorted(m for m in ('pyspark', 'sqlglot', 'py4j') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_every_query_translates_to_spark() -> None:
    """No DuckDB-only function survives translation, and input order becomes the column the
    Spark engine provides."""
    queries = [
        value
        for name, value in vars(sql).items()
        if name.isupper()
        and isinstance(value, str)
        and value.lstrip().startswith(("SELECT", "WITH", "CREATE"))
    ]
    queries += [sql.bad_rows(3), sql.variants(20), sql.last_visits(1, 2)]
    # The quantile queries as Spark runs them (sorting; selecting is DuckDB's).
    queries += [sql.stages(False), sql.transitions(False), sql.incoming(False)]
    queries.append(
        sql.load_events(
            [
                sql.select_events(
                    0,
                    "src",
                    sql.column(("case",)),
                    sql.column(("event",)),
                    sql.column(("properties", "time")),
                    dialect.ROW_NO,
                )
            ]
        )
    )
    assert len(queries) > 15
    assert dialect.to_spark(sql.DROP_RUNS) == dialect.Statement("", drops="runs")
    for query in queries:
        spark = dialect.to_spark(query).query
        for duck_only in (
            "EPOCH_US",
            "REGEXP_FULL_MATCH",
            "PERCENTILE",
            "ROW_NUMBER() OVER ()",
            "STRLEN",
        ):
            assert duck_only not in spark.upper(), (duck_only, spark)
    events = dialect.to_spark(queries[-1])
    assert (events.defines, events.keep) == ("events", True)
    assert f"{dialect.ROW_NO} AS row_no" in events.query
    assert dialect.to_spark(sql.GOOD).keep is False  # a view, not kept


def test_ordered_lists_translate_with_their_order_or_not_at_all() -> None:
    """DuckDB's `list(x ORDER BY k)` becomes a sort of (k, x) pairs in Spark; a key Spark's
    ARRAY_SORT would not honour (descending, or several) is refused, never translated loosely."""
    spark = dialect.to_spark("SELECT list(x ORDER BY k) AS xs FROM t GROUP BY g").query
    assert "ARRAY_SORT(COLLECT_LIST(STRUCT(k AS _k, x AS _v)))" in spark, spark
    for order in ("k DESC", "k, j"):
        with pytest.raises(ValueError, match="one ascending key only"):
            dialect.to_spark(f"SELECT list(x ORDER BY {order}) AS xs FROM t GROUP BY g")
