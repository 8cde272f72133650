"""Rename an id from the editor: the edits `cljourney rename` makes in the file (one core,
`edit.rename`), refused with its message when the new name is invalid or taken."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.workspace import TextDocument

from cljourney.edit.rename import check_new_id, rename_in
from cljourney.edit.source import EditError, parse_text
from cljourney.lsp.ids import Named, id_at, span
from cljourney.lsp.text import Text

REQUEST_FAILED = -32803  # LSP's RequestFailed: the request was understood but cannot be done


class Refused(JsonRpcException):
    """A rename that cannot be made; its message is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(code=REQUEST_FAILED, message=message)


def _named(root: Any, text: Text, position: types.Position) -> Named:
    named = id_at(root, text, *text.cursor(position))
    if named is None:
        raise Refused("put the cursor on a touchpoint, stage or role id to rename it")
    return named


def prepare(root: Any, text: Text, position: types.Position) -> types.Range:
    named = _named(root, text, position)
    return span(text, named.spot, named.id)


def rename(
    path: Path, text: Text, document: TextDocument, params: types.RenameParams
) -> types.WorkspaceEdit:
    """The edits of `cljourney rename OLD NEW --kind KIND FILE` on the unsaved text."""
    try:
        source = parse_text(path, text.source.encode("utf-8", errors="surrogatepass"))
        named = _named(source.root, text, params.position)
        check_new_id(params.new_name)
        renamed = rename_in(source, named.id, params.new_name, named.kind)
    except EditError as exc:
        raise Refused(str(exc)) from None
    edits = [
        types.TextEdit(span(text, spot, named.id), params.new_name)
        for spot in sorted(renamed.spots, key=lambda s: (s.line, s.column))
    ]
    return types.WorkspaceEdit(changes={document.uri: edits})
