"""One event log written in every input format `conform` reads, for tests that check each format
gives the same answer (the DuckDB engine tests, and Spark against DuckDB)."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path


def other_formats(
    csv: Path,
    rows: list[tuple[str, str, str]],
    parquet: Path,
    *,
    partition: str = "",
    text_columns: bool = False,
) -> Iterator[Path]:
    """The (case, event, time) `rows` already written to `csv`, again as TSV, JSON Lines and
    gzipped NDJSON beside it, then as the directory `parquet` holding `a.parquet` (inside the
    folder `partition`, e.g. `day=1`, when given). `text_columns`: the Parquet columns stay
    text, as the CSV wrote them, instead of DuckDB's inferred types. Yields each path."""
    tsv = csv.with_name("log.tsv")
    tsv.write_text("user_id\tevent_name\ttime\n" + "".join("\t".join(r) + "\n" for r in rows))
    yield tsv
    jsonl = csv.with_name("log.jsonl")
    jsonl.write_text(
        "".join(
            json.dumps({"distinct_id": c, "event": e, "timestamp": t}) + "\n" for c, e, t in rows
        )
    )
    yield jsonl
    gz = csv.with_name("log.ndjson.gz")
    gz.write_bytes(gzip.compress(jsonl.read_bytes()))
    yield gz
    import duckdb

    folder = parquet / partition
    folder.mkdir(parents=True)
    typing = ", all_varchar = true" if text_columns else ""
    connection = duckdb.connect()
    connection.execute(
        f"COPY (SELECT * FROM read_csv('{csv}'{typing})) TO '{folder / 'a.parquet'}'"
    )
    connection.close()
    yield parquet


def mixpanel_export(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    """The (case, event, epoch seconds) `rows` as Mixpanel's raw export writes events: the name
    at the top, the customer and the time among the nested `properties` (with others beside);
    a time that is no number is written as text."""
    path.write_text(
        "".join(
            json.dumps(
                {
                    "event": e,
                    "properties": {
                        "time": int(t) if t.isdigit() else t,
                        "distinct_id": c,
                        "$insert_id": f"{c}-{n}",
                        "plan": {"tier": "pro"},
                    },
                }
            )
            + "\n"
            for n, (c, e, t) in enumerate(rows)
        )
    )
    return path
