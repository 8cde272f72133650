"""Rules about the order of touchpoints and the handoffs between the roles that own them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cljourney.findings import Finding, Kind, Related, Severity
from cljourney.graph import ENTER, LOOP, NEXT, RETURN, Placed
from cljourney.graph.paths import Unreachable
from cljourney.load.journey import Loc
from cljourney.model import Handoff
from cljourney.rules.base import Rule, RuleContext
from cljourney.rules.lanes import lane_changes, lane_gap_message, lane_loc, returns_at
from cljourney.text.words import listing, noun, plural

# Cycles listed one finding each; the last one listed counts the rest.
CYCLES_LISTED = 10
# Touchpoints named in an orphan's message; the rest are counted.
CUT_OFF_SHOWN = 5


def _edge_loc(source: Placed, target: Placed, kind: str, item: int) -> tuple[str | int, ...]:
    """Where an edge is written: the list entry for explicit edges, the target for implicit ones."""
    if kind == NEXT:
        return (*source.loc, "next", item)
    if kind == LOOP:
        return (*source.loc, "loops_to", item)
    return (*target.loc, "id")


def _check_ordering_cycle(ctx: RuleContext) -> Iterator[Finding]:
    flow = ctx.flow
    cycles = flow.cycles(CYCLES_LISTED)
    for number, cycle in enumerate(cycles.listed, 1):
        # A cycle starts at its earliest touchpoint, so the `next` closing it points backwards:
        # that is the entry to turn into `loops_to`.
        source, target = flow.by_id[cycle[-1]], flow.by_id[cycle[0]]
        data = flow.graph.edges[source.id, target.id]
        path = " -> ".join((*cycle, cycle[0]))
        rest = ""
        if cycles.more and number == len(cycles.listed):
            least = "" if cycles.complete else "at least "
            rest = f"; {least}{plural(cycles.more, 'more cycle')} not listed"
        yield ctx.finding(
            ORDERING_CYCLE,
            _edge_loc(source, target, data["kind"], data["item"]),
            f"`next` edges form a cycle: {path}; use `loops_to` for a deliberate return"
            f" (a renewal cycle), or break the cycle{rest}",
            source.id,
            Kind.TOUCHPOINT,
        )


def _check_stage_order(ctx: RuleContext) -> Iterator[Finding]:
    flow = ctx.flow
    for source, target, kind, item in flow.edges(NEXT):
        if flow.in_lane(source) or flow.in_lane(target):
            continue  # lanes run outside the lifecycle order
        if target.stage_index < source.stage_index:
            yield ctx.finding(
                STAGE_ORDER,
                _edge_loc(source, target, kind, item),
                f"`next` goes back from stage '{flow.stage(source).id}' to the earlier stage"
                f" '{flow.stage(target).id}' (touchpoint '{target.id}'); stages run in"
                " lifecycle order, use `loops_to` for a deliberate return",
                source.id,
                Kind.TOUCHPOINT,
            )


def _check_forward_loop(ctx: RuleContext) -> Iterator[Finding]:
    by_id = ctx.flow.by_id
    for source in by_id.values():
        for item, target_id in enumerate(source.touchpoint.loops_to):
            target = by_id.get(target_id)
            if target is None or target.order < source.order:
                continue
            yield ctx.finding(
                FORWARD_LOOP,
                _edge_loc(source, target, LOOP, item),
                f"`loops_to` points forward to '{target.id}'; `loops_to` is for returning to an"
                " earlier touchpoint, use `next` to move ahead",
                source.id,
                Kind.TOUCHPOINT,
            )


def _check_orphaned(ctx: RuleContext) -> Iterator[Finding]:
    flow = ctx.flow
    start = flow.start
    if start is None:
        return
    # One finding per root cause: what an unreachable touchpoint cuts off behind it, and the
    # handoffs it leaves unused, go into its message instead of findings of their own.
    left_unused: dict[str, list[str]] = {}
    for handoff, chain in _cut_off_handoffs(ctx):
        left_unused.setdefault(chain.root.id, []).append(f"{handoff.from_} > {handoff.to}")
    for chain in flow.unreachable:
        root = chain.root
        behind = ""
        if chain.behind:
            shown = listing([f"'{p.id}'" for p in chain.behind], CUT_OFF_SHOWN)
            cut = plural(len(chain.behind), "touchpoint")
            behind = f", and {cut} {'is' if len(chain.behind) == 1 else 'are'} cut off behind"
            behind += f" it ({shown})"
        handoffs = left_unused.get(root.id, [])
        unused = ""
        if handoffs:
            unused = f"; this also leaves {noun(len(handoffs), 'handoff')} {', '.join(handoffs)}"
            unused += " unused"
        yield ctx.finding(
            ORPHANED,
            (*root.loc, "id"),
            f"touchpoint '{root.id}' cannot be reached from the start of the journey"
            f" ('{start.id}'){behind}{unused}; point a `next` at it or remove"
            f" {'them' if chain.behind else 'it'}",
            root.id,
            Kind.TOUCHPOINT,
        )


def _check_dead_end(ctx: RuleContext) -> Iterator[Finding]:
    flow = ctx.flow
    ordinary = [p for p in flow.placed if not flow.in_lane(p)]
    last_stage = ordinary[-1].stage_index if ordinary else -1
    returning = {lane.end.id for lane in flow.lanes if lane.end is not None}
    for placed in flow.by_id.values():
        if placed.touchpoint.terminal or placed.stage_index == last_stage:
            continue
        if placed.id in returning:
            continue  # the end of a lane: customers return to where they were
        if flow.out_degree(placed.id) == 0:
            yield ctx.finding(
                DEAD_END,
                (*placed.loc, "id"),
                f"touchpoint '{placed.id}' has no successor, so customers who reach it are stuck"
                " in the journey; add `next:`, or `terminal: true` if the journey may end here",
                placed.id,
                Kind.TOUCHPOINT,
            )


def _owner_changes(ctx: RuleContext) -> Iterator[tuple[Placed, Placed, str, int]]:
    """Flow edges between touchpoints owned by two different declared roles."""
    roles = {role.id for role in ctx.journey.roles}
    for source, target, kind, item in ctx.flow.edges():
        if source.owner in roles and target.owner in roles and source.owner != target.owner:
            yield source, target, kind, item


def _check_handoff_gap(ctx: RuleContext) -> Iterator[Finding]:
    declared = {(h.from_, h.to) for h in ctx.journey.handoffs}
    yield from _lane_gaps(ctx, declared)
    reported: set[tuple[str, str, str]] = set()
    for source, target, kind, item in _owner_changes(ctx):
        pair = (str(source.owner), str(target.owner))
        if pair in declared or (*pair, target.id) in reported:
            continue
        reported.add((*pair, target.id))
        yield ctx.finding(
            HANDOFF_GAP,
            _edge_loc(source, target, kind, item),
            f"the owner changes from '{pair[0]}' to '{pair[1]}' between '{source.id}' and"
            f" '{target.id}', but no handoff {pair[0]} > {pair[1]} is declared; add one under"
            " `handoffs` saying what travels with the customer",
            target.id,
            Kind.TOUCHPOINT,
            related=_gap_ends(ctx, source, target, pair),
        )


def _gap_ends(
    ctx: RuleContext, source: Placed, target: Placed, pair: tuple[str, str]
) -> tuple[Related, ...]:
    """The two touchpoints between which the owner changes: where the gap is, seen from each."""
    return tuple(
        Related(ctx.source.find((*placed.loc, "id")), f"'{placed.id}', owned by '{owner}'")
        for placed, owner in ((source, pair[0]), (target, pair[1]))
    )


def _lane_gaps(ctx: RuleContext, declared: set[tuple[str, str]]) -> Iterator[Finding]:
    """Undeclared owner changes on entering or returning from a lane: one finding per pair of
    roles, lane and direction, at the `during` entry that makes the lane run there."""
    reported: set[tuple[str, str, int, str]] = set()
    for change in lane_changes(ctx):
        key = (*change.pair, change.lane.stage_index, change.kind)
        if change.pair in declared or key in reported:
            continue
        reported.add(key)
        yield ctx.finding(
            HANDOFF_GAP,
            lane_loc(change),
            lane_gap_message(ctx, change),
            change.target.id if change.kind == ENTER else change.source.id,
            Kind.TOUCHPOINT,
            related=_gap_ends(ctx, change.source, change.target, change.pair),
        )


def _takeovers(
    ctx: RuleContext,
) -> tuple[dict[tuple[str, str], dict[str, None]], dict[tuple[str, str], set[int]]]:
    """Where each pair of roles takes over: touchpoint ids in flow order, without repeats (a
    dict as an ordered set), and the stages customers return to from a lane (any touchpoint of
    such a stage owned by the new role is a place it takes over)."""
    takeovers: dict[tuple[str, str], dict[str, None]] = {}
    returns: dict[tuple[str, str], set[int]] = {}
    for source, target, _kind, _item in _owner_changes(ctx):
        takeovers.setdefault((str(source.owner), str(target.owner)), {})[target.id] = None
    for change in lane_changes(ctx):
        takeovers.setdefault(change.pair, {})[change.target.id] = None
        if change.kind == RETURN:  # -1: `during: all`, customers return to every stage
            returns.setdefault(change.pair, set()).add(change.served if change.item >= 0 else -1)
    return takeovers, returns


def _unused_handoffs(ctx: RuleContext) -> Iterator[tuple[int, Handoff, Loc, str]]:
    """Declared handoffs the flow does not carry out: (index, handoff, where, message)."""
    takeovers, returns = _takeovers(ctx)
    by_id = ctx.flow.by_id
    for i, handoff in enumerate(ctx.journey.handoffs):
        places = takeovers.get((handoff.from_, handoff.to))
        if not places:
            yield (
                i,
                handoff,
                ("handoffs", i),
                f"handoff {handoff.from_} > {handoff.to} is declared, but the flow never passes"
                f" from a touchpoint owned by '{handoff.from_}' to one owned by '{handoff.to}';"
                " fix the owners or remove the handoff",
            )
        elif (
            handoff.at is not None
            and handoff.at in by_id
            and handoff.at not in places
            and not returns_at(ctx.flow, by_id[handoff.at], handoff, returns)
        ):
            shown = ", ".join(f"'{p}'" for p in places)
            yield (
                i,
                handoff,
                ("handoffs", i, "at"),
                f"handoff {handoff.from_} > {handoff.to} is declared at '{handoff.at}', but"
                f" '{handoff.to}' takes over at {shown}; move `at` there",
            )


def _cut_off_handoffs(ctx: RuleContext) -> Iterator[tuple[Handoff, Unreachable]]:
    """Unused handoffs an unreachable chain explains, with that chain: the handoff's `at` is cut
    off, or it names no `at`, its new owner owns the root of a chain and its old owner a
    reachable touchpoint (the missing `next` into that root would carry it out).
    `orphaned-touchpoint` reports these."""
    flow = ctx.flow
    chains = flow.unreachable
    if not chains:
        return
    chain_of = {p.id: chain for chain in chains for p in (chain.root, *chain.behind)}
    reachable_owners = {flow.by_id[node].owner for node in flow.reachable}
    for _i, handoff, _loc, _message in _unused_handoffs(ctx):
        if handoff.at is not None and handoff.at in flow.by_id:
            chain = chain_of.get(handoff.at)
        elif handoff.from_ in reachable_owners:
            chain = next((c for c in chains if c.root.owner == handoff.to), None)
        else:
            chain = None
        if chain is not None:
            yield handoff, chain


def _check_unused_handoff(ctx: RuleContext) -> Iterator[Finding]:
    explained = {id(handoff) for handoff, _chain in _cut_off_handoffs(ctx)}
    for _i, handoff, loc, message in _unused_handoffs(ctx):
        if id(handoff) not in explained:
            yield ctx.finding(UNUSED_HANDOFF, loc, message, handoff.key, Kind.HANDOFF)


ORDERING_CYCLE = Rule(
    id="ordering-cycle",
    severity=Severity.ERROR,
    summary="`next` edges form a cycle",
    finds="Touchpoints whose `next` edges (with the implicit file order) lead back to themselves:"
    " every such cycle, one finding each (up to 10, the last counting the rest), except a cycle"
    " through a `next` into an earlier stage, which `stage-order` reports.",
    matters="A cycle that is not a deliberate loop traps the customer: they repeat steps with"
    " no way forward.",
    bad="- id: training\n  next: [review]\n- id: review\n  next: [training]",
    good="- id: training\n- id: review\n  loops_to: [training]   # deliberate, e.g. a refresher",
    check=_check_ordering_cycle,
)
STAGE_ORDER = Rule(
    id="stage-order",
    severity=Severity.ERROR,
    summary="a `next` edge goes from a later stage into an earlier one",
    finds="A `next` pointing at a touchpoint of an earlier stage. Parallel stages (`during`) run"
    " outside the lifecycle order, so a `next` into or out of one is never reported.",
    matters="Stages are the lifecycle's order; sending a customer back a stage without saying it"
    " is a loop makes the map lie about where they are.",
    bad="# in stage renewal\n- id: renewal-call\n  next: [kickoff]   # kickoff is in onboarding",
    good="- id: renewal-call\n  loops_to: [success-plan]",
    check=_check_stage_order,
)
FORWARD_LOOP = Rule(
    id="forward-loop",
    severity=Severity.WARNING,
    summary="a `loops_to` points forward instead of back",
    finds="A `loops_to` entry naming the touchpoint itself or one later in the journey.",
    matters="Loops are returns (the next renewal cycle); a forward loop is a `next` in disguise"
    " and hides the real order from readers.",
    bad="- id: kickoff\n  loops_to: [qbr]   # qbr comes later",
    good="- id: kickoff\n  next: [qbr]",
    check=_check_forward_loop,
)
ORPHANED = Rule(
    id="orphaned-touchpoint",
    severity=Severity.ERROR,
    summary="a touchpoint that cannot be reached from the start of the journey",
    finds="A touchpoint no path of `next`, file order or `loops_to` reaches from the first"
    " touchpoint: one finding per unreachable chain, at its root, naming the touchpoints cut off"
    " behind it and any handoff it leaves unused. A parallel stage's first touchpoint is reached"
    " when a touchpoint of a stage it runs during is.",
    matters="An unreachable touchpoint is a promise nobody keeps: no customer ever gets it.",
    bad="- id: kickoff\n  next: [review]\n- id: training   # skipped by every path\n- id: review",
    good="- id: kickoff\n  next: [training]\n- id: training\n- id: review",
    check=_check_orphaned,
)
DEAD_END = Rule(
    id="dead-end",
    severity=Severity.WARNING,
    summary="a touchpoint with no successor that is not terminal and not in the last stage",
    finds="A touchpoint with `next: []` (or only unknown successors) before the last stage,"
    " not marked `terminal: true`. In a parallel stage `next: []` is a dead end too, but its last"
    " touchpoint without `next` is not: customers return from it to where they were.",
    matters="Customers who reach a dead end are stuck in a stage; stuck customers churn.",
    bad="- id: training\n  next: []",
    good="- id: offboarding\n  terminal: true   # an intended end",
    check=_check_dead_end,
)
# Both wordings of a handoff-gap (an owner change along the flow here; entering or returning
# from a parallel stage in lanes.py) name the missing pair the same way; role ids are slugs.
_MISSING_PAIR = re.compile(r"no handoff ([a-z0-9][a-z0-9_-]*) > ([a-z0-9][a-z0-9_-]*) is declared")


def missing_handoff(finding: Finding) -> tuple[str, str] | None:
    """The (from, to) roles a `handoff-gap` finding asks a handoff for, else None."""
    match = _MISSING_PAIR.search(finding.message) if finding.rule == HANDOFF_GAP.id else None
    return (match.group(1), match.group(2)) if match else None


HANDOFF_GAP = Rule(
    id="handoff-gap",
    severity=Severity.WARNING,
    summary="the owning role changes along the flow but no handoff is declared",
    finds="A flow edge between touchpoints of different owners with no `handoffs` entry for"
    " that pair of roles, including entering a parallel stage (from an owner of a stage it runs"
    " during to the owner of its first touchpoint) and returning from it (the other way), reported"
    " at the `during` entry.",
    matters="Handoffs are where context is lost: the customer repeats their goals to a new"
    " person and trust drops.",
    bad="- id: demo\n  owner: ae\n- id: kickoff\n  owner: csm   # no handoff ae > csm",
    good="- id: demo\n  owner: ae\n- id: kickoff\n  owner: csm\n...\nhandoffs:\n  - from: ae\n    to: csm\n"
    "    at: kickoff\n    why: The customer never repeats their goals.",
    check=_check_handoff_gap,
)
UNUSED_HANDOFF = Rule(
    id="unused-handoff",
    severity=Severity.WARNING,
    summary="a declared handoff that no flow edge carries out",
    finds="A handoff whose roles never follow each other along the flow (entering and returning"
    " from parallel stages included), or whose `at` is not where the new owner takes over"
    " (unless an unreachable touchpoint explains it: then `orphaned-touchpoint` names it).",
    matters="A handoff on paper but not in the flow means the context it promises never"
    " reaches the next owner.",
    bad="handoffs:\n  - from: support\n    to: ae   # support never hands to ae",
    good="handoffs:\n  - from: ae\n    to: csm\n    at: kickoff",
    check=_check_unused_handoff,
)

RULES = (
    ORDERING_CYCLE,
    STAGE_ORDER,
    FORWARD_LOOP,
    ORPHANED,
    DEAD_END,
    HANDOFF_GAP,
    UNUSED_HANDOFF,
)
