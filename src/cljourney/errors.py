"""The usage error shared by the core and the command line (kept tiny so `--help` stays fast)."""

from __future__ import annotations


class UsageError(Exception):
    """A problem with how the command was called (missing path, bad -o...): exit status 2."""


class OutputError(Exception):
    """An output file could not be written (or must not be): the message says which and why."""
