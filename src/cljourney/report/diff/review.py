"""What a reviewer outside ops reads beside each change: the names of the elements (ids are for
code), where a touchpoint was and is, and the findings a change brings folded into it.

A finding change is folded into the model change that caused it: the first change (in table
order) that can have consequences (an owner, why, flow edge, channel, stage or id changed; an
element removed, moved or renamed) and that reaches an id the finding names (its element, the ids
quoted in its message, the roles of a handoff). A change to the field a rule is named after is
preferred (`why` for `weak-why`), and a changed why only explains why rules. So one owner change
shows its three `handoff-gap` warnings once, under it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cljourney.diff.records import Change, Entity, Kind, Level
from cljourney.model import JourneyFile

_CAUSE_FIELDS = frozenset(
    {"owner", "why", "next", "loops_to", "terminal", "channel", "stage", "id"}
)
_CAUSE_KINDS = frozenset({Kind.REMOVED, Kind.MOVED, Kind.RENAMED})
_QUOTED = re.compile(r"'([^'\s]{1,200})'")
_SPLIT = re.compile(r"[>@]")


@dataclass(frozen=True)
class Place:
    """Where a touchpoint is: its stage id and 1-based position in it."""

    stage: str
    position: int


@dataclass(frozen=True)
class Names:
    """Display names by id, from the new version of a journey, then the old one."""

    journey: str
    stages: dict[str, str]
    touchpoints: dict[str, str]
    roles: dict[str, str]
    old_places: dict[str, Place]
    new_places: dict[str, Place]
    stage_touchpoints: dict[str, frozenset[str]]


def _places(model: JourneyFile | None) -> dict[str, Place]:
    found: dict[str, Place] = {}
    for stage in model.stages if model else ():
        for index, touchpoint in enumerate(stage.touchpoints, 1):
            found.setdefault(touchpoint.id, Place(stage.id, index))
    return found


def names(old: JourneyFile | None, new: JourneyFile | None) -> Names:
    stages: dict[str, str] = {}
    touchpoints: dict[str, str] = {}
    roles: dict[str, str] = {}
    members: dict[str, set[str]] = {}
    journey = ""
    for model in (new, old):
        if model is None:
            continue
        journey = journey or model.journey.name
        for role in model.roles:
            roles.setdefault(role.id, role.name)
        for stage in model.stages:
            stages.setdefault(stage.id, stage.name)
            for touchpoint in stage.touchpoints:
                touchpoints.setdefault(touchpoint.id, touchpoint.name)
                members.setdefault(stage.id, set()).add(touchpoint.id)
    frozen = {sid: frozenset(ids) for sid, ids in members.items()}
    return Names(journey, stages, touchpoints, roles, _places(old), _places(new), frozen)


@dataclass(frozen=True)
class Row:
    """A table row: a change, the findings it brings, and the level of the worst of them."""

    change: Change
    folded: tuple[Change, ...]

    @property
    def level(self) -> Level:
        return max((self.change, *self.folded), key=lambda c: c.level.rank).level


def _can_cause(change: Change) -> bool:
    if change.entity is Entity.FINDING:
        return False
    return change.field in _CAUSE_FIELDS or change.kind in _CAUSE_KINDS


def _reach(change: Change, known: Names) -> set[str]:
    """The ids whose findings this change may have caused: its own, and for an owner change the
    roles (and a stage's touchpoints), for a flow edge the touchpoints it points at."""
    reached = {change.id}
    if change.entity is Entity.HANDOFF:
        reached |= set(_SPLIT.split(change.id))
    if change.field == "owner" and change.entity is Entity.STAGE:
        reached |= known.stage_touchpoints.get(change.id, frozenset())
    for value in (change.before, change.after):
        if change.field in ("owner", "id") and isinstance(value, str):
            reached.add(value)
        elif change.field in ("next", "loops_to") and isinstance(value, tuple):
            reached |= set(value)
    return reached - {""}


def _named(finding: Change) -> set[str]:
    """The ids a finding change names: its element (a handoff's roles too) and quoted ids."""
    text = finding.after if isinstance(finding.after, str) else finding.before
    quoted = set(_QUOTED.findall(text)) if isinstance(text, str) else set()
    return ({finding.element} | set(_SPLIT.split(finding.element)) | quoted) - {""}


def rows(changes: Sequence[Change], known: Names) -> list[Row]:
    """`changes` as table rows, each finding change folded into the change that caused it."""
    causes = [(change, _reach(change, known)) for change in changes if _can_cause(change)]
    folded: dict[int, list[Change]] = {}
    kept: list[Change] = []
    for change in changes:
        cause = _cause(change, causes) if change.entity is Entity.FINDING else None
        if cause is None:
            kept.append(change)
        else:
            folded.setdefault(id(cause), []).append(change)
    return [Row(change, tuple(folded.get(id(change), ()))) for change in kept]


def _cause(finding: Change, causes: list[tuple[Change, set[str]]]) -> Change | None:
    named = _named(finding)
    best: Change | None = None
    best_score = 0
    for change, reached in causes:
        if not reached & named or (change.field == "why" and "why" not in finding.id):
            continue  # a why change only explains a why rule
        score = 2 if change.field and change.field in finding.id else 1
        if score > best_score:
            best, best_score = change, score
    return best


def split_advice(message: str) -> tuple[str, str]:
    """A finding message as (what is wrong, what to do): split at the first `; `."""
    what, _, advice = message.partition("; ")
    return what, advice
