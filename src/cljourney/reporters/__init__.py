"""Output formats for `validate`: a name -> module table that also supplies the `--format` choices.

Modules are imported only when chosen, so the JSON path never pays for rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from cljourney.engine import Report


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    strict: bool = False


Reporter = Callable[["Report", TextIO, ReportOptions], None]

REPORTERS: dict[str, str] = {
    "text": "cljourney.reporters.text",
    "json": "cljourney.reporters.json",
}


def get_reporter(name: str) -> Reporter:
    """The `write` function of the reporter called `name` (one of REPORTERS)."""
    module = importlib.import_module(REPORTERS[name])
    writer: Reporter = module.write
    return writer
