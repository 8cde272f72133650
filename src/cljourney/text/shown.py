"""File names (and text holding them) made safe for every output format.

A file name is bytes: it may hold a newline (which would split a one-finding-a-line report, or
start a new workflow command in `--format github`), other control characters, or bytes that are
not UTF-8 (Python carries them as lone surrogates, which no UTF-8 output can encode). Reports show
such characters as escapes (`\\n`, `\\x1b`, `\\xff`); JSON formats escape control characters
themselves and need only the undecodable bytes shown; URIs carry the real bytes percent-encoded.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and lone surrogates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as surrogateescape carries it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` on one line, every control character and undecodable byte shown as an escape."""
    return _UNPRINTABLE.sub(_escape, text)


def encodable(text: str) -> str:
    """`text` with only undecodable bytes escaped, for formats that escape controls themselves."""
    return _SURROGATE.sub(_escape, text)


def encodable_data(value: Any) -> Any:
    """`encodable` applied to every string in JSON-ready data (dicts, lists, scalars)."""
    if isinstance(value, str):
        return encodable(value)
    if isinstance(value, dict):
        return {encodable_data(key): encodable_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [encodable_data(item) for item in value]
    return value


def uri_path(path: str) -> str:
    """A relative path as a URI reference: its real bytes percent-encoded (`#`, `%`, spaces too)."""
    return quote(path.encode("utf-8", "surrogateescape"), safe="/-._~")
