"""`--format text`: `path:line:col: severity rule-id message`, one a line, then a summary.

On a terminal the lines are coloured with rich and files are separated by a blank line; piped or
with NO_COLOR the output is plain, so editors and grep can use it.
"""

from __future__ import annotations

from typing import TextIO

from cljourney.engine import Report
from cljourney.findings import Finding, Severity
from cljourney.reporters import ReportOptions

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def format_line(finding: Finding) -> str:
    return (
        f"{finding.path}:{finding.line}:{finding.column}: {finding.severity.value}"
        f" {finding.rule} {finding.message}"
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(report: Report) -> str:
    files = len(report.files)
    if files == 0:
        return "No journey files found."
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARNING)
    infos = report.count(Severity.INFO)
    if not (errors or warnings or infos):
        return f"All checks passed ({_plural(files, 'journey file')})."
    parts = [_plural(errors, "error"), _plural(warnings, "warning")]
    if infos:
        parts.append(f"{infos} info")
    failing = sum(1 for f in report.files if f.findings)
    return f"Found {', '.join(parts)} in {failing} of {_plural(files, 'journey file')}."


def write(report: Report, stream: TextIO, options: ReportOptions) -> None:
    if not options.color:
        for finding in report.findings:
            stream.write(format_line(finding) + "\n")
        if not options.quiet:
            stream.write(summary_line(report) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True)
    for file_report in report.files:
        if not file_report.findings:
            continue
        for finding in file_report.findings:
            line = Text()
            line.append(f"{finding.path}:{finding.line}:{finding.column}:", style="bold")
            line.append(" ")
            line.append(finding.severity.value, style=_STYLE[finding.severity])
            line.append(" ")
            line.append(finding.rule, style="dim")
            line.append(" ")
            line.append(finding.message)
            console.print(line)
        console.print()
    if options.quiet:
        return
    failed = report.count(Severity.ERROR) or (options.strict and report.count(Severity.WARNING))
    console.print(Text(summary_line(report), style="bold red" if failed else "bold green"))
