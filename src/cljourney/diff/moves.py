"""The minimal set of moves between two orders of the same items."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence


def minimal_moves(old_order: Sequence[str], new_order: Sequence[str]) -> list[str]:
    """Ids of the common items that moved: those outside a longest increasing subsequence.

    Keeping the longest run of items in their relative order and moving only the rest is the
    smallest set of moves that turns the old order into the new one.
    """
    position = {item: index for index, item in enumerate(new_order)}
    common = [item for item in old_order if item in position]
    keys = [position[item] for item in common]
    # Patience sorting with back-pointers: O(n log n).
    tails: list[int] = []
    tail_index: list[int] = []
    parent = [-1] * len(keys)
    for index, key in enumerate(keys):
        slot = bisect_left(tails, key)
        if slot == len(tails):
            tails.append(key)
            tail_index.append(index)
        else:
            tails[slot] = key
            tail_index[slot] = index
        parent[index] = tail_index[slot - 1] if slot else -1
    keep: set[int] = set()
    cursor = tail_index[-1] if tail_index else -1
    while cursor != -1:
        keep.add(cursor)
        cursor = parent[cursor]
    moved = [common[index] for index in range(len(common)) if index not in keep]
    return sorted(moved, key=position.__getitem__)
