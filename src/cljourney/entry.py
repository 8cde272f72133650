"""The console-script entry point: answers `--version` without importing anything heavy.

`cljourney --version` runs in pre-commit hooks and CI set-up steps, so it should cost an
interpreter start and no more: importing typer alone takes 60-100 ms here, longer than
yamllint's whole `--version`. Every other invocation goes to `cljourney.cli.main`.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from cljourney import __version__

        sys.stdout.write(f"cljourney {__version__}\n")
        return
    from cljourney.cli import main as cli_main

    cli_main()
