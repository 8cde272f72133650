"""Escape user text for GitHub-flavoured markdown so it shows literally and never as markup.

Every character CommonMark or GFM could read as syntax is backslash-escaped: emphasis and
strikethrough marks, code spans, links, images, footnotes, raw HTML, entities, table pipes,
math dollars, and the line starts that open blocks (`# `, `- `, `1. `, `> `...). URL autolinks are
defused (`https\\://`, `www\\.`). Email addresses still become `mailto:` links in cmark-gfm whatever
the escaping (its autolinker runs on decoded text); they show the address unchanged.
No raw HTML is ever produced: a line break inside a paragraph is a backslash hard break.
"""

from __future__ import annotations

import re
import unicodedata

_ESCAPE = frozenset("\\`*_[]<>&|~$#")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


def _clean(char: str) -> str:
    category = unicodedata.category(char)
    return "\ufffd" if category in ("Cc", "Cs") else char


def inline(value: str) -> str:
    """`value` on one line (whitespace runs become one space), every markup character escaped."""
    flat = " ".join(value.split())
    out: list[str] = []
    for index, char in enumerate(flat):
        if char in _ESCAPE:
            out.append("\\" + char)
        elif char == ":" and flat.startswith("//", index + 1):
            out.append("\\:")
        elif char == "." and flat[max(0, index - 3) : index].lower() == "www":
            out.append("\\.")
        else:
            out.append(_clean(char))
    escaped = "".join(out)
    if escaped[:1] in ("-", "+", "="):
        return "\\" + escaped
    return _ORDERED.sub(r"\1\\\2", escaped, count=1)


def block(value: str) -> str:
    """`value` keeping its line breaks (as backslash hard breaks); blank lines are dropped."""
    lines = [inline(line) for line in value.splitlines()]
    return "\\\n".join(line for line in lines if line)


def code(value: str) -> str:
    """An id as a code span; ids are slugs, anything else falls back to escaped text."""
    if value and all(char.isascii() and (char.isalnum() or char in "-_") for char in value):
        return f"`{value}`"
    return inline(value)
