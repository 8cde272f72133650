"""Pydantic models of the journey file format, version 1. Frozen, strict, unknown keys forbidden; no I/O.

Collection fields left empty (`exit:`) are empty lists; `next:` left empty is an error, because
"no successors" (`next: []`, the journey ends) and "absent" (the next touchpoint in the file
follows) mean different things and an empty value could be either.

Fields whose absence is a *finding* rather than a schema error (`why`, `owner`) are optional here:
the rules report them with customer-facing advice instead of a bare "field required".
"""

from __future__ import annotations

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
    field_validator,
)
from pydantic_core import PydanticCustomError

FORMAT_VERSION = 1

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


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class JourneyInfo(_Model):
    """Who and what the journey is about."""

    id: Slug = Field(
        description="Stable identifier of the journey: lowercase letters, digits, '-' and '_'."
    )
    name: Text = Field(description="Human-readable name of the journey.")
    owner: Text = Field(description="Team or person accountable for this file.")
    persona: str | None = Field(None, description="The customer this journey is written for.")
    outcome: str | None = Field(
        None, description="The outcome the customer wants from the whole journey."
    )
    description: str | None = Field(None, description="Free-text notes about the journey.")


class Role(_Model):
    """An internal role that owns stages and touchpoints (BDR, AE, CSM, Support...)."""

    id: Slug = Field(description="Role id, referenced by `owner`, `from` and `to`.")
    name: Text = Field(description="Human-readable role name.")
    description: str | None = Field(None, description="What this role does for the customer.")


class CustomerMoment(_Model):
    """The customer's side of a touchpoint."""

    does: str | None = Field(None, description="What the customer does at this moment.")
    thinks: str | None = Field(None, description="What the customer thinks or asks themselves.")
    feels: str | None = Field(None, description="How the customer feels (one or two words).")
    score: Score | None = Field(None, description="Emotion score: 1 (frustrated) to 5 (delighted).")


class TouchpointTarget(_Model):
    """What the journey promises at a touchpoint, which `conform` holds against an event log."""

    reach: Share | None = Field(
        None,
        description="Share of the customers who started the journey that reach this touchpoint: `90%` or `0.9`.",
    )
    within: Duration | None = Field(
        None,
        description="Longest time from the touchpoint before it on the customer's path: `5d`, `12h`, `90m`, `2w` or ISO 8601 (`P5D`).",
    )


class StageTarget(_Model):
    """What the journey promises for a stage, which `conform` holds against an event log."""

    within: Duration | None = Field(
        None,
        description="Longest time in the stage (first event in it -> first event in a later stage): `30d`, `P30D`...",
    )


class Touchpoint(_Model):
    """A moment the customer lives through inside a stage."""

    id: Slug = Field(
        description="Touchpoint id, unique in the journey; referenced by `next`, `loops_to`, `at`."
    )
    name: Text = Field(description="Human-readable touchpoint name.")
    owner: str | None = Field(
        None, description="Role id accountable for this touchpoint; defaults to the stage owner."
    )
    channel: str | None = Field(None, description="Where it happens (email, video, in-app...).")
    why: str | None = Field(None, description="Why this touchpoint is valuable to the customer.")
    how: str | None = Field(None, description="How it is delivered.")
    customer: CustomerMoment | None = Field(
        None, description="What the customer does, thinks and feels."
    )
    pain_points: Items[str] = Field(
        default_factory=list, description="What can go wrong for the customer here."
    )
    opportunities: Items[str] = Field(
        default_factory=list, description="Ideas to make this moment better."
    )
    metrics: Items[str] = Field(
        default_factory=list, description="How success at this touchpoint is measured."
    )
    next: list[str] | None = Field(
        None,
        description="Explicit successors (touchpoint ids). Without it, the next touchpoint in the file follows; `[]` ends the journey here; an empty `next:` is an error.",
    )
    loops_to: Items[str] = Field(
        default_factory=list,
        description="Deliberate returns to earlier touchpoints (e.g. the next renewal cycle).",
    )
    terminal: bool = Field(
        False, description="True where the journey may intentionally end (churn, offboarding)."
    )
    events: Items[EventName] = Field(
        default_factory=list,
        description="Event names in an event log meaning the customer lived this touchpoint; `*` matches any run of characters (`conform`).",
    )
    target: TouchpointTarget | None = Field(
        None, description="Targets `conform` checks: `reach` and `within`."
    )

    @field_validator("next", mode="before")
    @classmethod
    def _next_is_not_empty(cls, value: Any) -> Any:
        """`next:` with nothing after it is ambiguous (end here, or follow the file?): ask."""
        if value is None:
            raise PydanticCustomError("next_empty", "next is empty")
        return value


class Stage(_Model):
    """A lifecycle stage, owned by one role, holding touchpoints in journey order."""

    id: Slug = Field(description="Stage id, unique among stages.")
    name: Text = Field(description="Human-readable stage name.")
    owner: str | None = Field(None, description="Role id that owns the stage.")
    why: str | None = Field(None, description="Why this stage is valuable to the customer.")
    during: During | None = Field(
        None,
        description="Makes the stage parallel: it runs alongside these stages (ids of ordinary"
        " stages, or `all`) instead of after the previous one. Its first touchpoint can be entered"
        " from any touchpoint of those stages; where its implicit order runs out, the customer"
        " returns to where they were.",
    )
    exit: Items[str] = Field(default_factory=list, description="Milestones that end the stage.")
    touchpoints: Items[Touchpoint] = Field(
        default_factory=list, description="Touchpoints in journey order."
    )
    target: StageTarget | None = Field(
        None, description="Targets `conform` checks: `within` (time in the stage)."
    )

    @field_validator("during", mode="before")
    @classmethod
    def _during_is_not_empty(cls, value: Any) -> Any:
        """`during:` with nothing after it is a stage half made parallel: ask which stages."""
        if value is None:
            raise PydanticCustomError("during_empty", "during is empty")
        return value

    @property
    def parallel(self) -> bool:
        """A stage with `during` runs alongside others, outside the lifecycle order."""
        return self.during is not None


class Handoff(_Model):
    """A change of owning role along the journey, and what travels with the customer."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, populate_by_name=False)

    from_: str = Field(alias="from", description="Role id handing the customer over.")
    to: str = Field(description="Role id taking the customer over.")
    at: str | None = Field(None, description="Touchpoint id where `to` takes over.")
    why: str | None = Field(None, description="Why this handoff is valuable to the customer.")
    carries: Items[str] = Field(
        default_factory=list, description="What is handed over (context, documents)."
    )

    @property
    def key(self) -> str:
        return f"{self.from_}>{self.to}"


class JourneyFile(_Model):
    """One journey file."""

    cljourney: Literal[1] = Field(description="Format version; this release reads version 1.")
    journey: JourneyInfo = Field(description="Who and what the journey is about.")
    channels: list[str] | None = Field(
        None,
        description="Optional channel vocabulary; when given, every channel used must be in it.",
    )
    roles: Items[Role] = Field(
        default_factory=list, description="Internal roles that own stages and touchpoints."
    )
    stages: Items[Stage] = Field(min_length=1, description="Lifecycle stages in order.")
    handoffs: Items[Handoff] = Field(
        default_factory=list, description="Declared handoffs between roles."
    )
