"""The outline: stages with their touchpoints, then roles and handoffs."""

from __future__ import annotations

from typing import Any

from lsprotocol import types

from cljourney.edit.rename import items
from cljourney.load.tree import YMap
from cljourney.lsp.text import Text

_KINDS = {
    "stage": types.SymbolKind.Namespace,
    "touchpoint": types.SymbolKind.Event,
    "role": types.SymbolKind.Class,
    "handoff": types.SymbolKind.Interface,
}


def last_line(text: Text, line: int, column: int) -> int:
    """The last 1-based line of the block item whose keys start at `line`, `column`: the lines
    after it indented deeper than its keys' column belong to it; comments and blanks follow."""
    last = line
    for number in range(line, len(text.lines)):
        written = text.line(number)
        stripped = written.lstrip()
        if not stripped or stripped.startswith("#"):
            continue
        if len(written) - len(stripped) < column - 1:
            break
        last = number + 1
    return last


def _symbol(
    text: Text, node: YMap, what: str, name: str, children: list[types.DocumentSymbol]
) -> types.DocumentSymbol:
    end = last_line(text, node.line, node.column)
    whole = types.Range(text.position(node.line, node.column), text.position(end, 10**9))
    key = "id" if "id" in node.keys_pos else next(iter(node.keys_pos), None)
    chosen = types.Range(whole.start, whole.start)
    if key is not None:
        chosen = text.value_range(*node.keys_pos[key][2:])
    label = node.get("name")
    return types.DocumentSymbol(
        name=name,
        kind=_KINDS[what],
        range=whole,
        selection_range=chosen,
        detail=f"{what}: {label}" if isinstance(label, str) else what,
        children=children or None,
    )


def _id(node: YMap, fallback: str) -> str:
    value = node.get("id")
    return value if isinstance(value, str) and value else fallback


def outline(root: Any, text: Text) -> list[types.DocumentSymbol]:
    found: list[types.DocumentSymbol] = []
    for number, stage in enumerate(items(root, "stages"), 1):
        points = [
            _symbol(text, point, "touchpoint", _id(point, f"touchpoint {index}"), [])
            for index, point in enumerate(items(stage, "touchpoints"), 1)
        ]
        found.append(_symbol(text, stage, "stage", _id(stage, f"stage {number}"), points))
    for number, role in enumerate(items(root, "roles"), 1):
        found.append(_symbol(text, role, "role", _id(role, f"role {number}"), []))
    for handoff in items(root, "handoffs"):
        name = f"{handoff.get('from', '?')} > {handoff.get('to', '?')}"
        found.append(_symbol(text, handoff, "handoff", name, []))
    return found
