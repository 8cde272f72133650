"""The flow of one journey as a directed graph (networkx on demand), and pure queries on it.

Nodes are touchpoint ids (the first touchpoint with a given id; duplicates are reported by
`duplicate-id` and left out). Edges carry `kind`: `next` (explicit), `implicit` (the following
touchpoint in the file) or `loop` (`loops_to`), and `item`: the index in the `next`/`loops_to`
list, so a finding can point at the exact entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

from cljourney.model import JourneyFile, Stage, Touchpoint

NEXT = "next"
IMPLICIT = "implicit"
LOOP = "loop"


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


Edge = tuple[str, int]  # (kind, item) of one edge
Adjacency = dict[str, dict[str, Edge]]  # source -> target -> (kind, item), in file order
FlowEdge = tuple[Placed, Placed, str, int]  # (source, target, kind, item)


@dataclass(frozen=True)
class Flow:
    """The resolved flow of a journey.

    The rules query `successors` (plain dicts, file order) with the linear algorithms below:
    importing networkx costs 110-140 ms, a third of a one-file `validate`, and nothing in the
    rules needs more than a depth-first search. `graph` still gives a networkx DiGraph, built
    (and networkx imported) on first use, for callers that want its algorithms.
    """

    journey: JourneyFile
    placed: tuple[Placed, ...]
    by_id: dict[str, Placed]
    successors: Adjacency = field(repr=False)

    @cached_property
    def graph(self) -> nx.DiGraph[str]:
        """The flow as a networkx DiGraph (edge attributes `kind` and `item`)."""
        import networkx

        graph: nx.DiGraph[str] = networkx.DiGraph()
        graph.add_nodes_from(self.successors)
        for source, targets in self.successors.items():
            for target, (kind, item) in targets.items():
                graph.add_edge(source, target, kind=kind, item=item)
        return graph

    @property
    def start(self) -> Placed | None:
        return self.placed[0] if self.placed else None

    def stage(self, placed: Placed) -> Stage:
        return self.journey.stages[placed.stage_index]

    def out_degree(self, node: str) -> int:
        return len(self.successors[node])

    def edges(self, *kinds: str) -> Iterator[FlowEdge]:
        """Edges as (source, target, kind, item), in file order of the source."""
        wanted = set(kinds) if kinds else {NEXT, IMPLICIT, LOOP}
        by_id = self.by_id
        for source, targets in self.successors.items():
            for target, (kind, item) in targets.items():
                if kind in wanted:
                    yield by_id[source], by_id[target], kind, item

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

    def forward(self) -> Adjacency:
        """The flow without `loops_to` edges: the ordering that must be acyclic."""
        return {
            source: {t: edge for t, edge in targets.items() if edge[0] != LOOP}
            for source, targets in self.successors.items()
        }

    def reachable(self) -> set[str]:
        """Touchpoint ids reachable from the start along any flow edge (loops included)."""
        start = self.start
        if start is None:
            return set()
        seen = {start.id}
        todo = [start.id]
        while todo:
            for target in self.successors[todo.pop()]:
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen


def strongly_connected(adjacency: Adjacency) -> list[list[str]]:
    """Strongly connected components (Tarjan, iterative: no recursion limit on long flows)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for root in adjacency:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(adjacency[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(adjacency[child])))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    component: list[str] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def find_cycle(adjacency: Adjacency, members: set[str], source: str) -> list[tuple[str, str]]:
    """The first cycle a depth-first search from `source` meets inside `members`, as edges."""
    path: list[str] = [source]
    position = {source: 0}
    done: set[str] = set()
    work: list[Iterator[str]] = [iter(adjacency[source])]
    while work:
        for child in work[-1]:
            if child not in members or child in done:
                continue
            if child in position:
                cycle_nodes = path[position[child] :]
                return [
                    (node, cycle_nodes[(i + 1) % len(cycle_nodes)])
                    for i, node in enumerate(cycle_nodes)
                ]
            position[child] = len(path)
            path.append(child)
            work.append(iter(adjacency[child]))
            break
        else:
            work.pop()
            finished = path.pop()
            del position[finished]
            done.add(finished)
    return []


def build_flow(journey: JourneyFile) -> Flow:
    """Resolve owners and successors of every touchpoint into a directed graph."""
    placed: list[Placed] = []
    for stage_index, stage in enumerate(journey.stages):
        for index, touchpoint in enumerate(stage.touchpoints):
            owner = touchpoint.owner or stage.owner
            placed.append(Placed(touchpoint, stage_index, index, len(placed), owner))
    by_id: dict[str, Placed] = {}
    for item in placed:
        by_id.setdefault(item.id, item)
    unique = [item for item in placed if by_id[item.id] is item]
    successors: Adjacency = {item.id: {} for item in unique}
    for position_in_file, item in enumerate(unique):
        touchpoint = item.touchpoint
        out = successors[item.id]
        if touchpoint.next is not None:
            for position, target in enumerate(touchpoint.next):
                if target in by_id and target not in out:
                    out[target] = (NEXT, position)
        elif not touchpoint.terminal and position_in_file + 1 < len(unique):
            following = unique[position_in_file + 1].id
            if following not in out:
                out[following] = (IMPLICIT, -1)
        for position, target in enumerate(touchpoint.loops_to):
            if target in by_id and target not in out:
                out[target] = (LOOP, position)
    return Flow(journey, tuple(placed), by_id, successors)
