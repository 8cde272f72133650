"""The one table mechanism behind every set of reporters (validate's and diff's).

A table maps a format name to the module that writes it; each module has
`write(result, stream, options)`. The table supplies the `--format` choices (iterating it gives
the names, in order) and imports a module only when its format is chosen, so the JSON path never
pays for rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

W = TypeVar("W")


class Writers(Mapping[str, str], Generic[W]):
    """Format name -> module name; `writer(name)` is that module's `write` function."""

    def __init__(self, modules: Mapping[str, str]) -> None:
        self._modules = dict(modules)

    def __getitem__(self, name: str) -> str:
        return self._modules[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)

    def writer(self, name: str) -> W:
        """The `write` function of the format called `name` (one of the table's names)."""
        found: W = importlib.import_module(self._modules[name]).write
        return found
