"""Mermaid text: label escaping, the limits diagrams keep to, and what every diagram shares.

Nothing a user wrote becomes Mermaid syntax. Label text goes through `text()`, which keeps
letters, digits, spaces and a few harmless marks and turns everything else into Mermaid's numeric
entity codes (`#58;` for `:`), which Mermaid decodes back into the same characters when it draws
(measured with mermaid 11 in both diagram kinds).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from cljourney.model import JourneyFile

# Margins under Mermaid's defaults (maxEdges 500, maxTextSize 50,000 UTF-16 code units).
EDGE_BUDGET = 400
TEXT_BUDGET = 40_000
# Diagram labels are for reading at a glance; the tables of the map carry the full text.
LABEL_LIMIT = 60
ROLE_LIMIT = 40
TITLE_LIMIT = 100

# Mermaid hides entity codes behind placeholders (`#35;` becomes `\ufb02\u00b0\u00b035\u00b6\u00df`)
# and decodes every placeholder left in the drawn SVG, so a label holding `\ufb02\u00b0\u00b0` or
# `\u00b6\u00df` would show `&#` or `;` instead. A WORD JOINER (invisible, no line break) between the
# two characters keeps them apart; as an entity code, so the source holds no invisible character.
_PLACEHOLDER_PAIRS = frozenset({("\ufb02", "\u00b0"), ("\u00b6", "\u00df")})
_WORD_JOINER = "#8288;"
_TRAILING = " ,;:-\u2013\u2014"  # not left before the ellipsis of a shortened label

_SAFE_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-'?!/()+")


@dataclass(frozen=True)
class Diagram:
    """One Mermaid diagram and an optional plain-text title (escaped by whoever shows it)."""

    text: str
    title: str | None = None


def text(value: str, *, limit: int | None = LABEL_LIMIT, extra: str = "") -> str:
    """`value` as Mermaid label text: one line, at most `limit` characters, no syntax.

    Whitespace runs (newlines included) become one space; control characters become U+FFFD;
    characters in `extra` are encoded too (e.g. `,` in journey-diagram actor lists).
    """
    flat = " ".join(value.split())
    if limit is not None and len(flat) > limit:
        flat = shorten(flat, limit)
    out: list[str] = []
    previous = ""
    for char in flat:
        if (previous, char) in _PLACEHOLDER_PAIRS:
            out.append(_WORD_JOINER)
        previous = char
        if char in _SAFE_ASCII and char not in extra:
            out.append(char)
        elif ord(char) < 128:
            out.append(f"#{ord(char)};" if char.isprintable() else "\ufffd")
        else:
            category = unicodedata.category(char)
            if category in ("Cc", "Cs"):
                out.append("\ufffd")
            elif category[0] in "CZ":
                out.append(f"#{ord(char)};")
            else:
                out.append(char)
    return "".join(out)


def shorten(flat: str, limit: int) -> str:
    """`flat` (one line) in at most `limit` characters: cut at the last word boundary, with an
    ellipsis ("Contract and…", never "Contract and signatu"). A single word longer than half the
    limit is cut inside, as there is no better place."""
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if flat[limit - 1] != " ":
        space = cut.rfind(" ")
        if space >= limit // 2:
            cut = cut[:space]
    return cut.rstrip(_TRAILING) + "\u2026"


ACC_LIMIT = 300  # an accessible description is read aloud: a sentence or two


def accessible(title: str, description: str) -> list[str]:
    """Mermaid's accessibility lines (`accTitle`, `accDescr`): the SVG's <title> and <desc>
    that screen readers announce. Both are escaped like any label (user text stays text)."""
    return [
        f"    accTitle: {text(title, limit=TITLE_LIMIT)}",
        f"    accDescr: {text(description, limit=ACC_LIMIT)}",
    ]


def name_of(name: str, element_id: str) -> str:
    """A name to draw: the name, or the element's id when the name is blank (Mermaid 11 refuses
    an empty subgraph label, `title` or `section`)."""
    return name if name.strip() else element_id


def size(diagram: str) -> int:
    """Length as Mermaid measures it against maxTextSize (JavaScript UTF-16 code units)."""
    return len(diagram.encode("utf-16-le", "surrogatepass")) // 2


def role_names(journey: JourneyFile) -> dict[str, str]:
    """Role id -> the name to draw (the id for a blank name); the first role of an id wins."""
    names: dict[str, str] = {}
    for role in journey.roles:
        names.setdefault(role.id, name_of(role.name, role.id))
    return names


def fits(diagram: str, edges: int) -> bool:
    """Whether a diagram stays inside the budgets (and so inside Mermaid's default limits)."""
    return edges <= EDGE_BUDGET and size(diagram) <= TEXT_BUDGET
