"""The rules' share of `validate` on one journey of 10,000 touchpoints (issue 17: keep it under 20%).

    .venv/bin/python bench/why_bench.py [--touchpoints 10000] [--repeat 3] [--src DIR] [--cpu]

Two journeys from bench/corpus.py (fixed seed): its own whys (short, all alike), and the same
journey with each why replaced by one of the labelled corpus whys (tests/data/whys, longer and
varied: clauses, roles, metrics; a third of them flagged), each made unique with its number, and
with the customer-facing ones only (what a clean journey holds: few findings). For each: the whole per-file pipeline in-process (`check_raw`:
read bytes, load, flow, rules, suppressions), the rules alone, and the three why rules alone,
best of --repeat. `--src` times another checkout's code (e.g. /work/main/src) on the same input.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _whys(labels: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for part in ("tuning", "held-out"):
        path = HERE.parent / "tests" / "data" / "whys" / f"{part}.csv"
        with path.open(encoding="utf-8", newline="") as f:
            found += [row["why"] for row in csv.DictReader(f) if row["label"] in labels]
    return found


def _with_corpus_whys(text: str, labels: tuple[str, ...] = ("inward", "weak", "customer")) -> str:
    whys = _whys(labels)
    lines = text.splitlines()
    count = 0
    for i, line in enumerate(lines):
        if line.lstrip().startswith("why:"):
            indent = line[: len(line) - len(line.lstrip())]
            # Each why unique (as in a real file), so no cache can serve a repeat.
            why = whys[count % len(whys)].rstrip(".")
            lines[i] = f"{indent}why: {json.dumps(f'{why}, in week {count}.')}"
            count += 1
    return "\n".join(lines) + "\n"


_clock = time.perf_counter


def _best(repeat: int, run: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = _clock()
        run()
        times.append(_clock() - start)
    return min(times)


def _measure(label: str, text: str, repeat: int, fresh: Callable[[], None]) -> str:
    from cljourney.check.pipeline import RawFile, ValidateOptions, check_raw, load_raw
    from cljourney.graph import build_flow
    from cljourney.rules import REGISTRY, RuleContext, RuleOptions

    data = text.encode()
    raw = RawFile(data, "big.yaml", Path("big.yaml"), True)
    loaded = load_raw(raw)
    assert loaded is not None and loaded.journey is not None and loaded.source is not None
    context = RuleContext(loaded.journey, loaded.source, build_flow(loaded.journey), RuleOptions())
    rules = [r for r in REGISTRY.values() if getattr(r, "check", None) is not None]
    why = [r for r in rules if r.id in ("missing-why", "weak-why", "inward-why")]

    def run_rules(chosen: list[Any]) -> None:
        fresh()
        for rule in chosen:
            list(rule.check(context))

    def validate() -> None:
        fresh()
        check_raw(raw, ValidateOptions())

    whole = _best(repeat, validate)
    all_rules = _best(repeat, lambda: run_rules(rules))
    why_rules = _best(repeat, lambda: run_rules(why))
    return (
        f"{label}: {len(data) / 1e6:.1f} MB: validate (in-process) {whole:.2f} s;"
        f" all rules {all_rules:.2f} s ({all_rules / whole:.0%});"
        f" why rules {why_rules:.2f} s ({why_rules / whole:.0%})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", type=Path, help="time the code of another checkout's src/")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="CPU seconds of this process (steadier on a busy machine)",
    )
    args = parser.parse_args()
    if args.cpu:
        global _clock
        _clock = time.process_time
    if args.src:
        sys.path.insert(0, str(args.src.resolve()))
    from corpus import journey_text

    fresh: Callable[[], None] = lambda: None  # noqa: E731
    try:  # every run starts cold: the why rules cache their lexicons and each why's analysis
        from cljourney.rules.why import clear_caches

        fresh = clear_caches
    except ImportError:  # older code (--src) cached the analyses only
        try:
            from cljourney.rules.whytext import analyse

            fresh = analyse.cache_clear
        except ImportError:
            pass
    try:  # the collector as the command line sets it (older code, --src, left the defaults)
        from cljourney.cli.entry import settle_garbage_collector
    except ImportError:
        pass
    else:
        from cljourney.check.pipeline import check_raw  # noqa: F401  (imported before settling)
        from cljourney.graph import build_flow  # noqa: F401

        settle_garbage_collector()
    base = journey_text(random.Random(7), args.touchpoints, "big")
    print(f"{args.touchpoints} touchpoints, best of {args.repeat}")
    print(_measure("bench whys", base, args.repeat, fresh))
    print(_measure("corpus whys", _with_corpus_whys(base), args.repeat, fresh))
    customer = _with_corpus_whys(base, ("customer",))
    print(_measure("customer-facing corpus whys", customer, args.repeat, fresh))


if __name__ == "__main__":
    main()
