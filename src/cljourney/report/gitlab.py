"""`--format gitlab`: a GitLab Code Quality report (the JSON array GitLab documents).

Each entry has `description` (rule id in front), `check_name`, a `fingerprint` unique within the
report (the stable finding fingerprint plus its occurrence), `severity` and
`location.path` / `location.lines.begin`, paths relative to the repository root.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any, TextIO

from cljourney.check.baseline import fingerprint
from cljourney.findings import Report, Severity
from cljourney.report import ReportOptions, repo_path
from cljourney.text.shown import encodable_data

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def entries(report: Report, options: ReportOptions) -> list[dict[str, Any]]:
    seen: Counter[str] = Counter()
    out: list[dict[str, Any]] = []
    for finding in report.findings:
        stable = fingerprint(finding)
        seen[stable] += 1
        unique = hashlib.md5(f"{stable}:{seen[stable]}".encode(), usedforsecurity=False).hexdigest()
        out.append(
            {
                "description": f"{finding.rule}: {finding.message}",
                "check_name": finding.rule,
                "fingerprint": unique,
                "severity": SEVERITIES[finding.severity],
                "location": {
                    "path": repo_path(finding.path, options.root),
                    "lines": {"begin": finding.line},
                },
            }
        )
    return out


def write(report: Report, stream: TextIO, options: ReportOptions) -> None:
    json.dump(encodable_data(entries(report, options)), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
