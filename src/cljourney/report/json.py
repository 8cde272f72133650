"""`--format json`: one JSON object with every finding and a summary; lines and columns 1-based."""

from __future__ import annotations

import json
from typing import TextIO

from cljourney.findings import Report, Severity
from cljourney.report import ReportOptions
from cljourney.text.shown import encodable_data


def summary_dict(report: Report) -> dict[str, int]:
    return {
        "files": len(report.files),
        "files_with_findings": sum(1 for f in report.files if f.findings),
        "errors": report.count(Severity.ERROR),
        "warnings": report.count(Severity.WARNING),
        "info": report.count(Severity.INFO),
        "skipped": report.skipped,
    }


def write(report: Report, stream: TextIO, options: ReportOptions) -> None:
    document = {
        "findings": [f.to_dict() for f in report.findings],
        "summary": summary_dict(report),
    }
    json.dump(encodable_data(document), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
