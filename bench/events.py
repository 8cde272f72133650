"""Generate a realistic event log for a journey: seeded, so the same arguments give the same log.

Each customer walks the journey's flow from its start: at every touchpoint with `events` they
leave its first event name (a `*` pattern gets `call`), then go on to a successor (explicit,
implicit or, rarely, a `loops_to` return), or stop there. The noise a real export has:
- skipped steps (the customer moves on without the event being logged), which show up as
  undeclared paths;
- repeats (the same event twice: a rescheduled call) and returns to an earlier step;
- unmapped events (page views, logins, e-mails opened) between the journey's events;
- times with ties, customers starting across a year, slower and faster customers;
- a few bad rows (empty customer, empty event, a time that does not parse).

    python bench/events.py examples/b2b-saas.yaml examples/events/b2b-saas.csv --customers 3000
    python bench/events.py examples/b2b-saas.yaml /tmp/1m.csv --customers 100000
    python bench/events.py examples/b2b-saas.yaml /tmp/10m.parquet --customers 1000000
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import datetime, timezone
from pathlib import Path

from cljourney.check.pipeline import Target, load_target
from cljourney.graph import LOOP, Flow, build_flow

START = datetime(2025, 1, 6, tzinfo=timezone.utc).timestamp()
NOISE = ("page_view", "login", "email_opened", "invoice_paid", "feature_used")
STEP_DAYS = 4.0  # typical days between two steps; each customer has their own pace
STOP = 0.06  # share of customers who stop at any one touchpoint
UNLOGGED = 0.005  # share of visits whose event never reached the log
# The story the example log tells: the integration step loses customers, and a fast lane from
# the first call straight to the handover skips the demo.
BOTTLENECKS = {"integration": 0.3}
SHORTCUTS = {("discovery-call", "business-case"): ("sales-handover", 0.12)}


def load_flow(path: Path) -> Flow:
    loaded = load_target(Target(path, explicit=True))
    if loaded is None or loaded.journey is None:
        sys.exit(f"{path}: not a valid journey")
    return build_flow(loaded.journey)


def walk(flow: Flow, rng: random.Random, case: str, rows: list[tuple[str, str, str]]) -> None:
    """One customer's events, appended to `rows`."""
    node = flow.start.id if flow.start else None
    when = START + rng.uniform(0, 365) * 86400
    pace = rng.lognormvariate(0, 0.5)
    steps = 0
    while node is not None and steps < 40:
        steps += 1
        touchpoint = flow.by_id[node].touchpoint
        if touchpoint.events and rng.random() > UNLOGGED:
            name = touchpoint.events[0].replace("*", "call")
            for _ in range(2 if rng.random() < 0.05 else 1):  # 5 %: logged twice
                rows.append((case, name, _iso(when)))
                when += rng.choice((0, 0, 600, 3600))  # ties are common in exports
        while rng.random() < 0.3:
            when += rng.uniform(0, 1) * 3600
            rows.append((case, rng.choice(NOISE), _iso(when)))
        if touchpoint.terminal or rng.random() < BOTTLENECKS.get(node, STOP):
            return
        edges = flow.out_edges(flow.by_id[node])
        forward = [target.id for _, target, kind, _ in edges if kind != LOOP]
        loops = [target.id for _, target, kind, _ in edges if kind == LOOP]
        if loops and (not forward or rng.random() < 0.5):
            node = rng.choice(loops)
        elif forward:
            node = rng.choice(forward)
            shortcut = SHORTCUTS.get((touchpoint.id, node))
            if shortcut is not None and rng.random() < shortcut[1]:
                node = shortcut[0]
        else:
            return
        when += rng.expovariate(1 / (STEP_DAYS * pace)) * 86400


def _iso(seconds: float) -> str:
    moment = datetime.fromtimestamp(int(seconds), tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def generate(flow: Flow, customers: int, seed: int) -> list[tuple[str, str, str]]:
    rng = random.Random(seed)
    rows: list[tuple[str, str, str]] = []
    width = len(str(customers))
    for number in range(1, customers + 1):
        walk(flow, rng, f"acct-{number:0{width}d}", rows)
    for bad in (
        (("", "demo_held", _iso(START))),
        ("acct-1", "", _iso(START)),
        ("acct-2", "demo_held", "next tuesday"),
    ):
        for _ in range(max(1, customers // 1000)):
            rows.insert(rng.randrange(len(rows) + 1), bad)
    return rows


def write(rows: list[tuple[str, str, str]], out: Path) -> None:
    if out.suffix == ".parquet":
        import duckdb

        connection = duckdb.connect()
        connection.execute(
            "CREATE TABLE log (account_id VARCHAR, event VARCHAR, timestamp VARCHAR)"
        )
        connection.executemany("INSERT INTO log VALUES (?, ?, ?)", rows)
        connection.execute(f"COPY log TO '{out}' (FORMAT parquet)")
        connection.close()
        return
    with out.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(("account_id", "event", "timestamp"))
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journey", type=Path)
    parser.add_argument("out", type=Path, help=".csv or .parquet")
    parser.add_argument("--customers", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    rows = generate(load_flow(args.journey), args.customers, args.seed)
    write(rows, args.out)
    print(f"{args.out}: {len(rows):,} rows, {args.customers:,} customers", file=sys.stderr)


if __name__ == "__main__":
    main()
