"""Rules about the parts of a journey and how they refer to each other."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from cljourney.findings import Finding, Kind, Related, Severity
from cljourney.load.journey import Loc
from cljourney.model.fields import DURING_ALL
from cljourney.rules.base import Option, Rule, RuleContext
from cljourney.text.hints import close_matches
from cljourney.text.words import listing

# Did-you-mean hints cost O(known ids) each (difflib); giving them for the first few unknown
# references only keeps a file full of bad references linear instead of quadratic.
HINT_BUDGET = 50


def reference_candidates(name: str, known: Iterable[str]) -> list[str]:
    """The ids an unknown reference may have meant (up to 3, best first), compared
    case-insensitively: `owner: CSM` suggests 'csm'. `validate --fix` fixes one with exactly one."""
    return close_matches(name, known, n=3, fold_case=True)


def _close(name: str, known: Iterable[str]) -> str:
    matches = reference_candidates(name, known)
    if matches:
        return "did you mean " + " or ".join(f"'{m}'" for m in matches) + "?"
    return ""


def _ids(items: Iterable[tuple[str, Loc, Kind]]) -> Iterator[tuple[str, Loc, Kind, Loc]]:
    """Yield (id, loc, kind, first_loc) for each repeated id."""
    seen: dict[str, Loc] = {}
    for element_id, loc, _kind in items:
        if element_id in seen:
            yield element_id, loc, _kind, seen[element_id]
        else:
            seen[element_id] = loc


def _check_duplicate_id(ctx: RuleContext) -> Iterator[Finding]:
    journey = ctx.journey
    groups = (
        [(r.id, ("roles", i), Kind.ROLE) for i, r in enumerate(journey.roles)],
        [(s.id, ("stages", i), Kind.STAGE) for i, s in enumerate(journey.stages)],
        [(p.id, p.loc, Kind.TOUCHPOINT) for p in ctx.flow.placed],
    )
    for group in groups:
        for element_id, loc, kind, first in _ids(group):
            first_at = ctx.source.find((*first, "id"))
            yield ctx.finding(
                DUPLICATE_ID,
                (*loc, "id"),
                f"{kind.value} id '{element_id}' is already used above;"
                f" give each {kind.value} its own id",
                element_id,
                kind,
                related=(Related(first_at, f"{kind.value} id '{element_id}' first used here"),),
            )


def _check_unknown_reference(ctx: RuleContext) -> Iterator[Finding]:
    journey = ctx.journey
    roles = {r.id for r in journey.roles}
    touchpoints = set(ctx.flow.by_id)
    hints = [HINT_BUDGET]

    def missing(
        value: str, known: set[str], what: str, loc: Loc, field: str, element: tuple[str, Kind]
    ) -> Finding:
        hint = ""
        if hints[0] > 0:
            hints[0] -= 1
            hint = _close(value, known)
        if not hint:
            hint = f"declare it under `{what}s`" if what == "role" else f"no {what} has that id"
        return ctx.finding(
            UNKNOWN_REFERENCE, loc, f"`{field}` names unknown {what} '{value}'; {hint}", *element
        )

    for i, stage in enumerate(journey.stages):
        stage_el = (stage.id, Kind.STAGE)
        if stage.owner is not None and stage.owner not in roles:
            yield missing(stage.owner, roles, "role", ("stages", i, "owner"), "owner", stage_el)
    ordinary = {s.id for s in journey.stages if not s.parallel}
    yield from _during_references(ctx, ordinary, missing)
    for placed in ctx.flow.placed:
        tp = placed.touchpoint
        tp_el = (tp.id, Kind.TOUCHPOINT)
        if tp.owner is not None and tp.owner not in roles:
            yield missing(tp.owner, roles, "role", (*placed.loc, "owner"), "owner", tp_el)
        for field in ("next", "loops_to"):
            for k, target in enumerate(getattr(tp, field) or ()):
                if target not in touchpoints:
                    yield missing(
                        target, touchpoints, "touchpoint", (*placed.loc, field, k), field, tp_el
                    )
    for i, handoff in enumerate(journey.handoffs):
        handoff_el = (handoff.key, Kind.HANDOFF)
        for field, value in (("from", handoff.from_), ("to", handoff.to)):
            if value not in roles:
                yield missing(value, roles, "role", ("handoffs", i, field), field, handoff_el)
        if handoff.at is not None and handoff.at not in touchpoints:
            yield missing(
                handoff.at, touchpoints, "touchpoint", ("handoffs", i, "at"), "at", handoff_el
            )


def _during_references(
    ctx: RuleContext, ordinary: set[str], missing: Callable[..., Finding]
) -> Iterator[Finding]:
    """`during` names ordinary stages only: not an unknown id, not the stage itself, not another
    parallel stage; `during: all` needs an ordinary stage to run during."""
    stages = ctx.journey.stages
    parallel = {s.id for s in stages if s.parallel}
    for i, stage in enumerate(stages):
        element = (stage.id, Kind.STAGE)
        if stage.during == DURING_ALL:
            if not ordinary:
                yield ctx.finding(
                    UNKNOWN_REFERENCE,
                    ("stages", i, "during"),
                    f"stage '{stage.id}' runs `during: all`, but every stage is parallel, so there"
                    " is no lifecycle for it to run alongside; remove `during` from the stages"
                    " customers go through in order",
                    *element,
                )
            continue
        for k, name in enumerate(stage.during or ()):
            loc = ("stages", i, "during", k)
            if name == stage.id or name in parallel:
                which = "itself" if name == stage.id else f"parallel stage '{name}'"
                yield ctx.finding(
                    UNKNOWN_REFERENCE,
                    loc,
                    f"`during` of stage '{stage.id}' names {which}; a parallel stage runs alongside ordinary stages"
                    " (those without `during`), name those",
                    *element,
                )
            elif name not in ordinary:
                yield missing(name, ordinary, "stage", loc, "during", element)


def _check_unknown_channel(ctx: RuleContext) -> Iterator[Finding]:
    vocabulary = ctx.journey.channels
    declared = "the declared `channels`"
    if vocabulary is None:
        vocabulary = list(ctx.options.channels) if ctx.options.channels is not None else None
        declared = "the configured channel vocabulary"
    if vocabulary is None:
        return
    known = set(vocabulary)
    hints = HINT_BUDGET
    for placed in ctx.flow.placed:
        channel = placed.touchpoint.channel
        if channel is not None and channel not in known:
            hints -= 1
            hint = (
                _close(channel, known) if hints >= 0 else ""
            ) or "add it to `channels` or use one of: " + listing(vocabulary)
            yield ctx.finding(
                UNKNOWN_CHANNEL,
                (*placed.loc, "channel"),
                f"channel '{channel}' is not in {declared}; {hint}",
                placed.id,
                Kind.TOUCHPOINT,
            )


def _check_empty_stage(ctx: RuleContext) -> Iterator[Finding]:
    for i, stage in enumerate(ctx.journey.stages):
        if not stage.touchpoints:
            yield ctx.finding(
                EMPTY_STAGE,
                ("stages", i, "id"),
                f"stage '{stage.id}' has no touchpoints; add the moments the customer lives"
                " through in it, or remove the stage",
                stage.id,
                Kind.STAGE,
            )


def _check_missing_owner(ctx: RuleContext) -> Iterator[Finding]:
    for i, stage in enumerate(ctx.journey.stages):
        if stage.owner is None:
            yield ctx.finding(
                MISSING_OWNER,
                ("stages", i, "id"),
                f"stage '{stage.id}' has no owner; set `owner:` to the role accountable for"
                " customers in this stage",
                stage.id,
                Kind.STAGE,
            )
    for placed in ctx.flow.placed:
        if placed.owner is None:
            stage = ctx.flow.stage(placed)
            yield ctx.finding(
                MISSING_OWNER,
                (*placed.loc, "id"),
                f"touchpoint '{placed.id}' has no owner; set `owner:` on it or on stage"
                f" '{stage.id}' so someone is accountable for this moment",
                placed.id,
                Kind.TOUCHPOINT,
            )


DUPLICATE_ID = Rule(
    id="duplicate-id",
    severity=Severity.ERROR,
    summary="two stages, two touchpoints or two roles share an id",
    finds="A role, stage or touchpoint id used twice in the same kind of element.",
    matters="References such as `next`, `owner` and `at` become ambiguous, so the journey a"
    " customer follows is no longer the one the file describes.",
    bad="touchpoints:\n  - id: kickoff\n    ...\n  - id: kickoff\n    ...",
    good="touchpoints:\n  - id: kickoff\n    ...\n  - id: kickoff-followup\n    ...",
    check=_check_duplicate_id,
)
UNKNOWN_REFERENCE = Rule(
    id="unknown-reference",
    severity=Severity.ERROR,
    summary="`owner`, `next`, `loops_to`, `from`, `to`, `at` or `during` names an id that does not"
    " exist",
    finds="A reference to a role, touchpoint or stage id that is not declared; close ids are"
    " suggested. `during` must name ordinary stages: not the stage itself, not another parallel"
    " stage.",
    matters="A step whose owner or successor does not exist is a step nobody delivers: the"
    " customer waits for someone who was never assigned.",
    bad="roles: [{id: csm, name: CSM}]\n...\n    owner: cms",
    good="roles: [{id: csm, name: CSM}]\n...\n    owner: csm",
    check=_check_unknown_reference,
)
CHANNELS = Option("channels", "Channel vocabulary for journeys that declare no `channels`.")
UNKNOWN_CHANNEL = Rule(
    id="unknown-channel",
    severity=Severity.ERROR,
    summary="a touchpoint uses a channel outside the declared `channels` vocabulary",
    finds="When `channels` is declared (or a channel vocabulary is configured for journeys that"
    " declare none), a touchpoint `channel` that is not in it.",
    matters="A shared channel vocabulary keeps reports and maps comparable; a typo hides a"
    " touchpoint from the channel the customer actually uses.",
    bad="channels: [email, video]\n...\n    channel: e-mail",
    good="channels: [email, video]\n...\n    channel: email",
    check=_check_unknown_channel,
    options=(CHANNELS,),
)
EMPTY_STAGE = Rule(
    id="empty-stage",
    severity=Severity.WARNING,
    summary="a stage with no touchpoints",
    finds="A stage whose `touchpoints` list is missing or empty.",
    matters="A stage with no touchpoints is a stage where the customer is left alone; that is"
    " where customers get stuck.",
    bad="- id: renewal\n  name: Renewal\n  touchpoints: []",
    good="- id: renewal\n  name: Renewal\n  touchpoints:\n    - id: renewal-call\n      ...",
    check=_check_empty_stage,
)
MISSING_OWNER = Rule(
    id="missing-owner",
    severity=Severity.WARNING,
    summary="a stage without an owner, or a touchpoint with no owner, directly or from its stage",
    finds="A stage without `owner`, and each touchpoint without `owner` in such a stage.",
    matters="Steps nobody owns are steps nobody delivers; the customer notices before you do.",
    bad="- id: onboarding\n  touchpoints:\n    - id: kickoff  # no owner here or on the stage",
    good="- id: onboarding\n  owner: csm\n  touchpoints:\n    - id: kickoff",
    check=_check_missing_owner,
)

RULES = (DUPLICATE_ID, UNKNOWN_REFERENCE, UNKNOWN_CHANNEL, EMPTY_STAGE, MISSING_OWNER)
