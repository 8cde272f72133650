"""The flow is a networkx DiGraph, and networkx is imported only by commands that check a journey."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from hypothesis import given, settings

from cljourney import __version__
from cljourney.graph import ENTER, IMPLICIT, LOOP, NEXT, RETURN, build_flow, stage_node
from cljourney.load.journey import load_bytes
from cljourney.model import JourneyFile
from cljourney.render import markdown
from cljourney.render.json import resolved
from conftest import EXAMPLES, ROOT
from randomjourneys import forward, journeys

B2B = EXAMPLES / "b2b-saas.yaml"


def journey(path: Path) -> JourneyFile:
    loaded = load_bytes(path.read_bytes(), path.name)
    assert loaded is not None and loaded.journey is not None
    return loaded.journey


def test_flow_is_a_digraph_with_the_kind_and_entry_of_each_edge() -> None:
    model = journey(B2B)
    # The implicit order runs through the ordinary stages, and inside each lane on its own.
    sequences: dict[int, list[Any]] = {}
    for index, stage in enumerate(model.stages):
        key = index if stage.during is not None else -1
        sequences.setdefault(key, []).extend(stage.touchpoints)
    expected = set()
    for touchpoints in sequences.values():
        for i, tp in enumerate(touchpoints):
            if tp.next is not None:
                expected |= {(tp.id, target, NEXT, k) for k, target in enumerate(tp.next)}
            elif not tp.terminal and i + 1 < len(touchpoints):
                expected.add((tp.id, touchpoints[i + 1].id, IMPLICIT, -1))
            expected |= {(tp.id, target, LOOP, k) for k, target in enumerate(tp.loops_to)}
    # Support runs during onboarding, ongoing and renewal: every touchpoint there enters it
    # through its stage's node, and the lane's end returns to each of those stages.
    ids = [stage.id for stage in model.stages]
    support = model.stages[ids.index("support")]
    assert support.during == ["onboarding", "ongoing", "renewal"]
    for item, name in enumerate(support.during):
        index = ids.index(name)
        node = stage_node(index)
        expected |= {(tp.id, node, ENTER, -1) for tp in model.stages[index].touchpoints}
        expected.add((node, "support-ticket", ENTER, item))
        expected.add(("ticket-resolved", node, RETURN, item))
    graph = build_flow(model).graph
    assert isinstance(graph, nx.DiGraph)
    touchpoints = [tp.id for stage in model.stages for tp in stage.touchpoints]
    assert [n for n in graph.nodes if not n.startswith("\0")] == touchpoints
    assert {(u, v, d["kind"], d["item"]) for u, v, d in graph.edges(data=True)} == expected
    assert {kind for *_, kind, _ in expected} == {NEXT, IMPLICIT, LOOP, ENTER, RETURN}


def test_forward_drops_loops_and_reachable_follows_every_edge() -> None:
    flow = build_flow(journey(B2B))
    assert {d["kind"] for *_, d in flow.forward.edges(data=True)} == {NEXT, IMPLICIT}
    assert flow.forward.number_of_edges() == sum(1 for _ in flow.edges(NEXT, IMPLICIT))
    assert flow.start is not None
    everything = {flow.start.id} | nx.descendants(flow.graph, flow.start.id)
    assert flow.reachable == {n for n in everything if n in flow.by_id}
    assert flow.reachable == set(flow.by_id)


def must_pass_oracle(document: dict[str, Any]) -> list[str]:
    """By brute force: a touchpoint is must-pass when, without it, the start reaches no end
    (a reachable touchpoint with no successor but `loops_to`) other than itself."""
    graph = forward(document)
    start = next(iter(graph))
    reach = {start} | nx.descendants(graph, start)
    ends = {node for node in reach if graph.out_degree(node) == 0}

    def passes(node: str) -> bool:
        without = graph.copy()
        without.remove_node(node)
        return node == start or not (ends - {node}) & ({start} | nx.descendants(without, start))

    return [node for node in graph if ends and node in reach and passes(node)]


def must_pass(text: str) -> list[str]:
    """`must_pass` as `render --format json` gives it."""
    loaded = load_bytes(text.encode(), "journey.yaml")
    assert loaded is not None and loaded.journey is not None
    document = resolved(loaded.journey, build_flow(loaded.journey), [])
    return list(document["flow"]["must_pass"])


@settings(max_examples=500, derandomize=True, database=None, deadline=None)
@given(journeys())
def test_must_pass_matches_a_brute_force_on_random_journeys(document: dict[str, Any]) -> None:
    assert must_pass(yaml.safe_dump(document, sort_keys=False)) == must_pass_oracle(document)


BRANCHES = """\
cljourney: 1
journey: {id: demo, name: Demo, owner: ops}
stages:
  - id: s
    name: S
    touchpoints:
      - {id: signup, name: Sign-up, next: [self-serve, sales-call]}
      - {id: self-serve, name: Self-serve, next: [first-value]}
      - {id: sales-call, name: Sales call}
      - {id: first-value, name: First value, next: [renewal, churn]}
      - {id: renewal, name: Renewal, terminal: true, loops_to: [first-value]}
      - {id: churn, name: Churn, terminal: true}
"""


def test_must_pass_skips_branches_and_alternative_ends() -> None:
    assert must_pass(BRANCHES) == ["signup", "first-value"]


def test_render_json_lists_the_must_pass_touchpoints(tmp_path: Path) -> None:
    source = tmp_path / "branches.yaml"
    source.write_text(BRANCHES, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cljourney", "render", str(source), "--format", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert json.loads(result.stdout)["flow"]["must_pass"] == ["signup", "first-value"]


def test_markdown_map_names_the_must_pass_touchpoints_under_the_flowchart() -> None:
    loaded = load_bytes(BRANCHES.encode(), "branches.yaml")
    assert loaded is not None and loaded.journey is not None
    text = markdown.render(loaded.journey, build_flow(loaded.journey), [])
    line = "**Must-pass:** every path from the start to an end goes through Sign-up, First value."
    assert line in text.splitlines()
    assert text.index("```mermaid") < text.index(line) < text.index("## Stages")


# Each runs as a real process; `imported` says whether it may import networkx (only the commands
# that build a journey's flow may: `--help` and the rule docs load the rule registry, whose
# modules must not import it at module level).
COMMANDS = {
    "--version": (["--version"], False),
    "--help": (["--help"], False),
    "validate --help": (["validate", "--help"], False),
    "rules": (["rules"], False),
    "rules --format json": (["rules", "--format", "json"], False),
    "explain": (["explain", "ordering-cycle"], False),
    "schema": (["schema"], False),
    "validate": (["validate", str(B2B)], True),
    "render": (["render", str(B2B), "--format", "json"], True),
}


@pytest.mark.parametrize(("argv", "imported"), COMMANDS.values(), ids=COMMANDS.keys())
def test_networkx_is_imported_only_to_check_a_journey(
    tmp_path: Path, argv: list[str], imported: bool
) -> None:
    report = tmp_path / "modules"
    code = (
        "import atexit, pathlib, sys\n"
        f"report = pathlib.Path({str(report)!r})\n"
        "atexit.register(lambda: report.write_text(str('networkx' in sys.modules)))\n"
        f"sys.argv = ['cljourney', *{argv!r}]\n"
        "from cljourney.cli.entry import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert report.read_text() == str(imported)


def test_validate_imports_networkx_but_not_rich() -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from cljourney.check.pipeline import validate\n"
        f"validate([Path({str(EXAMPLES)!r})])\n"
        "print('networkx' in sys.modules, 'rich' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "False"]


def test_version_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['cljourney', '--version']\n"
        "from cljourney.cli.entry import main\n"
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
