"""Rename a touchpoint, stage or role id and every reference to it.

The edit is made in the text, at the positions libyaml reports for each value: only the ids
change, so every comment, quote and blank line stays exactly as written and the review diff shows
the rename and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from cljourney.edit.source import EditError, JourneyText, check_edited, id_hint
from cljourney.load.tree import YMap, YSeq
from cljourney.model.fields import SLUG_PATTERN

_SLUG = re.compile(SLUG_PATTERN)


class IdKind(str, Enum):
    touchpoint = "touchpoint"
    stage = "stage"
    role = "role"


@dataclass(frozen=True)
class Spot:
    """One value naming the id: where it is and what it is (`id`, `next`, `handoff from`...)."""

    kind: IdKind
    line: int
    column: int
    field: str

    @property
    def defines(self) -> bool:
        return self.field == "id"


@dataclass(frozen=True)
class Renamed:
    """One file's outcome: the new text and the spots changed in it (positions as before)."""

    source: JourneyText
    text: str
    spots: tuple[Spot, ...]


def items(node: Any, key: str) -> list[YMap]:
    """The mappings listed under `key` of a mapping (roles, stages, touchpoints, handoffs)."""
    value = node.get(key) if isinstance(node, YMap) else None
    return [item for item in value if isinstance(item, YMap)] if isinstance(value, YSeq) else []


def _value(node: YMap, key: str, kind: IdKind, field: str) -> Iterator[tuple[Spot, Any]]:
    if key in node:
        line, column = node.keys_pos[key][2:]
        yield Spot(kind, line, column, field), node[key]


def _listed(node: YMap, key: str, kind: IdKind) -> Iterator[tuple[Spot, Any]]:
    value = node.get(key)
    if isinstance(value, YSeq):
        for item, (line, column) in zip(value, value.items_pos, strict=True):
            yield Spot(kind, line, column, key), item


def references(root: Any) -> Iterator[tuple[Spot, Any]]:
    """Every value in the tree that is an id, with the value: definitions (`id`) and references,
    of every kind."""
    role, stage, touchpoint = IdKind.role, IdKind.stage, IdKind.touchpoint
    journey = root.get("journey") if isinstance(root, YMap) else None
    if isinstance(journey, YMap):  # a role id or free text: a reference when it names a role
        yield from _value(journey, "owner", role, "journey owner")
        review = journey.get("review")
        if isinstance(review, YMap):
            yield from _value(review, "by", role, "review by")
    for item in items(root, "roles"):
        yield from _value(item, "id", role, "id")
    for item in items(root, "stages"):
        yield from _value(item, "id", stage, "id")
        yield from _value(item, "owner", role, "owner")
        yield from _listed(item, "during", stage)
        for point in items(item, "touchpoints"):
            yield from _value(point, "id", touchpoint, "id")
            yield from _value(point, "owner", role, "owner")
            yield from _listed(point, "next", touchpoint)
            yield from _listed(point, "loops_to", touchpoint)
            for key, field in (("opportunities", "opportunity owner"), ("metrics", "metric owner")):
                for entry in items(point, key):  # the object form's owner
                    yield from _value(entry, "owner", role, field)
    for item in items(root, "handoffs"):
        yield from _value(item, "from", role, "handoff from")
        yield from _value(item, "to", role, "handoff to")
        yield from _value(item, "at", touchpoint, "handoff at")


def spots(root: Any, id_: str) -> Iterator[Spot]:
    """Every value in the tree naming `id_`: definitions (`id`) and references, of every kind."""
    return (spot for spot, value in references(root) if value == id_)


def check_new_id(new: str) -> None:
    if not _SLUG.match(new) or len(new) > 100:
        raise EditError(
            f"'{new}' is not a valid id: use lowercase letters, digits, '-' and '_', starting"
            " with a letter or digit"
        )


def _defined_ids(files: Sequence[JourneyText], kind: IdKind | None) -> list[str]:
    """The ids defined in `files` (of `kind`, or of every kind), to suggest one for a typo."""
    return [
        value
        for file in files
        for spot, value in references(file.root)
        if spot.defines and (kind is None or spot.kind is kind) and isinstance(value, str)
    ]


def choose_kind(files: Sequence[JourneyText], old: str, kind: IdKind | None) -> IdKind:
    """The kind of id to rename: `kind`, or the one kind `old` is defined as in `files`."""
    defined = {spot.kind for file in files for spot in spots(file.root, old) if spot.defines}
    if kind is not None:
        if kind not in defined:
            hint = id_hint(old, _defined_ids(files, kind))
            raise EditError(f"no {kind.value} has the id '{old}' in the given files{hint}")
        return kind
    if not defined:
        hint = id_hint(old, _defined_ids(files, None))
        raise EditError(f"no touchpoint, stage or role has the id '{old}' in the given files{hint}")
    if len(defined) > 1:
        kinds = " and a ".join(sorted(k.value for k in defined))
        raise EditError(f"'{old}' is the id of a {kinds}; say which with --kind")
    return defined.pop()


def plain_span(source: JourneyText, line: int, column: int, value: str) -> tuple[int, int] | None:
    """Offsets in `source.text` of `value` written at line:column (inside its quotes, if any),
    or None when it is written with escapes there (no in-place edit then)."""
    start = source.offset(line, column)
    text = source.text
    quote = text[start] if text[start : start + 1] in ("'", '"') else ""
    inner = start + len(quote)
    end = inner + len(value)
    if text[inner:end] != value or (quote and text[end : end + 1] != quote):
        return None
    return inner, end


def _replace(source: JourneyText, text: str, spot: Spot, old: str, new: str) -> str:
    span = plain_span(source, spot.line, spot.column, old)
    if span is None:
        raise EditError(
            f"{source.path}:{spot.line}:{spot.column}: '{old}' is written with escapes here;"
            " write it plainly, then rename"
        )
    return text[: span[0]] + new + text[span[1] :]


def rename_in(source: JourneyText, old: str, new: str, kind: IdKind) -> Renamed:
    """Rename `old` to `new` (ids of `kind`) in one file. EditError when `new` is taken there."""
    found = [spot for spot in spots(source.root, old) if spot.kind is kind]
    for taken in spots(source.root, new):
        if taken.defines and taken.kind is kind:
            raise EditError(
                f"{source.path}:{taken.line}:{taken.column}: a {kind.value} with the id '{new}'"
                " already exists"
            )
    text = source.text
    for spot in sorted(found, key=lambda s: (s.line, s.column), reverse=True):
        text = _replace(source, text, spot, old, new)
    if found:
        check_edited(source, text)
    return Renamed(source, text, tuple(found))


def rename(
    files: Sequence[JourneyText], old: str, new: str, kind: IdKind | None = None
) -> list[Renamed]:
    """Rename across `files`; only files that change are returned. EditError refuses the whole
    rename (nothing is written) when `new` is invalid or taken, or `old` unknown or ambiguous."""
    check_new_id(new)
    chosen = choose_kind(files, old, kind)
    results = [rename_in(file, old, new, chosen) for file in files]
    return [result for result in results if result.spots]
