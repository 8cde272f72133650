"""Reading a journey file for editing, and checking an edited text before it is written.

Positions come from the same libyaml tree validate reads (1-based lines and columns), so an edit
made at a position lands exactly where validate would report that value.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cljourney.load.tree import Tree, decode, parse_tree
from cljourney.text.hints import did_you_mean

# The line breaks libyaml counts (YAML 1.1): positions are counted the same way here.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class EditError(Exception):
    """A file that cannot be edited safely, with a message saying where and what to do."""


def id_hint(word: str, known: Sequence[str]) -> str:
    """`; did you mean 'x'?` for the id of `known` closest to a mistyped `word`, or nothing."""
    close = did_you_mean(word, known)
    return f"; did you mean '{close}'?" if close else ""


@dataclass(frozen=True)
class JourneyText:
    """One file's text and its positioned tree; `bom` is written back as it was read."""

    path: Path
    text: str
    root: Any
    bom: bool = False

    def offset(self, line: int, column: int) -> int:
        """Index in `text` of a 1-based line and column."""
        return _line_starts(self.text)[line - 1] + column - 1

    def encoded(self, text: str) -> bytes:
        """`text` as this file's bytes (UTF-8, with the byte-order mark it had)."""
        return (codecs.BOM_UTF8 if self.bom else b"") + text.encode("utf-8")


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _BREAK.finditer(text))]


def parse_text(path: Path, data: bytes) -> JourneyText:
    """Bytes -> JourneyText, or EditError at file:line:col when they are not YAML we can edit."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise EditError(f"{path}: is UTF-16; save it as UTF-8 to edit it with cljourney")
    text = decode(data)
    if not isinstance(text, str):
        raise EditError(f"{path}:{text.line}:{text.column}: {text.message}")
    parsed = parse_tree(data)
    if not isinstance(parsed, Tree):
        first = parsed[0]
        raise EditError(
            f"{path}:{first.line}:{first.column}: {first.message}; fix it (see"
            f" `cljourney validate {path}`) before editing"
        )
    return JourneyText(path, text, parsed.root, data.startswith(codecs.BOM_UTF8))


def read_text(path: Path) -> JourneyText:
    """Read and parse `path` (see `parse_text`); an unreadable file is an EditError."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise EditError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return parse_text(path, data)


def check_edited(original: JourneyText, text: str) -> None:
    """Raise EditError unless an edited text still parses: an edit never writes a broken file."""
    parsed = parse_tree(original.encoded(text))
    if not isinstance(parsed, Tree):
        first = parsed[0]
        raise EditError(
            f"{original.path}:{first.line}:{first.column}: the edited file would not parse"
            f" ({first.message}); nothing was written. This is a bug in cljourney: please report it"
        )


def journey_paths(paths: Sequence[Path]) -> list[Path]:
    """The journey files among named files and in named directories (the same search as
    validate): YAML that is not a journey (a CI config) is never edited. A file that cannot be
    read is kept, so reading it reports why. A path that does not exist is an EditError."""
    from cljourney.check.discover import find_targets
    from cljourney.load.detect import is_journey

    for path in paths:
        if not path.exists():
            raise EditError(f"{path}: no such file or directory")
    found: list[Path] = []
    for target in find_targets(paths).targets:
        try:
            head = target.path.read_bytes()
        except OSError:
            if target.explicit:
                found.append(target.path)
            continue
        if is_journey(head) or (target.explicit and _broken(head)):
            found.append(target.path)
    return found


def _broken(data: bytes) -> bool:
    """A named file whose YAML does not parse: reported (it may be a journey), never skipped."""
    return not isinstance(parse_tree(data), Tree)
