"""How the command line presents itself: typer classes for help text and usage errors.

Part of the command-line layer with cli.py (the only other module that knows typer): these only
change how arguments and errors are shown, never what a command does.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup


class Commands(TyperGroup):
    """The root group; it drops the "Value error, " prefix pydantic puts on a bad choice."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.BadParameter as exc:
            exc.message = exc.message.removeprefix("Value error, ")
            raise


class MetavarArgument(TyperArgument):
    """An argument shown exactly as its metavar (`PATH...`, `RULE`), without typer's
    `{PATH}...` braces or a `<list[Path]>` type beside it."""

    def _usage_display_name(self) -> str:
        return self.display_name_raw

    def _rich_display_name(self) -> str:
        return self.display_name_raw

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class Command(TyperCommand):
    """A command whose arguments with a metavar are shown as written (see MetavarArgument)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if type(param) is TyperArgument and param.metavar is not None:
                param.__class__ = MetavarArgument  # same state, display methods only
