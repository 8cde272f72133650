"""Output formats for `conform`: its own text, json and markdown reports; the CI formats
(sarif, github, gitlab, junit) are validate's reporters, given the findings as a `Report`."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from cljourney.report import REPORTERS, ReportOptions, get_reporter

if TYPE_CHECKING:
    from cljourney.conform.run import ConformReport

ConformReporter = Callable[["ConformReport", TextIO, ReportOptions], None]

OWN: dict[str, str] = {
    "text": "cljourney.report.conform.text",
    "json": "cljourney.report.conform.json",
    "markdown": "cljourney.report.conform.markdown",
}
CONFORM_FORMATS: tuple[str, ...] = (*OWN, *(name for name in REPORTERS if name not in OWN))


def as_findings_report(report: ConformReport) -> object:
    """The run's findings as validate's `Report`, for the CI formats."""
    from cljourney.findings import FileReport, Report

    return Report(tuple(FileReport(r.path, r.journey, r.findings) for r in report.journeys))


def get_conform_reporter(name: str) -> ConformReporter:
    """The writer for format `name` (one of CONFORM_FORMATS)."""
    if name in OWN:
        writer: ConformReporter = importlib.import_module(OWN[name]).write
        return writer
    validate_writer = get_reporter(name)

    def write(report: ConformReport, stream: TextIO, options: ReportOptions) -> None:
        validate_writer(as_findings_report(report), stream, options)  # type: ignore[arg-type]

    return write
