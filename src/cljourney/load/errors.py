"""libyaml's errors -> one-line messages at the line and column an editor shows, with a fix.

libyaml reports character problems (a NUL, an ESC) as a byte offset, and structure problems with
its own wording ("did not find expected '-' indicator"); this module turns both into messages that
say what is wrong where and how to fix it, using the text around the mark.

Line breaks: YAML 1.2 and editors break lines only at LF, CR LF and CR, but libyaml (YAML 1.1) also
breaks at NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029). A file holding
one would be read with lines that differ from what the editor shows, so such a file is refused
before parsing with a message at the editor's line and column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml

from cljourney.findings import Location, Related


@dataclass(frozen=True)
class YamlProblem:
    """A reason the bytes are not a usable YAML document, at a 1-based position."""

    message: str
    line: int
    column: int
    related: tuple[Related, ...] = ()


_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")
_BREAK_NAMES = {"\x85": "NEL", "\u2028": "LINE SEPARATOR", "\u2029": "PARAGRAPH SEPARATOR"}
# C0 controls but tab and line feed, DEL and C1 controls: invisible, and unsafe in a rendered map.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {0: "NUL", 0x1B: "ESC", 0x0D: "carriage return", 0x7F: "DEL", 0x0C: "form feed"}


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of character `offset`, counting lines as editors do."""
    before = text[:offset]
    line_start = max(before.rfind("\n"), before.rfind("\r")) + 1
    return before.count("\n") + before.count("\r") - before.count(
        "\r\n"
    ) + 1, offset - line_start + 1


def char_name(char: str) -> str:
    """`U+0000 (NUL)`-style name of a character for messages."""
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or _BREAK_NAMES.get(char) or unicodedata.name(char, "")
    return f"U+{code:04X}" + (f" ({name})" if name else "")


def odd_line_break(text: str) -> YamlProblem | None:
    """A problem at the first NEL/LS/PS in `text`, or None (a fast scan in C)."""
    match = _ODD_BREAKS.search(text)
    if match is None:
        return None
    line, column = position(text, match.start())
    count = len(_ODD_BREAKS.findall(text))
    more = f" ({count - 1} more in the file)" if count > 1 else ""
    return YamlProblem(
        f"invalid YAML: the character {char_name(match.group())}{more} is a line break for some"
        " YAML readers and not for others (nor for editors); replace it with a newline or a space",
        line,
        column,
    )


# What each standard tag marks, to say so when a tag contradicts its node (`!!seq` on a mapping).
_TAG_MARKS = {
    "tag:yaml.org,2002:str": "text",
    "tag:yaml.org,2002:map": "a mapping",
    "tag:yaml.org,2002:seq": "a list",
}


def tag_message(tag: str, node: str) -> str:
    """Why `tag` on a node that is `node` ("text", "a mapping" or "a list") is refused: journey
    files allow `!!str` on text and no other tag."""
    shown = tag.replace("tag:yaml.org,2002:", "!!")
    marks = _TAG_MARKS.get(tag)
    clash = f"; it marks {marks}, not {node}" if marks is not None and marks != node else ""
    fix = "remove it, and quote the value if it must stay text" if node == "text" else "remove it"
    return f"the tag {shown} is not allowed{clash}; {fix} (journey files allow only !!str, on text)"


def control_message(value: str) -> str | None:
    """Why a text value holding a control character is refused, or None when it holds none."""
    match = CONTROL.search(value)
    if match is None:
        return None
    return (
        f"the text holds the control character {char_name(match.group())}, which no map can show;"
        " remove the escape (only \\t and \\n are allowed)"
    )


def _reader_problem(exc: yaml.reader.ReaderError, text: str, byte_offsets: bool) -> YamlProblem:
    offset = exc.position
    if byte_offsets:  # libyaml counts bytes of the UTF-8 text it was handed
        offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
    line, column = position(text, offset)
    char = text[offset] if 0 <= offset < len(text) else chr(exc.character)
    return YamlProblem(
        f"invalid YAML: the file holds the control character {char_name(char)}, which YAML does"
        " not allow; delete it",
        line,
        column,
    )


def _content(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line] if 0 <= line < len(lines) else ""


def _word(content: str) -> str:
    """The key or first word a line starts with, for messages."""
    stripped = content.strip().removeprefix("- ").strip()
    word = re.split(r":(?:\s|$)|\s", stripped, maxsplit=1)[0] if stripped else ""
    return f"`{word[:40]}`" if word else "this line"


def _levels(text: str, line: int) -> list[tuple[int, int, bool]]:
    """(0-based column, line, is a `- ` item) of the block levels enclosing `line`, innermost first."""
    lines = text.splitlines()
    found: list[tuple[int, int, bool]] = []
    lowest = 1 << 30
    for number in range(min(line, len(lines)) - 1, -1, -1):
        content = lines[number]
        stripped = content.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(content) - len(stripped)
        if indent >= lowest:
            continue
        lowest = indent
        if stripped.startswith("- "):
            found.append((indent + 2, number, False))
            found.append((indent, number, True))
        else:
            found.append((indent, number, False))
        if indent == 0:
            break
    return found


def _indentation(text: str, line: int, column: int) -> tuple[str, tuple[Related, ...]] | None:
    """Which line is out of step with its siblings, and where it should start (the lines it is
    compared with are related locations, so the message holds no line number)."""
    content = _content(text, line)
    levels = _levels(text, line)
    if not levels or not content.strip():
        return None
    is_item = content.lstrip(" ").startswith("- ")
    what = "this list item" if is_item else _word(content)
    inner = next(((c, n) for c, n, item in levels if c > column and item == is_item), None)
    items = next(((c, n) for c, n, item in levels if c == column and item), None)
    if items is not None and inner is not None:
        like = _word(_content(text, inner[1]))
        return (
            f"{what} starts at column {column + 1}, where only list items (`- `) fit; to make"
            f" it a key of the item above, indent it to column {inner[0] + 1} like {like}",
            (
                Related(Location(items[1] + 1, column + 1), "a list item at this column"),
                Related(Location(inner[1] + 1, inner[0] + 1), f"{like} at the key column"),
            ),
        )
    if inner is None:
        return None
    sibling = "the list item" if is_item else _word(_content(text, inner[1]))
    outer = next((c for c, _, item in levels if c < column and item == is_item), None)
    other = f", or to column {outer + 1} for the level above" if outer is not None else ""
    return (
        f"{what} starts at column {column + 1}, out of line with {sibling} above it"
        f" (column {inner[0] + 1}); indent it to column {inner[0] + 1} if it belongs with"
        f" it{other}",
        (Related(Location(inner[1] + 1, inner[0] + 1), f"{sibling} it is out of line with"),),
    )


def _deeper_key(text: str, line: int) -> tuple[str, tuple[Related, ...]] | None:
    """`key: value` followed by a line indented deeper than it: a key that went too far right."""
    lines = text.splitlines()
    if not 0 < line < len(lines):
        return None
    content = lines[line]
    above = next(
        (
            n
            for n in range(line - 1, -1, -1)
            if lines[n].strip() and not lines[n].lstrip().startswith("#")
        ),
        None,
    )
    previous = "" if above is None else lines[above]
    indent = len(content) - len(content.lstrip(" "))
    prev_stripped = previous.lstrip(" ").removeprefix("- ")
    prev_key_col = len(previous) - len(prev_stripped)
    if above is None or indent <= prev_key_col or not re.match(r"[^\s:]+:\s+\S", prev_stripped):
        return None
    return (
        f"{_word(content)} is indented deeper (column {indent + 1}) than {_word(previous)}"
        f" above it (column {prev_key_col + 1}), so it reads as part of that value; indent it"
        f" to column {prev_key_col + 1} to make it a sibling key",
        (
            Related(
                Location(above + 1, prev_key_col + 1),
                f"{_word(previous)}, whose value it reads as part of",
            ),
        ),
    )


def _hint(problem: str, found: str) -> str:
    if found == "\t":
        return "; indent with spaces, YAML does not allow tabs there"
    if "mapping values are not allowed" in problem:
        return "; quote the value if it contains ': '"
    if "could not find expected ':'" in problem:
        return "; each key needs a ':' after it"
    if "found character '@'" in problem or "found character '`'" in problem:
        return "; quote values that start with '@' or '`'"
    return ""


_INDENT_PROBLEMS = (
    "did not find expected '-' indicator",
    "did not find expected key",
    "expected <block end>",
)


def _explained(problem: str, text: str, mark: Any, context_mark: Any) -> YamlProblem | None:
    """A structure problem caused by indentation, or a key without ':', explained; else None."""
    line, column = mark.line, mark.column
    if _content(text, line)[column : column + 1] == "\t":
        return None
    explained: tuple[str, tuple[Related, ...]] | None = None
    if problem.startswith(_INDENT_PROBLEMS):
        explained = _indentation(text, line, column)
    elif "mapping values are not allowed" in problem:
        explained = _deeper_key(text, line)
        column = len(_content(text, line)) - len(_content(text, line).lstrip(" "))
    elif "could not find expected ':'" in problem and context_mark is not None:
        line, column = context_mark.line, context_mark.column
        what = _word(_content(text, line))
        explained = (
            f"{what} is not a `key: value` pair; add ':' after the key, or indent the line"
            " further to continue the value above",
            (),
        )
    if explained is None:
        return None
    message, related = explained
    return YamlProblem(f"invalid YAML: {message}", line + 1, column + 1, related)


def syntax_problem(exc: yaml.YAMLError, text: str, *, byte_offsets: bool) -> YamlProblem:
    """A one-line problem for any error PyYAML or libyaml raised while reading `text`."""
    if isinstance(exc, yaml.reader.ReaderError):
        return _reader_problem(exc, text, byte_offsets)
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = str(getattr(exc, "problem", None) or exc)
    context = getattr(exc, "context", None)
    if mark is None:
        return YamlProblem(f"invalid YAML: {problem}", 1, 1)
    explained = _explained(problem, text, mark, getattr(exc, "context_mark", None))
    if explained is not None:
        return explained
    message = f"{context}, {problem}" if context else problem
    found = _content(text, mark.line)[mark.column : mark.column + 1]
    return YamlProblem(
        f"invalid YAML: {message}{_hint(problem, found)}", mark.line + 1, mark.column + 1
    )
