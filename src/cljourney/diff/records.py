"""Kind, Entity, Level and Change: what `diff` produces, immutable and complete when created."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Union

Value = Union[str, int, bool, tuple[str, ...], None]  # noqa: UP007 (a runtime alias on 3.10)


def show_value(value: Value, *, quoted: bool = True) -> str:
    """A value before or after a change, as every diff message and report shows it: `(none)`,
    `[a, b]`, `true`, numbers as written, and text quoted (unless `quoted` is False, for the
    before/after lines that show the text alone)."""
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str) and quoted:
        return repr(value)
    return str(value)


class Kind(str, enum.Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"
    REORDERED = "reordered"
    RENAMED = "renamed"


class Entity(str, enum.Enum):
    JOURNEY = "journey"
    STAGE = "stage"
    TOUCHPOINT = "touchpoint"
    ROLE = "role"
    HANDOFF = "handoff"
    FINDING = "finding"


class Level(str, enum.Enum):
    """How much a change deserves a reviewer's attention; `--fail-on` compares these ranks."""

    BREAKING = "breaking"
    RISKY = "risky"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Level.BREAKING: 2, Level.RISKY: 1, Level.INFO: 0}
LEVELS: tuple[Level, ...] = (Level.BREAKING, Level.RISKY, Level.INFO)


@dataclass(frozen=True)
class Change:
    """One change, complete when created; `stage` is its stage id, "" for journey-wide changes.
    `element`: for a finding, the id of the element it concerns (to tell which change caused it)."""

    kind: Kind
    entity: Entity
    id: str
    journey: str
    level: Level
    message: str
    field: str | None = None
    before: Value = None
    after: Value = None
    stage: str = ""
    element: str = ""
