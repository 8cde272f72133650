"""The canonical order of keys in each mapping of a journey file: the order of the README's format
section (the model's field order, except that a stage's `target` comes before its touchpoints, so
the promise for a stage reads before its steps)."""

from __future__ import annotations

FILE = ("cljourney", "journey", "channels", "roles", "stages", "handoffs")
JOURNEY = ("id", "name", "owner", "persona", "outcome", "description", "status", "review")
REVIEW = ("every", "last", "by")
ROLE = ("id", "name", "description")
STAGE = ("id", "name", "owner", "why", "during", "exit", "target", "touchpoints")
TOUCHPOINT = (
    "id",
    "name",
    "owner",
    "channel",
    "why",
    "how",
    "customer",
    "pain_points",
    "opportunities",
    "metrics",
    "next",
    "loops_to",
    "terminal",
    "events",
    "target",
)
CUSTOMER = ("does", "thinks", "feels", "score", "evidence")
EVIDENCE = ("level", "source", "date")
PAIN_POINT = ("text", "evidence")
OPPORTUNITY = ("text", "owner", "status", "link")
METRIC = ("name", "target", "source", "owner")
TARGET = ("reach", "within")
STAGE_TARGET = ("within",)
HANDOFF = ("from", "to", "at", "why", "carries")

# A mapping's order, by where it sits: `*` is any list index.
ORDERS: dict[tuple[str, ...], tuple[str, ...]] = {
    (): FILE,
    ("journey",): JOURNEY,
    ("journey", "review"): REVIEW,
    ("roles", "*"): ROLE,
    ("stages", "*"): STAGE,
    ("stages", "*", "target"): STAGE_TARGET,
    ("stages", "*", "touchpoints", "*"): TOUCHPOINT,
    ("stages", "*", "touchpoints", "*", "customer"): CUSTOMER,
    ("stages", "*", "touchpoints", "*", "customer", "evidence"): EVIDENCE,
    ("stages", "*", "touchpoints", "*", "pain_points", "*"): PAIN_POINT,
    ("stages", "*", "touchpoints", "*", "pain_points", "*", "evidence"): EVIDENCE,
    ("stages", "*", "touchpoints", "*", "opportunities", "*"): OPPORTUNITY,
    ("stages", "*", "touchpoints", "*", "metrics", "*"): METRIC,
    ("stages", "*", "touchpoints", "*", "target"): TARGET,
    ("handoffs", "*"): HANDOFF,
}


def order_for(path: tuple[str | int, ...]) -> tuple[str, ...] | None:
    """The key order of the mapping at `path`, or None where the format has none."""
    return ORDERS.get(tuple("*" if isinstance(step, int) else step for step in path))


def sort_keys(keys: list[str], order: tuple[str, ...]) -> list[str]:
    """`keys` in `order`; keys the format does not know keep their order, after the known ones."""
    rank = {key: index for index, key in enumerate(order)}
    return sorted(keys, key=lambda key: rank.get(key, len(order)))
