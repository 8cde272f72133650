"""`--format github`: GitHub Actions workflow commands, so findings appear inline in pull requests.

`::error file=…,line=…,col=…,title=…::message`, one per finding, inside a `::group::` per file.
Escaping follows @actions/core: in the message `%`, CR and LF are percent-encoded; in properties
also `:` and `,`. Chosen automatically when `GITHUB_ACTIONS=true` and no `--format` is given.
"""

from __future__ import annotations

from typing import TextIO

from cljourney.findings import Finding, Report, Severity
from cljourney.report import ReportOptions, repo_path
from cljourney.report.text import summary_line
from cljourney.text.shown import encodable, printable

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: Finding, options: ReportOptions) -> str:
    properties = {
        "file": printable(repo_path(finding.path, options.root)),
        "line": str(finding.line),
        "col": str(finding.column),
        "title": f"cljourney {finding.rule}",
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    message = escape_data(encodable(finding.message))
    return f"::{COMMANDS[finding.severity]} {joined}::{message}"


def write(report: Report, stream: TextIO, options: ReportOptions) -> None:
    for file_report in report.files:
        if not file_report.findings:
            continue
        stream.write(f"::group::{escape_data(printable(file_report.path))}\n")
        for finding in file_report.findings:
            stream.write(annotation(finding, options) + "\n")
        stream.write("::endgroup::\n")
    if not options.quiet:
        stream.write(summary_line(report, options.strict) + "\n")
