"""`cljourney fmt --check` on the 1,000-file corpus beside ruamel.yaml's own bare round trip (load +
dump of the same files, the floor for any comment-keeping formatter built on it), on one process
and on every core. Issue 16's target: fmt at most 1.5x the bare round trip.

The four runs are interleaved in each round (bare, fmt, bare on every core, fmt on every core) and
the best of the rounds is kept, so a load that comes and goes on a shared machine weighs on both
sides alike; each round's times and the load average are printed too. fmt runs as the command a
user runs (`cljourney fmt --check --jobs N`, a subprocess: start-up included); the bare round trip
runs in this process (ruamel.yaml already imported: in its favour), on a fork pool for every core.

    python bench/fmt_bench.py [--files 1000] [--touchpoints 30] [--rounds 3] [--jobs 0 (= every core)]
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus
from ruamel.yaml import YAML

CLJOURNEY = Path(sys.executable).with_name("cljourney")


def bare_one(path: Path) -> None:
    """ruamel.yaml round-trip load and dump of one file, nothing else."""
    yaml = YAML(typ="rt")
    try:
        data = yaml.load(path.read_text(encoding="utf-8"))
    except Exception:  # the corpus's broken files: fmt refuses them too
        return
    yaml.dump(data, io.StringIO())


def bare(paths: list[Path], jobs: int) -> None:
    if jobs == 1:
        for path in paths:
            bare_one(path)
        return
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(bare_one, paths, chunksize=max(1, len(paths) // (jobs * 8)))


def fmt_check(folder: Path, jobs: int) -> None:
    done = subprocess.run(
        [str(CLJOURNEY), "fmt", "--check", "--jobs", str(jobs), str(folder)],
        capture_output=True,
        text=True,
    )
    if done.returncode not in (0, 1) or "Traceback" in done.stderr:
        raise SystemExit(f"fmt failed ({done.returncode}): {done.stderr[-2000:]}")


def timed(function: Callable[[], None]) -> tuple[float, float]:
    """(seconds, 1-minute load average when it started)."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    function()
    return time.perf_counter() - start, load


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--touchpoints", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="processes for the parallel runs")
    args = parser.parse_args()
    jobs = args.jobs or os.cpu_count() or 1
    runs: dict[str, list[tuple[float, float]]] = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        paths = write_corpus(folder, args.files, args.touchpoints, seed=args.seed)
        size = sum(path.stat().st_size for path in paths)
        plan: list[tuple[str, Callable[[], None]]] = [
            ("ruamel.yaml bare round trip, 1 process", lambda: bare(paths, 1)),
            ("cljourney fmt --check --jobs 1", lambda: fmt_check(folder, 1)),
            (f"ruamel.yaml bare round trip, {jobs} processes", lambda: bare(paths, jobs)),
            (f"cljourney fmt --check --jobs {jobs}", lambda: fmt_check(folder, jobs)),
        ]
        for round_ in range(1, args.rounds + 1):
            for label, function in plan:
                seconds, load = timed(function)
                runs.setdefault(label, []).append((seconds, load))
                print(f"round {round_}: {label:<44} {seconds:8.2f} s  (load {load:.1f})")
                sys.stdout.flush()
    best = {label: min(seconds for seconds, _ in times) for label, times in runs.items()}
    labels = [label for label, _ in plan]
    print(f"corpus: {len(paths)} files, {size:,} bytes (seed {args.seed}); best of {args.rounds}")
    for label in labels:
        print(f"{label:<48} {best[label]:8.2f} s")
    one, every = best[labels[1]] / best[labels[0]], best[labels[3]] / best[labels[2]]
    print(f"fmt / bare round trip, 1 process each:   {one:.2f}x (target <= 1.5x)")
    print(f"fmt / bare round trip, {jobs} processes each: {every:.2f}x (target <= 1.5x)")
    print(f"fmt on {jobs} processes / bare on 1:        {best[labels[3]] / best[labels[0]]:.2f}x")


if __name__ == "__main__":
    main()
