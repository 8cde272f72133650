"""The lines of a block-list item in a journey text: where it starts (its comments above it
included), where its content ends, and its dash's column.

Used to cut an item out and paste it elsewhere, as the text was written: a full-line comment
belongs to the element below it (as in edit/comments.py), so an item takes the comments above it
along, and the comments after its last line stay for the element that follows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cljourney.edit.comments import notes
from cljourney.edit.source import EditError, JourneyText
from cljourney.load.tree import YSeq


@dataclass(frozen=True)
class Lines:
    """Which lines of a text are layout (blank or comment only), 1-based."""

    layout: frozenset[int]
    count: int

    @staticmethod
    def of(text: str) -> Lines:
        found = frozenset(note.line for note in notes(text) if not note.end_of_line)
        return Lines(found, len(text.splitlines()))


@dataclass(frozen=True)
class Block:
    """Item lines, 1-based and inclusive: `first` (its first comment above, or its dash line)
    to `last` (its last content line); `dash` is the 0-based column of its `-`."""

    first: int
    start: int
    last: int
    dash: int


def is_block(source: JourneyText, seq: YSeq) -> bool:
    """Whether `seq` is written as a block list (`- item` lines), not a flow list (`[a, b]`)."""
    offset = source.offset(seq.line, seq.column)
    return source.text[offset : offset + 1] == "-"


def block(source: JourneyText, lines: Lines, seq: YSeq, index: int) -> Block:
    """The lines of item `index` of the block list `seq`."""
    start = seq.items_pos[index][0]
    first = start
    while first - 1 in lines.layout:
        first -= 1
    while first < start and first not in _comment_lines(source, lines):
        first += 1  # blank lines above stay where they are
    if index + 1 < len(seq):
        end = seq.items_pos[index + 1][0] - 1
    else:
        end = _list_end(source, lines, seq.column - 1, start)
    last = end
    while last > start and last in lines.layout:
        last -= 1
    return Block(first, start, last, seq.column - 1)


def _comment_lines(source: JourneyText, lines: Lines) -> frozenset[int]:
    text = source.text.splitlines()
    return frozenset(n for n in lines.layout if n <= len(text) and text[n - 1].strip())


def _list_end(source: JourneyText, lines: Lines, dash: int, start: int) -> int:
    """The last line of the list whose last item starts at `start`: before the first content line
    indented no deeper than the dash."""
    text = source.text.splitlines()
    for number in range(start + 1, len(text) + 1):
        if number in lines.layout:
            continue
        line = text[number - 1]
        if len(line) - len(line.lstrip(" ")) <= dash:
            return number - 1
    return len(text)


def shifted(chunk: list[str], by: int) -> list[str]:
    """`chunk` indented `by` more columns (fewer when negative; only spaces are taken away)."""
    out = []
    for line in chunk:
        if not line.strip():
            out.append(line)
        elif by >= 0:
            out.append(" " * by + line)
        else:
            spaces = len(line) - len(line.lstrip(" "))
            out.append(line[min(-by, spaces) :])
    return out


def refuse_flow(source: JourneyText, seq: Any, what: str) -> None:
    """EditError at `seq` unless it is a block list (or an empty flow list, when `what` allows)."""
    if isinstance(seq, YSeq) and not is_block(source, seq):
        raise EditError(
            f"{source.path}:{seq.line}:{seq.column}: {what} are written as a flow list"
            " (`[...]`); write them as a block list (one `- ` item per line) to move touchpoints"
            " in or out"
        )
