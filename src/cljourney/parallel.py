"""Checking files on several cores: when it pays, and an order-preserving process-pool map.

Why processes: the work is pure Python (the libyaml parser holds the GIL), so threads do not
help. Why a threshold: a worker pool costs about 30-60 ms to start and feed on Linux (fork) and
far more where workers are spawned, while one typical 20 KB journey checks in about 10 ms. Measured
with bench/run.py on 2 cores (README, "Performance"): 1,000 typical files took 0.55x the
sequential time when the second core was free (0.94x on a busy shared machine); below about
256 KB of input the pool costs more than it saves. Output order never
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
# Workers start by fork: in milliseconds, with every module imported and the options inherited.
# Where fork is not the usual, safe choice (macOS, Windows) files are checked on one process.
FORK = sys.platform.startswith("linux")


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
    if not FORK:
        return 1
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


_WORK: tuple[Any, Any] | None = None  # (function, options), set in each worker by `_start`


def _start(function: Any, options: Any) -> None:
    global _WORK
    _WORK = (function, options)


def _call(item: Any) -> Any:
    assert _WORK is not None
    function, options = _WORK
    return function(item, options)


def map_ordered(
    function: Callable[[T, Opt], R], items: Sequence[T], options: Opt, jobs: int
) -> Iterator[R]:
    """`function(item, options)` for every item on `jobs` processes, yielded in item order.

    Workers are forked (Linux): `function` and `options` reach them by inheritance, never
    pickled (options hold read-only mappings that do not pickle); only items and results travel.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Several chunks per worker: balances uneven files without paying a round trip per file.
    chunksize = max(1, len(items) // (jobs * 8))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start, initargs=(function, options)
    ) as pool:
        yield from pool.map(_call, items, chunksize=chunksize)
