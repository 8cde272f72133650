"""Two versions of a journey -> typed change records, classified by what they mean for the customer.

The diff compares models, never text: comments, key order, quoting, indentation, flow or block
style and re-wrapped text produce no change. Journeys are matched by `journey.id`; stages,
touchpoints and roles by id; handoffs by (`from`, `to`, `at`). Reordering is reported as the
minimal set of moves (the items outside a longest increasing subsequence of the common items).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from cljourney.diff import renames as diffrenames
from cljourney.diff.levels import (
    HANDOFF_FIELDS,
    JOURNEY_FIELDS,
    ROLE_FIELDS,
    STAGE_FIELDS,
    TOUCHPOINT_FIELDS,
    field_changes,
    item_changes,
)
from cljourney.diff.moves import minimal_moves
from cljourney.diff.records import Change, Entity, Kind, Level, show_value
from cljourney.model import Handoff, JourneyFile, Role, Stage, Touchpoint
from cljourney.text.words import plural

_Item = TypeVar("_Item", Stage, Role)
# Owners are compared as they apply (a touchpoint's own, else its stage's): see `_owner_changes`.
_STAGE_FIELDS = tuple(f for f in STAGE_FIELDS if f != "owner")
_TOUCHPOINT_FIELDS = tuple(f for f in TOUCHPOINT_FIELDS if f != "owner")


def _first_by_id(items: Iterable[_Item]) -> dict[str, _Item]:
    found: dict[str, _Item] = {}
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
    return f"{plural(len(journey.stages), 'stage')}, {plural(touchpoints, 'touchpoint')}"


def diff_journeys(old: JourneyFile | None, new: JourneyFile | None) -> list[Change]:
    """Every change between two versions of one journey; None means the journey is absent."""
    if old is None and new is None:
        return []
    if old is None:
        assert new is not None
        jid = new.journey.id
        return [
            Change(
                Kind.ADDED,
                Entity.JOURNEY,
                jid,
                jid,
                Level.INFO,
                f"journey '{jid}' added ({_count(new)})",
            )
        ]
    if new is None:
        jid = old.journey.id
        return [
            Change(
                Kind.REMOVED,
                Entity.JOURNEY,
                jid,
                jid,
                Level.BREAKING,
                f"journey '{jid}' removed ({_count(old)})",
            )
        ]
    jid = new.journey.id
    renames = diffrenames.find(old, new)
    changes = renames.changes(jid)
    old = diffrenames.apply(old, renames)  # the rest of the diff sees what else changed
    changes.extend(
        field_changes(Entity.JOURNEY, "", jid, "", old.journey, new.journey, JOURNEY_FIELDS[:-1])
    )
    changes.extend(field_changes(Entity.JOURNEY, "", jid, "", old, new, JOURNEY_FIELDS[-1:]))
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
            yield from field_changes(Entity.ROLE, rid, jid, "", before[rid], role, ROLE_FIELDS)


def _stages(old: JourneyFile, new: JourneyFile, jid: str) -> Iterator[Change]:
    before, after = _first_by_id(old.stages), _first_by_id(new.stages)
    old_tps, new_tps = _touchpoints(old), _touchpoints(new)
    # Parallel stages stand outside the lifecycle order: where one is written is no move.
    moved_stages = set(
        minimal_moves(
            [sid for sid, stage in before.items() if not stage.parallel],
            [sid for sid, stage in after.items() if not stage.parallel],
        )
    )
    positions = {sid: index for index, sid in enumerate(after)}
    gone: dict[str, list[str]] = {}
    for tid, (old_stage, _, _) in old_tps.items():
        if tid not in new_tps:
            gone.setdefault(old_stage.id, []).append(tid)
    for sid, stage in after.items():
        if sid not in before:
            yield Change(
                Kind.ADDED,
                Entity.STAGE,
                sid,
                jid,
                Level.INFO,
                f"stage '{sid}' added at position {positions[sid] + 1}",
                stage=sid,
            )
        else:
            old_stage = before[sid]
            if sid in moved_stages:
                old_position = list(before).index(sid) + 1
                yield Change(
                    Kind.REORDERED,
                    Entity.STAGE,
                    sid,
                    jid,
                    Level.RISKY,
                    f"stage '{sid}' reordered (position {old_position} -> {positions[sid] + 1})",
                    "position",
                    old_position,
                    positions[sid] + 1,
                    sid,
                )
            yield from field_changes(Entity.STAGE, sid, jid, sid, old_stage, stage, _STAGE_FIELDS)
            yield from _stage_owner(old_stage, stage, old_tps, jid)
            yield from _reordered(old_stage, stage, old_tps, new_tps, jid)
        yield from _stage_touchpoints(stage, old_tps, new_tps, gone, jid)
    for sid in before:
        if sid in after:
            continue
        yield Change(
            Kind.REMOVED,
            Entity.STAGE,
            sid,
            jid,
            Level.BREAKING,
            f"stage '{sid}' removed",
            stage=sid,
        )
        for tid in gone.get(sid, ()):
            yield _tp_removed(tid, sid, jid)


def _tp_removed(tid: str, sid: str, jid: str) -> Change:
    return Change(
        Kind.REMOVED,
        Entity.TOUCHPOINT,
        tid,
        jid,
        Level.BREAKING,
        f"touchpoint '{tid}' removed from stage '{sid}'",
        stage=sid,
    )


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
            yield Change(
                Kind.ADDED,
                Entity.TOUCHPOINT,
                tid,
                jid,
                Level.INFO,
                f"touchpoint '{tid}' added to stage '{sid}' at position {index + 1}",
                stage=sid,
            )
            continue
        old_stage, _, old_tp = old_tps[tid]
        if old_stage.id != sid:
            yield Change(
                Kind.MOVED,
                Entity.TOUCHPOINT,
                tid,
                jid,
                Level.RISKY,
                f"touchpoint '{tid}' moved from stage '{old_stage.id}' to '{sid}'",
                "stage",
                old_stage.id,
                sid,
                sid,
            )
        yield from field_changes(
            Entity.TOUCHPOINT, tid, jid, sid, old_tp, touchpoint, _TOUCHPOINT_FIELDS
        )
        yield from item_changes(tid, jid, sid, old_tp, touchpoint)
        yield from _touchpoint_owner(old_stage, old_tp, stage, touchpoint, jid)


def _inherits(old_stage: Stage, old_tp: Touchpoint, stage: Stage, touchpoint: Touchpoint) -> bool:
    """Whether a touchpoint takes its owner from the same stage on both sides."""
    return old_stage.id == stage.id and old_tp.owner is None and touchpoint.owner is None


def _touchpoint_owner(
    old_stage: Stage, old_tp: Touchpoint, stage: Stage, touchpoint: Touchpoint, jid: str
) -> Iterator[Change]:
    """The owner that applies (its own, else its stage's) when it changed; a change that only
    follows its stage's owner is reported once, on the stage."""
    before, after = old_tp.owner or old_stage.owner, touchpoint.owner or stage.owner
    if before == after or _inherits(old_stage, old_tp, stage, touchpoint):
        return
    tid = touchpoint.id
    yield Change(
        Kind.CHANGED,
        Entity.TOUCHPOINT,
        tid,
        jid,
        Level.RISKY,
        f"touchpoint '{tid}': owner changed from {show_value(before)} to {show_value(after)}",
        "owner",
        before,
        after,
        stage.id,
    )


def _stage_owner(
    old_stage: Stage,
    stage: Stage,
    old_tps: dict[str, tuple[Stage, int, Touchpoint]],
    jid: str,
) -> Iterator[Change]:
    """A stage's owner change, once, naming how many touchpoints it hands to the new owner."""
    if old_stage.owner == stage.owner:
        return
    moved = sum(
        1
        for tp in stage.touchpoints
        if tp.id in old_tps and _inherits(old_tps[tp.id][0], old_tps[tp.id][2], stage, tp)
    )
    sid = stage.id
    if moved:
        effect = f"moves {plural(moved, 'touchpoint')} to {show_value(stage.owner)}"
    else:
        effect = "no touchpoint moves: each has its own owner"
    yield Change(
        Kind.CHANGED,
        Entity.STAGE,
        sid,
        jid,
        Level.RISKY,
        f"stage '{sid}': owner changed from {show_value(old_stage.owner)} to {show_value(stage.owner)}"
        f" ({effect})",
        "owner",
        old_stage.owner,
        stage.owner,
        sid,
    )


def _reordered(
    old_stage: Stage,
    new_stage: Stage,
    old_tps: dict[str, tuple[Stage, int, Touchpoint]],
    new_tps: dict[str, tuple[Stage, int, Touchpoint]],
    jid: str,
) -> Iterator[Change]:
    """Touchpoints that stayed in this stage but changed place among the others that stayed."""
    sid = new_stage.id

    def stays(tid: str) -> bool:
        return tid in old_tps and tid in new_tps and old_tps[tid][0].id == new_tps[tid][0].id == sid

    old_order = [t.id for t in old_stage.touchpoints if stays(t.id) and old_tps[t.id][2] is t]
    new_order = [t.id for t in new_stage.touchpoints if stays(t.id) and new_tps[t.id][2] is t]
    for tid in minimal_moves(old_order, new_order):
        before, after = old_tps[tid][1] + 1, new_tps[tid][1] + 1
        yield Change(
            Kind.REORDERED,
            Entity.TOUCHPOINT,
            tid,
            jid,
            Level.RISKY,
            f"touchpoint '{tid}' reordered in stage '{sid}' (position {before} -> {after})",
            "position",
            before,
            after,
            sid,
        )


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
            yield from field_changes(
                Entity.HANDOFF, hid, jid, stage, remaining[hid].pop(0), handoff, HANDOFF_FIELDS
            )
        else:
            yield Change(
                Kind.ADDED,
                Entity.HANDOFF,
                hid,
                jid,
                Level.INFO,
                f"handoff {hid.replace('>', ' > ')} added",
                stage=stage,
            )
    for hid, handoffs in remaining.items():
        for handoff in handoffs:
            yield Change(
                Kind.REMOVED,
                Entity.HANDOFF,
                hid,
                jid,
                Level.BREAKING,
                f"handoff {hid.replace('>', ' > ')} removed",
                stage=stage_of(handoff, old_tps),
            )
