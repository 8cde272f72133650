"""Which fields `diff` compares, and the level of a change to each: the policy the README documents.

breaking: the customer loses something (a why removed); risky: the experience changes (owner,
channel, flow edges, a why rewritten, a score dropped, a handoff carrying less); info: wording and
additions.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cljourney.diff.records import Change, Entity, Kind, Level, Value, show_value
from cljourney.model import Touchpoint
from cljourney.model.fields import duration_seconds
from cljourney.model.parts import Metric, Opportunity, PainPoint, evidence_of, text_of

# The fields compared per entity, as dotted paths into the model. A test checks that every model
# field is listed here (or is an identity/containment field), so a new field cannot be missed.
JOURNEY_FIELDS = (
    "name",
    "owner",
    "persona",
    "outcome",
    "description",
    "status",
    "review.every",
    "review.last",
    "review.by",
    "channels",
)
ROLE_FIELDS = ("name", "description")
STAGE_FIELDS = ("name", "owner", "why", "during", "exit", "target.within")
TOUCHPOINT_FIELDS = (
    "name",
    "owner",
    "channel",
    "why",
    "how",
    "customer.does",
    "customer.thinks",
    "customer.feels",
    "customer.score",
    "customer.evidence.level",
    "customer.evidence.source",
    "customer.evidence.date",
    "pain_points",
    "opportunities",
    "metrics",
    "next",
    "loops_to",
    "terminal",
    "events",
    "target.reach",
    "target.within",
)
HANDOFF_FIELDS = ("why", "carries")
FLOW_FIELDS = frozenset({"next", "loops_to", "terminal"})
# `during` decides where customers can reach a parallel stage: changing it changes their access.
RISKY_FIELDS = frozenset({"owner", "channel", "during"}) | FLOW_FIELDS


def field_value(model: object, path: str) -> Value:
    value: object = model
    for step in path.split("."):
        if value is None:
            return None
        value = getattr(value, step)
    if isinstance(value, list):
        return tuple(
            text_of(item) if isinstance(item, (PainPoint, Opportunity, Metric)) else item
            for item in value
        )
    if isinstance(value, float):  # a share written as a fraction (`reach: 0.9`)
        return f"{value:g}"
    if value is None or isinstance(value, (str, int, bool, tuple)):
        return value
    raise TypeError(f"field {path!r} is not a scalar or a list of text")


def same_meaning(before: Value, after: Value, field: str = "") -> bool:
    """Equal as meaning: whitespace inside text (re-wrapping, block scalars) is formatting,
    absent, empty and blank values are all missing (no `why` to `why: ""` removes nothing), and
    `during` lists the same stages in any order."""
    if _missing(before) and _missing(after):
        return True
    if field == "during" and isinstance(before, tuple) and isinstance(after, tuple):
        return set(before) == set(after)  # stages the lane runs during: a set, not an order
    if isinstance(before, str) and isinstance(after, str):
        return before.split() == after.split()
    return before == after


def _missing(value: Value) -> bool:
    return value is None or value == () or (isinstance(value, str) and not value.strip())


def _field_change(field: str, before: Value, after: Value) -> tuple[Level, str]:
    """The level of a field change and the verb that describes it."""
    if field == "why":
        if not after:
            return Level.BREAKING, "why removed"
        if not before:
            return Level.INFO, "why added"
        return Level.RISKY, "why rewritten"
    if field == "customer.score" and isinstance(before, int) and isinstance(after, int):
        if after < before:
            return Level.RISKY, f"customer score dropped from {before} to {after}"
        return Level.INFO, f"customer score raised from {before} to {after}"
    if field == "carries" and isinstance(before, tuple):
        kept = after if isinstance(after, tuple) else ()
        lost = [item for item in before if item not in kept]
        if lost:
            return Level.RISKY, "no longer carries " + ", ".join(repr(item) for item in lost)
        return Level.INFO, "carries more"
    if field == "during":
        return Level.RISKY, _during_change(before, after)
    if field.endswith("evidence.level"):
        return _evidence_change(before, after)
    if field == "review.every":
        return _cadence_change(before, after)
    level = Level.RISKY if field in RISKY_FIELDS else Level.INFO
    if field in FLOW_FIELDS:
        return level, f"flow changed: `{field}` {show_value(before)} -> {show_value(after)}"
    if isinstance(before, str) and isinstance(after, str) and field not in RISKY_FIELDS:
        return level, f"{field} reworded"
    return level, f"{field} changed from {show_value(before)} to {show_value(after)}"


# Evidence levels from strongest to weakest; no evidence is as weak as `assumed`.
_EVIDENCE_RANK = {"observed": 2, "reported": 1, "assumed": 0}


def _evidence_change(before: Value, after: Value) -> tuple[Level, str]:
    old = _EVIDENCE_RANK.get(str(before), 0) if before else 0
    new = _EVIDENCE_RANK.get(str(after), 0) if after else 0
    shown = f"{before or 'none'} to {after or 'none'}"
    if new < old:
        return Level.RISKY, f"evidence downgraded from {shown}"
    return Level.INFO, f"evidence changed from {shown}"


def _cadence_change(before: Value, after: Value) -> tuple[Level, str]:
    """A review cadence made longer (or removed) leaves the journey unreviewed for longer."""
    if not after:
        return Level.RISKY, f"review cadence removed (was every {before})"
    if not before:
        return Level.INFO, f"review cadence set: every {after}"
    if duration_seconds(str(after)) > duration_seconds(str(before)):
        return Level.RISKY, f"review cadence lengthened from {before} to {after}"
    return Level.INFO, f"review cadence changed from {before} to {after}"


def item_changes(
    tid: str, journey: str, stage: str, old: Touchpoint, new: Touchpoint
) -> Iterator[Change]:
    """Risky changes inside a touchpoint's items, matched by text: an opportunity dropped
    (removed, or its status set to `dropped`), a metric's target changed, a pain point's evidence
    downgraded. The lists' other changes are the `pain_points`/`opportunities`/`metrics` records."""
    if old == new:
        return

    def change(field: str, message: str, before: Value, after: Value) -> Change:
        return Change(
            Kind.CHANGED,
            Entity.TOUCHPOINT,
            tid,
            journey,
            Level.RISKY,
            f"touchpoint '{tid}': {message}",
            field,
            before,
            after,
            stage,
        )

    after_opps = {text_of(item): item for item in new.opportunities}
    for opp in old.opportunities:
        text = text_of(opp)
        was = opp.status if isinstance(opp, Opportunity) else None
        if was == "dropped":
            continue
        now_opp = after_opps.get(text)
        if now_opp is None:
            yield change("opportunities", f"opportunity {text!r} removed", text, None)
        elif isinstance(now_opp, Opportunity) and now_opp.status == "dropped":
            yield change("opportunities.status", f"opportunity {text!r} dropped", was, "dropped")
    after_metrics = {text_of(item): item for item in new.metrics}
    for metric in old.metrics:
        now_metric = after_metrics.get(text_of(metric))
        before = metric.target if isinstance(metric, Metric) else None
        after = now_metric.target if isinstance(now_metric, Metric) else None
        if now_metric is not None and before and before != after:
            name = text_of(metric)
            message = f"metric {name!r} target changed from {before} to {after or 'none'}"
            yield change("metrics.target", message, before, after)
    after_pains = {text_of(item): item for item in new.pain_points}
    for pain in old.pain_points:
        now_pain = after_pains.get(text_of(pain))
        if now_pain is None:
            continue
        old_ev, new_ev = evidence_of(pain), evidence_of(now_pain)
        before_level = old_ev.level if old_ev else None
        after_level = new_ev.level if new_ev else None
        level, verb = _evidence_change(before_level, after_level)
        if level is Level.RISKY:
            message = f"pain point {text_of(pain)!r}: {verb}"
            yield change("pain_points.evidence.level", message, before_level, after_level)


def _during_change(before: Value, after: Value) -> str:
    """What a change to `during` does to customers: where they gain or lose the lane."""

    def show(value: Value) -> str:
        return value if isinstance(value, str) else show_value(value)

    if before is None:
        return f"now runs in parallel, during {show(after)} (customers there can enter it)"
    if after is None:
        return (
            f"no longer runs in parallel (was during {show(before)}): it now follows the previous"
            " stage in lifecycle order"
        )
    if after == "all" or before == "all":  # `all` names no stage: every ordinary stage
        if isinstance(after, tuple):
            effect = f"no longer during every stage, only during {', '.join(after)}"
        else:
            effect = "now during every stage"
        return f"runs during {show(before)} -> {show(after)} ({effect})"
    old = set(before) if isinstance(before, tuple) else set()
    new = set(after) if isinstance(after, tuple) else set()
    effects = []
    if old - new:
        effects.append("no longer during " + ", ".join(sorted(old - new)))
    if new - old:
        effects.append("now also during " + ", ".join(sorted(new - old)))
    effect = f" ({'; '.join(effects)})" if effects else ""
    return f"runs during {show(before)} -> {show(after)}{effect}"


def field_changes(
    entity: Entity,
    element_id: str,
    journey: str,
    stage: str,
    old: object,
    new: object,
    fields: Iterable[str],
) -> Iterator[Change]:
    """A `changed` record for each listed field whose meaning differs between `old` and `new`."""
    if old == new:  # most elements are untouched; models compare in one step
        return
    for field in fields:
        before, after = field_value(old, field), field_value(new, field)
        if same_meaning(before, after, field):
            continue
        level, verb = _field_change(field, before, after)
        label = f"{entity.value} '{element_id}'" if element_id else entity.value
        yield Change(
            Kind.CHANGED,
            entity,
            element_id,
            journey,
            level,
            f"{label}: {verb}",
            field,
            before,
            after,
            stage,
        )
