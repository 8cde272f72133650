"""The canonical order of keys in each mapping of a journey file: the order of the README's format
section (the model's field order, except that a stage's `target` comes before its touchpoints, so
the promise for a stage reads before its steps)."""

from __future__ import annotations

FILE = ("cljourney", "journey", "channels", "roles", "stages", "handoffs")
JOURNEY = ("id", "name", "owner", "persona", "outcome", "description")
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
CUSTOMER = ("does", "thinks", "feels", "score")
TARGET = ("reach", "within")
HANDOFF = ("from", "to", "at", "why", "carries")

# A mapping's order, by where it sits: `*` is any list index.
ORDERS: dict[tuple[str, ...], tuple[str, ...]] = {
    (): FILE,
    ("journey",): JOURNEY,
    ("roles", "*"): ROLE,
    ("stages", "*"): STAGE,
    ("stages", "*", "target"): TARGET,
    ("stages", "*", "touchpoints", "*"): TOUCHPOINT,
    ("stages", "*", "touchpoints", "*", "customer"): CUSTOMER,
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
