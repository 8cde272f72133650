"""The questions asked of a journey's flow, each answered by networkx: what the start reaches
and what it cannot, the cycles of the ordering, where the flow may end, the steps a trace may
take, and the must-pass touchpoints (dominators).

`Flow` exposes each as a property or method (cached where rules ask more than once), so callers
write `flow.must_pass`; this module holds the algorithms. networkx is imported inside each
function, never when this module is, like `cljourney.graph`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cljourney.graph import ALL_STAGES, IMPLICIT, NEXT, RETURN, is_virtual, stage_node

if TYPE_CHECKING:
    import networkx as nx

    from cljourney.graph import Flow, Placed

# The cycle search lists every elementary cycle, which can be exponentially many: it stops after
# CYCLES_COUNTED cycles, and spends at most about CYCLE_WORK node and edge visits (Johnson's
# search costs the size of a component for each cycle it finds), so a hostile journey of 10,000
# touchpoints in one component stays fast.
CYCLES_COUNTED = 100
CYCLE_WORK = 60_000


@dataclass(frozen=True)
class Cycles:
    """Elementary cycles as lists of touchpoint ids, each starting at its earliest touchpoint.

    `more` counts the cycles known beyond the ones listed: all of them when `complete`, a lower
    bound when the search stopped at its bounds.
    """

    listed: tuple[tuple[str, ...], ...]
    more: int
    complete: bool


@dataclass(frozen=True)
class Unreachable:
    """The root of a chain of touchpoints the start cannot reach, and what is cut off behind it.

    A root is an unreachable touchpoint that no other unreachable touchpoint leads to (the
    earliest of a group that only lead to each other). `behind` holds the unreachable touchpoints
    it leads to that no earlier root already claimed, in file order.
    """

    root: Placed
    behind: tuple[Placed, ...]


def _moves(flow: Flow) -> nx.DiGraph[str]:
    """The graph without return edges: returning leads back to where the customer was, so it
    makes nothing reachable that was not already."""
    import networkx

    if not flow.lanes:
        return flow.graph  # no return edges to leave out: skip the slower filtered view
    graph = flow.graph
    view: nx.DiGraph[str] = networkx.subgraph_view(
        graph, filter_edge=lambda s, t: graph.edges[s, t]["kind"] != RETURN
    )
    return view


def reachable(flow: Flow) -> frozenset[str]:
    """Touchpoint ids reachable from the start along any flow edge (loops and entering a lane
    included)."""
    import networkx

    start = flow.start
    if start is None:
        return frozenset()
    found = {start.id} | networkx.descendants(_moves(flow), start.id)
    return frozenset(node for node in found if not is_virtual(node))


def unreachable(flow: Flow) -> tuple[Unreachable, ...]:
    """The roots of the unreachable chains, in file order, each with what it cuts off.

    Each root claims every unreachable touchpoint it leads to that an earlier root has not
    claimed, so each touchpoint is counted once and the walk stays linear.
    """
    import networkx

    reached = flow.reachable
    if all(node in reached for node in flow.by_id):
        return ()
    start = flow.start
    moves = _moves(flow)
    # Virtual nodes are cut off with the touchpoints that lead into them, so a lane entered
    # only from unreachable stages is cut off behind them, not a root of its own.
    live = set() if start is None else {start.id} | networkx.descendants(moves, start.id)
    cut = [node for node in flow.graph if node not in live]
    last = len(flow.placed)
    order = {node: flow.by_id[node].order if node in flow.by_id else last for node in cut}
    # One node per group of touchpoints that lead to each other, as a DAG.
    condensed = networkx.condensation(moves.subgraph(cut))
    inside = {c: condensed.nodes[c]["members"] for c in condensed}
    roots = sorted(
        (c for c in condensed if condensed.in_degree(c) == 0),
        key=lambda c: min(order[n] for n in inside[c]),
    )
    claimed: set[int] = set()
    found: list[Unreachable] = []
    for root in roots:
        todo, group = [root], [root]
        claimed.add(root)
        while todo:
            for successor in condensed.succ[todo.pop()]:
                if successor not in claimed:
                    claimed.add(successor)
                    todo.append(successor)
                    group.append(successor)
        nodes = sorted(
            (n for c in group for n in inside[c] if not is_virtual(n)), key=order.__getitem__
        )
        if not nodes:
            continue
        found.append(Unreachable(flow.by_id[nodes[0]], tuple(flow.by_id[n] for n in nodes[1:])))
    return tuple(found)


def cycles(flow: Flow, listed: int) -> Cycles:
    """The elementary cycles of the ordering: up to `listed` of them, and a count of the rest.

    The ordering is the flow without `loops_to` edges (deliberate returns) and without `next`
    edges into an earlier stage (`stage-order` reports those). Its strongly connected components
    are searched in file order of their earliest touchpoint, each with networkx's
    `simple_cycles` (Johnson), within the bounds above.
    """
    import networkx

    # Searched on positions in the file, not ids: networkx keeps nodes in sets, and sets of
    # strings iterate in another order in every process (hash randomisation), which would
    # change which cycles are listed from one run to the next.
    ids = {placed.order: placed.id for placed in flow.by_id.values()}
    parallel = flow.parallel
    ordering = [
        (source.order, target.order)
        for source, target, _kind, _item in flow.edges(NEXT, IMPLICIT)
        if target.stage_index >= source.stage_index
        or source.stage_index in parallel
        or target.stage_index in parallel
    ]
    if all(source < target for source, target in ordering):
        return Cycles((), 0, True)  # every edge goes on in the file: none can close a cycle
    graph: nx.DiGraph[int] = networkx.DiGraph()
    graph.add_nodes_from(ids)
    graph.add_edges_from(ordering)
    components = sorted(
        sorted(component)
        for component in networkx.strongly_connected_components(graph)
        if len(component) > 1 or graph.has_edge(min(component), min(component))
    )
    found: list[tuple[int, ...]] = []
    work = CYCLE_WORK
    left = 0
    for index, component in enumerate(components):
        if len(found) >= CYCLES_COUNTED or work <= 0:
            left = sum(_at_least(graph.subgraph(c)) for c in components[index:])
            break
        sub = graph.subgraph(component)
        size = sub.number_of_nodes() + sub.number_of_edges()
        budget = min(CYCLES_COUNTED - len(found), max(1, work // size))
        search = networkx.simple_cycles(sub)
        taken = list(itertools.islice(search, budget))
        found.extend(_from_earliest(cycle) for cycle in taken)
        work -= size * len(taken)
        if len(taken) == budget:
            more = _at_least(sub) - len(taken)
            if more <= 0 and next(search, None) is not None:
                more = 1  # one more step of the search says there is another
            if more > 0:
                left = more + sum(_at_least(graph.subgraph(c)) for c in components[index + 1 :])
                break
    else:
        return Cycles(_named(found[:listed], ids), max(0, len(found) - listed), True)
    shown = found[:listed]
    return Cycles(_named(shown, ids), len(found) - len(shown) + left, False)


def _named(cycles: list[tuple[int, ...]], ids: dict[int, str]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(ids[i] for i in cycle) for cycle in cycles)


def _at_least(component: nx.DiGraph[int]) -> int:
    """How many elementary cycles a strongly connected graph has at least, without a search:
    they span its cycle space, of dimension edges - nodes + 1."""
    return component.number_of_edges() - component.number_of_nodes() + 1


def _from_earliest(cycle: list[int]) -> tuple[int, ...]:
    """The cycle (of positions in the file) rotated to start at its earliest touchpoint."""
    first = cycle.index(min(cycle))
    return (*cycle[first:], *cycle[:first])


def ends(flow: Flow) -> frozenset[str]:
    """Touchpoints where the flow may end: terminal, or no successor but `loops_to` (a lane's
    last touchpoint is none: its customers return to where they were)."""
    forward = flow.forward
    returning = {lane.end.id for lane in flow.lanes if lane.end is not None}
    return frozenset(
        node
        for node, placed in flow.by_id.items()
        if placed.touchpoint.terminal or (forward.out_degree(node) == 0 and node not in returning)
    )


def declared_steps(flow: Flow, measured: frozenset[str]) -> frozenset[tuple[str, str]]:
    """The pairs (A, B) of `measured` touchpoints where the flow allows B right after A in a
    trace: an edge of any kind from A to B, or a path whose inner touchpoints are all unmeasured
    (a customer passes through them without leaving an event).

    Returning from a lane leads back to where the customer was. A walk from an ordinary
    touchpoint knows where: the last ordinary touchpoint it passed, whose successors it follows
    anyway. A walk from inside a lane does not until it passes one, so a return it meets before
    declares what follows any touchpoint of a stage served (not that touchpoint itself, whose
    event came before the detour)."""
    succ = flow.graph.succ
    in_lane = {p.id for p in flow.placed if flow.in_lane(p)}
    resume = _resume_points(flow)
    frontiers: dict[str, frozenset[str]] = {}

    def reach(starts: Iterable[str]) -> set[str]:
        """The measured touchpoints first met from `starts`, through unmeasured ones."""
        found: set[str] = set()
        seen: set[str] = set()
        todo = list(starts)
        while todo:
            node = todo.pop()
            if node in seen:
                continue
            seen.add(node)
            if node in measured:
                found.add(node)
            else:
                todo.extend(succ[node])
        return found

    def frontier(node: str) -> frozenset[str]:
        """What a customer returning to `node` from a lane may do next, wherever they were."""
        if node not in frontiers:
            frontiers[node] = frozenset(
                reach(target for where in resume.get(node, ()) for target in succ[where])
            )
        return frontiers[node]

    def from_lane(source: str) -> set[str]:
        found: set[str] = set()
        seen: set[str] = set()
        known: list[str] = []  # ordinary touchpoints passed: from them on, where is known
        todo = [source]
        while todo:
            for target, data in succ[todo.pop()].items():
                if data["kind"] == RETURN:
                    found.update(frontier(target))
                if target in seen:
                    continue
                seen.add(target)
                if target in measured:
                    found.add(target)
                elif target in flow.by_id and target not in in_lane:
                    known.append(target)
                else:
                    todo.append(target)
        return found | reach(known)

    pairs: set[tuple[str, str]] = set()
    for source in measured:
        if source not in succ:
            continue
        found = from_lane(source) if source in in_lane else reach(succ[source])
        pairs.update((source, target) for target in found)
    return frozenset(pairs)


def _resume_points(flow: Flow) -> dict[str, tuple[str, ...]]:
    """For each node a lane returns to, the touchpoints the customer may have left from: those of
    that stage, or of every stage served for `during: all`."""
    if not flow.lanes:
        return {}
    by_stage: dict[str, tuple[str, ...]] = {}
    for index, members in enumerate(flow.members):
        node = stage_node(index)
        if node in flow.graph:
            by_stage[node] = tuple(p.id for p in members if flow.by_id.get(p.id) is p)
    if ALL_STAGES in flow.graph:
        by_stage[ALL_STAGES] = tuple(i for ids in by_stage.values() for i in ids)
    return by_stage


def must_pass(flow: Flow) -> tuple[Placed, ...]:
    """Touchpoints every path from the start to an end goes through, in file order.

    An end is a reachable touchpoint with no successor other than a `loops_to` (terminal, last,
    or a dead end); a lane's end is none, its customers return to where they were. Lanes are
    detours, so entering and returning are left out: a lane is never must-pass. They are the
    dominators of one node joined after every end, by networkx's `immediate_dominators`.
    """
    import networkx

    start = flow.start
    if start is None:
        return ()
    forward = flow.forward
    reach = {start.id} | networkx.descendants(forward, start.id)
    returning = {lane.end.id for lane in flow.lanes if lane.end is not None}
    found = [n for n in reach if forward.out_degree(n) == 0 and n not in returning]
    if not found:
        return ()
    graph = forward.subgraph(reach).copy()
    sink = "\0end"
    graph.add_edges_from((end, sink) for end in found)
    dominators = networkx.immediate_dominators(graph, start.id)
    chain: list[str] = []
    node = dominators[sink]
    while True:
        chain.append(node)
        if node == start.id:
            break
        node = dominators[node]
    return tuple(sorted((flow.by_id[n] for n in chain), key=lambda p: p.order))
