"""Which way a Mermaid flowchart should run: a graph's shape (how long, how wide), and the
direction GitHub has to shrink least to fit its page. Pure arithmetic; no Mermaid text here."""

from __future__ import annotations

from collections.abc import Sequence

# Measured with mermaid 11 (tests/test_render_diagrams.py draws both ways): a touchpoint drawn
# left to right takes about 310 px across, touchpoints side by side top to bottom about 290 px
# each, plus about 140 px of stage frames. GitHub shrinks a diagram wider than its page (about
# 1,000 px) to fit, so a long journey drawn left to right becomes too small to read.
_ACROSS_PX = 310
_SIDE_PX = 290
_FRAME_PX = 140
PAGE_PX = 1000


def choose_direction(depth: int, width: int) -> str:
    """The default direction of a flow `depth` touchpoints long and at most `width` side by side:
    the one GitHub shrinks less to fit its page, left to right when both fit (a journey reads
    left to right, and a short or a wide one fits that way)."""
    across = depth * _ACROSS_PX + _FRAME_PX
    side = width * _SIDE_PX + _FRAME_PX
    return "LR" if across <= PAGE_PX or across <= side else "TB"


def shape(nodes: Sequence[int], edges: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """(depth, width) of a layered drawing of a graph: nodes ranked by the longest path of
    `edges` to them (as Mermaid's layout starts), depth the number of ranks, width the most
    nodes on one rank. Nodes on a cycle go one rank after the rest. Linear in the edges."""
    inside = set(nodes)
    successors: dict[int, list[int]] = {node: [] for node in nodes}
    waiting = dict.fromkeys(nodes, 0)
    for source, target in edges:
        if source in inside and target in inside and source != target:
            successors[source].append(target)
            waiting[target] += 1
    rank = dict.fromkeys(nodes, 0)
    ready = [node for node in nodes if waiting[node] == 0]
    done = 0
    while ready:
        node = ready.pop()
        done += 1
        for target in successors[node]:
            rank[target] = max(rank[target], rank[node] + 1)
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    if done < len(nodes):
        last = max((rank[node] for node in nodes if waiting[node] == 0), default=-1)
        for node in nodes:
            if waiting[node]:
                rank[node] = last + 1
    per_rank: dict[int, int] = {}
    for value in rank.values():
        per_rank[value] = per_rank.get(value, 0) + 1
    return len(per_rank), max(per_rank.values(), default=0)
