"""Did-you-mean suggestions at a bounded cost: the one helper behind every "did you mean" hint.

difflib's ratio costs up to (length of a) x (length of b) per candidate, so a file of long,
similar ids made each hint cost seconds. Here a hint compares at most `MAX_CHARS` characters of
each string (ids, keys and rule ids differ early; what follows adds cost, not sense), and skips
candidates whose length alone rules them out: a ratio of at least `cutoff` needs the shorter
string to be at least cutoff / (2 - cutoff) of the longer.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

MAX_CHARS = 48


def close_matches(
    word: str, known: Iterable[str], n: int = 1, cutoff: float = 0.6, *, fold_case: bool = False
) -> list[str]:
    """Up to `n` strings of `known` that look like `word`, best first (difflib's ratio on their
    first MAX_CHARS characters; ignoring case when `fold_case`, then the spelling in `known`)."""
    key = (word.lower() if fold_case else word)[:MAX_CHARS]
    shortest = cutoff / (2 - cutoff)
    size = len(key)
    candidates: dict[str, str] = {}
    for candidate in known:
        short = (candidate.lower() if fold_case else candidate)[:MAX_CHARS]
        length = len(short)
        if min(length, size) < shortest * max(length, size):
            continue
        if short not in candidates or candidate < candidates[short]:
            candidates[short] = candidate
    found = difflib.get_close_matches(key, list(candidates), n=n, cutoff=cutoff)
    return [candidates[match] for match in found]


def did_you_mean(word: str, known: Iterable[str], *, fold_case: bool = False) -> str | None:
    """The closest of `known` to `word`, or None."""
    found = close_matches(word, known, fold_case=fold_case)
    return found[0] if found else None
