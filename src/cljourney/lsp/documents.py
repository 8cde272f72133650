"""The open documents: each one's last findings and the positioned tree of its last text that
parsed, which navigation, hover and symbols answer from (a file that stops parsing while being
typed keeps its outline)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pygls.uris import to_fs_path

from cljourney.findings import Finding
from cljourney.load.tree import Tree, YMap, parse_tree


@dataclass
class Open:
    """One open document's state, changed on the server's event loop only."""

    uri: str
    path: Path
    tree: Any = None
    parsed: str | None = None  # the text `tree` was read from
    findings: tuple[Finding, ...] = ()
    pending: asyncio.Task[None] | None = None

    def tree_of(self, source: str) -> Any:
        """The positioned tree of `source`, or the last good one when `source` does not parse."""
        if source != self.parsed:
            parsed = parse_tree(source.encode("utf-8", errors="surrogatepass"))
            if isinstance(parsed, Tree) and isinstance(parsed.root, YMap):
                self.keep(source, parsed.root)
        return self.tree

    def keep(self, source: str, root: Any) -> None:
        self.tree, self.parsed = root, source


class Documents:
    """uri -> Open."""

    def __init__(self) -> None:
        self._open: dict[str, Open] = {}

    def get(self, uri: str) -> Open:
        found = self._open.get(uri)
        if found is None:
            found = self._open[uri] = Open(uri, Path(to_fs_path(uri) or uri))
        return found

    def close(self, uri: str) -> Open | None:
        return self._open.pop(uri, None)
