"""Output formats for `validate`: a name -> module table (report/table.py) that also supplies
the `--format` choices. Modules are imported only when chosen, so the JSON path never pays for rich.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from cljourney.report.table import Writers

if TYPE_CHECKING:
    from cljourney.findings import Report


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    strict: bool = False
    quiet: bool = False
    # The repository root; CI formats (sarif, github, gitlab) give paths relative to it.
    root: Path | None = None


def find_root(start: Path) -> Path | None:
    """The nearest directory from `start` upwards that holds `.git` (a folder or a worktree file)."""
    for directory in (start.resolve(), *start.resolve().parents):
        if (directory / ".git").exists():
            return directory
    return None


def repo_path(path: str, root: Path | None) -> str:
    """`path` (as reported) relative to `root` with `/` separators; unchanged when outside it."""
    if root is None:
        return Path(path).as_posix()
    try:
        return Path(os.path.realpath(path)).relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()


Reporter = Callable[["Report", TextIO, ReportOptions], None]

REPORTERS: Writers[Reporter] = Writers(
    {
        "text": "cljourney.report.text",
        "json": "cljourney.report.json",
        "sarif": "cljourney.report.sarif",
        "github": "cljourney.report.github",
        "gitlab": "cljourney.report.gitlab",
        "junit": "cljourney.report.junit",
    }
)
get_reporter = REPORTERS.writer
