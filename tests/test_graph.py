"""The flow graph's own algorithms agree with networkx, which they replace on the validate path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from cljourney import __version__
from cljourney.graph import Adjacency, build_flow, find_cycle, strongly_connected
from cljourney.loader import load_bytes
from conftest import EXAMPLES

graphs = st.integers(1, 12).flatmap(
    lambda n: st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n).map(
        lambda edges: (n, edges)
    )
)


def adjacency(n: int, edges: list[tuple[int, int]]) -> Adjacency:
    result: Adjacency = {f"t{i}": {} for i in range(n)}
    for u, v in edges:
        result[f"t{u}"].setdefault(f"t{v}", ("next", 0))
    return result


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(graphs)
def test_components_and_cycles_match_networkx(graph: tuple[int, list[tuple[int, int]]]) -> None:
    adj = adjacency(*graph)
    reference: nx.DiGraph[str] = nx.DiGraph()
    reference.add_nodes_from(adj)
    reference.add_edges_from((u, v) for u, targets in adj.items() for v in targets)
    ours = {frozenset(c) for c in strongly_connected(adj)}
    assert ours == {frozenset(c) for c in nx.strongly_connected_components(reference)}
    for component in ours:
        first = min(component, key=lambda node: int(node[1:]))
        if len(component) == 1 and first not in adj[first]:
            continue
        expected = nx.find_cycle(reference.subgraph(component), source=first)
        assert find_cycle(adj, set(component), first) == list(expected)


def test_networkx_graph_on_demand() -> None:
    loaded = load_bytes((EXAMPLES / "b2b-saas.yaml").read_bytes(), "b2b-saas.yaml")
    assert loaded is not None and loaded.journey is not None
    flow = build_flow(loaded.journey)
    graph = flow.graph
    assert list(graph.nodes) == list(flow.successors)
    assert sorted((u, v, d["kind"], d["item"]) for u, v, d in graph.edges(data=True)) == sorted(
        (s.id, t.id, kind, item) for s, t, kind, item in flow.edges()
    )
    assert flow.reachable() == {flow.start.id} | nx.descendants(graph, flow.start.id)  # type: ignore[union-attr]


def test_validate_does_not_import_networkx() -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from cljourney.engine import validate\n"
        f"validate([Path({str(EXAMPLES)!r})])\n"
        "print('networkx' in sys.modules, 'rich' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


def test_version_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['cljourney', '--version']\n"
        "from cljourney.entry import main\n"
        "main()\n"
        "heavy = {'typer', 'pydantic', 'yaml', 'networkx', 'rich'} & {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
    )
    assert result.stdout.splitlines() == [f"cljourney {__version__}", "[]"]
