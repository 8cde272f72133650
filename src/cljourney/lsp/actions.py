"""Code actions: "add a handoff" for a `handoff-gap` (a stub whose `why` the user must write),
and `validate --fix`'s certain fixes as quick fixes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from lsprotocol import types

from cljourney.edit.rename import IdKind, items
from cljourney.findings import Finding
from cljourney.load.tree import YMap, YSeq
from cljourney.lsp.ids import element
from cljourney.lsp.symbols import last_line
from cljourney.lsp.text import Text
from cljourney.rules.flow import missing_handoff

OPTIONS = types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix])


def code_actions(
    root: Any, text: Text, uri: str, findings: Iterable[Finding], params: types.CodeActionParams
) -> list[types.CodeAction]:
    """The quick fixes for the findings on the requested lines (as last published)."""
    first, last = params.range.start.line + 1, params.range.end.line + 1
    wanted = [f for f in findings if first <= f.line <= last]
    found: list[types.CodeAction] = []
    added: set[tuple[str, str]] = set()
    for finding in wanted:
        if finding.rule == "handoff-gap":
            action = add_handoff(root, text, uri, finding, added)
            if action is not None:
                action.diagnostics = [
                    d
                    for d in params.context.diagnostics
                    if d.code == finding.rule and d.range.start.line == finding.line - 1
                ] or None
                found.append(action)
    found.extend(certain_fixes(root, text, uri, wanted))
    return found


def certain_fixes(
    root: Any, text: Text, uri: str, findings: list[Finding]
) -> list[types.CodeAction]:
    """`validate --fix`'s certain fixes for these findings (edit/fix.py plans them for both), each
    a quick fix whose edit is a `WorkspaceEdit` on `uri`."""
    from pygls.uris import to_fs_path

    from cljourney.edit.fix import plan_fixes
    from cljourney.edit.source import JourneyText

    source = JourneyText(Path(to_fs_path(uri) or uri), text.source, root)
    actions = []
    for fix in plan_fixes(source, findings):
        start = text.position(fix.line, fix.column)
        end = text.position(fix.end_line, fix.end_column)
        actions.append(
            types.CodeAction(
                title=fix.title,
                kind=types.CodeActionKind.QuickFix,
                edit=types.WorkspaceEdit(
                    changes={uri: [types.TextEdit(types.Range(start, end), fix.text)]}
                ),
                is_preferred=True,
            )
        )
    return actions


def add_handoff(
    root: Any, text: Text, uri: str, finding: Finding, added: set[tuple[str, str]]
) -> types.CodeAction | None:
    """Insert `- from: A / to: B / at: T / why: ""` at the end of `handoffs` (or a new
    `handoffs:` at the end of the file); `at` only when the touchpoint is owned by B."""
    pair = missing_handoff(finding)
    if pair is None or pair in added:
        return None
    giver, taker = pair
    added.add(pair)
    fields = [("from", giver), ("to", taker)]
    if _owner(root, finding.element) == taker:
        fields.append(("at", finding.element))
    edit = _insertion(root, text, fields)
    if edit is None:
        return None
    return types.CodeAction(
        title=f"Add a handoff {giver} > {taker} (then write its why)",
        kind=types.CodeActionKind.QuickFix,
        edit=types.WorkspaceEdit(changes={uri: [edit]}),
    )


def _owner(root: Any, touchpoint: str) -> str | None:
    found = element(root, IdKind.touchpoint, touchpoint)
    if found is None:
        return None
    point, stage = found
    owner = point.get("owner") or (stage.get("owner") if stage is not None else None)
    return owner if isinstance(owner, str) else None


def _insertion(root: Any, text: Text, fields: list[tuple[str, str]]) -> types.TextEdit | None:
    if not isinstance(root, YMap):
        return None
    if "handoffs" not in root:
        return _at_end(text, fields)
    handoffs = root["handoffs"]
    listed = items(root, "handoffs")
    if isinstance(handoffs, YSeq) and not handoffs:
        return _into_empty(root, text, fields)
    if not listed or not isinstance(handoffs, YSeq):
        return None  # a flow-style list: where a stub goes is the author's call
    final = listed[-1]
    written = text.line(final.line - 1)
    dash = written.rfind("-", 0, final.column - 1)
    if dash < 0 or written[:dash].strip():
        return None
    return _after_line(
        text, last_line(text, final.line, final.column), _stub(fields, dash, final.column - 1)
    )


def _into_empty(root: YMap, text: Text, fields: list[tuple[str, str]]) -> types.TextEdit | None:
    """`handoffs: []` becomes a block list holding the stub."""
    _, key_column, line, column = root.keys_pos["handoffs"]
    written = text.line(line - 1)
    colon = written.rfind(":", 0, column - 1)
    if written[column - 1 : column + 1] != "[]" or colon < 0:
        return None
    dash = key_column - 1 + 2
    stub = _stub(fields, dash, dash + 2).removesuffix("\n")
    where = text.range(line, colon + 2, column + 1 - (colon + 1))
    return types.TextEdit(where, "\n" + stub)


def _at_end(text: Text, fields: list[tuple[str, str]]) -> types.TextEdit:
    return _after_line(text, len(text.lines), f"\nhandoffs:\n{_stub(fields, 2, 4)}")


def _after_line(text: Text, line: int, lines: str) -> types.TextEdit:
    """Insert whole `lines` after 1-based `line`: at the end of its text, so a file without a
    final line break gets one before them and one with it keeps it last."""
    end = text.position(line, 10**9)
    return types.TextEdit(types.Range(end, end), "\n" + lines.removesuffix("\n"))


def _stub(fields: list[tuple[str, str]], dash: int, keys: int) -> str:
    rows = [*fields, ("why", '""')]
    first, *rest = (f"{key}: {value}" for key, value in rows)
    return "".join(
        [" " * dash + "-" + " " * (keys - dash - 1) + first + "\n"]
        + [" " * keys + row + "\n" for row in rest]
    )
