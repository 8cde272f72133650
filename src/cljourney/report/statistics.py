"""`--statistics`: how many findings each rule produced, most frequent first (text or JSON)."""

from __future__ import annotations

import json
from collections import Counter
from typing import TextIO

from cljourney.findings import Report
from cljourney.rules import REGISTRY


def counts(report: Report) -> list[tuple[str, str, int]]:
    """(rule id, severity reported, count), most frequent first, then by rule id."""
    tally = Counter((f.rule, f.severity.value) for f in report.findings)
    return sorted(((r, s, n) for (r, s), n in tally.items()), key=lambda t: (-t[2], t[0], t[1]))


def write_text(report: Report, stream: TextIO) -> None:
    rows = counts(report)
    width = max((len(str(n)) for _, _, n in rows), default=1)
    for rule, severity, count in rows:
        summary = REGISTRY[rule].summary if rule in REGISTRY else ""
        stream.write(f"{count:>{width}}  {rule:<20} {severity:<8} {summary}\n")


def write_json(report: Report, stream: TextIO) -> None:
    rows = [{"rule": r, "severity": s, "count": n} for r, s, n in counts(report)]
    json.dump(rows, stream, indent=2)
    stream.write("\n")
