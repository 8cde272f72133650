"""SIGTERM and SIGHUP ended like Ctrl-C, for commands that hold something to clean up."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

_TERMINATING = (signal.SIGTERM, signal.SIGHUP)


@contextmanager
def ended_cleanly_when_terminated() -> Iterator[None]:
    """SIGTERM (a cancelled CI job, `timeout`) and SIGHUP (a closed terminal) end the run as
    Ctrl-C does, with exit 128 + the signal's number: the engine is stopped and its spill
    folder, which may hold gigabytes, removed on the way out (by default these signals kill
    the process where it stands). Only the main thread may set handlers; elsewhere, nothing."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    received: list[int] = []

    def stop(number: int, _frame: object) -> None:
        received.append(number)
        raise SystemExit(128 + number)

    previous = {number: signal.signal(number, stop) for number in _TERMINATING}
    try:
        yield
        # Arrived where something swallowed the SystemExit (seen under load with the lowest
        # supported releases; where, not pinned down): the run went on to its end, and still
        # ends as asked.
        if received:
            raise SystemExit(128 + received[0])
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
