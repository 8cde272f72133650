"""Checking files on several cores: when it pays, and an order-preserving process-pool map.

Why processes: the work is pure Python (the libyaml parser holds the GIL), so threads do not
help. Why a threshold: a worker pool costs about 30-60 ms to start and feed on Linux (fork) and
far more where workers are spawned, while one typical 20 KB journey checks in about 10 ms. Measured
with bench/run.py on 2 cores (README, "Performance"): 1,000 typical files took about 0.55x the
sequential time; below about 256 KB of input the pool costs more than it saves. Output order never
depends on the pool: results come back in the order of the targets.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
Opt = TypeVar("Opt")

# Below this much input, one process is faster than starting a pool (measured, see above).
PARALLEL_MIN_BYTES = 256 * 1024
# Fewer files than this cannot be shared out usefully.
PARALLEL_MIN_FILES = 4


def available_cpus() -> int:
    """CPUs this process may run on (affinity and cgroup-pinned sets included where known)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _size(target: Any) -> int:
    try:
        return int(target.path.stat().st_size)
    except OSError:
        return 0


def plan_jobs(targets: Sequence[Any], requested: int = 0) -> int:
    """How many processes to use: `requested` when given (>= 1), else by CPUs and input size."""
    if requested >= 1:
        return min(requested, max(1, len(targets)))
    cpus = available_cpus()
    if cpus <= 1 or len(targets) < PARALLEL_MIN_FILES:
        return 1
    total = 0
    for target in targets:
        total += _size(target)
        if total >= PARALLEL_MIN_BYTES:
            return min(cpus, len(targets))
    return 1


def _context() -> Any:
    import multiprocessing

    # fork: workers start in milliseconds with every module already imported. Only where it is
    # the safe, usual choice (Linux); elsewhere the platform default (spawn) is used.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def map_ordered(
    function: Callable[[T, Opt], R], items: Sequence[T], options: Opt, jobs: int
) -> Iterator[R]:
    """`function(item, options)` for every item on `jobs` processes, yielded in item order."""
    from concurrent.futures import ProcessPoolExecutor
    from itertools import repeat

    # Several chunks per worker: balances uneven files without paying a round trip per file.
    chunksize = max(1, len(items) // (jobs * 8))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
        yield from pool.map(function, items, repeat(options), chunksize=chunksize)
