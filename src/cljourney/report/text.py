"""`--format text`: `path:line:col: severity rule-id message`, one a line, then a summary.

On a terminal the lines are coloured with rich (the same lines as plain output, nothing added);
piped or with NO_COLOR the output is plain, so editors and grep can use it. The summary is green
when clean, yellow when only warnings or infos remain, red when the run fails.
"""

from __future__ import annotations

from typing import TextIO

from cljourney.findings import Finding, Report, Severity
from cljourney.report import ReportOptions
from cljourney.text.shown import printable
from cljourney.text.words import plural, tally

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def format_line(finding: Finding) -> str:
    """One line, whatever the file name holds (a newline in it would start a new finding)."""
    return (
        f"{printable(finding.path)}:{finding.line}:{finding.column}: {finding.severity.value}"
        f" {finding.rule} {printable(finding.message + related_text(finding))}"
    )


def related_text(finding: Finding) -> str:
    """The places a finding points at, for people: ` (line 4: key 'a' first defined here)`."""
    if not finding.related:
        return ""
    return " (" + "; ".join(f"line {r.location.line}: {r.message}" for r in finding.related) + ")"


def summary_line(report: Report, strict: bool = False) -> str:
    """One line: what was found, why the run fails under --strict, what a baseline silenced."""
    files = len(report.files)
    skipped = f"{plural(report.skipped, 'non-journey YAML file')} skipped" if report.skipped else ""
    if files == 0:
        return f"No journey files found ({skipped})." if skipped else "No journey files found."
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARNING)
    infos = report.count(Severity.INFO)
    silenced = report.baselined
    baselined = f"; {plural(silenced, 'finding')} silenced by the baseline" if silenced else ""
    baselined += f"; {skipped}" if skipped else ""
    if not (errors or warnings or infos):
        return f"All checks passed ({plural(files, 'journey file')}{baselined})."
    failing = sum(1 for f in report.files if f.findings)
    because = " (--strict: warnings fail the run)" if strict and warnings else ""
    line = f"Found {tally(errors, warnings, infos)} in {failing} of {plural(files, 'journey file')}"
    return f"{line}{baselined}.{because}"


def _summary_style(report: Report, strict: bool) -> str:
    if report.count(Severity.ERROR) or (strict and report.count(Severity.WARNING)):
        return "bold red"
    if report.findings:
        return "bold yellow"
    return "bold green"


def write(report: Report, stream: TextIO, options: ReportOptions) -> None:
    if not options.color:
        for finding in report.findings:
            stream.write(format_line(finding) + "\n")
        if not options.quiet:
            stream.write(summary_line(report, options.strict) + "\n")
        return
    from rich.console import Console
    from rich.text import Text

    # no_color=False: colour was asked for (--color always wins over NO_COLOR), so all of it.
    console = Console(
        file=stream, force_terminal=True, no_color=False, highlight=False, soft_wrap=True
    )
    for finding in report.findings:
        line = Text()
        line.append(f"{printable(finding.path)}:{finding.line}:{finding.column}:", style="bold")
        line.append(" ")
        line.append(finding.severity.value, style=_STYLE[finding.severity])
        line.append(" ")
        line.append(finding.rule, style="dim")
        line.append(" ")
        line.append(printable(finding.message))
        line.append(printable(related_text(finding)), style="dim")
        console.print(line)
    if options.quiet:
        return
    summary = summary_line(report, options.strict)
    console.print(Text(summary, style=_summary_style(report, options.strict)))
