"""Findings that only name a renamed id differently are the same findings.

`diff_findings` matches findings by rule, severity, element and message, and a message names ids
(`handoff-gap ... (from 'demo')`): after `demo` is renamed, the same gap reads `(from
'tailored-demo')`, and would show as one finding fixed and one introduced. Here such pairs are
taken out: an old finding, read with the new ids, that equals a new finding is no change.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence

from cljourney.diff import renames as diffrenames
from cljourney.diff.findings import finding_severity
from cljourney.diff.records import Change, Entity, Kind
from cljourney.model import JourneyFile

_Key = tuple[str, str, str, str]


def journey_renames(old: JourneyFile | None, new: JourneyFile | None) -> dict[str, str]:
    """Old id -> new id of every element renamed between two versions (see diff/renames.py)."""
    if old is None or new is None:
        return {}
    return diffrenames.find(old, new).ids()


def _follow(renamed: Mapping[str, str]) -> Callable[[str], str]:
    """Text with the old ids replaced by the new ones (ids are whole words: slugs)."""
    ids = sorted(renamed, key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w-])")
    return lambda text: pattern.sub(lambda match: renamed[match.group(1)], text)


def without_renamed(changes: Sequence[Change], renamed: Mapping[str, str]) -> list[Change]:
    """`changes` less each (fixed, introduced) finding pair that differs only by renamed ids."""
    fixed = [c for c in changes if c.entity is Entity.FINDING and c.kind is Kind.REMOVED]
    added = [c for c in changes if c.entity is Entity.FINDING and c.kind is Kind.ADDED]
    if not renamed or not fixed or not added:
        return list(changes)
    swap = _follow(renamed)

    def old_key(change: Change) -> _Key:
        return (change.id, finding_severity(change), swap(change.element), swap(str(change.before)))

    def new_key(change: Change) -> _Key:
        return (change.id, finding_severity(change), change.element, str(change.after))

    dropped = {id(c) for c in _matched(fixed, Counter(map(new_key, added)), old_key)}
    dropped |= {id(c) for c in _matched(added, Counter(map(old_key, fixed)), new_key)}
    return [c for c in changes if id(c) not in dropped]


def _matched(
    items: Sequence[Change], others: Counter[_Key], key: Callable[[Change], _Key]
) -> list[Change]:
    """The first of `items` with each key, as many as `others` holds with that key."""
    left = Counter(others)
    found = []
    for item in items:
        if left[key(item)] > 0:
            left[key(item)] -= 1
            found.append(item)
    return found
