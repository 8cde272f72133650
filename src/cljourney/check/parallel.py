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
Note = Callable[[str], None]

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
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _start(function: Any, options: Any, parent: int) -> None:
    global _WORK
    _WORK = (function, options)
    _end_with(parent)


def _end_with(parent: int) -> None:
    """End this worker when the process that forked it ends, however it ends: a SIGTERM (a
    cancelled CI job, `timeout`) or SIGKILL kills the parent where it stands, and its workers
    would wait for work forever as orphans. Linux's PR_SET_PDEATHSIG sends them SIGTERM then;
    a parent gone before it was set shows as another parent process."""
    import ctypes
    import signal

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux's C library: left as it was
        return
    if os.getppid() != parent:
        os.kill(os.getpid(), signal.SIGTERM)


def _call(item: Any) -> Any:
    assert _WORK is not None
    function, options = _WORK
    return function(item, options)


def _ready() -> None:
    """A task that does nothing: submitting it makes the pool start its workers."""


def _first_task(pool: Any) -> None:
    """Run one empty task on `pool`, which starts every worker (fork) and the pool's threads.

    A thread the pool cannot start fails inside the pool's own manager thread, where nobody
    hears of it and the task would be waited for forever: a thread failing meanwhile is caught
    here through `threading.excepthook` and raised instead.
    """
    import threading
    from concurrent.futures import FIRST_COMPLETED, Future, wait

    failed: Future[None] = Future()
    previous = threading.excepthook

    def hook(args: Any) -> None:
        if not failed.done():
            failed.set_exception(RuntimeError(f"a worker-pool thread failed: {args.exc_value}"))

    threading.excepthook = hook
    try:
        task = pool.submit(_ready)
        wait([task, failed], return_when=FIRST_COMPLETED)
        if failed.done():
            failed.result()
        task.result()
    finally:
        threading.excepthook = previous


def _open_pool(jobs: int, function: Any, options: Any, note: Note) -> tuple[Any, int]:
    """A process pool with all its workers running: `jobs` of them, or as many as the system lets
    this user start (RLIMIT_NPROC, a container's pids limit), and how many; None when not even two
    start.

    A fork that fails leaves the workers already started waiting for work that never comes (the
    pool never hears of them): they are stopped here, so none is left behind and nothing hangs.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    wanted = jobs
    while jobs > 1:
        before = set(multiprocessing.active_children())
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=context,
            initializer=_start,
            initargs=(function, options, os.getpid()),
        )
        try:
            _first_task(pool)
        except (OSError, RuntimeError):  # fork's EAGAIN, "can't start new thread": the limit
            started = [p for p in multiprocessing.active_children() if p not in before]
            for process in started:
                process.terminate()
            for process in started:
                process.join()
            pool.shutdown(wait=False, cancel_futures=True)
            # Halving bounds the forks of all attempts to about twice the first one's.
            jobs = min(jobs // 2, len(started))
            continue
        if jobs < wanted:
            note(
                f"could start only {jobs} of the {wanted} worker processes asked for (-j); the"
                " system's process limit is reached, so the files are shared among those"
            )
        return pool, jobs
    note(
        f"could not start the {wanted} worker processes asked for (-j): the system's process"
        " limit is reached; checking the files in this process instead"
    )
    return None, 1


def _quiet(text: str) -> None:
    """The default `note`: says nothing (the command line passes one that prints)."""


def map_ordered(
    function: Callable[[T, Opt], R],
    items: Sequence[T],
    options: Opt,
    jobs: int,
    note: Note = _quiet,
) -> Iterator[R]:
    """`function(item, options)` for every item on `jobs` processes, yielded in item order.

    Workers are forked (Linux): `function` and `options` reach them by inheritance, never
    pickled (options hold read-only mappings that do not pickle); only items and results travel.
    When fewer workers can be started, fewer are used (down to this process alone), with a note.
    """
    pool, jobs = _open_pool(jobs, function, options, note)
    if pool is None:
        for item in items:
            yield function(item, options)
        return
    # Several chunks per worker: balances uneven files without paying a round trip per file.
    chunksize = max(1, len(items) // (jobs * 8))
    with pool:
        yield from pool.map(_call, items, chunksize=chunksize)
