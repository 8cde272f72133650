"""How the command line presents its errors: the root group, through click's public `invoke`.

Part of the command-line layer: it only changes how a bad option value is worded, never what a
command does. Typer shows arguments its own way (`{PATH}...` in usage lines); cljourney no longer
overrides typer's private display methods to change that.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup


class Commands(TyperGroup):
    """The root group; it drops the "Value error, " prefix pydantic puts on a bad choice."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.BadParameter as exc:
            exc.message = exc.message.removeprefix("Value error, ")
            raise
