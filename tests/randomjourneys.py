"""Random journeys for property tests of the flow: networkx, built here from the document alone,
is the oracle the flow's answers are compared with."""

from __future__ import annotations

from typing import Any

import networkx as nx
from hypothesis import strategies as st


# Random journeys: touchpoints spread over stages in file order, each with no `next` (the file
# order applies), a `next` list of any touchpoints (itself included), `terminal`, or `loops_to`.
@st.composite
def journeys(draw: st.DrawFn) -> dict[str, Any]:
    size = draw(st.integers(1, 12))
    # Dense journeys (long `next` lists) have more cycles than are listed, or counted.
    longest = draw(st.sampled_from([4, size]))
    stage_count = draw(st.integers(1, min(4, size)))
    cuts = draw(st.sets(st.integers(1, size - 1), max_size=stage_count - 1)) if size > 1 else set()
    bounds = [0, *sorted(cuts), size]
    stages = []
    for s in range(len(bounds) - 1):
        points = []
        for i in range(bounds[s], bounds[s + 1]):
            tp: dict[str, Any] = {"id": f"t{i}", "name": f"T{i}"}
            form = draw(st.sampled_from(["file", "next", "next", "terminal"]))
            if form == "next":
                tp["next"] = draw(st.lists(st.integers(0, size - 1), max_size=longest).map(_ids))
            elif form == "terminal":
                tp["terminal"] = True
            if draw(st.booleans()):
                tp["loops_to"] = draw(st.lists(st.integers(0, size - 1), max_size=2).map(_ids))
            points.append(tp)
        stages.append({"id": f"s{s}", "name": f"S{s}", "touchpoints": points})
    return {"cljourney": 1, "journey": {"id": "r", "name": "R", "owner": "ops"}, "stages": stages}


def _ids(numbers: list[int]) -> list[str]:
    return [f"t{n}" for n in numbers]


def touchpoints(document: dict[str, Any]) -> list[tuple[dict[str, Any], int]]:
    """Every touchpoint with its stage index, in file order."""
    return [
        (tp, number)
        for number, stage in enumerate(document["stages"])
        for tp in stage["touchpoints"]
    ]


def forward(document: dict[str, Any]) -> nx.DiGraph[str]:
    """The flow without `loops_to`: `next` edges, or the file order for a touchpoint with no
    `next` that is not terminal."""
    points = touchpoints(document)
    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_nodes_from(tp["id"] for tp, _ in points)
    for i, (tp, _stage) in enumerate(points):
        if "next" in tp:
            graph.add_edges_from((tp["id"], target) for target in tp["next"])
        elif not tp.get("terminal") and i + 1 < len(points):
            graph.add_edge(tp["id"], points[i + 1][0]["id"])
    return graph
