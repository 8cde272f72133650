"""The command line: the typer app and its commands, one module each (the only layer that knows
typer). A command turns options into typed arguments, makes one core call, hands the result to a
reporter and exits with 0 (success), 1 (failing findings), 2 (usage error) or 3 (internal error:
a bug). Heavy modules are imported inside the commands that use them, so `--help` stays fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from cljourney import __version__
from cljourney.cli import conform, diff, docs, fmt, lsp, move, rename, render, status, validate
from cljourney.cli.help import Commands
from cljourney.cli.params import EXIT_INTERNAL, EXIT_OK, EXIT_USAGE

app = typer.Typer(
    cls=Commands,
    name="cljourney",
    help="Customer lifecycle and customer journeys as code: start, check, render, review, edit"
    " and measure journey files.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"cljourney {__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def root(
    version: Annotated[
        bool | None,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = None,
) -> None:
    """Customer lifecycle and customer journeys as code."""


validate.register(app)
diff.register(app)
render.register(app)
docs.register(app)  # rules, explain, schema, init
conform.register(app)
status.register(app)
rename.register(app)
fmt.register(app)
lsp.register(app)
move.register(app)


def main() -> None:
    """Console-script entry point: runs the app and turns unexpected exceptions into exit 3."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("cljourney: interrupted\n")
        sys.exit(130)
    except MemoryError:
        raise  # not a bug: `entry.main` says so without needing memory to say it
    except PermissionError as exc:  # a path in a folder this user cannot enter: a usage error
        from cljourney.text.shown import printable

        where = f"{printable(str(exc.filename))}: " if exc.filename else ""
        sys.stderr.write(
            f"cljourney: error: {where}{exc.strerror or exc}; run as a user who can read it,"
            " or name another path\n"
        )
        sys.exit(EXIT_USAGE)
    except Exception as exc:  # a bug, not a user mistake
        if os.environ.get("CLJOURNEY_DEBUG"):
            raise
        sys.stderr.write(
            f"cljourney: internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in cljourney; rerun with CLJOURNEY_DEBUG=1 for the traceback"
            " and report it.\n"
        )
        sys.exit(EXIT_INTERNAL)
