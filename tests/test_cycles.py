"""`ordering-cycle` reports every elementary cycle no other finding explains, checked against
networkx's own cycle enumeration on a graph the test builds from the journey independently."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from hypothesis import event, given, settings

from cljourney.check.pipeline import validate
from cljourney.graph.paths import CYCLES_COUNTED
from cljourney.rules.flow import CYCLES_LISTED
from conftest import expectations
from randomjourneys import forward, journeys, touchpoints

HEAD = "cljourney: 1\njourney: {id: demo, name: Demo, owner: ops}\nstages:\n"
WATCHED = {"ordering-cycle", "stage-order"}
PATH = re.compile(r"form a cycle: ([^;]+);")


def found(path: Path) -> set[tuple[str, int]]:
    return {(f.rule, f.line) for f in validate([path]).findings if f.rule in WATCHED}


def case(tmp_path: Path, stages: str) -> Path:
    path = tmp_path / "case.yaml"
    path.write_text(HEAD + stages, encoding="utf-8")
    return path


# Both cycles went unreported: the component's first cycle is closed by a `next` into an earlier
# stage (stage-order's), and the whole component was skipped with it.
MISSED = {
    "a-b-a inside a stage": """\
  - id: sales
    name: Sales
    touchpoints:
      - {id: x, name: X}
  - id: onboarding
    name: Onboarding
    touchpoints:
      - {id: a, name: A}
      - id: b
        name: B
        next: [x, a]  # expect: stage-order, ordering-cycle
""",
    "self-loop next": """\
  - id: sales
    name: Sales
    touchpoints:
      - {id: x, name: X}
  - id: onboarding
    name: Onboarding
    touchpoints:
      - id: a
        name: A
        next: [x, a]  # expect: stage-order, ordering-cycle
""",
    "two cycles in one stage": """\
  - id: onboarding
    name: Onboarding
    touchpoints:
      - {id: a, name: A}
      - id: b
        name: B
        next: [a, c]  # expect: ordering-cycle
      - id: c
        name: C
        next: [a]  # expect: ordering-cycle
""",
}


@pytest.mark.parametrize("stages", MISSED.values(), ids=MISSED.keys())
def test_every_cycle_is_reported(tmp_path: Path, stages: str) -> None:
    path = case(tmp_path, stages)
    assert found(path) == expectations(path)


def test_cycle_is_listed_from_its_earliest_touchpoint_at_the_next_closing_it(
    tmp_path: Path,
) -> None:
    path = case(tmp_path, MISSED["two cycles in one stage"])
    cycles = [f for f in validate([path]).findings if f.rule == "ordering-cycle"]
    lines = sorted(line for _rule, line in expectations(path))
    assert sorted((f.line, f.column, PATH.findall(f.message)[0]) for f in cycles) == [
        (lines[0], 16, "a -> b -> a"),  # the `a` in b's `next: [a, c]`
        (lines[1], 16, "a -> b -> c -> a"),  # the `a` in c's `next: [a]`
    ]


def test_a_stage_order_edge_explains_its_cycle(tmp_path: Path) -> None:
    path = case(
        tmp_path,
        """\
  - id: sales
    name: Sales
    touchpoints:
      - {id: x, name: X}
  - id: onboarding
    name: Onboarding
    touchpoints:
      - id: a
        name: A
        next: [x]  # expect: stage-order
""",
    )
    assert found(path) == expectations(path)


def complete_stage(size: int) -> str:
    """One stage where every touchpoint's `next` names every touchpoint: many cycles."""
    ids = [f"t{i}" for i in range(size)]
    lines = ["  - id: s\n    name: S\n    touchpoints:\n"]
    lines += [f"      - {{id: {t}, name: {t.upper()}, next: [{', '.join(ids)}]}}\n" for t in ids]
    return "".join(lines)


def oracle_count(size: int) -> int:
    graph: nx.DiGraph[int] = nx.complete_graph(size, nx.DiGraph())
    graph.add_edges_from((i, i) for i in range(size))
    return sum(1 for _ in nx.simple_cycles(graph))


def test_many_cycles_are_listed_up_to_the_bound_with_a_count_of_the_rest(tmp_path: Path) -> None:
    size = 4  # 24 elementary cycles with the self-loops: more than listed, fewer than counted
    total = oracle_count(size)
    assert CYCLES_LISTED < total < CYCLES_COUNTED
    findings = validate([case(tmp_path, complete_stage(size))]).findings
    cycles = [f for f in findings if f.rule == "ordering-cycle"]
    assert len(cycles) == CYCLES_LISTED
    counts = [re.findall(r"; (at least )?(\d+) more cycles not listed", f.message) for f in cycles]
    assert sum(map(len, counts)) == 1  # said once, on the last one listed
    assert [c for c in counts if c] == [[("", str(total - CYCLES_LISTED))]]


def test_the_count_is_a_lower_bound_when_the_search_stops(tmp_path: Path) -> None:
    findings = validate([case(tmp_path, complete_stage(8))]).findings  # 109,600 cycles
    said = [m for f in findings if (m := re.search(r"at least (\d+) more cycles", f.message))]
    assert [int(m.group(1)) for m in said] == [CYCLES_COUNTED - CYCLES_LISTED + 1]


def test_a_huge_component_is_searched_within_bounds(tmp_path: Path) -> None:
    """3,000 touchpoints in one stage, each `next` going on and back: one component of 3,000
    touchpoints and 2,999 cycles. Johnson's search pays the component's size for every cycle,
    so the search stops early; the cycle space (edges - nodes + 1 = 2,999 here) says how many
    more there are at least."""
    ids = [f"t{i}" for i in range(3000)]
    lines = ["  - id: s\n    name: S\n    touchpoints:\n"]
    for i, t in enumerate(ids):
        around = [ids[j] for j in (i - 1, i + 1) if 0 <= j < len(ids)]
        lines.append(f"      - {{id: {t}, name: {t.upper()}, next: [{', '.join(around)}]}}\n")
    findings = validate([case(tmp_path, "".join(lines))]).findings
    cycles = [f for f in findings if f.rule == "ordering-cycle"]
    assert 1 <= len(cycles) <= CYCLES_LISTED
    said = [m for f in cycles if (m := re.search(r"at least (\d+) more cycles", f.message))]
    assert [len(cycles) + int(m.group(1)) for m in said] == [2999]
    assert all(PATH.findall(f.message)[0].count("->") == 2 for f in cycles)  # ti -> tj -> ti


def oracle(document: dict[str, Any]) -> set[tuple[str, ...]]:
    """Elementary cycles networkx finds in the flow without `loops_to` and without the `next`
    edges into an earlier stage, each from its earliest touchpoint."""
    stage_of = {tp["id"]: stage for tp, stage in touchpoints(document)}
    graph = forward(document)
    graph.remove_edges_from([(u, v) for u, v in graph.edges if stage_of[v] < stage_of[u]])
    order = {node: i for i, node in enumerate(stage_of)}
    cycles = set()
    for cycle in nx.simple_cycles(graph):
        first = min(range(len(cycle)), key=lambda i: order[cycle[i]])
        cycles.add(tuple(cycle[first:] + cycle[:first]))
    return cycles


@settings(max_examples=1000, derandomize=True, database=None, deadline=None)
@given(journeys())
def test_cycles_match_networkx_on_random_journeys(
    tmp_path_factory: pytest.TempPathFactory, document: dict[str, Any]
) -> None:
    path = tmp_path_factory.mktemp("random") / "random.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    findings = [f for f in validate([path]).findings if f.rule == "ordering-cycle"]
    reported = [tuple(PATH.findall(f.message)[0].split(" -> ")[:-1]) for f in findings]
    expected = oracle(document)
    event(
        "no cycle"
        if not expected
        else "all listed"
        if len(expected) <= CYCLES_LISTED
        else "some counted"
        if len(expected) <= CYCLES_COUNTED
        else "search bounded"
    )
    assert len(set(reported)) == len(reported)
    rest = re.findall(
        r"; (at least )?(\d+) more cycles? not listed", " ".join(f.message for f in findings)
    )
    if len(expected) <= CYCLES_LISTED:
        assert set(reported) == expected and rest == []
    elif len(expected) <= CYCLES_COUNTED:
        assert set(reported) < expected and len(reported) == CYCLES_LISTED
        assert rest == [("", str(len(expected) - CYCLES_LISTED))]
    else:
        assert set(reported) < expected and len(reported) == CYCLES_LISTED
        assert rest[0][0] and int(rest[0][1]) <= len(expected) - CYCLES_LISTED
