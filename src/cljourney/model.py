"""Pydantic models of the journey file format, version 1. Frozen, strict, unknown keys forbidden; no I/O.

Collection fields left empty (`exit:`) are empty lists; `next:` left empty is an error, because
"no successors" (`next: []`, the journey ends) and "absent" (the next touchpoint in the file
follows) mean different things and an empty value could be either.

Fields whose absence is a *finding* rather than a schema error (`why`, `owner`) are optional here:
the rules report them with customer-facing advice instead of a bare "field required".
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


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


EVIDENCE_LEVELS = ("observed", "reported", "assumed")
OPPORTUNITY_STATUSES = ("idea", "planned", "in-progress", "done", "dropped")
# Opportunities someone has committed to: they need an owner (`ownerless`).
COMMITTED_STATUSES = frozenset({"planned", "in-progress"})
JOURNEY_STATUSES = ("draft", "live", "retired")


class Evidence(_Model):
    """How well a customer-side claim is backed: what the team saw, was told, or guesses."""

    level: Literal["observed", "reported", "assumed"] = Field(
        description="`observed` (seen: recordings, analytics), `reported` (customers said so:"
        " surveys, verbatims) or `assumed` (the team's guess)."
    )
    source: Text | None = Field(None, description="Where the evidence comes from.")
    date: Date | None = Field(
        None, description="When the evidence was gathered (`2026-09-14`); see `stale-evidence`."
    )


class Review(_Model):
    """How often the journey is reviewed, when it last was, and by whom."""

    every: Duration | None = Field(
        None, description="Review cadence: `90d`, `12w`, ISO 8601 (`P90D`)."
    )
    last: Date | None = Field(
        None,
        description="Date of the last review (`2026-09-14`); when absent, the date of the last"
        " commit that touched the file.",
    )
    by: str | None = Field(None, description="Who reviews the journey (a role id or free text).")


class PainPoint(_Model):
    """A pain point with the evidence behind it."""

    text: Text = Field(description="What can go wrong for the customer.")
    evidence: Evidence | None = Field(None, description="How well the pain point is backed.")


class Opportunity(_Model):
    """An opportunity tracked to a decision."""

    text: Text = Field(description="The idea.")
    owner: str | None = Field(None, description="Who drives it (a role id or free text).")
    status: Literal["idea", "planned", "in-progress", "done", "dropped"] | None = Field(
        None, description="`idea`, `planned`, `in-progress`, `done` or `dropped`."
    )
    link: str | None = Field(None, description="Where it is tracked (an issue, a ticket).")


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


class Metric(_Model):
    """A metric with its target, where it is read and who watches it."""

    name: Text = Field(description="What is measured.")
    target: Figure | None = Field(
        None, description="The target (`95%`, `3 days`; a number is read as its text)."
    )
    source: str | None = Field(None, description="Where the figure comes from (a tool, a report).")
    owner: str | None = Field(None, description="Who watches it (a role id or free text).")

    @property
    def text(self) -> str:
        return self.name


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
PainPointItem = TextOr[PainPoint]
OpportunityItem = TextOr[Opportunity]
MetricItem = TextOr[Metric]


def text_of(item: str | PainPoint | Opportunity | Metric) -> str:
    """The text of a list item that may be plain text or an object."""
    return item if isinstance(item, str) else item.text


def evidence_of(item: str | PainPoint) -> Evidence | None:
    """The evidence behind a pain point (None for plain text: assumed)."""
    return None if isinstance(item, str) else item.evidence


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
    status: Literal["draft", "live", "retired"] | None = Field(
        None, description="`draft`, `live` or `retired` (left out of index pages)."
    )
    review: Review | None = Field(
        None, description="Review cadence (`every`), last review (`last`) and reviewer (`by`)."
    )


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
    evidence: Evidence | None = Field(
        None, description="How well what the customer does, thinks and feels is backed."
    )


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
    pain_points: Items[PainPointItem] = Field(
        default_factory=list, description="What can go wrong for the customer here."
    )
    opportunities: Items[OpportunityItem] = Field(
        default_factory=list, description="Ideas to make this moment better."
    )
    metrics: Items[MetricItem] = Field(
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
