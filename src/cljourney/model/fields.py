"""The value types of the journey format (ids, text, scores, durations, shares, dates, event
names, collections, tagged unions) with their validators, and the base every model shares:
frozen, strict, unknown keys forbidden.
"""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    StringConstraints,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=100)]
# Some text besides white space: a blank name shows as nothing in maps and breaks Mermaid titles.
NOT_BLANK = r"\S"
Text = Annotated[str, StringConstraints(min_length=1, pattern=NOT_BLANK)]
Score = Annotated[int, Field(ge=1, le=5)]
# A span of time: `90m`, `12h`, `5d`, `2w` (also `30s`, `1.5d`), or ISO 8601 without years and
# months, whose length varies (`P5D`, `PT12H`, `P1DT2H`, `P2W`). See `duration_seconds`.
_ISO_TIME = r"T(?:[0-9]+H(?:[0-9]+M)?(?:[0-9]+S)?|[0-9]+M(?:[0-9]+S)?|[0-9]+S)"
DURATION_PATTERN = (
    r"^(?:[0-9]+(?:\.[0-9]+)?[smhdw]"
    rf"|P(?:[0-9]+W(?:[0-9]+D)?(?:{_ISO_TIME})?|[0-9]+D(?:{_ISO_TIME})?|{_ISO_TIME}))$"
)
_DURATION = re.compile(DURATION_PATTERN)
_SHARE = re.compile(r"^(?:100(?:\.0+)?|[0-9]{1,2}(?:\.[0-9]+)?)%$")


def _duration(value: Any) -> str:
    if isinstance(value, str) and _DURATION.match(value):
        return value
    raise PydanticCustomError("duration_invalid", "not a duration")


def _share(value: Any) -> str | float:
    if isinstance(value, str) and _SHARE.match(value):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1:
        return float(value)
    raise PydanticCustomError("share_invalid", "not a share")


Duration = Annotated[
    str,
    PlainValidator(_duration),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN}),
]
# A share of customers: a percentage text (`90%`) or a fraction 0..1 (`0.9`).
Share = Annotated[
    str | float,
    PlainValidator(_share),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": _SHARE.pattern},
                {"type": "number", "minimum": 0, "maximum": 1},
            ]
        }
    ),
]
# A calendar date, `2026-09-14` (YAML 1.2 reads it as text; it stays text in the model).
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_DATE = re.compile(DATE_PATTERN)


def _date(value: Any) -> str:
    if isinstance(value, str) and _DATE.match(value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value
    raise PydanticCustomError("date_invalid", "not a date")


Date = Annotated[
    str,
    PlainValidator(_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
# An event name, or a pattern where `*` matches any run of characters.
EventName = Annotated[str, StringConstraints(min_length=1, pattern=NOT_BLANK, max_length=200)]

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_ISO_PART = re.compile(r"([0-9]+)([WDHMS])")


def duration_seconds(text: str) -> float:
    """Seconds in a `Duration` the model accepted (`5d` -> 432000; `PT90M` -> 5400)."""
    if not text.startswith("P"):
        return float(text[:-1]) * _UNIT_SECONDS[text[-1]]
    date, _, time = text[1:].partition("T")
    total = 0.0
    for part, units in ((date, {"W": 604800, "D": 86400}), (time, {"H": 3600, "M": 60, "S": 1})):
        for number, unit in _ISO_PART.findall(part):
            total += int(number) * units[unit]
    return total


def share_fraction(value: str | float) -> float:
    """A `Share` as a fraction 0..1 (`90%` -> 0.9)."""
    return float(value[:-1]) / 100 if isinstance(value, str) else float(value)


T = TypeVar("T")


def none_is_empty(value: Any) -> Any:
    """`touchpoints:` with nothing after it (normal while drafting) is an empty list, not an error."""
    return [] if value is None else value


# A collection field: a list, where an empty value (`exit:`) means an empty list.
Items = Annotated[list[T], BeforeValidator(none_is_empty)]


# `during`: `all`, or a non-empty list of stage ids. A tagged union, so a bad value is checked
# against one shape only; the loader drops the tags from error locations.
DURING_ALL = "all"
DURING_TAGS = frozenset({"<all>", "<stage ids>"})


def _during_shape(value: Any) -> str:
    return "<all>" if value == DURING_ALL else "<stage ids>"


During = Annotated[
    Annotated[Literal["all"], Tag("<all>")]
    | Annotated[list[Slug], Field(min_length=1), Tag("<stage ids>")],
    Discriminator(_during_shape),
]


class FrozenModel(BaseModel):
    """The base of every model of the format: frozen, strict, unknown keys forbidden."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


def _number_as_text(value: Any) -> Any:
    """`target: 95` means the text `95`: a figure, whichever way YAML read it."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


# A target figure: text (`95%`), or a number read as its text.
Figure = Annotated[
    Text,
    BeforeValidator(_number_as_text),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "minLength": 1, "pattern": NOT_BLANK}, {"type": "number"}]}
    ),
]


def _item_shape(value: Any) -> str:
    # A mapping when validating, a model when serializing.
    return "<object>" if isinstance(value, (dict, BaseModel)) else "<text>"


# Pain points, opportunities and metrics: plain text, or an object with more to say. A tagged
# union, so a bad value is checked against one shape only; the loader drops the tags.
ITEM_TAGS = frozenset({"<text>", "<object>"})
UNION_TAGS = DURING_TAGS | ITEM_TAGS
_M = TypeVar("_M", bound=BaseModel)
TextOr = Annotated[
    Annotated[Text, Tag("<text>")] | Annotated[_M, Tag("<object>")], Discriminator(_item_shape)
]
