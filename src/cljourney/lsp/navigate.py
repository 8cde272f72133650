"""Go to definition and find references of touchpoint, stage and role ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lsprotocol import types

from cljourney.edit.rename import Spot
from cljourney.lsp.ids import id_at, places, span
from cljourney.lsp.text import Text


def definition(root: Any, text: Text, uri: str, position: types.Position) -> list[types.Location]:
    """Where the id under the cursor is defined (`id:` of its role, stage or touchpoint)."""
    return _where(root, text, uri, position, lambda spot: spot.defines)


def references(
    root: Any, text: Text, uri: str, position: types.Position, declaration: bool
) -> list[types.Location]:
    """Every place naming the id under the cursor as that kind of id: what `rename` changes."""
    return _where(root, text, uri, position, lambda spot: declaration or not spot.defines)


def _where(
    root: Any, text: Text, uri: str, position: types.Position, keep: Callable[[Spot], bool]
) -> list[types.Location]:
    named = id_at(root, text, *text.cursor(position))
    if named is None:
        return []
    found = places(root, named.id, named.kind)
    return [types.Location(uri, span(text, spot, named.id)) for spot in found if keep(spot)]
