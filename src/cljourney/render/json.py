"""`render --format json`: the resolved journey for other tools.

The journey as written (keys as in the file), plus what cljourney computed: every touchpoint's
stage, flow order and resolved owner, the flow edges with their kind, the must-pass touchpoints
(every path from the start to an end goes through them), the owner changes along the edges (and
whether a handoff declares each), the summary counts and the findings. Parallel stages (`during`)
are listed under `flow.stages` with `parallel: true` and the ordinary stages they run during, and
entering and returning from them under `flow.lane_edges` (stage to first touchpoint, lane end back
to stage: drawn per stage, as entering is possible from every touchpoint of a served stage).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from cljourney.findings import Finding
from cljourney.graph import ENTER, RETURN, Flow
from cljourney.model import JourneyFile
from cljourney.render import DEFAULT_OPTIONS, IndexEntry, RenderOptions, summarize

SUFFIX = ".json"
FORMAT = "cljourney-render"
VERSION = 1


def resolved(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    why_findings: Sequence[Finding] = (),
) -> dict[str, Any]:
    """The document `render` prints, as plain data (`why_findings`: see RenderOptions)."""
    declared = {(h.from_, h.to) for h in journey.handoffs}
    edges = sorted(flow.edges(), key=lambda e: (e[0].order, e[1].order))
    return {
        "format": FORMAT,
        "version": VERSION,
        "journey": journey.model_dump(mode="json", by_alias=True),
        "flow": {
            "start": flow.start.id if flow.start else None,
            "touchpoints": [
                {
                    "id": p.id,
                    "stage": journey.stages[p.stage_index].id,
                    "order": p.order,
                    "owner": p.owner,
                }
                for p in flow.placed
            ],
            "stages": _stages(journey, flow),
            "edges": [{"from": s.id, "to": t.id, "kind": kind} for s, t, kind, _ in edges],
            "lane_edges": _lane_edges(journey, flow),
            "must_pass": [p.id for p in flow.must_pass],
            "owner_changes": [
                {
                    "from": s.id,
                    "to": t.id,
                    "from_role": s.owner,
                    "to_role": t.owner,
                    "declared": (s.owner, t.owner) in declared,
                }
                for s, t, _, _ in edges
                if s.owner is not None and t.owner is not None and s.owner != t.owner
            ],
        },
        "summary": asdict(summarize(journey, findings, why_findings)),
        "findings": [f.to_dict() for f in findings],
    }


def _stages(journey: JourneyFile, flow: Flow) -> list[dict[str, Any]]:
    """Each stage, whether it is parallel, and the ordinary stages it runs during (resolved:
    `during: all` listed, ids that name no ordinary stage left out)."""
    stages = journey.stages
    shown: list[dict[str, Any]] = []
    for index, stage in enumerate(stages):
        lane = flow.lane_of.get(index)
        during = None if lane is None else [stages[i].id for i in flow.served(lane)]
        shown.append({"id": stage.id, "parallel": stage.parallel, "during": during})
    return shown


def _lane_edges(journey: JourneyFile, flow: Flow) -> list[dict[str, str]]:
    """Entering each lane from the stages it serves, and returning from its end to them."""
    stages = journey.stages
    edges: list[dict[str, str]] = []
    for lane in flow.lanes:
        for index in flow.served(lane):
            if lane.first is not None:
                edges.append({"kind": ENTER, "from_stage": stages[index].id, "to": lane.first.id})
            if lane.end is not None:
                edges.append({"kind": RETURN, "from": lane.end.id, "to_stage": stages[index].id})
    return edges


_MARKER = re.compile(rf'\A\{{\n  "format": "{FORMAT}(?:-index)?",\n')


def is_generated(head: str, tail: str) -> bool:
    """A document this module wrote: it opens with its `format` key."""
    return _MARKER.match(head) is not None


def _dump(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    options: RenderOptions = DEFAULT_OPTIONS,
) -> str:
    """The resolved journey as JSON; of `options`, only the why findings the summary counts by
    and the review state as of `--today` (a `review_state` object) apply (no drawing)."""
    document = resolved(journey, flow, findings, options.why_findings)
    if options.review is not None:  # `--today` only: without it the document never changes
        state = options.review
        document["review_state"] = {
            "today": state.today.isoformat(),
            **state.to_dict(),
            "text": state.due_words(),
        }
    return _dump(document)


def render_index(entries: Sequence[IndexEntry]) -> str:
    return _dump(
        {
            "format": f"{FORMAT}-index",
            "version": VERSION,
            "journeys": [_entry(entry) for entry in entries],
        }
    )


def _entry(entry: IndexEntry) -> dict[str, Any]:
    """One journey of the index; `review_state` only when `--today` gave it one."""
    data = asdict(entry)
    if not entry.review_state:
        del data["review_state"]
    return data
