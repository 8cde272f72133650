"""Every query `conform` runs, as SQL text over one `events` relation. Nothing else builds SQL.

Written once, in DuckDB's dialect, kept to what sqlglot translates for Spark (`conform.spark`
runs the same text there for logs that outgrow one machine); the few engine-specific pieces are
the file readers in `scan` and how `events` numbers rows in input order (`row_no`): Spark's
engine adds a column to each source (`select_events`' `row_no`), DuckDB's numbers them from the
rowid of the table it reads them into (`read_events`, `numbered_events`); and how quantiles find
their values (`with_quantiles`: DuckDB selects, Spark sorts; the same doubles).

Relations, built in this order:
- `events(file_no, row_no, case_id, event, t)`: every row read; `t` is microseconds since the
  epoch (UTC), NULL when the time does not parse; empty case or event is NULL.
- `good`: the rows with a case, an event and a time.
- per journey, tables registered by the engine: `mapping(pattern, tp, priority)` (one row per
  `events` entry, `pattern` a LIKE pattern, `priority` its order in the file),
  `tp_info(tp, stage_no, within_s, is_end)`, `stage_info(stage_no, within_s)`,
  `declared(from_tp, to_tp)`, `tp_names(tp, id, id_rank)`. A touchpoint is its number in the
  flow (`tp`, an integer: the windows and aggregates compare and hash integers, several times
  cheaper than text); `tp_names` gives its id where a query shows it (traces) and `id_rank`, its
  id's place among the journey's ids in sorted order, for paths (variants).
- `event_rows(event, rows_n, good_n, first_t, last_t)`: the rows per event name (NULL for
  none), the good ones, and the first and last time of those with a customer.
- `names(event, n)`: the good rows per event name.
- `name_map(event, tp)`: each distinct event name and the first touchpoint claiming it.
- `cases(case_id, cid)`: each customer's number (an integer to key the work below on).
- `visits(case_id, n, tp, first_t, last_t, next_tp, next_t, prev_tp)`: the trace of each
  customer (here `case_id` is the customer's number, `cases.cid`), consecutive events of one
  touchpoint collapsed, with the touchpoint and first time of the visit after it and the
  touchpoint of the visit before. `n` orders a customer's visits in (time, input order): it is 1
  for the first and grows along the trace, but skips (it numbers the visit's first event among
  the customer's mapped events); `TRACES` numbers the visits 1, 2, 3...
- `steps(case_id, from_tp, to_tp, gap_s)`: each pair of consecutive visits.
- `paths(path, customers)`: each distinct visit path (`tp_names.id_rank`s) and its customers.
- `path_steps(path, customers, from_tp, to_tp)`: each path's distinct steps.
"""

from __future__ import annotations

from collections.abc import Sequence

US = 1_000_000  # microseconds in a second


# Quantiles: continuous, linear interpolation (numpy's default), the same on every engine. The
# quantile q of n values sorted x[0..n-1] is `lo + (hi - lo) * (p - floor(p))`, p = (n - 1) * q,
# lo = x[floor(p)], hi = x[ceil(p)]; NULL for no values. Spelled out rather than `quantile_cont`,
# so every engine computes the same double to the last bit: DuckDB's x86-64 build fuses its own
# interpolation into one FMA and Spark's `percentile` rounds its own way.
#
# An engine finds lo and hi in one of two ways (`with_quantiles`' `select`), the same values:
# - sorting: each group's values gathered and sorted (Spark, whose aggregates sort anyway);
# - selecting (DuckDB): `quantile_disc(v, q)`, a linear selection, is the value at 0-based
#   position ceil(n * q) - 1 (Postgres' definition, exact for a DECIMAL q); at 10M events it
#   takes 0.2 s where gathering and sorting the transitions' gaps took 1.6 s. With e = 1e-13
#   (exact for fewer than 10^12 values in a group), q = 0.5 picks the median's lo,
#   x[floor((n - 1) / 2)], and q = 0.5 + e its hi, x[ceil((n - 1) / 2)]; q = 0.9 + e picks
#   x[floor(0.9 n)], which is x[ceil(0.9 (n - 1))], the p90's hi. No constant q picks the p90's
#   lo, x[floor(0.9 (n - 1))]: it is the hi itself when 0.9 (n - 1) is whole, else the value
#   just before it, which a second pass finds: the largest value below the hi when exactly
#   ceil(p) values are below it, else (a tie) the hi.
_PICKS = "[0.5, 0.5000000000001, 0.9000000000001]"


def _position(count: str, q: float) -> str:
    """p = (count - 1) * q, as a double: spelled once, so every use computes the same one."""
    return f"(CAST({count} - 1 AS DOUBLE) * {q})"


def _interpolate(lo: str, hi: str, count: str, q: float) -> str:
    at = _position(count, q)
    return f"CASE WHEN {count} > 0 THEN {lo} + ({hi} - {lo}) * ({at} - floor({at})) END"


def _at(values: str, count: str, q: float, rounding: str) -> str:
    """The value of a sorted list at position floor or ceil of (count - 1) * q."""
    return f"{values}[CAST({rounding}{_position(count, q)} AS BIGINT) + 1]"


def with_quantiles(
    values: str,
    keys: Sequence[str],
    aggregates: Sequence[str] = (),
    ctes: str = "",
    *,
    select: bool,
) -> str:
    """Per group of `keys` in `values` (a SELECT giving the key columns, the value `v`, NULL
    for none, and whatever else the other arguments read): the keys, `aggregates` (aggregate
    expressions over `values`' columns), then the median and the p90 of `v`, in that order.
    `ctes`: common table expressions `values` reads (`name AS (...), ...`). `select`: find the
    quantiles' values by selection rather than by sorting (see above)."""
    key_list = ", ".join(keys)
    named = [f"a{number}" for number in range(len(aggregates))]

    def on(left: str, right: str) -> str:  # a NULL key is a group, as in GROUP BY
        return " AND ".join(f"{left}.{key} IS NOT DISTINCT FROM {right}.{key}" for key in keys)

    def of(relation: str, names: Sequence[str]) -> str:
        return ", ".join(f"{relation}.{name}" for name in names)

    aggregated = "".join(f", {a} AS {name}" for a, name in zip(aggregates, named, strict=True))
    parts = [*([ctes] if ctes else []), f"vals AS ({values})"]
    shown = [of("p", [*keys, *named])]
    if not select:
        parts.append(
            f"picks AS (SELECT {key_list}, count(v) AS n_v,"
            f" list_sort(list(v) FILTER (WHERE v IS NOT NULL)) AS s{aggregated}"
            f" FROM vals GROUP BY {key_list})"
        )
        for q in (0.5, 0.9):
            lo, hi = (_at("p.s", "p.n_v", q, rounding) for rounding in ("floor", "ceil"))
            shown.append(_interpolate(lo, hi, "p.n_v", q))
        return f"WITH {', '.join(parts)} SELECT {', '.join(shown)} FROM picks p"
    hi90 = "p.q[3]"
    at90 = _position("p.n_v", 0.9)
    whole = f"CAST(floor({at90}) AS BIGINT) = CAST(ceil({at90}) AS BIGINT)"
    lo90 = (
        f"CASE WHEN NOT {whole} AND b.n_below = CAST(ceil({at90}) AS BIGINT)"
        f" THEN b.max_below ELSE {hi90} END"
    )
    parts.append(
        f"picks AS (SELECT {key_list}, count(v) AS n_v, quantile_disc(v, {_PICKS}) AS q"
        f"{aggregated} FROM vals GROUP BY {key_list})"
    )
    parts.append(
        f"below AS (SELECT {of('x', keys)}, count(*) AS n_below, max(x.v) AS max_below"
        f" FROM vals x JOIN picks p ON {on('x', 'p')} WHERE x.v < {hi90}"
        f" GROUP BY {of('x', keys)})"
    )
    joins = f" LEFT JOIN below b ON {on('b', 'p')}"
    shown.append(_interpolate("p.q[1]", "p.q[2]", "p.n_v", 0.5))
    shown.append(_interpolate(lo90, hi90, "p.n_v", 0.9))
    return f"WITH {', '.join(parts)} SELECT {', '.join(shown)} FROM picks p{joins}"


# Shares are averages of doubles (a DECIMAL 1.0 averages to a rounded DECIMAL on Spark).
YES = "CAST(1 AS DOUBLE)"
NO = "CAST(0 AS DOUBLE)"


def quote(name: str) -> str:
    """A column name as a quoted identifier (export names hold `:` and spaces)."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A string literal."""
    return "'" + text.replace("'", "''") + "'"


def scan(kind: str, path: str) -> str:
    """The table function reading one log (DuckDB's readers: csv, tsv, json, parquet).

    CSV is read as text throughout, so times and ids are parsed here, the same way for every
    format, and never guessed per column by a sniffer."""
    where = literal(path)
    if kind == "csv":
        return f"read_csv({where}, all_varchar = true, header = true, null_padding = true)"
    if kind == "tsv":
        return (
            f"read_csv({where}, all_varchar = true, header = true, null_padding = true,"
            " delim = '\t', quote = '\"')"
        )
    if kind == "json":
        # Types are found from every row (not the first 20,480), so a field that turns from
        # numbers to text late in the file reads as JSON (`json_text`) instead of failing the
        # read; objects stay objects (STRUCT) however many keys they hold, never a MAP.
        return (
            f"read_json({where}, format = 'newline_delimited', sample_size = -1,"
            " map_inference_threshold = -1)"
        )
    return f"read_parquet({where}, hive_partitioning = true, union_by_name = true)"


def column(path: Sequence[str]) -> str:
    """A column, or a field of a nested one (`"properties"."distinct_id"`), as SQL."""
    return ".".join(quote(part) for part in path)


# The times a row may hold, in microseconds since the epoch: years 1 to 9999 (ISO 8601's and
# every engine's range); a time outside it (a negative year, an epoch of too many digits) is
# unparsable, skipped and counted like any other.
FIRST_US = -62_135_596_800 * US  # 0001-01-01T00:00:00Z
LAST_US = 253_402_300_800 * US - 1  # 9999-12-31T23:59:59.999999Z


def _trim(text: str) -> str:
    """`trim(text)`: its leading and trailing spaces stripped (DuckDB: Unicode's space
    separators; Spark: ' '), without paying for it where there is nothing to strip. DuckDB's
    trim decodes the whole string to find its end (0.35-0.7 s per column at 10M rows); a string
    of ASCII characters that neither starts nor ends with a space is already trimmed, which
    three byte-level checks tell (`strlen` counts bytes, `length` characters)."""
    return (
        f"CASE WHEN starts_with({text}, ' ') OR ends_with({text}, ' ')"
        f" OR strlen({text}) <> length({text}) THEN trim({text}) ELSE {text} END"
    )


def _time_us(column: str) -> str:
    """Microseconds since the epoch from a time as text: ISO 8601 (a `Z` or offset, else the
    session time zone) or an epoch number, whose digits before any point say its unit: up to
    11 seconds, 12-14 milliseconds, 15-17 microseconds, 18 or more nanoseconds; spaces around it
    (`_trim`'s) do not matter. DuckDB: `try_cast(... AS TIMESTAMPTZ)` and `epoch_us`. The cast
    goes first, of the text as it is: most exports write ISO times, a plain number never casts
    to a time, and the cast itself skips ASCII spaces around a time, so the text is trimmed
    only where that cast fails (trimming every time took 0.6 s at 10M rows). A number too
    large for the engine's integers gives NULL (TRY_CAST), never an error that would stop the
    read."""
    raw = f"CAST({column} AS VARCHAR)"
    text = _trim(raw)
    number = f"regexp_full_match({text}, '[0-9]+(\\.[0-9]+)?')"
    digits = f"length(split_part({text}, '.', 1))"
    value = f"CAST({text} AS DOUBLE)"
    # A CASE rather than one coalesce: DuckDB computes an expression written several times once
    # for every row, before the coalesce would skip it, and the fallback writes `text` several
    # times: 0.14 s at 10M rows for times that all parse as they are.
    cast = f"epoch_us(try_cast({raw} AS TIMESTAMPTZ))"
    return (
        f"CASE WHEN {cast} IS NULL THEN coalesce("
        f"epoch_us(try_cast({text} AS TIMESTAMPTZ)), CASE WHEN {number} THEN"
        f" TRY_CAST(round(CASE WHEN {digits} >= 18 THEN {value} / 1000"
        f" WHEN {digits} >= 15 THEN {value} WHEN {digits} >= 12 THEN {value} * 1000"
        f" ELSE {value} * {US} END) AS BIGINT) END) ELSE {cast} END"
    )


def _text(column: str) -> str:
    return f"nullif({_trim(f'CAST({column} AS VARCHAR)')}, '')"


def json_text(path: Sequence[str]) -> str:
    """DuckDB: a JSON-typed column (a field whose values differ in type from row to row) as the
    text of its value: a string without its quotes, a number as written."""
    return f"json_extract_string({column(path)}, '$')"


def select_events(
    file_no: int,
    source: str,
    case: str,
    event: str,
    time: str,
    row_no: str | None = None,
) -> str:
    """One log's rows as `events` rows, in input order; the time's text is kept only where it
    does not parse (for the examples of skipped rows). `case`, `event`, `time`: each column as
    SQL (`column`, or `json_text`). `row_no`: an expression numbering the rows from 1 in input
    order (a column the engine adds); None leaves `row_no` out, for `numbered_events` to add."""
    numbered = "" if row_no is None else f" {row_no} AS row_no,"
    usable = f"t0 BETWEEN {FIRST_US} AND {LAST_US}"
    return (
        f"SELECT file_no,{' row_no,' if numbered else ''} case_id, event,"
        f" CASE WHEN {usable} THEN t0 END AS t,"
        f" CASE WHEN {usable} THEN NULL ELSE time_text END AS time_text FROM ("
        f"SELECT {file_no} AS file_no,{numbered}"
        f" {_text(case)} AS case_id, {_text(event)} AS event,"
        f" {_time_us(time)} AS t0, CAST({time} AS VARCHAR) AS time_text"
        f" FROM {source}) r"
    )


def load_events(selects: Sequence[str]) -> str:
    """`events` from every log's `select_events` (with `row_no`), in one table."""
    return "CREATE TABLE events AS " + " UNION ALL ".join(selects)


# DuckDB: the logs are read one after the other into one table, in the order read (with
# `preserve_insertion_order`, DuckDB reads a file on every thread and still writes its rows in
# order), so the table's rowid is the input order; `events` numbers each file's rows from it.
# (`row_number() OVER ()` did the same on one thread: 4.2 s instead of 2.0 s at 10M events.)
READ = "events_read"


def read_events(select: str, first: bool) -> str:
    """Append one log's `select_events` (without `row_no`) to the table the logs are read into."""
    if first:
        return f"CREATE TABLE {READ} AS {select}"
    return f"INSERT INTO {READ} {select}"


READ_COUNT = f"SELECT count(*) FROM {READ}"


def numbered_events(starts: Sequence[int]) -> str:
    """`events` over the logs read: `row_no` counts each file's rows from 1, `starts` being the
    rowid of each file's first row."""
    start = " ".join(f"WHEN {n} THEN {int(first)}" for n, first in enumerate(starts))
    offset = f"CASE file_no {start} END" if len(starts) > 1 else "0"
    return (
        f"CREATE VIEW events AS SELECT file_no, rowid + 1 - {offset} AS row_no, case_id,"
        f" event, t, time_text FROM {READ}"
    )


GOOD = (
    "CREATE VIEW good AS SELECT file_no, row_no, case_id, event, t FROM events"
    " WHERE case_id IS NOT NULL AND event IS NOT NULL AND t IS NOT NULL"
)

# The rows per event name (NULL: empty), in one pass for `names` and the log summary: how many,
# how many good, and the first and last time of those with a customer (0.27 -> 0.20 s at 10M
# events against a pass each).
EVENT_ROWS = (
    "CREATE TABLE event_rows AS SELECT event, count(*) AS rows_n,"
    " count(*) FILTER (WHERE case_id IS NOT NULL AND t IS NOT NULL) AS good_n,"
    " min(t) FILTER (WHERE case_id IS NOT NULL) AS first_t,"
    " max(t) FILTER (WHERE case_id IS NOT NULL) AS last_t FROM events GROUP BY event"
)

# The customers are `cases` (those with a good row), counted there instead of a second DISTINCT.
LOG_SUMMARY = (
    "SELECT coalesce(sum(rows_n), 0), (SELECT count(*) FROM cases),"
    " coalesce(sum(rows_n), 0) - coalesce(sum(good_n) FILTER (WHERE event IS NOT NULL), 0),"
    " min(first_t) FILTER (WHERE event IS NOT NULL),"
    " max(last_t) FILTER (WHERE event IS NOT NULL) FROM event_rows"
)

# Why a row is skipped: the first reason that applies, in this order.
_REASON = (
    "CASE WHEN case_id IS NULL THEN 'empty case' WHEN event IS NULL THEN 'empty event'"
    " ELSE 'unparsable time' END"
)


def bad_rows(examples: int) -> str:
    """Skipped rows per reason: count, and the first few (file, row, time text) as examples."""
    return (
        "SELECT reason, total, file_no, row_no, time_text FROM ("
        f"SELECT reason, file_no, row_no, time_text,"
        " count(*) OVER (PARTITION BY reason) AS total,"
        " row_number() OVER (PARTITION BY reason ORDER BY file_no, row_no) AS k"
        f" FROM (SELECT {_REASON} AS reason, file_no, row_no, time_text FROM events"
        " WHERE case_id IS NULL OR event IS NULL OR t IS NULL) b) r"
        f" WHERE k <= {int(examples)} ORDER BY reason, file_no, row_no"
    )


# Rows per event name, counted once per log (the journeys' mappings all read it).
EVENT_NAMES = (
    "CREATE VIEW names AS SELECT event, good_n AS n FROM event_rows"
    " WHERE event IS NOT NULL AND good_n > 0"
)

# Each customer's number: the windows, sorts and aggregates below key on this integer instead of
# the text id (hashing and comparing a BIGINT is several times cheaper than a string). Numbered
# in id order, the same on every engine; only TRACES and CASE_SPANS show customers, and they
# join back.
CASES = (
    "CREATE TABLE cases AS SELECT case_id, row_number() OVER (ORDER BY case_id) AS cid"
    " FROM (SELECT DISTINCT case_id FROM good) d"
)

NAME_MAP = (
    "CREATE OR REPLACE TABLE name_map AS"
    " SELECT event, tp FROM (SELECT n.event, m.tp,"
    " row_number() OVER (PARTITION BY n.event ORDER BY m.priority) AS k"
    " FROM names n JOIN mapping m ON n.event LIKE m.pattern ESCAPE '\\') ranked WHERE k = 1"
)

UNMAPPED = (
    "SELECT n.event, n.n FROM names n LEFT JOIN name_map m ON n.event = m.event"
    " WHERE m.tp IS NULL ORDER BY n.n DESC, n.event"
)

MAPPED_ROWS = "SELECT coalesce(sum(n.n), 0) FROM names n JOIN name_map m ON n.event = m.event"

# Visits in one window pass over the mapped events (`RUNS`): in (time, input order) per
# customer, each event's number `k` and the touchpoints (and time) of the events before and
# after it; an event starts a visit where the touchpoint before differs, ends one where the
# touchpoint after does. A visit of one event (most of them) is that row: its next visit is the
# event after it. A visit of several events takes its last time and next visit from its end
# row: a second window pairs them, over the rows that start or end a visit without doing both
# (two per such visit; 0.7M of 7.1M mapped events at 10M: 3.2 -> 2.6 s of CPU against a second
# window over every row that starts or ends a visit). `RUNS` is a table, read twice by `VISITS`
# (Spark would compute a CTE read twice twice), then dropped (`DROP_RUNS`; Spark keeps it).
RUNS = (
    "CREATE OR REPLACE TABLE runs AS"
    " WITH mapped AS (SELECT c.cid AS case_id, m.tp, g.t, g.file_no, g.row_no"
    " FROM good g JOIN name_map m ON g.event = m.event JOIN cases c ON g.case_id = c.case_id),"
    " marked AS (SELECT case_id, tp, t, row_number() OVER w AS k, lag(tp) OVER w AS prev_tp,"
    " lead(tp) OVER w AS after_tp, lead(t) OVER w AS after_t FROM mapped"
    " WINDOW w AS (PARTITION BY case_id ORDER BY t, file_no, row_no))"
    " SELECT case_id, tp, t, k, prev_tp, after_tp, after_t,"
    " prev_tp IS NULL OR prev_tp <> tp AS starts,"
    " after_tp IS NULL OR after_tp <> tp AS ends FROM marked"
)
VISITS = (
    "CREATE OR REPLACE TABLE visits AS"
    " WITH long_runs AS (SELECT case_id, tp, t, k, prev_tp, starts, lead(t) OVER w AS last_t,"
    " lead(after_tp) OVER w AS next_tp, lead(after_t) OVER w AS next_t"
    " FROM runs WHERE starts <> ends WINDOW w AS (PARTITION BY case_id ORDER BY k))"
    " SELECT case_id, k AS n, tp, t AS first_t, t AS last_t, after_tp AS next_tp,"
    " after_t AS next_t, prev_tp FROM runs WHERE starts AND ends"
    " UNION ALL SELECT case_id, k AS n, tp, t AS first_t, last_t, next_tp, next_t, prev_tp"
    " FROM long_runs WHERE starts"
)
DROP_RUNS = "DROP TABLE runs"

STEPS = (
    "CREATE OR REPLACE VIEW steps AS"
    f" SELECT case_id, tp AS from_tp, next_tp AS to_tp, CAST(next_t - last_t AS DOUBLE) / {US}"
    " AS gap_s FROM visits WHERE next_tp IS NOT NULL"
)

# Every started customer has exactly one first visit: a count, not a count(DISTINCT).
STARTED = "SELECT count(*) FROM visits WHERE n = 1"


def transitions(select: bool) -> str:
    """Per pair of consecutive visits: count, median and p90 of the gap (the customers:
    `STEP_CUSTOMERS`)."""
    return with_quantiles(
        "SELECT from_tp, to_tp, gap_s AS v FROM steps",
        ["from_tp", "to_tp"],
        ["count(*)"],
        select=select,
    )


# Customers per touchpoint, from the paths: each distinct path once, with its customers (a few
# thousand paths where there are millions of visits; 0.51 s -> 0.01 s at 10M events).
TOUCHPOINT_CUSTOMERS = (
    "SELECT t.tp, sum(x.customers) FROM (SELECT p.customers, u.id_rank FROM paths p,"
    " unnest(list_distinct(p.path)) AS u(id_rank)) x JOIN tp_names t ON t.id_rank = x.id_rank"
    " GROUP BY t.tp"
)


def incoming(select: bool) -> str:
    """Per touchpoint: the share of its incoming steps within its target, and the median and
    p90 of their gaps."""
    return with_quantiles(
        "SELECT s.to_tp, s.gap_s AS v, i.within_s FROM steps s JOIN tp_info i ON s.to_tp = i.tp",
        ["to_tp"],
        [f"avg(CASE WHEN within_s IS NULL THEN NULL WHEN v <= within_s THEN {YES} ELSE {NO} END)"],
        select=select,
    )


def last_visits(as_of_us: int, stuck_us: int) -> str:
    """Per touchpoint that is not an end of the flow: customers whose last visit it is, split
    into dropped (`as_of - last_t` over `stuck-after`) and in progress."""
    return (
        "SELECT l.tp,"
        f" sum(CASE WHEN {as_of_us} - l.last_t > {stuck_us} THEN 1 ELSE 0 END),"
        f" sum(CASE WHEN {as_of_us} - l.last_t > {stuck_us} THEN 0 ELSE 1 END)"
        " FROM visits l JOIN tp_info i ON l.tp = i.tp"
        " WHERE l.next_tp IS NULL AND NOT i.is_end GROUP BY l.tp"
    )


# Per stage: customers with a visit in it, and the time from the first time of their first
# visit there to the first time of their first later visit in a stage further along.
#
# Hash joins and aggregates only, linear in the visits, and over the visits that change stage
# only (`changes`: the first visit, and each whose stage differs from the visit before's). A
# customer's first visit in a stage is one of them, and so is the visit that ends it: the visit
# before that one is in the stage or an earlier one, else it would end the stage itself. At 10M
# events: 6.8M visits, 2.5M changes; 1.5 -> 1.0 s of CPU. Each customer's first visit per stage
# (a handful of stages per customer) is joined with that customer's later changes up to a stage
# further along; times only grow along a trace, so the smallest such first time is the first.
# (A framed window `min(...) OVER (ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)`, one per
# stage, did the same in a sort and a segment tree per stage: twice the time at 1M events.)
def stages(select: bool) -> str:
    """Per stage: customers, the share within its target, median and p90 time in it."""
    return with_quantiles(
        "SELECT p.stage_no, p.spent_s AS v, t.within_s FROM per_case p"
        " JOIN stage_info t ON p.stage_no = t.stage_no",
        ["stage_no"],
        [
            "count(*)",
            "avg(CASE WHEN v IS NULL OR within_s IS NULL THEN NULL"
            f" WHEN v <= within_s THEN {YES} ELSE {NO} END)",
        ],
        ctes="changes AS (SELECT v.case_id, v.n, v.first_t, i.stage_no, b.stage_no AS prev_stage"
        " FROM visits v JOIN tp_info i ON v.tp = i.tp LEFT JOIN tp_info b ON v.prev_tp = b.tp"
        " WHERE b.stage_no IS NULL OR b.stage_no <> i.stage_no),"
        " firsts AS (SELECT case_id, stage_no, min(n) AS n, min(first_t) AS first_t FROM changes"
        " GROUP BY case_id, stage_no),"
        " per_case AS (SELECT f.case_id, f.stage_no,"
        f" CAST(min(l.first_t) - min(f.first_t) AS DOUBLE) / {US} AS spent_s"
        " FROM firsts f LEFT JOIN changes l ON l.case_id = f.case_id AND l.n > f.n"
        " AND l.stage_no > f.stage_no AND l.stage_no > l.prev_stage"
        " GROUP BY f.case_id, f.stage_no)",
        select=select,
    )


# Each visit path with its customers. A path is the list of its touchpoints' `id_rank`s: lists
# of integers group and sort at about half the cost of the ids joined into text (1.9 -> 0.8 s
# CPU at 10M events), and in the same order, since ids (`[a-z0-9][a-z0-9_-]*`) hold no character
# that sorts before the space joining them. Built once per journey for the variants and the
# customers per touchpoint.
PATHS = (
    "CREATE OR REPLACE TABLE paths AS SELECT path, count(*) AS customers FROM ("
    "SELECT v.case_id, list(t.id_rank ORDER BY v.n) AS path FROM visits v"
    " JOIN tp_names t ON v.tp = t.tp GROUP BY v.case_id) p GROUP BY path"
)


def variants(limit: int | None) -> str:
    """Visit paths with customer counts, most common first, then by path."""
    cut = "" if limit is None else f" LIMIT {int(limit)}"
    return f"SELECT path, customers FROM paths ORDER BY customers DESC, path{cut}"


# Each path's steps (its pairs of consecutive visits), once per path even where the path repeats
# one. A customer takes a step if and only if their path holds it, so the distinct customers of a
# step, or of any undeclared step, are sums over the few thousand paths instead of a count of
# distinct customers over millions of steps (0.8 s of CPU at 10M events). The index is a BIGINT
# so that sqlglot moves it to Spark's 0-based arrays.
PATH_STEPS = (
    "CREATE OR REPLACE TABLE path_steps AS SELECT DISTINCT x.path, x.customers,"
    " a.tp AS from_tp, b.tp AS to_tp FROM (SELECT p.path, p.customers,"
    " p.path[CAST(u.i AS BIGINT)] AS from_rank, p.path[CAST(u.i AS BIGINT) + 1] AS to_rank"
    " FROM (SELECT path, customers FROM paths WHERE array_length(path) > 1) p,"
    " unnest(generate_series(1, array_length(p.path) - 1)) AS u(i)) x"
    " JOIN tp_names a ON a.id_rank = x.from_rank JOIN tp_names b ON b.id_rank = x.to_rank"
)

# Per pair of consecutive visits: the customers who take it.
STEP_CUSTOMERS = "SELECT from_tp, to_tp, sum(customers) FROM path_steps GROUP BY from_tp, to_tp"

# The customers with at least one step the flow does not declare.
UNFIT = (
    "SELECT coalesce(sum(customers), 0) FROM (SELECT DISTINCT s.path, s.customers"
    " FROM path_steps s LEFT JOIN declared d ON s.from_tp = d.from_tp AND s.to_tp = d.to_tp"
    " WHERE d.from_tp IS NULL) u"
)

# Per customer: the first and last time of their trace (what PM4Py calls a case's duration).
CASE_SPANS = (
    f"SELECT c.case_id, CAST(max(v.last_t) - min(v.first_t) AS DOUBLE) / {US} FROM visits v"
    " JOIN cases c ON v.case_id = c.cid GROUP BY c.case_id ORDER BY c.case_id"
)

# Per customer: the visited touchpoints in order, with first and last time (for tests and PM4Py).
TRACES = (
    "SELECT c.case_id, row_number() OVER (PARTITION BY v.case_id ORDER BY v.n), t.id,"
    " v.first_t, v.last_t FROM visits v"
    " JOIN cases c ON v.case_id = c.cid JOIN tp_names t ON v.tp = t.tp ORDER BY c.case_id, v.n"
)

# The small tables describing one journey, filled by the engine before the queries above.
JOURNEY_TABLES = {
    "mapping": "pattern VARCHAR, tp INTEGER, priority INTEGER",
    "tp_info": "tp INTEGER, stage_no INTEGER, within_s DOUBLE, is_end BOOLEAN",
    "stage_info": "stage_no INTEGER, within_s DOUBLE",
    "declared": "from_tp INTEGER, to_tp INTEGER",
    "tp_names": "tp INTEGER, id VARCHAR, id_rank INTEGER",
}


def create_table(name: str) -> str:
    return f"CREATE OR REPLACE TABLE {name} ({JOURNEY_TABLES[name]})"


def insert(name: str, rows: int) -> str:
    """A parameterised insert of `rows` rows into one of JOURNEY_TABLES (one statement: a
    statement per row costs DuckDB a parse and a plan each)."""
    width = JOURNEY_TABLES[name].count(",") + 1
    row = f"({', '.join('?' * width)})"
    return f"INSERT INTO {name} VALUES {', '.join([row] * rows)}"
