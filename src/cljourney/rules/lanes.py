"""Entering and leaving parallel stages (`during`), as owner changes `handoff-gap` and
`unused-handoff` check: who hands the customer to whom, where it is written in the file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from cljourney.graph import ENTER, RETURN, Flow, Lane, Placed
from cljourney.model import Handoff
from cljourney.rules.base import RuleContext


@dataclass(frozen=True)
class LaneChange:
    """An owner change on entering a lane (`kind` ENTER: from a touchpoint of a served stage to
    the lane's first touchpoint) or on returning from it (RETURN: from the lane's end to a
    touchpoint of a served stage). `item` is the `during` entry naming the served stage."""

    source: Placed
    target: Placed
    lane: Lane
    served: int
    item: int
    kind: str

    @property
    def pair(self) -> tuple[str, str]:
        return str(self.source.owner), str(self.target.owner)


def owners_by_stage(flow: Flow, roles: set[str]) -> dict[int, dict[str, Placed]]:
    """For each ordinary stage, its touchpoints' declared owners, each with the first
    touchpoint it owns there."""
    found: dict[int, dict[str, Placed]] = {}
    for placed in flow.by_id.values():
        if placed.owner in roles and not flow.in_lane(placed):
            found.setdefault(placed.stage_index, {}).setdefault(placed.owner, placed)
    return found


def lane_changes(ctx: RuleContext) -> Iterator[LaneChange]:
    """Owner changes on entering and returning from each lane, one per owner of each served
    stage (linear: a stage has few owners, and `during` is as long as the file makes it; a lane
    `during: all` is checked once per owner, at the first touchpoint it owns)."""
    roles = {role.id for role in ctx.journey.roles}
    flow = ctx.flow
    owners = owners_by_stage(flow, roles)
    everywhere: dict[str, Placed] = {}
    for stage_owners in owners.values():
        for owner, there in stage_owners.items():
            everywhere.setdefault(owner, there)
    for lane in flow.lanes:
        first, end = lane.first, lane.end
        if lane.everywhere:
            places = [(there.stage_index, -1, owner, there) for owner, there in everywhere.items()]
        else:
            seen: set[int] = set()
            places = []
            for served, item in lane.serves:
                if served not in seen:
                    seen.add(served)
                    places += [(served, item, o, t) for o, t in owners.get(served, {}).items()]
        for served, item, owner, there in places:
            if first is not None and first.owner in roles and owner != first.owner:
                yield LaneChange(there, first, lane, served, item, ENTER)
            if end is not None and end.owner in roles and owner != end.owner:
                yield LaneChange(end, there, lane, served, item, RETURN)


def lane_loc(change: LaneChange) -> tuple[str | int, ...]:
    """Where entering or returning is written: the `during` entry naming the served stage."""
    during = ("stages", change.lane.stage_index, "during")
    return during if change.item < 0 else (*during, change.item)


def lane_gap_message(ctx: RuleContext, change: LaneChange) -> str:
    stages = ctx.journey.stages
    lane, served = stages[change.lane.stage_index].id, stages[change.served].id
    a, b = change.pair
    if change.kind == ENTER:
        how = (
            f"customers enter parallel stage '{lane}' at '{change.target.id}' from stage"
            f" '{served}' (from '{change.source.id}')"
        )
    else:
        how = (
            f"customers return from '{change.source.id}' (the end of parallel stage '{lane}') to"
            f" stage '{served}' (to '{change.target.id}')"
        )
    return (
        f"{how}, and the owner changes from '{a}' to '{b}', but no handoff {a} > {b} is declared;"
        " add one under `handoffs` saying what travels with the customer"
    )


def returns_at(
    flow: Flow, at: Placed, handoff: Handoff, returns: dict[tuple[str, str], set[int]]
) -> bool:
    """Customers returning from a lane come back to `at`: it lies in a stage they return to and
    the handoff's new owner owns it."""
    stages = returns.get((handoff.from_, handoff.to), set())
    everywhere = -1 in stages and not flow.in_lane(at)
    return (at.stage_index in stages or everywhere) and at.owner == handoff.to
