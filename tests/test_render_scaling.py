"""Renderers stay linear in the size of a journey: they walk the flow's edges a fixed number of
times, however many touchpoints and stages it has (timings live in bench/render_bench.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cljourney.graph import Flow, FlowEdge, build_flow
from cljourney.load.journey import load_bytes
from cljourney.render import get_renderer


def journey_yaml(stages: int, per_stage: int) -> bytes:
    """A journey with branches, loops and a terminal end; `per_stage` touchpoints in each stage."""
    lines = [
        "cljourney: 1",
        "journey: {id: big, name: Big, owner: ops}",
        "roles: [{id: a, name: A, description: Helps}, {id: b, name: B}]",
        "stages:",
    ]
    total = stages * per_stage
    for s in range(stages):
        lines += [f"  - id: s{s}", f"    name: Stage {s}", f"    owner: {'ab'[s % 2]}"]
        lines.append("    why: The customer gets help.")
        lines.append("    touchpoints:")
        for t in range(per_stage):
            n = s * per_stage + t
            lines += [f"      - id: t{n}", f"        name: Step {n}", "        why: It helps."]
            lines.append(f"        customer: {{score: {n % 5 + 1}}}")
            if n % 7 == 3 and n + 2 < total:
                lines.append(f"        next: [t{n + 1}, t{n + 2}]")
            if n % 11 == 5 and n > 3:
                lines.append(f"        loops_to: [t{n - 3}]")
            if n == total - 1:
                lines.append("        terminal: true")
    return ("\n".join(lines) + "\n").encode()


def edge_walks(monkeypatch: pytest.MonkeyPatch, fmt: str, stages: int, per_stage: int) -> int:
    loaded = load_bytes(journey_yaml(stages, per_stage), "big.yaml")
    assert loaded is not None and loaded.journey is not None, loaded and loaded.findings
    flow = build_flow(loaded.journey)
    walks = 0
    original = Flow.edges

    def counting(self: Flow, *kinds: str) -> Iterator[FlowEdge]:
        nonlocal walks
        walks += 1
        return original(self, *kinds)

    monkeypatch.setattr(Flow, "edges", counting)
    get_renderer(fmt).render(loaded.journey, flow, [])
    return walks


@pytest.mark.parametrize("fmt", ["html", "markdown", "mermaid"])
def test_renderers_walk_the_edges_a_fixed_number_of_times(
    monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    small = edge_walks(monkeypatch, fmt, 2, 5)
    longer = edge_walks(monkeypatch, fmt, 2, 60)
    assert small == longer
    # Too big for one Mermaid diagram: split per stage and further (overview, incident index).
    wide = edge_walks(monkeypatch, fmt, 150, 3)
    wider = edge_walks(monkeypatch, fmt, 300, 3)
    assert wide == wider <= small + 2


def test_incident_edges_match_a_full_walk() -> None:
    loaded = load_bytes(journey_yaml(3, 20), "big.yaml")
    assert loaded is not None and loaded.journey is not None
    flow = build_flow(loaded.journey)
    edges = list(flow.edges())
    for placed in flow.placed:
        assert flow.out_edges(placed) == [e for e in edges if e[0] is placed]
        assert flow.in_edges(placed) == [e for e in edges if e[1] is placed]
    assert [p for group in flow.members for p in group] == list(flow.placed)
