"""`cljourney lsp`: start the language server on stdin and stdout (for editors).

pygls is an optional extra: without it the command says how to install it and exits 2.
"""

from __future__ import annotations

import typer

from cljourney.cli.params import fail_usage


def lsp() -> None:
    """Run the language server on stdin/stdout: findings as you type, go to definition, find
    references, hover, rename, completion, outline and quick fixes for journey files."""
    try:
        import pygls  # noqa: F401  (the optional extra)
    except ImportError:
        raise fail_usage(
            "`cljourney lsp` needs the language server extra, which is not installed:"
            " pip install 'cljourney[lsp]' (or uv tool install 'cljourney[lsp]')"
        ) from None
    from cljourney.lsp.server import main

    main()


def register(app: typer.Typer) -> None:
    app.command(short_help="Run the language server (stdio) for editors.")(lsp)
