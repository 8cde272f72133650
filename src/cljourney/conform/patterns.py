"""Event names and patterns in `events:` lists: `*` matches any run of characters, nothing else
is special. Shared by `duplicate-event` (which patterns can claim the same event) and the engine
(which touchpoint an event name maps to)."""

from __future__ import annotations

from functools import cache

WILDCARD = "*"


def is_pattern(name: str) -> bool:
    return WILDCARD in name


def like(pattern: str) -> str:
    """The SQL LIKE pattern (escape `\\`) matching exactly what `pattern` matches."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace(WILDCARD, "%")


def overlap(first: str, second: str) -> bool:
    """Whether some event name matches both patterns (either may be a plain name).

    A walk over both patterns at once: a `*` on either side may match nothing, or take the
    other side's next character (or the run the other side's `*` matches).
    """

    @cache
    def meet(i: int, j: int) -> bool:
        if i == len(first) and j == len(second):
            return True
        if i < len(first) and first[i] == WILDCARD:
            return meet(i + 1, j) or (j < len(second) and meet(i, j + 1))
        if j < len(second) and second[j] == WILDCARD:
            return meet(i, j + 1) or (i < len(first) and meet(i + 1, j))
        if i < len(first) and j < len(second) and first[i] == second[j]:
            return meet(i + 1, j + 1)
        return False

    if not is_pattern(first) and not is_pattern(second):
        return first == second
    # Names are at most 200 characters (model.EventName): the recursion is at most 400 deep.
    return meet(0, 0)
