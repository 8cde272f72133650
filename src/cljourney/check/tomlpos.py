"""Line numbers of the keys of a TOML document, for error messages that point at the right line.

`tomllib` returns plain data without positions, so this module scans the text once: table headers
(`[a.b]`, `[[a.b]]`) and `key = value` lines (bare, quoted and dotted keys), skipping the inside of
multi-line strings. Keys inside inline tables and multi-line arrays are not listed; callers fall
back to the nearest enclosing key, which is still the line a user has to look at. The scan is total:
it never raises, whatever the text (it only serves messages, so it must not become one).
"""

from __future__ import annotations

import re

KeyPath = tuple[str, ...]

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"((?:[^"\\]|\\.)*)"')
_LITERAL = re.compile(r"'([^']*)'")


# TOML's escapes in basic strings; anything else is kept as written (the TOML reader has already
# accepted the document, so this only meets valid escapes, but it must never raise either way).
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.DOTALL)
_SIMPLE = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b", '"': '"', "\\": "\\"}


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1) or match.group(2)
    if code is not None:
        return chr(int(code, 16)) if int(code, 16) <= 0x10FFFF else match.group(0)
    return _SIMPLE.get(match.group(3), match.group(0))


def _parse_key(text: str, pos: int) -> tuple[KeyPath, int] | None:
    """A dotted key starting at `pos`: its parts and the position after it, or None."""
    parts: list[str] = []
    while True:
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        for pattern in (_BARE, _BASIC, _LITERAL):
            match = pattern.match(text, pos)
            if match:
                part = match.group(1) if pattern is not _BARE else match.group(0)
                if pattern is _BASIC:
                    part = _ESCAPE.sub(_unescape, part)
                parts.append(part)
                pos = match.end()
                break
        else:
            return None
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        if pos < len(text) and text[pos] == ".":
            pos += 1
            continue
        return tuple(parts), pos


def _opens_multiline(value: str) -> str | None:
    """The delimiter of a multi-line string opened and not closed in `value`, else None."""
    for delimiter in ('"""', "'''"):
        start = value.find(delimiter)
        if start != -1 and value.find(delimiter, start + 3) == -1:
            return delimiter
    return None


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map every table and key path to the 1-based line where it is defined."""
    lines: dict[KeyPath, int] = {}
    table: KeyPath = ()
    inside: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if inside is not None:
            if inside in raw:
                inside = None
            continue
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            header = _parse_key(line, 2 if line.startswith("[[") else 1)
            if header is not None:
                table = header[0]
                lines.setdefault(table, number)
            continue
        parsed = _parse_key(line, 0)
        if parsed is None or parsed[1] >= len(line) or line[parsed[1]] != "=":
            inside = _opens_multiline(line)  # a multi-line string in an array
            continue
        path = table + parsed[0]
        for cut in range(len(table) + 1, len(path) + 1):
            lines.setdefault(path[:cut], number)
        inside = _opens_multiline(line[parsed[1] + 1 :])
    return lines


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int:
    """The line of `path`, or of its nearest listed ancestor; 1 when nothing matches."""
    for cut in range(len(path), -1, -1):
        if path[:cut] in lines:
            return lines[path[:cut]]
    return 1
