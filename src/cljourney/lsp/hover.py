"""Hover: what an id names (name, kind, owner, stage, why; the customer's side of a touchpoint),
and what a rule named in a suppression comment finds. Journey text is escaped: it is shown as
written, never read as markdown."""

from __future__ import annotations

import re
from typing import Any

from lsprotocol import types

from cljourney.check.suppress import OPENING
from cljourney.edit.rename import IdKind, items
from cljourney.load.tree import YMap
from cljourney.lsp.ids import element, id_at, span
from cljourney.lsp.text import Text
from cljourney.render.mdtext import code, inline
from cljourney.rules import REGISTRY

_DIRECTIVE = re.compile(OPENING + r"([^\]]*)")
_RULE = re.compile(r"[a-z0-9-]+")
_CUSTOMER = ("does", "thinks", "feels", "score")


def hover(root: Any, text: Text, line: int, character: int) -> types.Hover | None:
    """The hover at a 0-based cursor: a rule in a suppression comment, else an id."""
    rule = rule_at(text, line, character)
    if rule is not None:
        name, where = rule
        return _markdown(_rule_text(name), where)
    named = id_at(root, text, line, character)
    if named is None:
        return None
    found = element(root, named.kind, named.id)
    body = _describe(root, named.kind, named.id, found)
    return _markdown(body, span(text, named.spot, named.id))


def rule_at(text: Text, line: int, character: int) -> tuple[str, types.Range] | None:
    """A known rule id under the cursor inside `# cljourney: ignore[...]`."""
    written = text.line(line)
    for directive in _DIRECTIVE.finditer(written):
        inside = directive.start(2)
        for match in _RULE.finditer(directive.group(2)):
            start, end = inside + match.start(), inside + match.end()
            if start <= character <= end and match.group(0) in REGISTRY:
                return match.group(0), text.range(line + 1, start + 1, end - start)
    return None


def _markdown(body: str, where: types.Range) -> types.Hover:
    return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, body), where)


def _rule_text(rule_id: str) -> str:
    rule = REGISTRY[rule_id]
    return (
        f"**{code(rule.id)}** ({rule.severity.value}): {inline(rule.summary, line_start=False)}"
        f"\n\n{inline(rule.finds)}\n\n`cljourney explain {rule.id}` says more."
    )


def _text(node: YMap, key: str) -> str | None:
    value = node.get(key)
    return None if value is None or isinstance(value, (dict, list)) else str(value)


def _describe(root: Any, kind: IdKind, id_: str, found: tuple[YMap, YMap | None] | None) -> str:
    head = f"**{kind.value}** {code(id_)}"
    if found is None:
        return f"{head}: not defined in this journey"
    node, stage = found
    name = _text(node, "name")
    lines = [f"{head}: {inline(name, line_start=False)}" if name else head]
    if kind is IdKind.role:
        description = _text(node, "description")
        owned = [s.get("id") for s in _owned_stages(root, id_)]
        if description:
            lines.append(inline(description))
        if owned:
            lines.append("owns stages " + ", ".join(code(str(s)) for s in owned))
        return "\n\n".join(lines)
    owner = _text(node, "owner") or (_text(stage, "owner") if stage is not None else None)
    facts = []
    if owner:
        facts.append(f"owner {code(owner)}")
    if stage is not None and _text(stage, "id"):
        facts.append(f"stage {code(str(_text(stage, 'id')))}")
    if kind is IdKind.touchpoint and _text(node, "channel"):
        facts.append(f"channel {code(str(_text(node, 'channel')))}")
    if facts:
        lines.append(", ".join(facts))
    why = _text(node, "why")
    lines.append(f"why: {inline(why, line_start=False)}" if why else "why: (not written)")
    customer = node.get("customer")
    if isinstance(customer, YMap):
        said = [(key, _text(customer, key)) for key in _CUSTOMER]
        lines.extend(
            f"customer {key}: {inline(value, line_start=False)}" for key, value in said if value
        )
    return "\n\n".join(lines)


def _owned_stages(root: Any, role: str) -> list[YMap]:
    return [stage for stage in items(root, "stages") if stage.get("owner") == role]
