"""`conform --format json`: the measures of every journey, the findings in validate's shape and
a summary. Times in seconds, shares as fractions 0..1, lists in a fixed order (touchpoints and
stages in file order, the rest by count, then by name)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

from cljourney.conform.measures import JourneyMeasures, iso
from cljourney.findings import Severity
from cljourney.report import ReportOptions
from cljourney.text.shown import encodable_data

if TYPE_CHECKING:
    from cljourney.conform.run import ConformReport


def journey_dict(journey: str, path: str, m: JourneyMeasures) -> dict[str, Any]:
    log = m.log
    return {
        "journey": journey,
        "path": path,
        "log": {
            "rows": log.rows,
            "customers": log.customers,
            "started": m.started,
            "mapped_events": m.mapped_events,
            "unmapped_events": m.unmapped_events,
            "skipped_rows": log.skipped_rows,
            "first": iso(log.first_us),
            "last": iso(log.last_us),
            "as_of": iso(log.as_of_us),
            "columns": [
                {"log": shown, "case": c.case, "event": c.event, "time": c.time}
                for shown, c in log.columns
            ],
        },
        "touchpoints": [
            {
                "id": t.id,
                "stage": t.stage,
                "customers": t.customers,
                "reach": t.reach,
                "median_from_previous_s": t.median_from_previous_s,
                "p90_from_previous_s": t.p90_from_previous_s,
                "within_target": t.within_target,
                "dropped": t.dropped,
                "in_progress": t.in_progress,
            }
            for t in m.touchpoints
        ],
        "stages": [
            {
                "id": s.id,
                "customers": s.customers,
                "median_in_stage_s": s.median_in_stage_s,
                "p90_in_stage_s": s.p90_in_stage_s,
                "within_target": s.within_target,
            }
            for s in m.stages
        ],
        "transitions": [
            {
                "from": t.source,
                "to": t.target,
                "declared": t.declared,
                "count": t.count,
                "customers": t.customers,
                "median_s": t.median_s,
                "p90_s": t.p90_s,
            }
            for t in m.transitions
        ],
        "variants": [{"path": list(v.path), "customers": v.customers} for v in m.variants],
        "unmapped": [{"event": event, "count": count} for event, count in m.unmapped],
        "fitness": m.fitness,
    }


def summary(report: ConformReport) -> dict[str, int]:
    findings = report.findings
    return {
        "journeys": len(report.journeys),
        "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
        "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
        "info": sum(1 for f in findings if f.severity is Severity.INFO),
    }


def write(report: ConformReport, stream: TextIO, options: ReportOptions) -> None:
    document = {
        "journeys": [
            journey_dict(r.journey, r.path, r.measures)
            for r in report.journeys
            if r.measures is not None
        ],
        "findings": [f.to_dict() for f in report.findings],
        "summary": summary(report),
    }
    json.dump(encodable_data(document), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
