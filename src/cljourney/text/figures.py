"""Measured figures as people read them (`4.2 d`, `87.5 %`): one wording for the conform
reports, the rules' messages and the measured maps."""

from __future__ import annotations


def percent(share: float) -> str:
    """`0.875` -> `87.5 %` (one decimal, dropped when whole). A share that is neither none nor
    all never rounds to `0 %` or `100 %`: `< 0.1 %`, `> 99.9 %`."""
    if 0 < share < 0.0005:
        return "< 0.1 %"
    if 0.9995 <= share < 1:
        return "> 99.9 %"
    text = f"{share * 100:.1f}".removesuffix(".0")
    return f"{text} %"


def share(value: float | None) -> str:
    """A share, or `-` when there is none (nobody to count)."""
    return "-" if value is None else percent(value)


def duration(seconds: float | None) -> str:
    """`363000` -> `4.2 d`: the largest unit that keeps the number at 1 or more."""
    if seconds is None:
        return "-"
    for size, unit in ((604800, "w"), (86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds / size:.1f} {unit}"
    return f"{seconds:.0f} s"
