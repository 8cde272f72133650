"""`diff --format json`: `{"changes": [...], "summary": {...}}`; lists stay lists."""

from __future__ import annotations

import json
from typing import Any, TextIO

from cljourney.diff.pairing import DiffResult
from cljourney.diff.records import LEVELS, Change, Value
from cljourney.report.diff import DiffReportOptions


def _value(value: Value) -> Any:
    return list(value) if isinstance(value, tuple) else value


def change_dict(change: Change) -> dict[str, Any]:
    return {
        "kind": change.kind.value,
        "entity": change.entity.value,
        "id": change.id,
        "journey": change.journey,
        "stage": change.stage,
        "field": change.field,
        "before": _value(change.before),
        "after": _value(change.after),
        "level": change.level.value,
        "message": change.message,
    }


def summary_dict(result: DiffResult) -> dict[str, Any]:
    summary: dict[str, Any] = {"old": result.old_label, "new": result.new_label}
    summary["changes"] = len(result.changes)
    summary.update({level.value: result.count(level) for level in LEVELS})
    summary["journeys_changed"] = sum(1 for j in result.journeys if j.changes)
    return summary


def write(result: DiffResult, stream: TextIO, options: DiffReportOptions) -> None:
    document = {
        "changes": [change_dict(change) for change in result.changes],
        "summary": summary_dict(result),
    }
    json.dump(document, stream, indent=2, ensure_ascii=False)
    stream.write("\n")
