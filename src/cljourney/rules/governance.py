"""Rules that keep a journey owned, reviewed and backed by evidence (issue 18). Each applies only
where a journey uses the governance fields, so a version 1 file without them finds nothing new."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from cljourney.findings import Finding, Kind, Severity
from cljourney.governance import (
    NOT_COMMITTED,
    SHALLOW_CLONE,
    claims,
    opportunities,
    parse_date,
    review_state,
    today,
)
from cljourney.model.fields import duration_seconds
from cljourney.model.parts import COMMITTED_STATUSES, Metric
from cljourney.rules.base import Option, Rule, RuleContext


def _check_review_overdue(ctx: RuleContext) -> Iterator[Finding]:
    info = ctx.journey.journey
    review = info.review
    if review is None or review.every is None:
        return
    state = review_state(review, ctx.path, today(ctx.options.today))
    if state.last is None:
        why = SHALLOW_CLONE if state.shallow else NOT_COMMITTED
        yield ctx.finding(
            REVIEW_OVERDUE,
            ("journey", "review"),
            f"journey '{info.id}' is reviewed every {review.every} but has no review date: {why};"
            " add `last: YYYY-MM-DD` to `review`",
            info.id,
            Kind.JOURNEY,
            key=True,
        )
    elif state.overdue_days:
        where = ("journey", "review", "last") if review.last else ("journey", "review")
        source = "" if review.last else " (the last commit touching the file)"
        days = state.overdue_days
        assert state.due is not None
        yield ctx.finding(
            REVIEW_OVERDUE,
            where,
            f"review of journey '{info.id}' overdue by {days} day{'s' if days != 1 else ''}:"
            f" last reviewed {state.last.isoformat()}{source}, every {review.every}, due"
            f" {state.due.isoformat()}; review it and set `review.last` to the review's date",
            info.id,
            Kind.JOURNEY,
            key=not review.last,
        )


def _check_ownerless(ctx: RuleContext) -> Iterator[Finding]:
    for tracked in opportunities(ctx.journey):
        item = tracked.opportunity
        if item.status in COMMITTED_STATUSES and not item.owner:
            yield ctx.finding(
                OWNERLESS,
                tracked.loc,
                f"opportunity '{item.text}' is {item.status} but has no owner; add `owner:`"
                " (who drives it)",
                tracked.touchpoint,
                Kind.TOUCHPOINT,
            )
    for s, stage in enumerate(ctx.journey.stages):
        for t, tp in enumerate(stage.touchpoints):
            for k, metric in enumerate(tp.metrics):
                if not isinstance(metric, Metric) or metric.target is None:
                    continue
                lacking = [name for name in ("owner", "source") if not getattr(metric, name)]
                if lacking:
                    yield ctx.finding(
                        OWNERLESS,
                        ("stages", s, "touchpoints", t, "metrics", k),
                        f"metric '{metric.name}' has a target ({metric.target}) but no"
                        f" {' and no '.join(lacking)}; add "
                        + " and ".join(f"`{name}:`" for name in lacking),
                        tp.id,
                        Kind.TOUCHPOINT,
                    )


def _check_assumed_only(ctx: RuleContext) -> Iterator[Finding]:
    found = list(claims(ctx.journey))
    if not any(claim.evidenced for claim in found):
        return  # the journey marks no evidence at all: it has not taken the practice up
    for s, stage in enumerate(ctx.journey.stages):
        in_stage = [claim for claim in found if claim.stage == s]
        if in_stage and all(claim.level == "assumed" for claim in in_stage):
            yield ctx.finding(
                ASSUMED_ONLY,
                ("stages", s),
                f"every customer claim of stage '{stage.id}' ({len(in_stage)}) is assumed: the"
                " team is guessing there; back one with `evidence: {level: observed, source:"
                " ...}` or `reported`",
                stage.id,
                Kind.STAGE,
            )


def _check_stale_evidence(ctx: RuleContext) -> Iterator[Finding]:
    on = today(ctx.options.today)
    age = datetime.timedelta(seconds=duration_seconds(ctx.options.stale_evidence_after))
    for claim in claims(ctx.journey):
        date = parse_date(claim.date) if claim.date else None
        if date is not None and on - date > age:
            loc = (*claim.loc, "evidence", "date")
            what = f" ({claim.source})" if claim.source else ""
            yield ctx.finding(
                STALE_EVIDENCE,
                loc,
                f"evidence{what} dated {claim.date} is {(on - date).days} days old, over"
                f" {ctx.options.stale_evidence_after}; gather it again or lower its `level`",
                claim.touchpoint,
                Kind.TOUCHPOINT,
            )


STALE_EVIDENCE_AFTER = Option(
    "stale-evidence-after",
    "Age after which dated evidence is stale (a duration: `365d`, `26w`).",
    measure="duration",
    shown_default="365d",
)

REVIEW_OVERDUE = Rule(
    id="review-overdue",
    severity=Severity.WARNING,
    summary="a journey whose review is overdue",
    finds="A journey with `review.every` whose last review (`review.last`, else the date of the"
    " last commit touching the file) is longer ago than the cadence; outside git, one with no"
    " `review.last`. `--today DATE` or CLJOURNEY_TODAY fix the date runs judge by.",
    matters="A map nobody reviews drifts from what customers live through, and teams stop"
    " trusting it.",
    bad="journey:\n  id: demo\n  name: Demo\n  owner: cs-ops\n  review: {every: 30d, last: 2020-01-01}",
    good="journey:\n  id: demo\n  name: Demo\n  owner: cs-ops\n  review: {every: 5200w, last: 2020-01-01}",
    check=_check_review_overdue,
)
OWNERLESS = Rule(
    id="ownerless",
    severity=Severity.WARNING,
    summary="a committed opportunity or a targeted metric nobody owns",
    finds="An opportunity with `status` planned or in-progress and no `owner`; a metric with a"
    " `target` but no `owner` or no `source`.",
    matters="Work nobody drives does not happen, and a target nobody reads is not a target.",
    bad="- id: kickoff\n  opportunities:\n    - {text: Send the agenda first, status: planned}",
    good="- id: kickoff\n  opportunities:\n    - {text: Send the agenda first, status: planned, owner: csm}",
    check=_check_ownerless,
)
ASSUMED_ONLY = Rule(
    id="assumed-only",
    severity=Severity.INFO,
    summary="a stage where every customer claim is assumed",
    finds="In a journey that marks evidence somewhere, a stage where every customer-side claim"
    " (does/thinks/feels, pain points) is `assumed` or has no evidence.",
    matters="The customer side of such a stage is the team's guess; research should go there"
    " first.",
    bad="- id: onboarding\n  touchpoints:\n    - id: kickoff\n      pain_points: [Too many attendees]",
    good="- id: onboarding\n  touchpoints:\n    - id: kickoff\n      pain_points:\n        - text: Too many attendees\n          evidence: {level: observed, source: call recordings}",
    check=_check_assumed_only,
)
STALE_EVIDENCE = Rule(
    id="stale-evidence",
    severity=Severity.INFO,
    summary="evidence older than the configured age",
    finds="Evidence with a `date` older than `stale-evidence-after` (365 days by default).",
    matters="Customers and products change; last year's research may no longer hold.",
    bad="pain_points:\n  - text: Too many attendees\n    evidence: {level: observed, date: 2020-01-01}",
    good="pain_points:\n  - text: Too many attendees\n    evidence: {level: observed}",
    check=_check_stale_evidence,
    options=(STALE_EVIDENCE_AFTER,),
)

RULES = (REVIEW_OVERDUE, OWNERLESS, ASSUMED_ONLY, STALE_EVIDENCE)
