"""The parts of a journey that back it up and hold it to account: evidence behind a claim,
the review cadence, pain points, opportunities and metrics (plain text or an object), and the
targets `conform` checks against an event log.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cljourney.model.fields import Date, Duration, Figure, FrozenModel, Share, Text, TextOr

EVIDENCE_LEVELS = ("observed", "reported", "assumed")
OPPORTUNITY_STATUSES = ("idea", "planned", "in-progress", "done", "dropped")
# Opportunities someone has committed to: they need an owner (`ownerless`).
COMMITTED_STATUSES = frozenset({"planned", "in-progress"})
JOURNEY_STATUSES = ("draft", "live", "retired")


class Evidence(FrozenModel):
    """How well a customer-side claim is backed: what the team saw, was told, or guesses."""

    level: Literal["observed", "reported", "assumed"] = Field(
        description="`observed` (seen: recordings, analytics), `reported` (customers said so:"
        " surveys, verbatims) or `assumed` (the team's guess)."
    )
    source: Text | None = Field(None, description="Where the evidence comes from.")
    date: Date | None = Field(
        None, description="When the evidence was gathered (`2026-09-14`); see `stale-evidence`."
    )


class Review(FrozenModel):
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


class PainPoint(FrozenModel):
    """A pain point with the evidence behind it."""

    text: Text = Field(description="What can go wrong for the customer.")
    evidence: Evidence | None = Field(None, description="How well the pain point is backed.")


class Opportunity(FrozenModel):
    """An opportunity tracked to a decision."""

    text: Text = Field(description="The idea.")
    owner: str | None = Field(None, description="Who drives it (a role id or free text).")
    status: Literal["idea", "planned", "in-progress", "done", "dropped"] | None = Field(
        None, description="`idea`, `planned`, `in-progress`, `done` or `dropped`."
    )
    link: str | None = Field(None, description="Where it is tracked (an issue, a ticket).")


class Metric(FrozenModel):
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


PainPointItem = TextOr[PainPoint]
OpportunityItem = TextOr[Opportunity]
MetricItem = TextOr[Metric]


def text_of(item: str | PainPoint | Opportunity | Metric) -> str:
    """The text of a list item that may be plain text or an object."""
    return item if isinstance(item, str) else item.text


def evidence_of(item: str | PainPoint) -> Evidence | None:
    """The evidence behind a pain point (None for plain text: assumed)."""
    return None if isinstance(item, str) else item.evidence


class TouchpointTarget(FrozenModel):
    """What the journey promises at a touchpoint, which `conform` holds against an event log."""

    reach: Share | None = Field(
        None,
        description="Share of the customers who started the journey that reach this touchpoint: `90%` or `0.9`.",
    )
    within: Duration | None = Field(
        None,
        description="Longest time from the touchpoint before it on the customer's path: `5d`, `12h`, `90m`, `2w` or ISO 8601 (`P5D`).",
    )


class StageTarget(FrozenModel):
    """What the journey promises for a stage, which `conform` holds against an event log."""

    within: Duration | None = Field(
        None,
        description="Longest time in the stage (first event in it -> first event in a later stage): `30d`, `P30D`...",
    )
