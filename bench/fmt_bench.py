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
import resource
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


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of its children that ended."""
    own, children = (
        resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(function: Callable[[], None]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, 1-minute load average when it started). CPU time counts the
    work done, whatever else the machine runs: the fairer ratio on a shared machine."""
    load = os.getloadavg()[0]
    start, cpu = time.perf_counter(), _cpu()
    function()
    return time.perf_counter() - start, _cpu() - cpu, load


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--touchpoints", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=0, help="processes for the parallel runs")
    args = parser.parse_args()
    jobs = args.jobs or os.cpu_count() or 1
    runs: dict[str, list[tuple[float, float, float]]] = {}
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
                seconds, cpu, load = timed(function)
                runs.setdefault(label, []).append((seconds, cpu, load))
                print(
                    f"round {round_}: {label:<44} {seconds:8.2f} s wall {cpu:8.2f} s CPU"
                    f"  (load {load:.1f})"
                )
                sys.stdout.flush()
    best = {label: min(wall for wall, _, _ in times) for label, times in runs.items()}
    cpu = {label: min(used for _, used, _ in times) for label, times in runs.items()}
    labels = [label for label, _ in plan]
    print(f"corpus: {len(paths)} files, {size:,} bytes (seed {args.seed}); best of {args.rounds}")
    for label in labels:
        print(f"{label:<48} {best[label]:8.2f} s wall {cpu[label]:8.2f} s CPU")
    for name, table in (("wall", best), ("CPU", cpu)):
        one, every = table[labels[1]] / table[labels[0]], table[labels[3]] / table[labels[2]]
        print(f"fmt / bare round trip ({name}), 1 process each: {one:.2f}x (target <= 1.5x)")
        print(f"fmt / bare round trip ({name}), {jobs} processes each: {every:.2f}x")


if __name__ == "__main__":
    main()
