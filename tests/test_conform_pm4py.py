"""conform's figures against PM4Py, the reference implementation of process mining (a test-only
dependency: AGPL). PM4Py is fed the same log, mapped to touchpoints and with consecutive events
of one touchpoint collapsed (done here with pandas, independently of the engine), and must find
the same directly-follows graph (counts, start and end activities), the same variants and the
same case durations, on generated logs with noise, ties, repeats and bad rows."""

from __future__ import annotations

import contextlib
import csv
import io
import random
from collections import Counter
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")
with contextlib.redirect_stdout(io.StringIO()):  # PM4Py prints a licence banner on import
    pm4py = pytest.importorskip("pm4py")

import conform_reference as ref  # noqa: E402
from cljourney.conform import sql  # noqa: E402
from cljourney.conform.engine import DuckEngine, EngineSettings  # noqa: E402
from cljourney.conform.measures import measure  # noqa: E402
from cljourney.conform.read import ColumnChoice, log_source  # noqa: E402
from test_conform_engine import EVENTS, flow  # noqa: E402

START = 1_704_067_200  # 2024-01-01T00:00:00Z
PATH = ["signup", "demo_held", "kickoff_held", "training_a", "training_b", "renewed"]


def generate(seed: int, customers: int) -> list[list[str]]:
    """Rows (case, event, time text): mostly the declared path, with skipped steps, returns,
    repeats, unmapped events, ties (times on whole hours) and bad rows."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    for number in range(customers):
        case = f"c{number:04d}"
        hour = rng.randrange(0, 500)
        for step in PATH[: rng.randrange(1, len(PATH) + 1)]:
            if rng.random() < 0.15:
                continue  # a skipped step
            for _ in range(1 + (rng.random() < 0.2)):  # a repeat of the same event
                rows.append([case, step, str(START + hour * 3600)])
                hour += rng.choice([0, 0, 1, 5, 24])  # 0: a tie with the next event
            if rng.random() < 0.1:
                rows.append([case, rng.choice(EVENTS), str(START + hour * 3600)])
        if rng.random() < 0.05:
            rows.append([case, "deal_lost", str(START + hour * 3600)])
    for _ in range(customers // 20):  # bad rows
        rows.insert(
            rng.randrange(len(rows) + 1),
            rng.choice([["", "signup", "1"], ["c1", "", "1"], ["c2", "signup", "later"]]),
        )
    return rows


def pm4py_frames(rows: list[list[str]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The mapped, collapsed log for PM4Py: one event per visit (its first time), and two per
    visit (first and last time) for case durations."""
    journey = flow()
    good = [(c, e, float(t)) for c, e, t in rows if c.strip() and e.strip() and t.isdigit()]
    visits = ref.traces(journey, good).visits
    single, double = [], []
    for case, trace in visits.items():
        for tp, first, last in trace:
            single.append((case, tp, first))
            double.extend([(case, tp, first), (case, tp, last)])

    def frame(events: list[tuple[str, str, float]]) -> pd.DataFrame:
        data = pd.DataFrame(events, columns=["case:concept:name", "concept:name", "seconds"])
        data["time:timestamp"] = pd.to_datetime(data["seconds"], unit="s", utc=True)
        data["order"] = range(len(data))
        return data.sort_values(["case:concept:name", "time:timestamp", "order"], kind="stable")

    return frame(single), frame(double)


@pytest.mark.slow  # PM4Py's import alone takes seconds (CI runs slow tests too)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_figures_equal_pm4py(seed: int, tmp_path: Path) -> None:
    rows = generate(seed, 300)
    path = tmp_path / "log.csv"
    with path.open("w", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["case:concept:name", "concept:name", "time:timestamp"])
        writer.writerows(rows)
    with DuckEngine(EngineSettings()) as engine:
        log = engine.load([log_source(str(path))], ColumnChoice(), None)
        measures = measure(engine, flow(), log, 30 * 86400)
        all_variants = engine.rows(sql.variants(None))
        spans = engine.rows(sql.CASE_SPANS)
        traces = engine.rows(sql.TRACES)
    assert log.skipped_rows == 300 // 20
    single, double = pm4py_frames(rows)

    dfg, starts, ends = pm4py.discover_dfg(single)
    assert {(t.source, t.target): t.count for t in measures.transitions} == dict(dfg)
    firsts: Counter[str] = Counter()
    lasts: Counter[str] = Counter()
    previous = None
    for _case, n, tp, _first, _last in traces:
        if n == 1:
            firsts[str(tp)] += 1
            if previous is not None:
                lasts[previous] += 1
        previous = str(tp)
    if previous is not None:
        lasts[previous] += 1
    assert dict(firsts) == dict(starts) and dict(lasts) == dict(ends)

    variants = pm4py.get_variants(single)
    by_rank = sorted(flow().by_id)  # a path is its ids' places in sorted order
    assert {tuple(by_rank[rank] for rank in path): n for path, n in all_variants} == {
        tuple(v): (n if isinstance(n, int) else len(n)) for v, n in variants.items()
    }
    assert [v.customers for v in measures.variants] == sorted(
        (n if isinstance(n, int) else len(n) for n in variants.values()), reverse=True
    )[:20]

    durations = pm4py.get_all_case_durations(double)
    assert sorted(float(s) for _, s in spans) == pytest.approx(sorted(durations))
