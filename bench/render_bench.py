"""How long `cljourney render` takes on one big journey, per format; prints figures, asserts nothing.

The journey comes from bench/corpus.py (roles, handoffs, branches and loops, every field filled),
so the renderers meet the same shapes as in real files. Each step is timed in-process, best of
--repeat runs; `--profile FORMAT` prints the top of a cProfile of that renderer instead.

    .venv/bin/python bench/render_bench.py --touchpoints 10000 --repeat 3
    .venv/bin/python bench/render_bench.py --touchpoints 5000 --profile html
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import journey_text

from cljourney.check.pipeline import check_loaded
from cljourney.graph import build_flow
from cljourney.load.journey import load_bytes
from cljourney.render import get_renderer
from cljourney.rules import RuleOptions

T = TypeVar("T")


def best(repeat: int, func: Callable[[], T]) -> tuple[float, T]:
    """The best wall time of `repeat` calls, in seconds, and the last value."""
    times = []
    value: T
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        times.append(time.perf_counter() - start)
    return min(times), value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--touchpoints", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--formats", default="markdown,html,mermaid,json")
    parser.add_argument("--profile", metavar="FORMAT", help="cProfile one renderer instead")
    args = parser.parse_args()
    data = journey_text(random.Random(args.seed), args.touchpoints, "bench").encode()
    loaded = load_bytes(data, "bench.yaml")
    assert loaded is not None and loaded.journey is not None, "the corpus journey must load"
    journey = loaded.journey
    findings = check_loaded(loaded, RuleOptions())
    print(
        f"render of one journey of {args.touchpoints:,} touchpoints"
        f" ({len(data) / 1e6:.1f} MB of YAML, {len(findings)} findings), best of {args.repeat}"
    )
    if args.profile:
        renderer = get_renderer(args.profile)
        flow = build_flow(journey)
        profiler = cProfile.Profile()
        profiler.runcall(renderer.render, journey, flow, findings)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return
    seconds, flow = best(args.repeat, lambda: build_flow(journey))
    print(f"  {'build flow':<16} {1000 * seconds:9.1f} ms")
    for name in args.formats.split(","):
        renderer = get_renderer(name)
        seconds, text = best(args.repeat, lambda r=renderer: r.render(journey, flow, findings))
        print(f"  {name:<16} {1000 * seconds:9.1f} ms  {len(text):>12,d} characters")


if __name__ == "__main__":
    main()
