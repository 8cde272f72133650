"""Pydantic models of the journey file format, version 1. Frozen, strict, unknown keys forbidden; no I/O.

Collection fields left empty (`exit:`) are empty lists; `next:` left empty is an error, because
"no successors" (`next: []`, the journey ends) and "absent" (the next touchpoint in the file
follows) mean different things and an empty value could be either.

Fields whose absence is a *finding* rather than a schema error (`why`, `owner`) are optional here:
the rules report them with customer-facing advice instead of a bare "field required".

Here: the journey, its roles, stages, touchpoints and handoffs. `fields` holds the value types
(ids, durations, shares...), `parts` what backs a journey up and holds it to account (evidence,
review, pain points, opportunities, metrics, targets).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from cljourney.model.fields import During, EventName, FrozenModel, Items, Score, Slug, Text
from cljourney.model.parts import (
    Evidence,
    MetricItem,
    OpportunityItem,
    PainPointItem,
    Review,
    StageTarget,
    TouchpointTarget,
)

FORMAT_VERSION = 1


class JourneyInfo(FrozenModel):
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


class Role(FrozenModel):
    """An internal role that owns stages and touchpoints (BDR, AE, CSM, Support...)."""

    id: Slug = Field(description="Role id, referenced by `owner`, `from` and `to`.")
    name: Text = Field(description="Human-readable role name.")
    description: str | None = Field(None, description="What this role does for the customer.")


class CustomerMoment(FrozenModel):
    """The customer's side of a touchpoint."""

    does: str | None = Field(None, description="What the customer does at this moment.")
    thinks: str | None = Field(None, description="What the customer thinks or asks themselves.")
    feels: str | None = Field(None, description="How the customer feels (one or two words).")
    score: Score | None = Field(None, description="Emotion score: 1 (frustrated) to 5 (delighted).")
    evidence: Evidence | None = Field(
        None, description="How well what the customer does, thinks and feels is backed."
    )


class Touchpoint(FrozenModel):
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


class Stage(FrozenModel):
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


class Handoff(FrozenModel):
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


class JourneyFile(FrozenModel):
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
