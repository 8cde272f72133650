"""How long `cljourney diff` takes on big journeys; prints figures, asserts nothing.

A journey of STAGES x TOUCHPOINTS is edited the way a large pull request would be (5% of the
touchpoints removed, 5% added, 10% reordered inside their stage, 2% moved to another stage, 10% of
whys reworded), then compared and reported in every format.

    .venv/bin/python bench/diff_bench.py --stages 20 --touchpoints 250 --seed 7
"""

from __future__ import annotations

import argparse
import io
import random
import time
from typing import Any

import yaml

from cljourney.diff.pairing import SourceFile, compare
from cljourney.load.journey import load_bytes
from cljourney.report.diff import DIFF_REPORTERS, DiffReportOptions, get_diff_reporter


def journey(stages: int, touchpoints: int) -> dict[str, Any]:
    return {
        "cljourney": 1,
        "journey": {"id": "bench", "name": "Benchmark journey", "owner": "cs-ops"},
        "roles": [{"id": "csm", "name": "Customer success manager"}],
        "stages": [
            {
                "id": f"stage-{s}",
                "name": f"Stage {s}",
                "owner": "csm",
                "why": f"The customer gets through part {s} of their journey with help at hand.",
                "touchpoints": [
                    {
                        "id": f"tp-{s}-{t}",
                        "name": f"Touchpoint {s}.{t}",
                        "channel": "email",
                        "why": f"The customer ends step {t} of stage {s} knowing what is next.",
                    }
                    for t in range(touchpoints)
                ],
            }
            for s in range(stages)
        ],
    }


def edit(data: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    stages = [dict(stage, touchpoints=list(stage["touchpoints"])) for stage in data["stages"]]
    for stage in stages:
        tps = stage["touchpoints"]
        for tp in rng.sample(tps, len(tps) // 20):
            tps.remove(tp)
        for n in range(len(tps) // 20):
            tps.insert(
                rng.randrange(len(tps) + 1),
                {
                    "id": f"{stage['id']}-new-{n}",
                    "name": f"New {n}",
                    "channel": "video",
                    "why": "The customer gets a new moment that helps them along the way.",
                },
            )
        for _ in range(len(tps) // 10):
            tps.insert(rng.randrange(len(tps)), tps.pop(rng.randrange(len(tps))))
        for index in rng.sample(range(len(tps)), len(tps) // 10):
            tps[index] = dict(tps[index], why=tps[index]["why"] + " Reworded for the bench.")
    for _ in range(sum(len(s["touchpoints"]) for s in stages) // 50):
        source, target = rng.sample(stages, 2)
        if source["touchpoints"]:
            target["touchpoints"].append(source["touchpoints"].pop())
    return dict(data, stages=stages)


def timed(label: str, func: Any) -> Any:
    start = time.perf_counter()
    value = func()
    print(f"  {label:<28} {1000 * (time.perf_counter() - start):9.1f} ms")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stages", type=int, default=20)
    parser.add_argument("--touchpoints", type=int, default=250)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    old_data = journey(args.stages, args.touchpoints)
    new_data = edit(old_data, rng)
    old_bytes = yaml.safe_dump(old_data, sort_keys=False).encode()
    new_bytes = yaml.safe_dump(new_data, sort_keys=False).encode()
    total = args.stages * args.touchpoints
    print(
        f"diff of a {args.stages} x {args.touchpoints} journey ({total} touchpoints,"
        f" {len(old_bytes) / 1e6:.1f} MB of YAML)"
    )
    old = timed("load old", lambda: load_bytes(old_bytes, "old.yaml"))
    new = timed("load new", lambda: load_bytes(new_bytes, "new.yaml"))
    result = timed(
        "compare (with validation)",
        lambda: compare(
            [SourceFile("j.yaml", old)], [SourceFile("j.yaml", new)], old_label="a", new_label="b"
        ),
    )
    counts = {kind: 0 for kind in ("added", "removed", "changed", "moved", "reordered")}
    for change in result.changes:
        counts[change.kind.value] += 1
    print(f"  {len(result.changes)} changes: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    for name in DIFF_REPORTERS:
        stream = io.StringIO()
        timed(
            f"report {name}",
            lambda name=name, stream=stream: get_diff_reporter(name)(
                result, stream, DiffReportOptions()
            ),
        )
        print(f"  {'':<28} {len(stream.getvalue()):9,d} characters")


if __name__ == "__main__":
    main()
