"""A plain-Python reference of conform's semantics (README, "What conform computes"), written
from the contract and nothing else, to check the SQL engine against."""

from __future__ import annotations

import fnmatch
import itertools
from dataclasses import dataclass

from cljourney.graph import Flow
from cljourney.model.fields import duration_seconds

Row = tuple[str, str, float]  # (case, event, time in seconds), in input order


def quantile(values: list[float], q: float) -> float | None:
    """Continuous quantile, linear interpolation (numpy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Reference:
    visits: dict[str, list[tuple[str, float, float]]]  # case -> [(tp, first, last)]
    unmapped: dict[str, int]


def touchpoint_of(flow: Flow, event: str) -> str | None:
    for placed in flow.by_id.values():
        for name in placed.touchpoint.events:
            # fnmatchcase would also treat ? and [ as special: escape them.
            pattern = name.replace("[", "[[]").replace("?", "[?]")
            if fnmatch.fnmatchcase(event, pattern):
                return placed.id
    return None


def traces(flow: Flow, rows: list[Row]) -> Reference:
    unmapped: dict[str, int] = {}
    mapped: dict[str, list[tuple[float, int, str]]] = {}
    for order, (case, event, time) in enumerate(rows):
        tp = touchpoint_of(flow, event)
        if tp is None:
            unmapped[event] = unmapped.get(event, 0) + 1
        else:
            mapped.setdefault(case, []).append((time, order, tp))
    visits: dict[str, list[tuple[str, float, float]]] = {}
    for case, events in mapped.items():
        trace: list[tuple[str, float, float]] = []
        for time, _, tp in sorted(events):
            if trace and trace[-1][0] == tp:
                trace[-1] = (tp, trace[-1][1], time)
            else:
                trace.append((tp, time, time))
        visits[case] = trace
    return Reference(visits, unmapped)


def transitions(
    ref: Reference,
) -> dict[tuple[str, str], tuple[int, int, float | None, float | None]]:
    gaps: dict[tuple[str, str], list[float]] = {}
    who: dict[tuple[str, str], set[str]] = {}
    for case, trace in ref.visits.items():
        for (a, _, a_last), (b, b_first, _) in itertools.pairwise(trace):
            gaps.setdefault((a, b), []).append(b_first - a_last)
            who.setdefault((a, b), set()).add(case)
    return {
        pair: (len(g), len(who[pair]), quantile(g, 0.5), quantile(g, 0.9))
        for pair, g in gaps.items()
    }


def last_visits(
    flow: Flow, ref: Reference, as_of: float, stuck: float
) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int]] = {}
    for trace in ref.visits.values():
        tp, _, last = trace[-1]
        if tp in flow.ends:
            continue
        dropped, going = found.get(tp, (0, 0))
        if as_of - last > stuck:
            dropped += 1
        else:
            going += 1
        found[tp] = (dropped, going)
    return found


def stage_times(flow: Flow, ref: Reference) -> dict[int, list[float]]:
    spent: dict[int, list[float]] = {}
    for trace in ref.visits.values():
        stages = [flow.by_id[tp].stage_index for tp, _, _ in trace]
        for stage in sorted(set(stages)):
            first = stages.index(stage)
            later = [trace[i][1] for i in range(first + 1, len(trace)) if stages[i] > stage]
            if later:
                spent.setdefault(stage, []).append(min(later) - trace[first][1])
    return spent


def incoming(
    ref: Reference, flow: Flow
) -> dict[str, tuple[float | None, float | None, float | None]]:
    gaps: dict[str, list[float]] = {}
    for trace in ref.visits.values():
        for (_, _, a_last), (b, b_first, _) in itertools.pairwise(trace):
            gaps.setdefault(b, []).append(b_first - a_last)
    found = {}
    for tp, g in gaps.items():
        target = flow.by_id[tp].touchpoint.target
        within = None
        if target is not None and target.within is not None:
            limit = duration_seconds(target.within)
            within = sum(1 for gap in g if gap <= limit) / len(g)
        found[tp] = (quantile(g, 0.5), quantile(g, 0.9), within)
    return found
