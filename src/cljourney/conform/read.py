"""Event logs as users have them: which reader a path needs, and which columns hold the
customer, the event name and the time. No engine here: `engine` runs what this decides."""

from __future__ import annotations

import glob
import itertools
import os
import re
import shlex
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from cljourney.errors import UsageError
from cljourney.text.hints import did_you_mean

T = TypeVar("T")

# Column names of common exports (PM4Py/XES-style CSV, Mixpanel, Amplitude, PostHog), in the
# order they are preferred when a log holds several.
CASE_NAMES = ("case_id", "customer_id", "account_id", "user_id", "distinct_id", "case:concept:name")
EVENT_NAMES = ("event", "event_name", "event_type", "activity", "concept:name")
TIME_NAMES = ("timestamp", "time", "event_time", "time:timestamp")

_KINDS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "json",
    ".ndjson": "json",
    ".json": "json",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_GLOB = frozenset("*?[")


@dataclass(frozen=True)
class LogSource:
    """One `--events` argument: what the user wrote, the reader it needs, and what it reads
    (a file, or a glob for a directory of Parquet files)."""

    shown: str
    kind: str
    path: str
    several: bool = False  # a glob or a directory: its rows are counted across its files


@dataclass(frozen=True)
class Columns:
    """The columns of one log holding the customer (case), the event name and the time."""

    case: str
    event: str
    time: str


@dataclass(frozen=True)
class ColumnChoice:
    """Column names asked for on the command line or in config (None: recognise them)."""

    case: str | None = None
    event: str | None = None
    time: str | None = None
    # (role, `path:line`) for each column named in a config file rather than on the command line.
    origins: tuple[tuple[str, str], ...] = ()


def _kind(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith(".gz"):
        lowered = lowered[:-3]
    return _KINDS.get(os.path.splitext(lowered)[1])


def log_source(argument: str, remote: bool = False) -> LogSource:
    """The reader for one `--events` argument. Raises UsageError for a path that does not exist,
    an empty file, or a name that says no format. With `remote` (an engine that reads URLs such
    as `s3a://`, `hdfs://`), a URL is taken as it is: its name says the format, else Parquet."""
    if remote and "://" in argument:
        return LogSource(argument, _kind(argument.rstrip("/")) or "parquet", argument)
    path = Path(argument)
    if path.is_dir():
        pattern = os.path.join(argument, "**", "*.parquet")
        if not glob.glob(pattern, recursive=True):
            raise UsageError(
                f"{argument}: a directory of event logs must hold Parquet files (*.parquet);"
                " none found"
            )
        return LogSource(argument, "parquet", pattern, several=True)
    if _GLOB & set(argument) and not path.exists():
        found = sorted(glob.glob(argument, recursive=True))
        if not found:
            raise UsageError(f"{argument}: no file matches this pattern")
        kinds = {_kind(name) for name in found}
        if len(kinds) != 1 or None in kinds:
            raise UsageError(f"{argument}: the files it matches must all be of one format")
        return LogSource(argument, kinds.pop() or "", argument, several=True)
    if not path.exists():
        raise UsageError(f"{argument}: no such file or directory")
    kind = _kind(path.name)
    if kind is None:
        raise UsageError(
            f"{argument}: cannot tell the format from the name; name it .csv, .tsv, .jsonl,"
            " .ndjson or .parquet (optionally .gz for text formats)"
        )
    try:
        empty = path.stat().st_size == 0
    except OSError as exc:
        raise UsageError(f"{argument}: cannot read the file: {exc.strerror or exc}") from None
    if empty:
        raise UsageError(f"{argument}: the file is empty; an event log needs a header and rows")
    if not os.access(path, os.R_OK):
        raise UsageError(f"{argument}: cannot read the file: permission denied")
    return LogSource(argument, kind, argument)


@dataclass(frozen=True)
class _Role:
    key: str
    known: tuple[str, ...]
    what: str
    flag: str


_ROLES = (
    _Role("case", CASE_NAMES, "customer (case)", "--case"),
    _Role("event", EVENT_NAMES, "event name", "--event"),
    _Role("time", TIME_NAMES, "time", "--time"),
)
_TIMELIKE = re.compile(r"_at$|time|date|^ts$", re.IGNORECASE)
_DEPTH = 3  # levels of nesting offered as columns: `properties.plan.tier`
_LISTED = 40  # column names a message lists before "and N more"


@dataclass(frozen=True)
class Offered(Generic[T]):
    """The columns a log offers, by the name a user writes -> (the path an engine reads, the
    engine's type), and its objects (JSON objects, Parquet groups) by name -> their fields'
    names. An object is not a column; its fields are, written `parent.field`."""

    columns: dict[str, tuple[tuple[str, ...], T]]
    objects: dict[str, tuple[str, ...]]

    def path(self, name: str) -> tuple[str, ...]:
        return self.columns[name][0]


def offered_columns(
    top: Sequence[tuple[str, T]], fields: Callable[[T], Sequence[tuple[str, T]]]
) -> Offered[T]:
    """What a log offers: each top-level column, then the fields of nested objects (JSON Lines,
    Parquet structs) written `parent.field`, down to `_DEPTH` levels (Mixpanel's raw export
    keeps `distinct_id` and `time` under `properties`). `fields` gives a type's fields (none
    for a plain type). A top-level name wins over a nested one written the same."""
    columns: dict[str, tuple[tuple[str, ...], T]] = {}
    objects: dict[str, tuple[str, ...]] = {}
    level: list[tuple[tuple[str, ...], T]] = [((name,), kind) for name, kind in top]
    for depth in range(_DEPTH):
        below: list[tuple[tuple[str, ...], T]] = []
        for path, kind in level:
            name = ".".join(path)
            inner = fields(kind)
            if not inner:
                columns.setdefault(name, (path, kind))
                continue
            objects.setdefault(name, tuple(field for field, _ in inner))
            if depth + 1 < _DEPTH:
                below += [((*path, field), of) for field, of in inner]
        level = below
    return Offered(columns, objects)


def _recognise(
    paths: Mapping[str, tuple[str, ...]], asked: str | None, known: Sequence[str]
) -> str | None:
    """The column asked for, else the first known export name among the top-level columns,
    else among nested fields (by their last name, the shallowest first); case-insensitive."""
    if asked is not None:
        return asked if asked in paths else None
    for nested in (False, True):
        folded: dict[str, str] = {}
        for shown, path in sorted(paths.items(), key=lambda item: len(item[1])):
            if (len(path) > 1) == nested:
                folded.setdefault(path[-1].lower(), shown)
        found = next((folded[name] for name in known if name in folded), None)
        if found is not None:
            return found
    return None


def _listed(names: Sequence[str]) -> str:
    """Column names for a message: all of a typical export's, the first ones of a wide one."""
    if len(names) <= _LISTED:
        return ", ".join(names) or "(none)"
    return f"{', '.join(names[:_LISTED])} and {len(names) - _LISTED} more"


def _missing(
    found: Sequence[str],
    role: _Role,
    asked: str | None,
    taken: dict[str, str],
    choice: ColumnChoice,
    shown: str,
) -> UsageError:
    """Why no column serves `role`, offering only columns no other role has taken."""
    free = [name for name in found if name not in taken.values()]
    if asked is not None:
        close = did_you_mean(asked, free, fold_case=True)
        hint = f"; did you mean '{close}'?" if close else ""
        origin = dict(choice.origins).get(role.key)
        if origin is not None:
            return UsageError(
                f"{origin}: no column '{asked}' for the {role.what} in {shown}{hint}"
                f" (columns: {_listed(found)})"
            )
        then = " The columns are: " if close else "; the columns are: "
        return UsageError(
            f"{shown}: no column '{asked}' for the {role.what}{hint}{then}{_listed(found)}"
        )
    looks = [name for name in free if _TIMELIKE.search(name)] if role.key == "time" else []
    guesses = [did_you_mean(name, free, fold_case=True) for name in role.known]
    close = next((g for g in (*looks, *guesses) if g), None)
    if close:
        hint = f"did you mean {role.flag} {shlex.quote(close)}? "
    elif taken:
        others = " or the ".join(r.what for r in _ROLES if r.key in taken)
        hint = f"columns not used for the {others}: {_listed(free)}; "
    else:
        hint = ""
    return UsageError(
        f"{shown}: no column for the {role.what} (looked for {', '.join(role.known)}); {hint}"
        f"name it with {role.flag} COLUMN; the columns are: {_listed(found)}"
    )


def _an_object(
    offered: Offered[T], name: str, role: _Role, choice: ColumnChoice, shown: str
) -> UsageError:
    """An object named for a role: which fields it offers instead (or that it is too deep)."""
    fields = [f"{name}.{field}" for field in offered.objects[name]]
    usable = [field for field in fields if field in offered.columns or field in offered.objects]
    where = dict(choice.origins).get(role.key)
    said = f"{where}: " if where else f"{shown}: "
    if usable:
        mend = f"name one of its fields with {role.flag}: {_listed(usable)}"
    else:
        mend = f"its fields are deeper than the {_DEPTH} levels read; flatten the log first"
    return UsageError(
        f"{said}'{name}' {'in ' + shown + ' ' if where else ''}is an object, not a column, so it"
        f" cannot be the {role.what}; {mend}"
    )


def check_timezone(name: str, origin: str | None = None) -> None:
    """`--timezone` (how naive times are read, on every engine): an IANA name, else UsageError;
    `origin` (`path:line`) when the config named it, so the message blames that line."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        where = f"{origin}: timezone = {name!r}" if origin else f"--timezone {name}"
        raise UsageError(
            f"{where}: unknown time zone; use an IANA name such as Europe/Paris or UTC"
        ) from None


def choose_columns(offered: Offered[T], choice: ColumnChoice, shown: str) -> Columns:
    """The case, event and time columns among those a log offers: those asked for, else the
    first known export name present (case-insensitive; top-level columns before nested
    fields). Raises UsageError naming the columns found; its did-you-mean never offers a
    column another role already holds; an object asked for is named as one, with its fields."""
    paths = {name: path for name, (path, _) in offered.columns.items()}
    found = list(paths)
    asked = {role.key: getattr(choice, role.key) for role in _ROLES}
    chosen = {role.key: _recognise(paths, asked[role.key], role.known) for role in _ROLES}
    taken = {key: name for key, name in chosen.items() if name is not None}
    for role in _ROLES:
        name = asked[role.key]
        if chosen[role.key] is None and name is not None and name in offered.objects:
            raise _an_object(offered, name, role, choice, shown)
        if chosen[role.key] is None:
            others = {key: name for key, name in taken.items() if key != role.key}
            raise _missing(found, role, asked[role.key], others, choice, shown)
    for first, second in itertools.combinations(_ROLES, 2):
        if taken[first.key] == taken[second.key]:
            # `--case event` made every event name a customer: measures of nothing.
            raise UsageError(
                f"{shown}: column '{taken[first.key]}' cannot be both the {first.what} and the"
                f" {second.what}; name another with {first.flag} or {second.flag} (the columns"
                f" are: {_listed(found)})"
            )
    return Columns(taken["case"], taken["event"], taken["time"])
