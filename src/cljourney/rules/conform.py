"""Rules that hold a journey against an event log: run by `conform` only, on its measures.

They are in the registry like every rule (docs, config, severities, suppressions); `validate`
has no log, so their `check` is None there and `conform` runs `CHECKS` instead. Each finding
points at the touchpoint's or stage's line in the journey file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cljourney.findings import Finding, Kind, Severity
from cljourney.graph import Flow
from cljourney.load.journey import Loc, Source
from cljourney.model import JourneyFile
from cljourney.model.fields import share_fraction
from cljourney.rules.base import LogRule, Option
from cljourney.text.figures import duration, percent
from cljourney.text.words import plural

if TYPE_CHECKING:  # the measures come from `conform`; `validate` need not import their module
    from cljourney.conform.measures import JourneyMeasures


@dataclass(frozen=True)
class ConformOptions:
    """Tunable thresholds of the conform rules (`[tool.cljourney.options]`)."""

    min_path_share: float = 0.01
    sla_share: float = 0.9
    max_drop_off: float = 0.2
    stuck_after_s: float = 30 * 86400


@dataclass(frozen=True)
class ConformContext:
    """One journey, its flow and what the log says about it."""

    journey: JourneyFile
    source: Source
    flow: Flow
    measures: JourneyMeasures
    options: ConformOptions = field(default_factory=ConformOptions)

    def finding(self, rule: LogRule, loc: Loc, message: str, element: str, kind: Kind) -> Finding:
        return Finding(
            rule.id,
            rule.severity,
            message,
            self.source.path,
            self.source.find(loc),
            self.journey.journey.id,
            element,
            kind,
        )


def _unobserved(ctx: ConformContext) -> Iterator[Finding]:
    m = ctx.measures
    if not m.started:
        # Nobody started: said once, for the journey, instead of once per touchpoint (a log
        # without a usable row is the log's problem, said by the run).
        if m.log.rows > m.log.skipped_rows:
            seen = ", ".join(f"'{event}'" for event, _ in m.unmapped[:5])
            yield ctx.finding(
                UNOBSERVED,
                ("journey", "id"),
                f"no customer in the log started journey '{ctx.journey.journey.id}': none of the"
                f" events its touchpoints name is in the log (its most frequent events: {seen});"
                " check the touchpoints' `events` against those names, or whether --event took"
                " the right column",
                ctx.journey.journey.id,
                Kind.JOURNEY,
            )
        return
    for tp in ctx.measures.touchpoints:
        placed = ctx.flow.by_id[tp.id]
        if placed.touchpoint.events and tp.customers == 0:
            yield ctx.finding(
                UNOBSERVED,
                (*placed.loc, "events"),
                f"no customer reached touchpoint '{tp.id}': none of its events"
                f" ({', '.join(placed.touchpoint.events)}) is in the log; check the event names,"
                " or whether this step still happens",
                tp.id,
                Kind.TOUCHPOINT,
            )


def _undeclared(ctx: ConformContext) -> Iterator[Finding]:
    out: dict[str, int] = {}
    for step in ctx.measures.transitions:
        out[step.source] = out.get(step.source, 0) + step.count
    for step in ctx.measures.transitions:
        share = step.count / out[step.source]
        if step.declared or share < ctx.options.min_path_share:
            continue
        placed = ctx.flow.by_id[step.source]
        yield ctx.finding(
            UNDECLARED,
            (*placed.loc, "id"),
            f"customers go from '{step.source}' to '{step.target}' ({plural(step.customers, 'customer')},"
            f" {percent(share)} of the moves out of '{step.source}'), a step the journey does not"
            f" declare; add '{step.target}' to `next` (or `loops_to`), or find out why they do",
            step.source,
            Kind.TOUCHPOINT,
        )


def _target_missed(ctx: ConformContext) -> Iterator[Finding]:
    sla = ctx.options.sla_share
    for tp in ctx.measures.touchpoints:
        placed = ctx.flow.by_id[tp.id]
        target = placed.touchpoint.target
        if target is None or not ctx.measures.started:
            continue
        if target.reach is not None and tp.reach is not None:
            wanted = share_fraction(target.reach)
            if tp.reach < wanted:
                yield ctx.finding(
                    TARGET_MISSED,
                    (*placed.loc, "target", "reach"),
                    f"touchpoint '{tp.id}' is reached by {percent(tp.reach)} of the customers"
                    f" who started ({tp.customers:,} of {ctx.measures.started:,}), below its target"
                    f" of {percent(wanted)}",
                    tp.id,
                    Kind.TOUCHPOINT,
                )
        if target.within is not None and tp.within_target is not None and tp.within_target < sla:
            yield ctx.finding(
                TARGET_MISSED,
                (*placed.loc, "target", "within"),
                f"only {percent(tp.within_target)} of the customers reach touchpoint '{tp.id}'"
                f" within {target.within} of the step before it (median {_human(tp.median_from_previous_s)});"
                f" the target is met when {percent(sla)} do (`sla-share`)",
                tp.id,
                Kind.TOUCHPOINT,
            )


def _stage_overrun(ctx: ConformContext) -> Iterator[Finding]:
    sla = ctx.options.sla_share
    for number, stage in enumerate(ctx.measures.stages):
        target = ctx.journey.stages[number].target
        if target is None or target.within is None or stage.within_target is None:
            continue
        if stage.within_target < sla:
            yield ctx.finding(
                STAGE_OVERRUN,
                ("stages", number, "target", "within"),
                f"only {percent(stage.within_target)} of the customers leave stage '{stage.id}'"
                f" within {target.within} (median {_human(stage.median_in_stage_s)}); the target"
                f" is met when {percent(sla)} do (`sla-share`)",
                stage.id,
                Kind.STAGE,
            )


def _drop_off(ctx: ConformContext) -> Iterator[Finding]:
    for tp in ctx.measures.touchpoints:
        if not tp.customers or tp.id in ctx.flow.ends:
            continue
        share = tp.dropped / tp.customers
        if tp.dropped and share >= ctx.options.max_drop_off:
            placed = ctx.flow.by_id[tp.id]
            yield ctx.finding(
                DROP_OFF,
                (*placed.loc, "id"),
                f"{percent(share)} of the customers who reached touchpoint '{tp.id}' stopped"
                f" there ({tp.dropped:,} of {tp.customers:,}, nothing logged for longer than"
                f" `stuck-after`), though the journey goes on after it",
                tp.id,
                Kind.TOUCHPOINT,
            )


def _unmeasured(ctx: ConformContext) -> Iterator[Finding]:
    for placed in ctx.flow.by_id.values():
        if not placed.touchpoint.events:
            yield ctx.finding(
                UNMEASURED,
                (*placed.loc, "id"),
                f"touchpoint '{placed.id}' has no `events`, so the log cannot show who reached"
                " it; customers passing through it count as going straight on",
                placed.id,
                Kind.TOUCHPOINT,
            )


def _human(seconds: float | None) -> str:
    return "unknown" if seconds is None else duration(seconds)


UNOBSERVED = LogRule(
    id="unobserved-touchpoint",
    severity=Severity.WARNING,
    summary="`conform`: a touchpoint with `events` that no customer in the log reached",
    finds="A touchpoint whose `events` match no row of the event log, while other touchpoints"
    " of the journey do. Reported at its `events`; when no event of the journey is in the log at"
    " all, reported once, at the journey's id.",
    matters="Either the event names are wrong (the step happens but is not measured) or the step"
    " no longer happens; both make the journey say something the customers do not live.",
    bad="- id: kickoff\n  events: [kickoff_held]   # the log says kickoff_call_held",
    good="- id: kickoff\n  events: [kickoff_held, kickoff_call_held]",
    check_log=_unobserved,
)
UNDECLARED = LogRule(
    id="undeclared-path",
    severity=Severity.WARNING,
    summary="`conform`: customers move from one touchpoint to another the journey does not link",
    finds="A step A -> B between consecutive visits in customers' traces that the flow does not"
    " allow (no `next`, implicit order or `loops_to` from A to B, directly or through touchpoints"
    " without `events`), taken by at least `min-path-share` (default 1 %) of the moves out of A.",
    matters="Customers are taking a path nobody owns: no handoff, no message, no target covers"
    " it. The journey should declare it, or the team should find out why it happens.",
    bad="- id: trial\n  next: [purchase]\n# the log: 30 % of trials go to a sales call",
    good="- id: trial\n  next: [purchase, sales-call]",
    check_log=_undeclared,
    options=(
        Option(
            "min-path-share",
            "undeclared-path: smallest share of the moves out of a touchpoint that is reported.",
            measure="share",
            shown_default="1%",
        ),
    ),
)
TARGET_MISSED = LogRule(
    id="target-missed",
    severity=Severity.WARNING,
    summary="`conform`: a touchpoint misses its `target.reach` or `target.within`",
    finds="A touchpoint reached by a smaller share of the customers who started than its"
    " `target.reach`, or whose share of arrivals no slower than `target.within` (from the"
    " touchpoint before it) is below `sla-share` (default 90 %). Reported at the target.",
    matters="The target is the journey's promise to the customer; the log says it is not kept.",
    bad="target:\n  reach: 90%   # 71 % of customers reach it",
    good="target:\n  reach: 70%",
    check_log=_target_missed,
    options=(
        Option(
            "sla-share",
            "target-missed, stage-overrun: share of customers a `within` target needs.",
            measure="share",
            shown_default="90%",
        ),
    ),
)
STAGE_OVERRUN = LogRule(
    id="stage-overrun",
    severity=Severity.WARNING,
    summary="`conform`: customers stay in a stage longer than its `target.within`",
    finds="A stage whose share of customers moving on to a later stage within `target.within`"
    " (first event in the stage to first event in a later stage) is below `sla-share`"
    " (default 90 %). Reported at the stage's target.",
    matters="A stage that takes longer than promised delays every later moment of value for the"
    " customer.",
    bad="- id: onboarding\n  target:\n    within: 14d   # the median customer takes 30 days",
    good="- id: onboarding\n  target:\n    within: 30d",
    check_log=_stage_overrun,
)
DROP_OFF = LogRule(
    id="drop-off",
    severity=Severity.WARNING,
    summary="`conform`: many customers stop at a touchpoint that is not an end of the journey",
    finds="A touchpoint, not an end of the flow (not terminal, with a successor), where at least"
    " `max-drop-off` (default 20 %) of the customers who reached it had their last event and"
    " nothing more for longer than `stuck-after` (default 30d).",
    matters="The journey promises a next step; these customers never got it.",
    bad="- id: trial  # 35 % of trial customers are never seen again",
    good="- id: trial  # 8 % stop here",
    check_log=_drop_off,
    options=(
        Option(
            "max-drop-off",
            "drop-off: share of the customers reaching a touchpoint who stop there that is reported.",
            measure="share",
            shown_default="20%",
        ),
        Option(
            "stuck-after",
            "conform: time without events after which a customer has dropped off.",
            measure="duration",
            shown_default="30d",
        ),
    ),
)
UNMEASURED = LogRule(
    id="unmeasured-touchpoint",
    severity=Severity.INFO,
    summary="`conform`: a touchpoint without `events`, which the log cannot measure",
    finds="A touchpoint with no `events` list, when a journey is held against an event log.",
    matters="Reach, drop-off and times cannot be known there; customers passing through it look"
    " as if they went straight from the step before it to the step after.",
    bad="- id: kickoff\n  name: Kick-off call",
    good="- id: kickoff\n  name: Kick-off call\n  events: [kickoff_held]",
    check_log=_unmeasured,
)

RULES = (UNOBSERVED, UNDECLARED, TARGET_MISSED, STAGE_OVERRUN, DROP_OFF, UNMEASURED)
CHECKS: dict[str, Callable[[ConformContext], Iterator[Finding]]] = {
    rule.id: rule.check_log for rule in RULES
}
IDS = frozenset(CHECKS)
