"""Completion where an id is expected: touchpoint ids after `next`, `loops_to` and handoff `at`,
role ids after `owner`, `from` and `to`, stage ids after `during`, the journey's channels after
`channel`, and rule ids inside `# cljourney: ignore[...]`."""

from __future__ import annotations

import re
from typing import Any

from lsprotocol import types

from cljourney.check.suppress import OPENING
from cljourney.edit.rename import IdKind
from cljourney.load.tree import YMap, YSeq
from cljourney.lsp.ids import defined, element, touchpoints
from cljourney.lsp.text import Text
from cljourney.rules import REGISTRY

OPTIONS = types.CompletionOptions(trigger_characters=[" ", "[", ",", "-"])

_DIRECTIVE = re.compile(OPENING + r"[^\]]*?([a-z0-9-]*)$")
_KEYED = re.compile(r"^\s*(?:-\s+)?([a-z_]+)\s*:\s*(\[[^\]]*?)?([A-Za-z0-9_-]*)$")
_ITEM = re.compile(r"^(\s*)-\s*([A-Za-z0-9_-]*)$")
_KEY_ALONE = re.compile(r"^(\s*)(?:-\s+)?([a-z_]+)\s*:\s*(?:#.*)?$")
_KINDS = {
    "next": IdKind.touchpoint,
    "loops_to": IdKind.touchpoint,
    "at": IdKind.touchpoint,
    "owner": IdKind.role,
    "from": IdKind.role,
    "to": IdKind.role,
    "during": IdKind.stage,
}
_LISTS = frozenset({"next", "loops_to", "during"})


def complete(root: Any, text: Text, position: types.Position) -> types.CompletionList:
    line, character = text.cursor(position)
    before = text.line(line)[:character]
    directive = _DIRECTIVE.search(before)
    if directive is not None:
        where = _fragment(text, line, character, directive.group(2))
        items = [_rule_item(rule_id, where) for rule_id in REGISTRY]
        return types.CompletionList(is_incomplete=False, items=items)
    key, fragment = _context(text, line, before)
    if key is None:
        return types.CompletionList(is_incomplete=False, items=[])
    where = _fragment(text, line, character, fragment)
    if key == "channel":
        items = [_item(name, "channel", where) for name in channels(root)]
    else:
        kind = _KINDS[key]
        items = [
            _item(id_, kind.value, where, _name(root, kind, id_)) for id_ in defined(root, kind)
        ]
    return types.CompletionList(is_incomplete=False, items=items)


def _context(text: Text, line: int, before: str) -> tuple[str | None, str]:
    """The key whose value is being written, and the part of the id already typed."""
    keyed = _KEYED.match(before)
    if keyed is not None:
        key, flow = keyed.group(1), keyed.group(2)
        if (key in _KINDS or key == "channel") and (key in _LISTS or not flow):
            return key, keyed.group(3)
        return None, ""
    item = _ITEM.match(before)
    if item is None:
        return None, ""
    indent = len(item.group(1))
    for above in range(line - 1, -1, -1):
        written = text.line(above)
        stripped = written.strip()
        if not stripped or stripped.startswith("#"):
            continue
        alone = _KEY_ALONE.match(written)
        if alone is not None and len(alone.group(1)) <= indent:
            key = alone.group(2)
            return (key, item.group(2)) if key in _LISTS else (None, "")
        if not (stripped.startswith("-") and len(written) - len(written.lstrip()) == indent):
            return None, ""
    return None, ""


def _fragment(text: Text, line: int, character: int, typed: str) -> types.Range:
    start = character - len(typed)
    return types.Range(text.position(line + 1, start + 1), text.position(line + 1, character + 1))


def _item(label: str, what: str, where: types.Range, name: str = "") -> types.CompletionItem:
    return types.CompletionItem(
        label=label,
        kind=types.CompletionItemKind.Reference,
        detail=f"{what} {name}".strip(),
        text_edit=types.TextEdit(where, label),
    )


def _rule_item(rule_id: str, where: types.Range) -> types.CompletionItem:
    rule = REGISTRY[rule_id]
    return types.CompletionItem(
        label=rule_id,
        kind=types.CompletionItemKind.EnumMember,
        detail=rule.summary,
        text_edit=types.TextEdit(where, rule_id),
    )


def _name(root: Any, kind: IdKind, id_: str) -> str:
    found = element(root, kind, id_)
    name = found[0].get("name") if found else None
    return name if isinstance(name, str) else ""


def channels(root: Any) -> list[str]:
    """The journey's channel vocabulary (`channels`), else the channels its touchpoints use."""
    listed = root.get("channels") if isinstance(root, YMap) else None
    names = list(listed) if isinstance(listed, YSeq) and listed else []
    if not names:
        names = [point.get("channel") for _, point in touchpoints(root)]
    return list(dict.fromkeys(name for name in names if isinstance(name, str)))
