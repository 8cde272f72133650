"""The flow of one journey as a networkx graph, and pure queries on it.

Nodes are touchpoint ids (the first touchpoint with a given id; duplicates are reported by
`duplicate-id` and left out). Edges carry `kind`: `next` (explicit), `implicit` (the following
touchpoint in the file) or `loop` (`loops_to`), and `item`: the index in the `next`/`loops_to`
list, so a finding can point at the exact entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Flow:
    """The resolved flow of a journey."""

    journey: JourneyFile
    placed: tuple[Placed, ...]
    by_id: dict[str, Placed]
    graph: nx.DiGraph[str] = field(repr=False)

    @property
    def start(self) -> Placed | None:
        return self.placed[0] if self.placed else None

    def stage(self, placed: Placed) -> Stage:
        return self.journey.stages[placed.stage_index]

    def edges(self, *kinds: str) -> Iterator[tuple[Placed, Placed, str, int]]:
        """Edges as (source, target, kind, item), in file order of the source."""
        wanted = set(kinds) if kinds else {NEXT, IMPLICIT, LOOP}
        for source, target, data in self.graph.edges(data=True):
            if data["kind"] in wanted:
                yield self.by_id[source], self.by_id[target], data["kind"], data["item"]

    def forward(self) -> nx.DiGraph[str]:
        """The graph without `loops_to` edges: the ordering that must be acyclic."""
        graph = self.graph
        view: nx.DiGraph[str] = nx.subgraph_view(
            graph, filter_edge=lambda u, v: graph[u][v]["kind"] != LOOP
        )
        return view

    def reachable(self) -> set[str]:
        """Touchpoint ids reachable from the start along any flow edge (loops included)."""
        start = self.start
        if start is None:
            return set()
        return {start.id} | nx.descendants(self.graph, start.id)


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
    graph: nx.DiGraph[str] = nx.DiGraph()
    for item in unique:
        graph.add_node(item.id)
    for position_in_file, item in enumerate(unique):
        touchpoint = item.touchpoint
        if touchpoint.next is not None:
            for position, target in enumerate(touchpoint.next):
                if target in by_id and not graph.has_edge(item.id, target):
                    graph.add_edge(item.id, target, kind=NEXT, item=position)
        elif not touchpoint.terminal and position_in_file + 1 < len(unique):
            following = unique[position_in_file + 1].id
            if not graph.has_edge(item.id, following):
                graph.add_edge(item.id, following, kind=IMPLICIT, item=-1)
        for position, target in enumerate(touchpoint.loops_to):
            if target in by_id and not graph.has_edge(item.id, target):
                graph.add_edge(item.id, target, kind=LOOP, item=position)
    return Flow(journey, tuple(placed), by_id, graph)
