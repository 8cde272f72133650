"""Positions between cljourney and the client: libyaml's 1-based lines and columns (counted in
characters) <-> LSP's 0-based positions in the client's units (UTF-16 by default)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from lsprotocol import types
from pygls.workspace import TextDocument
from pygls.workspace.position_codec import PositionCodec

# A value as written from its first character: quoted (to the closing quote) or plain (to a
# comment, a flow separator or the end of the line).
_QUOTED = {"'": re.compile(r"'(?:[^']|'')*'?"), '"': re.compile(r'"(?:[^"\\]|\\.)*"?')}
_PLAIN = re.compile(r"[^\s,\[\]{}#][^,\[\]{}\r\n]*?(?=\s+#|\s*[,\]}]|\s*$)")


class Text:
    """A document's lines and the client's position encoding, split once per request."""

    def __init__(self, source: str, codec: PositionCodec) -> None:
        self.source = source
        self.lines: Sequence[str] = tuple(source.splitlines(True)) or ("",)
        self.codec = codec

    @classmethod
    def of(cls, document: TextDocument) -> Text:
        return cls(document.source, document.position_codec)

    def line(self, line: int) -> str:
        """0-based line `line` without its line break ("" past the end)."""
        if 0 <= line < len(self.lines):
            return self.lines[line].rstrip("\r\n")
        return ""

    def position(self, line: int, column: int) -> types.Position:
        """1-based line and character column -> the client's position."""
        row = min(max(line - 1, 0), len(self.lines) - 1)
        column = min(max(column - 1, 0), len(self.line(row)))
        # A position in characters (what pygls 2.1 calls a ServerTextPosition; 2.0 takes this).
        return self.codec.position_to_client_units(self.lines, types.Position(row, column))

    def range(self, line: int, column: int, length: int) -> types.Range:
        """`length` characters from a 1-based line and column, on that line."""
        return types.Range(self.position(line, column), self.position(line, column + length))

    def value_range(self, line: int, column: int) -> types.Range:
        """The value written at a 1-based line and column (at least one character)."""
        return self.range(line, column, max(self.value_length(line, column), 1))

    def value_length(self, line: int, column: int) -> int:
        text = self.line(line - 1)[column - 1 :]
        quoted = _QUOTED.get(text[:1])
        match = (quoted or _PLAIN).match(text)
        return len(match.group(0)) if match else 0

    def cursor(self, position: types.Position) -> tuple[int, int]:
        """The client's position -> 0-based (line, character) in this text."""
        at = self.codec.position_from_client_units(self.lines, position)
        return at.line, at.character

    def offset(self, line: int, column: int) -> int:
        """Index in `source` of a 0-based line and character."""
        row = min(max(line, 0), len(self.lines) - 1)
        return sum(len(text) for text in self.lines[:row]) + column
