"""The flow of one journey as a networkx DiGraph: how it is built from the journey, and the
structure callers walk (touchpoints in place, edges by kind, lanes).

Nodes are touchpoint ids (the first touchpoint with a given id; duplicates are reported by
`duplicate-id` and left out), in file order. Edges carry `kind`: `next` (explicit), `implicit`
(the following touchpoint in the file) or `loop` (`loops_to`), and `item`: the index in the
`next`/`loops_to` list, so a finding can point at the exact entry.

Parallel stages (`during`) are lanes outside the lifecycle order. The implicit order runs through
the ordinary stages in file order, and inside each lane on its own. Entering and returning are
edges too: `enter` from every touchpoint of a served stage to the lane's first touchpoint, and
`return` from the lane's end (its last touchpoint, without `next`) back to the served stages. So
that a journey of N touchpoints and L lanes holds O(N + L) edges and not O(N * L), they pass
through one virtual node per served stage (`stage_node(index)`, "somewhere in this stage") and
one for `during: all` (`ALL_STAGES`): touchpoint -> stage node -> [ALL_STAGES ->] first touchpoint
of the lane, and lane end -> stage node (or ALL_STAGES). Virtual node ids start with NUL, which no
touchpoint id can. `edges()` lists touchpoint-to-touchpoint edges only; `lanes`, `served` and
`entries` answer the questions about entering and returning per stage.

Every graph question (reachability, strongly connected components, cycles, dominators) is asked
of networkx, in `cljourney.graph.paths`; `Flow` exposes each answer. networkx is imported when a
flow is built, never when this module is: `--help`, `rules`, `explain` and `schema` load the rule
registry, which imports this module, and must not pay the ~60 ms networkx import that only
commands checking a journey need.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

    from cljourney.graph.paths import Cycles, Unreachable

from cljourney.model import JourneyFile, Stage, Touchpoint
from cljourney.model.fields import DURING_ALL

NEXT = "next"
IMPLICIT = "implicit"
LOOP = "loop"
ENTER = "enter"
RETURN = "return"
ALL_STAGES = "\0stage:*"


def stage_node(stage_index: int) -> str:
    """The virtual node standing for "somewhere in ordinary stage `stage_index`"."""
    return f"\0stage:{stage_index}"


def is_virtual(node: str) -> bool:
    return node.startswith("\0")


@dataclass(frozen=True)
class Placed:
    """A touchpoint with where it sits: stage index, index inside the stage, global order."""

    touchpoint: Touchpoint
    stage_index: int
    index: int
    order: int
    owner: str | None

    @property
    def id(self) -> str:
        return self.touchpoint.id

    @property
    def loc(self) -> tuple[str | int, ...]:
        return ("stages", self.stage_index, "touchpoints", self.index)


FlowEdge = tuple[Placed, Placed, str, int]  # (source, target, kind, item)


@dataclass(frozen=True)
class Lane:
    """A parallel stage: the ordinary stages it runs during, where customers enter it and where
    they leave it to return.

    `serves` holds (stage index, item): the index of the entry in `during` naming the stage, or
    -1 for `during: all`; ids that name no ordinary stage are left out (`unknown-reference`).
    `end` is the touchpoint where the lane's implicit order runs out (its last touchpoint, with
    no `next` and not terminal): customers return from it to where they were.
    """

    stage_index: int
    serves: tuple[tuple[int, int], ...]
    first: Placed | None
    end: Placed | None

    @property
    def everywhere(self) -> bool:
        """`during: all`: the lane runs during every ordinary stage."""
        return bool(self.serves) and self.serves[0][1] < 0


@dataclass(frozen=True)
class Flow:
    """The resolved flow of a journey: the touchpoints in place and the networkx graph."""

    journey: JourneyFile
    placed: tuple[Placed, ...]
    by_id: dict[str, Placed]
    graph: nx.DiGraph[str]
    lanes: tuple[Lane, ...] = ()

    @cached_property
    def parallel(self) -> frozenset[int]:
        """Indexes of the parallel stages (those with `during`)."""
        return frozenset(i for i, stage in enumerate(self.journey.stages) if stage.parallel)

    @cached_property
    def start(self) -> Placed | None:
        """The first touchpoint of the ordinary stages: lanes are entered, never started in."""
        parallel = self.parallel
        return next((p for p in self.placed if p.stage_index not in parallel), None)

    def stage(self, placed: Placed) -> Stage:
        return self.journey.stages[placed.stage_index]

    def in_lane(self, placed: Placed) -> bool:
        return placed.stage_index in self.parallel

    def out_degree(self, node: str) -> int:
        """The ways on from `node`: `next`, implicit, `loops_to` and return edges. Entering a
        lane is a detour the customer comes back from, not a way on."""
        return sum(1 for data in self.graph.succ[node].values() if data["kind"] != ENTER)

    def edges(self, *kinds: str) -> Iterator[FlowEdge]:
        """Edges between two touchpoints as (source, target, kind, item), in file order of the
        source; `enter` and `return` edges pass through virtual nodes and are not listed."""
        wanted = (set(kinds) if kinds else {NEXT, IMPLICIT, LOOP}) - {ENTER, RETURN}
        by_id = self.by_id
        for source, target, data in self.graph.edges(data=True):
            if data["kind"] in wanted:
                yield by_id[source], by_id[target], data["kind"], data["item"]

    @cached_property
    def lane_of(self) -> dict[int, Lane]:
        """Lanes by stage index."""
        return {lane.stage_index: lane for lane in self.lanes}

    def served(self, lane: Lane) -> tuple[int, ...]:
        """Indexes of the ordinary stages `lane` runs during, in file order, without repeats."""
        return tuple(sorted({index for index, _item in lane.serves}))

    def entries(self, stage_index: int) -> tuple[Lane, ...]:
        """The lanes customers can enter from a touchpoint of ordinary stage `stage_index`."""
        return tuple(
            lane
            for lane in self.lanes
            if lane.first is not None and any(i == stage_index for i, _ in lane.serves)
        )

    @cached_property
    def _incident(self) -> tuple[dict[int, list[FlowEdge]], dict[int, list[FlowEdge]]]:
        outgoing: dict[int, list[FlowEdge]] = {}
        incoming: dict[int, list[FlowEdge]] = {}
        for edge in self.edges():
            outgoing.setdefault(edge[0].order, []).append(edge)
            incoming.setdefault(edge[1].order, []).append(edge)
        return outgoing, incoming

    def out_edges(self, placed: Placed) -> list[FlowEdge]:
        """Edges leaving `placed`, in file order (built once for all touchpoints: renderers ask
        for every touchpoint, and walking every edge each time made them quadratic)."""
        return self._incident[0].get(placed.order, [])

    def in_edges(self, placed: Placed) -> list[FlowEdge]:
        """Edges arriving at `placed`, in file order of their source."""
        return self._incident[1].get(placed.order, [])

    @cached_property
    def members(self) -> tuple[tuple[Placed, ...], ...]:
        """The touchpoints of each stage, by stage index, in file order."""
        groups: list[list[Placed]] = [[] for _ in self.journey.stages]
        for placed in self.placed:
            groups[placed.stage_index].append(placed)
        return tuple(tuple(group) for group in groups)

    @cached_property
    def forward(self) -> nx.DiGraph[str]:
        """The touchpoints with their `next` and implicit edges: the order a customer moves on
        in (no `loops_to`, and no entering or leaving a lane, which is a detour)."""
        import networkx

        graph: nx.DiGraph[str] = networkx.DiGraph()
        graph.add_nodes_from(self.by_id)
        graph.add_edges_from(
            (source.id, target.id, {"kind": kind, "item": item})
            for source, target, kind, item in self.edges(NEXT, IMPLICIT)
        )
        return graph

    # The questions asked of the flow: the algorithms are in `cljourney.graph.paths`, imported
    # when first asked (like networkx); answers rules ask for more than once are cached.

    @cached_property
    def reachable(self) -> frozenset[str]:
        """Touchpoint ids reachable from the start (`paths.reachable`)."""
        from cljourney.graph import paths

        return paths.reachable(self)

    @cached_property
    def unreachable(self) -> tuple[Unreachable, ...]:
        """The roots of the unreachable chains, in file order (`paths.unreachable`)."""
        from cljourney.graph import paths

        return paths.unreachable(self)

    def cycles(self, listed: int) -> Cycles:
        """The elementary cycles of the ordering, up to `listed` of them (`paths.cycles`)."""
        from cljourney.graph import paths

        return paths.cycles(self, listed)

    @cached_property
    def ends(self) -> frozenset[str]:
        """Touchpoints where the flow may end (`paths.ends`)."""
        from cljourney.graph import paths

        return paths.ends(self)

    def declared_steps(self, measured: frozenset[str]) -> frozenset[tuple[str, str]]:
        """The steps between `measured` touchpoints a trace may take (`paths.declared_steps`)."""
        from cljourney.graph import paths

        return paths.declared_steps(self, measured)

    @cached_property
    def must_pass(self) -> tuple[Placed, ...]:
        """Touchpoints every path from the start to an end goes through (`paths.must_pass`)."""
        from cljourney.graph import paths

        return paths.must_pass(self)


def build_flow(journey: JourneyFile) -> Flow:
    """Resolve owners and successors of every touchpoint into a networkx DiGraph."""
    import networkx

    placed: list[Placed] = []
    for stage_index, stage in enumerate(journey.stages):
        for index, touchpoint in enumerate(stage.touchpoints):
            owner = touchpoint.owner or stage.owner
            placed.append(Placed(touchpoint, stage_index, index, len(placed), owner))
    by_id: dict[str, Placed] = {}
    for item in placed:
        by_id.setdefault(item.id, item)
    unique = [item for item in placed if by_id[item.id] is item]
    graph: nx.DiGraph[str] = networkx.DiGraph()
    graph.add_nodes_from(item.id for item in unique)
    succ = graph.succ
    # The implicit order runs through the ordinary stages, and through each lane on its own.
    sequences: dict[int, list[Placed]] = {}
    for item in unique:
        stage = journey.stages[item.stage_index]
        sequences.setdefault(item.stage_index if stage.parallel else -1, []).append(item)
    following: dict[str, Placed] = {}
    for sequence in sequences.values():
        following.update((a.id, b) for a, b in itertools.pairwise(sequence))
    for item in unique:
        touchpoint = item.touchpoint
        if touchpoint.next is not None:
            for position, target in enumerate(touchpoint.next):
                if target in by_id and target not in succ[item.id]:
                    graph.add_edge(item.id, target, kind=NEXT, item=position)
        elif not touchpoint.terminal and item.id in following:
            graph.add_edge(item.id, following[item.id].id, kind=IMPLICIT, item=-1)
        for position, target in enumerate(touchpoint.loops_to):
            if target in by_id and target not in succ[item.id]:
                graph.add_edge(item.id, target, kind=LOOP, item=position)
    lanes = _lanes(journey, sequences)
    _add_lanes(graph, lanes, sequences)
    return Flow(journey, tuple(placed), by_id, graph, lanes)


def _lanes(journey: JourneyFile, sequences: dict[int, list[Placed]]) -> tuple[Lane, ...]:
    """The parallel stages with the ordinary stages they serve, their entry and their end."""
    stages = journey.stages
    ordinary: dict[str, int] = {}
    for i, stage in enumerate(stages):
        if not stage.parallel:
            ordinary.setdefault(stage.id, i)  # a repeated id is `duplicate-id`'s: the first wins
    # One tuple shared by every lane `during: all`, so L such lanes cost O(N + L), not O(N * L).
    every_stage = tuple((i, -1) for i in sorted(ordinary.values()))
    lanes: list[Lane] = []
    for stage_index, stage in enumerate(stages):
        if stage.during is None:
            continue
        if stage.during == DURING_ALL:
            serves = every_stage
        else:
            serves = tuple(
                (ordinary[name], item) for item, name in enumerate(stage.during) if name in ordinary
            )
        members = sequences.get(stage_index, [])
        last = members[-1] if members else None
        end = last if last is not None and last.touchpoint.next is None else None
        if end is not None and end.touchpoint.terminal:
            end = None
        lanes.append(Lane(stage_index, serves, members[0] if members else None, end))
    return tuple(lanes)


def _add_lanes(
    graph: nx.DiGraph[str], lanes: tuple[Lane, ...], sequences: dict[int, list[Placed]]
) -> None:
    """Enter and return edges, through one virtual node per served stage (and one for
    `during: all`), so they stay linear in the size of the journey."""
    everywhere = any(lane.everywhere for lane in lanes)
    served: set[int] = set()
    for lane in lanes:
        if not lane.everywhere:
            served.update(index for index, _item in lane.serves)
    main = sequences.get(-1, [])
    if everywhere:
        served.update(item.stage_index for item in main)
    graph.add_edges_from(
        (item.id, stage_node(item.stage_index), {"kind": ENTER, "item": -1})
        for item in main
        if item.stage_index in served
    )
    if everywhere:
        graph.add_edges_from(
            (stage_node(index), ALL_STAGES, {"kind": ENTER, "item": -1}) for index in sorted(served)
        )
    for lane in lanes:
        if lane.everywhere:
            sources = [(ALL_STAGES, -1)]
        else:
            sources = [(stage_node(index), item) for index, item in lane.serves]
        for node, item in sources:
            if lane.first is not None:
                graph.add_edge(node, lane.first.id, kind=ENTER, item=item)
            if lane.end is not None:
                graph.add_edge(lane.end.id, node, kind=RETURN, item=item)
