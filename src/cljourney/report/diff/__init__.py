"""Output formats for `diff`: a name -> module table that also supplies the `--format` choices.

Each module has `write(result, stream, options)`; modules are imported only when chosen.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from cljourney.diff.pairing import DiffResult

# GitHub refuses comments over 65,536 characters; keep a margin for a wrapper the CI step adds.
MARKDOWN_LIMIT = 65_000


@dataclass(frozen=True)
class DiffReportOptions:
    color: bool = False
    max_chars: int = MARKDOWN_LIMIT


DiffReporter = Callable[["DiffResult", TextIO, DiffReportOptions], None]

DIFF_REPORTERS: dict[str, str] = {
    "text": "cljourney.report.diff.text",
    "markdown": "cljourney.report.diff.markdown",
    "json": "cljourney.report.diff.json",
}


def get_diff_reporter(name: str) -> DiffReporter:
    """The `write` function of the diff reporter called `name` (one of DIFF_REPORTERS)."""
    module = importlib.import_module(DIFF_REPORTERS[name])
    writer: DiffReporter = module.write
    return writer
