"""Small wording helpers shared by reporters and renderers, so counts read right everywhere."""

from __future__ import annotations

import stat

_FILE_KINDS = {
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFDIR: "a directory",
}


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`count` and `noun`, the noun in the plural unless the count is one ("1 stage", "2 stages")."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def tally(errors: int, warnings: int, infos: int) -> str:
    """Finding counts as `validate` words them: "0 errors, 1 warning", then ", 2 info" if any."""
    parts = [plural(errors, "error"), plural(warnings, "warning")]
    if infos:
        parts.append(f"{infos} info")
    return ", ".join(parts)


def counted(count: int, singular: str, many: str | None = None) -> str:
    """A count people read, with its noun: "1 row", "2,999 customers"."""
    return f"{count:,} {noun(count, singular, many)}"


def noun(count: int, singular: str, many: str | None = None) -> str:
    """The noun alone, agreeing with `count` (for "3 of 1 ..." shapes where the number leads)."""
    return singular if count == 1 else (many or singular + "s")


def listing(words: list[str], limit: int = 12) -> str:
    """A bounded listing, so a huge vocabulary does not make every finding huge."""
    shown = ", ".join(words[:limit])
    return shown + (f" (and {len(words) - limit} more)" if len(words) > limit else "")


def file_kind(mode: int) -> str:
    """What a file that is not a regular file is, from its `st_mode` ("a FIFO (named pipe)")."""
    return _FILE_KINDS.get(stat.S_IFMT(mode), "not a regular file")
