"""Which touchpoint, stage or role id is under the cursor, and where that id is defined and
referenced. "Where are the references of id X" has one answer, `edit.rename.spots`, which
`cljourney rename` edits: navigation and rename can never disagree."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from cljourney.edit.rename import IdKind, Spot, items, spots
from cljourney.load.tree import YMap
from cljourney.lsp.text import Text

_WORD = re.compile(r"[A-Za-z0-9_-]+")
_QUOTES = frozenset("'\"")


@dataclass(frozen=True)
class Named:
    """An id written at the cursor: the id, the spot naming it, its kind."""

    id: str
    spot: Spot

    @property
    def kind(self) -> IdKind:
        return self.spot.kind


def start_of(text: Text, spot: Spot) -> int:
    """The 1-based column of an id's first character (after its opening quote, if quoted)."""
    first = text.line(spot.line - 1)[spot.column - 1 : spot.column]
    return spot.column + (1 if first in _QUOTES else 0)


def span(text: Text, spot: Spot, id_: str) -> types.Range:
    """The id's characters at a spot (quotes left out)."""
    return text.range(spot.line, start_of(text, spot), len(id_))


def id_at(root: Any, text: Text, line: int, character: int) -> Named | None:
    """The id under a 0-based cursor, when the word there is a definition or reference."""
    written = text.line(line)
    for match in _WORD.finditer(written):
        if not match.start() <= character <= match.end():
            continue
        word = match.group(0)
        for spot in spots(root, word):
            if spot.line == line + 1 and start_of(text, spot) == match.start() + 1:
                return Named(word, spot)
    return None


def places(root: Any, id_: str, kind: IdKind) -> list[Spot]:
    """Every spot naming `id_` as an id of `kind`: its definitions and references."""
    return [spot for spot in spots(root, id_) if spot.kind is kind]


def touchpoints(root: Any) -> Iterator[tuple[YMap, YMap]]:
    """(stage, touchpoint) for every touchpoint, in file order."""
    for stage in items(root, "stages"):
        for point in items(stage, "touchpoints"):
            yield stage, point


def defined(root: Any, kind: IdKind) -> list[str]:
    """The ids of every element of `kind`, in file order, once each."""
    if kind is IdKind.touchpoint:
        found = [point.get("id") for _, point in touchpoints(root)]
    else:
        found = [
            item.get("id") for item in items(root, "roles" if kind is IdKind.role else "stages")
        ]
    return list(dict.fromkeys(value for value in found if isinstance(value, str)))


def element(root: Any, kind: IdKind, id_: str) -> tuple[YMap, YMap | None] | None:
    """The mapping defining `id_` (and, for a touchpoint, its stage's)."""
    if kind is IdKind.touchpoint:
        return next(((p, s) for s, p in touchpoints(root) if p.get("id") == id_), None)
    key = "roles" if kind is IdKind.role else "stages"
    return next(((item, None) for item in items(root, key) if item.get("id") == id_), None)
