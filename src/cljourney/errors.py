"""The usage error shared by the core and the command line (kept tiny so `--help` stays fast)."""

from __future__ import annotations


class UsageError(Exception):
    """A problem with how the command was called (missing path, bad -o...): exit status 2.

    One message a line (a config file with several problems gives several); `lines` keeps them
    apart, so a file name holding a newline is shown escaped instead of splitting a line."""

    def __init__(self, *lines: str) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class OutputError(Exception):
    """An output file could not be written (or must not be): the message says which and why."""
