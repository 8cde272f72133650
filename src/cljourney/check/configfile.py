"""Which config file applies, and where a key sits in it: light on purpose (no pydantic, no rule
registry), so `conform` can learn its event-log settings and start reading the log while
`check.config` (a quarter of a second of imports) is still loading.

Sources, nearest wins: `--config PATH`, else the first directory from the working directory
upwards holding `cljourney.toml`, `.cljourney.toml` or a `pyproject.toml` with a
`[tool.cljourney]` table (checked in that order); `--isolated` ignores them all.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cljourney.check.discover import display_path
from cljourney.check.tomlpos import KeyPath, key_lines, line_of

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

CONFIG_FILES = ("cljourney.toml", ".cljourney.toml", "pyproject.toml")


def table_prefix(path: Path) -> KeyPath:
    """Where cljourney's keys sit in `path`: under `[tool.cljourney]` in pyproject.toml."""
    return ("tool", "cljourney") if path.name == "pyproject.toml" else ()


def section(path: Path, data: dict[str, Any]) -> dict[str, Any] | None:
    """cljourney's table in the parsed file `path` (None: a pyproject.toml without one)."""
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool")
    found = tool.get("cljourney") if isinstance(tool, dict) else None
    return found if isinstance(found, dict) else None


def _has_section(path: Path) -> bool:
    """Whether a candidate file configures cljourney (a pyproject.toml only with its table)."""
    if path.name != "pyproject.toml":
        return True
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    if "cljourney" not in text:
        return False
    try:
        return section(path, tomllib.loads(text)) is not None
    except (RecursionError, ValueError):  # TOMLDecodeError too
        return True  # mentions cljourney but is broken: load it so the user sees the error


def find_config(start: Path) -> Path | None:
    """The nearest config file from `start` upwards, or None."""
    for directory in (start.resolve(), *start.resolve().parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file() and _has_section(candidate):
                return candidate
    return None


def key_origin(path: Path, keys: KeyPath) -> str:
    """`path:line` of a key of a config file already loaded, for messages about its value
    (line 1 when the file cannot be read again, such as a pipe)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    return f"{display_path(path)}:{line_of(key_lines(text), (*table_prefix(path), *keys))}"


@dataclass(frozen=True)
class EventsPeek:
    """The `events` table of the config that applies, read without checking the rest of the
    file (`check.config` checks it all); the same attributes as its `EventsConfig`."""

    case: str | None = None
    event: str | None = None
    time: str | None = None
    timezone: str | None = None
    path: Path | None = None  # the config file, None without one


_EVENT_KEYS = ("case", "event", "time", "timezone")


def peek_events(explicit: Path | None, isolated: bool) -> EventsPeek | None:
    """What the config that applies says in its `events` table, if a quick read can tell: None
    where it cannot (an unreadable file, invalid TOML, a value that is not text), and the full
    load of the config will say what is wrong; None too for a stream (`--config <(...)`),
    which can be read only once, by that load. A guess to start work early with, never a
    substitute for that load: what it starts must be checked against the loaded config."""
    if isolated:
        return EventsPeek()
    try:
        path = explicit or find_config(Path.cwd())
        if path is None:
            return EventsPeek()
        if not path.is_file():
            return None
        data = section(path, tomllib.loads(path.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, RecursionError, ValueError):  # TOMLDecodeError too
        return None
    events = (data or {}).get("events", {})
    if not isinstance(events, dict) or any(
        not isinstance(events.get(key, ""), str) for key in _EVENT_KEYS
    ):
        return None
    case, event, time, timezone = (events.get(key) for key in _EVENT_KEYS)
    return EventsPeek(case, event, time, timezone, path.resolve())
