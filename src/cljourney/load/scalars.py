"""Plain YAML scalars resolved with the YAML 1.2 core schema, whatever a `%YAML` directive says.

`no`, `on` and `12:30` stay text; numbers too long for Python's int/str conversion are refused
where they are written instead of crashing later.
"""

from __future__ import annotations

import re

Scalar = str | int | float | bool | None

PLAIN_SPECIAL = frozenset("0123456789+-.~tTfFnN")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_INT10 = re.compile(r"[-+]?[0-9]+\Z")
_INT8 = re.compile(r"0o[0-7]+\Z")
_INT16 = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")


# Python refuses to turn integers of more than 4,300 decimal digits into text or back (a guard
# against quadratic conversions): such a number in a journey is refused where it is written.
MAX_NUMBER_DIGITS = 4300
_MAX_NUMBER_BITS = 14_000  # hexadecimal and octal: below 4,300 decimal digits (2**14000 ~ 1e4214)


class TooLong:
    """The value of a plain scalar that is a number too long to use (see MAX_NUMBER_DIGITS)."""


TOO_LONG = TooLong()


def too_long_message(text: str) -> str:
    return (
        f"a number of {len(text):,} characters, over the {MAX_NUMBER_DIGITS:,}-digit limit;"
        " quote it if it is meant as text"
    )


def resolve_plain(text: str) -> Scalar | TooLong:
    """Resolve an untagged plain scalar with the YAML 1.2 core schema (TOO_LONG for a number
    that Python cannot convert to or from text)."""
    if text and (text[0] not in PLAIN_SPECIAL or " " in text):
        return text  # no number, boolean or null starts so, or holds a space
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT10.match(text):
        return int(text) if len(text.lstrip("+-")) <= MAX_NUMBER_DIGITS else TOO_LONG
    if _INT8.match(text) or _INT16.match(text):
        number = int(text[2:], 8 if text[1] == "o" else 16)
        return number if number.bit_length() <= _MAX_NUMBER_BITS else TOO_LONG
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.match(text):
        return float("nan")
    return text
