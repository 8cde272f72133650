"""Output formats for `diff`: a name -> module table (report/table.py, the same mechanism as
validate's reporters) that also supplies the `--format` choices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from cljourney.report.table import Writers

if TYPE_CHECKING:
    from cljourney.diff.pairing import DiffResult

# GitHub refuses comments over 65,536 characters; keep a margin for a wrapper the CI step adds.
MARKDOWN_LIMIT = 65_000


@dataclass(frozen=True)
class DiffReportOptions:
    color: bool = False
    max_chars: int = MARKDOWN_LIMIT


DiffReporter = Callable[["DiffResult", TextIO, DiffReportOptions], None]

DIFF_REPORTERS: Writers[DiffReporter] = Writers(
    {
        "text": "cljourney.report.diff.text",
        "markdown": "cljourney.report.diff.markdown",
        "json": "cljourney.report.diff.json",
    }
)
get_diff_reporter = DIFF_REPORTERS.writer
