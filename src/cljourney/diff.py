"""Two versions of a journey -> typed change records, classified by what they mean for the customer.

The diff compares models, never text: comments, key order, quoting, indentation, flow or block
style and re-wrapped text produce no change. Journeys are matched by `journey.id`; stages,
touchpoints and roles by id; handoffs by (`from`, `to`, `at`). Reordering is reported as the
minimal set of moves (the items outside a longest increasing subsequence of the common items).
"""

from __future__ import annotations

import enum
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Union

from cljourney.findings import Finding, Severity
from cljourney.model import Handoff, JourneyFile, Role, Stage, Touchpoint

Value = Union[str, int, bool, tuple[str, ...], None]


class Kind(str, enum.Enum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    MOVED = "moved"
    REORDERED = "reordered"


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
    """One change, complete when created. `stage` is the stage it belongs to, "" for journey-wide."""

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


# The fields compared per entity, as dotted paths into the model. A test checks that every model
# field is listed here (or is an identity/containment field), so a new field cannot be missed.
JOURNEY_FIELDS = ("name", "owner", "persona", "outcome", "description", "channels")
ROLE_FIELDS = ("name", "description")
STAGE_FIELDS = ("name", "owner", "why", "exit")
TOUCHPOINT_FIELDS = (
    "name", "owner", "channel", "why", "how", "customer.does", "customer.thinks",
    "customer.feels", "customer.score", "pain_points", "opportunities", "metrics", "next",
    "loops_to", "terminal",
)
HANDOFF_FIELDS = ("why", "carries")
FLOW_FIELDS = frozenset({"next", "loops_to", "terminal"})
RISKY_FIELDS = frozenset({"owner", "channel"}) | FLOW_FIELDS


def _get(model: object, path: str) -> Value:
    value: object = model
    for step in path.split("."):
        if value is None:
            return None
        value = getattr(value, step)
    if isinstance(value, list):
        return tuple(value)
    if value is None or isinstance(value, (str, int, bool, tuple)):
        return value
    raise TypeError(f"field {path!r} is not a scalar or a list of text")


def _same(before: Value, after: Value) -> bool:
    """Equal as meaning: whitespace inside text (re-wrapping, block scalars) is formatting."""
    if isinstance(before, str) and isinstance(after, str):
        return before.split() == after.split()
    return before == after


def _field_change(field: str, before: Value, after: Value) -> tuple[Level, str]:
    """The level of a field change and the verb that describes it."""
    if field == "why":
        if not after:
            return Level.BREAKING, "why removed"
        if not before:
            return Level.INFO, "why added"
        return Level.RISKY, "why rewritten"
    if field == "customer.score" and isinstance(before, int) and isinstance(after, int):
        if after < before:
            return Level.RISKY, f"customer score dropped from {before} to {after}"
        return Level.INFO, f"customer score raised from {before} to {after}"
    if field == "carries" and isinstance(before, tuple):
        lost = [item for item in before if item not in (after or ())]
        if lost:
            return Level.RISKY, "no longer carries " + ", ".join(repr(item) for item in lost)
        return Level.INFO, "carries more"
    level = Level.RISKY if field in RISKY_FIELDS else Level.INFO
    if field in FLOW_FIELDS:
        return level, f"flow changed: `{field}` {_show(before)} -> {_show(after)}"
    if isinstance(before, str) and isinstance(after, str) and field not in RISKY_FIELDS:
        return level, f"{field} reworded"
    return level, f"{field} changed from {_show(before)} to {_show(after)}"


def _show(value: Value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return "[" + ", ".join(value) + "]"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return repr(value)
    return str(value)


def _fields(
    entity: Entity, element_id: str, journey: str, stage: str,
    old: object, new: object, fields: Iterable[str],
) -> Iterator[Change]:
    for field in fields:
        before, after = _get(old, field), _get(new, field)
        if _same(before, after):
            continue
        level, verb = _field_change(field, before, after)
        label = f"{entity.value} '{element_id}'" if element_id else entity.value
        yield Change(Kind.CHANGED, entity, element_id, journey, level, f"{label}: {verb}",
                     field, before, after, stage)


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


def _first_by_id(items: Iterable[Stage | Role]) -> dict[str, Stage | Role]:
    found: dict[str, Stage | Role] = {}
    for item in items:
        found.setdefault(item.id, item)
    return found


def _touchpoints(journey: JourneyFile) -> dict[str, tuple[Stage, int, Touchpoint]]:
    """First touchpoint per id (duplicates are `duplicate-id` findings), with stage and index."""
    found: dict[str, tuple[Stage, int, Touchpoint]] = {}
    for stage in journey.stages:
        for index, touchpoint in enumerate(stage.touchpoints):
            found.setdefault(touchpoint.id, (stage, index, touchpoint))
    return found


def _handoff_id(handoff: Handoff) -> str:
    return f"{handoff.from_}>{handoff.to}" + (f"@{handoff.at}" if handoff.at else "")


def _count(journey: JourneyFile) -> str:
    touchpoints = sum(len(stage.touchpoints) for stage in journey.stages)
    return f"{len(journey.stages)} stages, {touchpoints} touchpoints"


def diff_journeys(old: JourneyFile | None, new: JourneyFile | None) -> list[Change]:
    """Every change between two versions of one journey; None means the journey is absent."""
    if old is None and new is None:
        return []
    if old is None:
        assert new is not None
        jid = new.journey.id
        return [Change(Kind.ADDED, Entity.JOURNEY, jid, jid, Level.INFO,
                       f"journey '{jid}' added ({_count(new)})")]
    if new is None:
        jid = old.journey.id
        return [Change(Kind.REMOVED, Entity.JOURNEY, jid, jid, Level.BREAKING,
                       f"journey '{jid}' removed ({_count(old)})")]
    jid = new.journey.id
    changes = list(_fields(Entity.JOURNEY, "", jid, "", old.journey, new.journey, JOURNEY_FIELDS[:-1]))
    changes.extend(_fields(Entity.JOURNEY, "", jid, "", old, new, JOURNEY_FIELDS[-1:]))
    changes.extend(_roles(old, new, jid))
    changes.extend(_stages(old, new, jid))
    changes.extend(_handoffs(old, new, jid))
    return changes


def _roles(old: JourneyFile, new: JourneyFile, jid: str) -> Iterator[Change]:
    before, after = _first_by_id(old.roles), _first_by_id(new.roles)
    for rid in before.keys() - after.keys():
        yield Change(Kind.REMOVED, Entity.ROLE, rid, jid, Level.RISKY, f"role '{rid}' removed")
    for rid, role in after.items():
        if rid not in before:
            yield Change(Kind.ADDED, Entity.ROLE, rid, jid, Level.INFO, f"role '{rid}' added")
        else:
            yield from _fields(Entity.ROLE, rid, jid, "", before[rid], role, ROLE_FIELDS)


def _stages(old: JourneyFile, new: JourneyFile, jid: str) -> Iterator[Change]:
    before, after = _first_by_id(old.stages), _first_by_id(new.stages)
    old_tps, new_tps = _touchpoints(old), _touchpoints(new)
    moved_stages = set(minimal_moves(list(before), list(after)))
    positions = {sid: index for index, sid in enumerate(after)}
    gone: dict[str, list[str]] = {}
    for tid, (old_stage, _, _) in old_tps.items():
        if tid not in new_tps:
            gone.setdefault(old_stage.id, []).append(tid)
    for sid, stage in after.items():
        assert isinstance(stage, Stage)
        if sid not in before:
            yield Change(Kind.ADDED, Entity.STAGE, sid, jid, Level.INFO,
                         f"stage '{sid}' added at position {positions[sid] + 1}", stage=sid)
        else:
            old_stage = before[sid]
            assert isinstance(old_stage, Stage)
            if sid in moved_stages:
                old_position = list(before).index(sid) + 1
                yield Change(Kind.REORDERED, Entity.STAGE, sid, jid, Level.RISKY,
                             f"stage '{sid}' moved from position {old_position} to"
                             f" {positions[sid] + 1}", "position", old_position,
                             positions[sid] + 1, sid)
            yield from _fields(Entity.STAGE, sid, jid, sid, old_stage, stage, STAGE_FIELDS)
            yield from _reordered(old_stage, stage, old_tps, new_tps, jid)
        yield from _stage_touchpoints(stage, old_tps, new_tps, gone, jid)
    for sid, old_item in before.items():
        if sid in after:
            continue
        assert isinstance(old_item, Stage)
        yield Change(Kind.REMOVED, Entity.STAGE, sid, jid, Level.BREAKING,
                     f"stage '{sid}' removed", stage=sid)
        for tid in gone.get(sid, ()):
            yield _tp_removed(tid, sid, jid)


def _tp_removed(tid: str, sid: str, jid: str) -> Change:
    return Change(Kind.REMOVED, Entity.TOUCHPOINT, tid, jid, Level.BREAKING,
                  f"touchpoint '{tid}' removed from stage '{sid}'", stage=sid)


def _stage_touchpoints(
    stage: Stage,
    old_tps: dict[str, tuple[Stage, int, Touchpoint]],
    new_tps: dict[str, tuple[Stage, int, Touchpoint]],
    gone: dict[str, list[str]],
    jid: str,
) -> Iterator[Change]:
    """Touchpoints of one new stage: removed from it, added, moved in, and changed fields."""
    sid = stage.id
    for tid in gone.get(sid, ()):
        yield _tp_removed(tid, sid, jid)
    for index, touchpoint in enumerate(stage.touchpoints):
        tid = touchpoint.id
        if new_tps[tid][2] is not touchpoint:
            continue  # a duplicate id: `duplicate-id` reports it
        if tid not in old_tps:
            yield Change(Kind.ADDED, Entity.TOUCHPOINT, tid, jid, Level.INFO,
                         f"touchpoint '{tid}' added to stage '{sid}' at position {index + 1}",
                         stage=sid)
            continue
        old_stage, _, old_tp = old_tps[tid]
        if old_stage.id != sid:
            yield Change(Kind.MOVED, Entity.TOUCHPOINT, tid, jid, Level.RISKY,
                         f"touchpoint '{tid}' moved from stage '{old_stage.id}' to '{sid}'",
                         "stage", old_stage.id, sid, sid)
        yield from _fields(Entity.TOUCHPOINT, tid, jid, sid, old_tp, touchpoint, TOUCHPOINT_FIELDS)


def _reordered(
    old_stage: Stage,
    new_stage: Stage,
    old_tps: dict[str, tuple[Stage, int, Touchpoint]],
    new_tps: dict[str, tuple[Stage, int, Touchpoint]],
    jid: str,
) -> Iterator[Change]:
    """Touchpoints that stayed in this stage but changed their place among the others that stayed."""
    sid = new_stage.id

    def stays(tid: str) -> bool:
        return tid in old_tps and tid in new_tps and old_tps[tid][0].id == new_tps[tid][0].id == sid

    old_order = [t.id for t in old_stage.touchpoints if stays(t.id) and old_tps[t.id][2] is t]
    new_order = [t.id for t in new_stage.touchpoints if stays(t.id) and new_tps[t.id][2] is t]
    for tid in minimal_moves(old_order, new_order):
        before, after = old_tps[tid][1] + 1, new_tps[tid][1] + 1
        yield Change(Kind.REORDERED, Entity.TOUCHPOINT, tid, jid, Level.RISKY,
                     f"touchpoint '{tid}' reordered in stage '{sid}' (position {before} -> {after})",
                     "position", before, after, sid)


def _handoffs(old: JourneyFile, new: JourneyFile, jid: str) -> Iterator[Change]:
    new_tps = _touchpoints(new)
    old_tps = _touchpoints(old)

    def stage_of(handoff: Handoff, index: dict[str, tuple[Stage, int, Touchpoint]]) -> str:
        return index[handoff.at][0].id if handoff.at in index else ""

    remaining: dict[str, list[Handoff]] = {}
    for handoff in old.handoffs:
        remaining.setdefault(_handoff_id(handoff), []).append(handoff)
    for handoff in new.handoffs:
        hid = _handoff_id(handoff)
        stage = stage_of(handoff, new_tps)
        if remaining.get(hid):
            yield from _fields(Entity.HANDOFF, hid, jid, stage, remaining[hid].pop(0), handoff,
                               HANDOFF_FIELDS)
        else:
            yield Change(Kind.ADDED, Entity.HANDOFF, hid, jid, Level.INFO,
                         f"handoff {hid.replace('>', ' > ')} added", stage=stage)
    for hid, handoffs in remaining.items():
        for handoff in handoffs:
            yield Change(Kind.REMOVED, Entity.HANDOFF, hid, jid, Level.BREAKING,
                         f"handoff {hid.replace('>', ' > ')} removed",
                         stage=stage_of(handoff, old_tps))


_FINDING_LEVEL = {Severity.ERROR: Level.BREAKING, Severity.WARNING: Level.RISKY,
                  Severity.INFO: Level.INFO}


def diff_findings(
    old: Sequence[Finding], new: Sequence[Finding], journey: str,
    stage_of: dict[str, str] | None = None,
) -> list[Change]:
    """Validation findings the change introduces (level by severity) or fixes (info).

    Findings are matched by rule, severity, element and message, never by line, so moving text
    around does not count as fixing one finding and introducing another.
    """
    stage_of = stage_of or {}

    def key(finding: Finding) -> tuple[str, str, str, str]:
        return (finding.rule, finding.severity.value, finding.element, finding.message)

    before, after = Counter(map(key, old)), Counter(map(key, new))
    changes: list[Change] = []
    for finding in new:
        if after[key(finding)] > before[key(finding)]:
            after[key(finding)] -= 1
            changes.append(Change(
                Kind.ADDED, Entity.FINDING, finding.rule, journey,
                _FINDING_LEVEL[finding.severity],
                f"introduces {finding.severity.value} {finding.rule}: {finding.message}",
                None, None, finding.message, stage_of.get(finding.element, "")))
    before, after = Counter(map(key, old)), Counter(map(key, new))
    for finding in old:
        if before[key(finding)] > after[key(finding)]:
            before[key(finding)] -= 1
            changes.append(Change(
                Kind.REMOVED, Entity.FINDING, finding.rule, journey, Level.INFO,
                f"fixes {finding.severity.value} {finding.rule}: {finding.message}",
                None, finding.message, None, stage_of.get(finding.element, "")))
    return changes


def element_stages(journey: JourneyFile | None) -> dict[str, str]:
    """Element id (stage, touchpoint) -> the stage it belongs to, to group finding changes."""
    if journey is None:
        return {}
    found: dict[str, str] = {}
    for stage in journey.stages:
        found.setdefault(stage.id, stage.id)
        for touchpoint in stage.touchpoints:
            found.setdefault(touchpoint.id, stage.id)
    return found
