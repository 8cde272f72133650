"""Renamed ids between two versions of a journey: found by likeness, reported once, then undone.

An id that is gone and a new id of the same kind (a touchpoint: in the same stage) whose other
fields are nearly all alike are one element renamed. Each rename is one `renamed` change (risky:
links, `next`, `owner`, handoffs and event mappings naming the old id must follow). The old
version is then rewritten with the new ids (references included), so the rest of the diff sees
only what else changed: a touchpoint renamed together with every `next` pointing at it is one
change, not a removal, an addition and a flow change per reference.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import TypeVar

from pydantic import BaseModel

from cljourney.diff.levels import (
    FLOW_FIELDS,
    ROLE_FIELDS,
    STAGE_FIELDS,
    TOUCHPOINT_FIELDS,
    field_value,
    same_meaning,
)
from cljourney.diff.records import Change, Entity, Kind, Level
from cljourney.model import Handoff, JourneyFile, Role, Stage, Touchpoint

# Two elements are one renamed when at least this share of their compared fields (those set on
# either side) are alike: equal ones count 1, two texts the share of characters they have in common.
RENAME_SIMILARITY = 0.8
_TOUCHPOINT = tuple(f for f in TOUCHPOINT_FIELDS if f not in FLOW_FIELDS)
_FOLLOW = {
    Entity.STAGE: "the stage's links and event mappings naming the old id must follow",
    Entity.TOUCHPOINT: "links, `next` and event mappings naming the old id must follow",
    Entity.ROLE: "`owner`, handoffs and event mappings naming the old id must follow",
}

_Element = TypeVar("_Element", Stage, Touchpoint, Role)


@dataclass(frozen=True)
class Renames:
    """Old id -> new id, per kind of element."""

    stages: dict[str, str] = field(default_factory=dict)
    touchpoints: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    touchpoint_stage: dict[str, str] = field(default_factory=dict)
    """New touchpoint id -> its stage id, for the change record."""

    def ids(self) -> dict[str, str]:
        """Every old id -> its new id, whatever its kind (to match findings naming them)."""
        return {**self.roles, **self.stages, **self.touchpoints}

    def changes(self, journey: str) -> list[Change]:
        """One `renamed` change per rename: roles, stages, then touchpoints."""
        found = [_renamed(Entity.ROLE, old, new, journey, "") for old, new in self.roles.items()]
        found += [_renamed(Entity.STAGE, o, n, journey, n) for o, n in self.stages.items()]
        found += [
            _renamed(Entity.TOUCHPOINT, old, new, journey, self.touchpoint_stage.get(new, ""))
            for old, new in self.touchpoints.items()
        ]
        return found


def _renamed(entity: Entity, old: str, new: str, journey: str, stage: str) -> Change:
    where = f" in stage '{stage}'" if entity is Entity.TOUCHPOINT and stage else ""
    return Change(
        Kind.RENAMED,
        entity,
        new,
        journey,
        Level.RISKY,
        f"{entity.value} '{old}' renamed to '{new}'{where} ({_FOLLOW[entity]})",
        "id",
        old,
        new,
        stage,
    )


def similarity(old: BaseModel, new: BaseModel, fields: Sequence[str], least: int = 2) -> float:
    """The mean likeness of `fields` set on either side (0 when fewer than `least` are set)."""
    compared = 0
    same = 0.0
    for name in fields:
        before, after = field_value(old, name), field_value(new, name)
        if same_meaning(before, None) and same_meaning(after, None):
            continue
        compared += 1
        if same_meaning(before, after):
            same += 1
        elif isinstance(before, str) and isinstance(after, str):
            same += SequenceMatcher(None, before[:200], after[:200], autojunk=False).ratio()
        elif isinstance(before, tuple) and isinstance(after, tuple) and (before or after):
            same += len(set(before) & set(after)) / len(set(before) | set(after))
    return same / compared if compared >= least else 0.0


def _match(
    old: dict[str, _Element],
    new: dict[str, _Element],
    score: Callable[[_Element, _Element], float],
) -> dict[str, str]:
    """Old id -> new id for ids gone from `old` and new in `new`, best likeness first."""
    gone = [oid for oid in old if oid not in new]
    added = [nid for nid in new if nid not in old]
    if not gone or not added:
        return {}
    scored = sorted(
        ((-score(old[o], new[n]), i, j) for i, o in enumerate(gone) for j, n in enumerate(added)),
    )
    found: dict[str, str] = {}
    taken: set[str] = set()
    for negative, i, j in scored:
        if -negative < RENAME_SIMILARITY:
            break
        if gone[i] not in found and added[j] not in taken:
            found[gone[i]] = added[j]
            taken.add(added[j])
    return found


def _first(items: Sequence[_Element]) -> dict[str, _Element]:
    found: dict[str, _Element] = {}
    for item in items:
        found.setdefault(item.id, item)
    return found


def _stage_score(old: Stage, new: Stage) -> float:
    fields = [f for f in STAGE_FIELDS]
    members = (tuple(t.id for t in old.touchpoints), tuple(t.id for t in new.touchpoints))
    base = similarity(old, new, fields)
    if not members[0] and not members[1]:
        return base
    overlap = len(set(members[0]) & set(members[1])) / len(set(members[0]) | set(members[1]))
    return (base * len(fields) + overlap) / (len(fields) + 1) if base else 0.0


def find(old: JourneyFile, new: JourneyFile) -> Renames:
    """The renames between two versions: roles and stages first, touchpoints in their stage."""
    roles = _match(
        _first(old.roles), _first(new.roles), lambda a, b: similarity(a, b, ROLE_FIELDS, 1)
    )
    stages = _match(_first(old.stages), _first(new.stages), _stage_score)
    partial = apply(old, Renames(stages, {}, roles))
    touchpoints: dict[str, str] = {}
    placed: dict[str, str] = {}
    new_stages = _first(new.stages)
    for stage in partial.stages:
        if stage.id not in new_stages:
            continue
        matched = _match(
            _first(stage.touchpoints),
            _first(new_stages[stage.id].touchpoints),
            lambda a, b: similarity(a, b, ("owner", *_TOUCHPOINT)),
        )
        for old_id, new_id in matched.items():
            if old_id not in touchpoints and new_id not in placed:
                touchpoints[old_id] = new_id
                placed[new_id] = stage.id
    return Renames(stages, touchpoints, roles, placed)


def apply(journey: JourneyFile, renames: Renames) -> JourneyFile:
    """`journey` with renamed ids replaced by the new ones, wherever they are used."""
    if not (renames.stages or renames.touchpoints or renames.roles):
        return journey
    role, point = renames.roles, renames.touchpoints

    def owner(value: str | None) -> str | None:
        return role.get(value, value) if value is not None else None

    def touchpoint(item: Touchpoint) -> Touchpoint:
        return item.model_copy(
            update={
                "id": point.get(item.id, item.id),
                "owner": owner(item.owner),
                "next": None if item.next is None else [point.get(n, n) for n in item.next],
                "loops_to": [point.get(n, n) for n in item.loops_to],
            }
        )

    def handoff(item: Handoff) -> Handoff:
        at = None if item.at is None else point.get(item.at, item.at)
        return item.model_copy(
            update={
                "from_": role.get(item.from_, item.from_),
                "to": role.get(item.to, item.to),
                "at": at,
            }
        )

    def during(value: str | list[str] | None) -> str | list[str] | None:
        if value is None or isinstance(value, str):  # `during: all` names no stage
            return value
        return [renames.stages.get(sid, sid) for sid in value]

    stages = [
        stage.model_copy(
            update={
                "id": renames.stages.get(stage.id, stage.id),
                "owner": owner(stage.owner),
                "during": during(stage.during),
                "touchpoints": [touchpoint(t) for t in stage.touchpoints],
            }
        )
        for stage in journey.stages
    ]
    roles = [r.model_copy(update={"id": role.get(r.id, r.id)}) for r in journey.roles]
    handoffs = [handoff(h) for h in journey.handoffs]
    return journey.model_copy(update={"stages": stages, "roles": roles, "handoffs": handoffs})
