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


def inline(value: str, *, line_start: bool = True) -> str:
    """`value` on one line (whitespace runs become one space), every markup character escaped.

    With `line_start=False` the text follows other text on its line, so the marks that only open
    a block at the start of a line (`- `, `1. `) are left alone.
    """
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
    if not line_start:
        return escaped
    if escaped[:1] in ("-", "+", "="):
        return "\\" + escaped
    return _ORDERED.sub(r"\1\\\2", escaped, count=1)


def block(value: str) -> str:
    """`value` keeping its line breaks (as backslash hard breaks); blank lines are dropped."""
    lines = [inline(line) for line in value.splitlines()]
    return "\\\n".join(line for line in lines if line)


def code(value: str) -> str:
    """`value` as a code span, shown literally (ids such as `ae>csm` too).

    A `|` is backslashed, which GFM removes inside a table cell (code spans are only used in
    cells and headings, and ids never hold one outside a cell). Text a code span cannot hold
    as is (a backtick, a control character, edge spaces) falls back to escaped text.
    """
    flat = " ".join(value.split())
    if flat and flat == value and "`" not in flat and all(_clean(c) == c for c in flat):
        return "`" + flat.replace("|", "\\|") + "`"
    return inline(value)


_CODE_SPAN = re.compile(r"`([^`]+)`")


def message(value: str) -> str:
    """A finding or change message: escaped text, with its `backtick spans` shown as code.

    The spans are found in the flattened text and their content goes through `code`, so the only
    markup that user text inside a message can produce is a code span of literal text.
    """
    flat = " ".join(value.split())
    out: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(flat):
        out.append(_between(flat[position : match.start()], position == 0))
        out.append(code(match.group(1)))
        position = match.end()
    out.append(_between(flat[position:], position == 0))
    return "".join(out)


def _between(text: str, line_start: bool) -> str:
    """Escaped text between code spans, keeping the single spaces that separate them."""
    if not text.strip():
        return text
    lead = " " if text.startswith(" ") else ""
    trail = " " if text.endswith(" ") else ""
    return lead + inline(text, line_start=line_start) + trail
