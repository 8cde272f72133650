"""Comments and blank lines of a YAML text, each tied to the element it sits on, and put back on
the same elements in another layout of the same data.

A full-line comment (and a blank line) belongs to the element that follows it, an end-of-line
comment to the outermost element starting on its line. Elements are named by their path (keys and
list indexes), which a re-layout keeps, so the comments follow their element wherever it moves.
Comments are found between libyaml's tokens: a `#` there is always a comment.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from cljourney.load.tree import YMap, YSeq

Path = tuple["str | int", ...]
_BREAK = re.compile("\r\n|\r|\n")
_COMMENT = re.compile(r"#[^\r\n]*")


@dataclass(frozen=True)
class Note:
    """A comment (`text` starting with `#`) or a blank line (`text` empty), at a 1-based line."""

    line: int
    column: int
    text: str
    end_of_line: bool


@dataclass
class Placed:
    """Notes by element: `before[path]` lines above it, `after[path]` end-of-line comments (with
    their original column); `head` above the first element (the file's header, which stays on
    top whatever moves), `tail` after the last."""

    before: dict[Path, list[str]] = field(default_factory=dict)
    after: dict[Path, list[tuple[int, str]]] = field(default_factory=dict)
    tail: list[str] = field(default_factory=list)
    head: list[str] = field(default_factory=list)


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _BREAK.finditer(text))]


def notes(text: str) -> list[Note]:
    """Every comment and blank line outside YAML values, in order."""
    starts = _line_starts(text)

    def offset(mark: Any) -> int:
        # Without a final line break, libyaml puts the stream's end on a line after the last.
        if mark.line >= len(starts):
            return len(text)
        return int(starts[mark.line] + mark.column)

    found: list[Note] = []
    previous_end = 0
    for token in yaml.scan(text, Loader=yaml.CSafeLoader):
        start = offset(token.start_mark)
        if start > previous_end:
            found.extend(_gap_notes(text, starts, previous_end, start))
        end = offset(token.end_mark)
        if isinstance(token, yaml.ScalarToken) and token.style in ("|", ">"):
            end = _block_scalar_end(text, start, end)
        previous_end = max(previous_end, end)
    if previous_end < len(text):
        found.extend(_gap_notes(text, starts, previous_end, len(text)))
    return found


def _block_scalar_end(text: str, start: int, end: int) -> int:
    """A block scalar's token takes in the blank lines after it; they are layout, not content
    (except with `+` chomping, which keeps them)."""
    header = text[start : text.find("\n", start) if "\n" in text[start:end] else end]
    if "+" in header:
        return end
    body = text[start:end]
    stripped = body.rstrip(" \t\r\n")
    line_end = _BREAK.search(body, len(stripped))
    return start + (line_end.end() if line_end else len(body))


def _gap_notes(text: str, starts: list[int], begin: int, end: int) -> Iterator[Note]:
    line = bisect.bisect_right(starts, begin) - 1
    position = begin
    while position < end:
        line_end = min(starts[line + 1] if line + 1 < len(starts) else len(text), end)
        segment = text[position:line_end]
        comment = _COMMENT.search(segment)
        whole_line = position == starts[line]
        if comment is not None:
            column = position - starts[line] + comment.start()
            before = text[starts[line] : starts[line] + column]
            yield Note(line + 1, column + 1, comment.group().rstrip(), bool(before.strip()))
        elif whole_line and segment.endswith(("\n", "\r")) and not segment.strip():
            yield Note(line + 1, 1, "", False)
        position = line_end
        line += 1


def elements(root: Any) -> list[tuple[int, Path]]:
    """(line, path) of every map key and list item, outer before inner, in document order."""
    found: list[tuple[int, Path]] = []
    stack: list[tuple[Any, Path]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        children: list[tuple[int, Path, Any]] = []
        if isinstance(node, YMap):
            children = [(pos[0], (*path, key), node[key]) for key, pos in node.keys_pos.items()]
        elif isinstance(node, YSeq):
            children = [(pos[0], (*path, i), node[i]) for i, pos in enumerate(node.items_pos)]
        for line, child_path, _ in children:
            found.append((line, child_path))
        stack.extend((child, child_path) for _, child_path, child in reversed(children))
    found.sort(key=lambda item: item[0])  # stable: outer before inner on one line
    return found


def place(text: str, root: Any) -> Placed:
    """Tie each note of `text` to an element of its tree `root` (see the module docstring)."""
    placed = Placed()
    starts = _line_starts(text)
    found = elements(root)
    lines = [line for line, _ in found]
    for note in notes(text):
        if note.end_of_line:
            # The last element starting on its line: `- why: text  # note` is about the why;
            # a flow collection's (`next: [a, b]  # note`) is about its owner, whose key order
            # inside the braces fmt may change.
            index = max(bisect.bisect_right(lines, note.line) - 1, 0)
            if found:
                owner = _flow_owner(text, starts, root, found[index][1], note.line)
                placed.after.setdefault(owner, []).append((note.column, note.text))
                continue
        index = bisect.bisect_right(lines, note.line)
        if index == 0:
            placed.head.append(note.text)
        elif index < len(found):
            placed.before.setdefault(found[index][1], []).append(note.text)
        else:
            placed.tail.append(note.text)
    return placed


def _flow_owner(text: str, starts: list[int], root: Any, path: Path, line: int) -> Path:
    """`path`, or the owner of the outermost flow collection holding it that starts on `line`."""
    nodes = [root]
    for step in path[:-1]:
        nodes.append(nodes[-1][step])
    owner = path
    for depth in range(len(path) - 1, -1, -1):
        node = nodes[depth]
        if not isinstance(node, (YMap, YSeq)) or node.line != line:
            break
        if text[starts[node.line - 1] + node.column - 1] not in "{[":
            break
        owner = path[:depth]
    return owner if owner else path


def _collapse(lines: list[str]) -> list[str]:
    """At most one blank line in a row."""
    kept: list[str] = []
    for line in lines:
        if line or not kept or kept[-1]:
            kept.append(line)
    return kept


def put_back(text: str, root: Any, placed: Placed, blank_before: set[Path]) -> str:
    """`text` (comment-free, whose tree is `root`) with `placed` notes on their elements and one
    blank line before each element of `blank_before`. Blank lines never start or end the file."""
    out = _BREAK.split(text)
    if out and out[-1] == "":
        out.pop()
    above: dict[int, list[str]] = {}
    beside: dict[int, list[tuple[int, str]]] = {}
    for line, path in elements(root):
        before = list(placed.before.get(path, []))
        if path in blank_before and (not before or before[0]):
            before.insert(0, "")
        if before:
            above.setdefault(line, []).extend(before)
        if path in placed.after:
            beside.setdefault(line, []).extend(placed.after[path])
    result: list[str] = _collapse(placed.head)
    for number, content in enumerate(out, start=1):
        indent = content[: len(content) - len(content.lstrip(" "))]
        for note in above.get(number, []):
            if note or (result and result[-1]):  # never two blank lines in a row
                result.append(indent + note if note else "")
        for column, comment in beside.get(number, []):
            pad = column - 1 - len(content)
            content += (" " * pad if pad >= 2 else "  ") + comment
        result.append(content)
    tail = _collapse(placed.tail)
    while tail and not tail[-1]:
        tail.pop()
    result.extend(tail)
    while result and not result[0]:
        result.pop(0)
    return "\n".join(result) + "\n"
