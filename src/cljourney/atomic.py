"""Write output files atomically: a temporary file beside the target, then a rename.

A failed write never leaves a half-written file, and a missing or read-only directory becomes an
`OutputError` with a message a user can act on. Every output goes through `check_replaceable`
first, so no command can replace one of its own inputs, a journey file, or a read-only file
(a rename would otherwise replace a mode 444 file without asking).
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

_JOURNEY_SUFFIXES = (".yaml", ".yml")
# A top-level `cljourney:` key marks a journey file (the format's version key is required).
_JOURNEY_KEY = re.compile(rb"^cljourney[ \t]*:", re.MULTILINE)


class OutputError(Exception):
    """An output file could not be written; the message says which and why."""


def missing_directory(path: Path, directory: Path) -> str:
    """The message for an output whose directory does not exist."""
    return (
        f"{path}: the directory {directory} does not exist; create it first (mkdir -p {directory})"
    )


def _input_clash(path: Path, inputs: Sequence[Path]) -> str | None:
    """Why `path` must not be written: it is a named input, or YAML a named directory searches."""
    resolved = path.resolve()
    for item in inputs:
        named = item.resolve()
        if resolved == named:
            return "is one of the input files; writing the output there would replace it"
        if (
            resolved.suffix.lower() in _JOURNEY_SUFFIXES
            and named.is_dir()
            and resolved.is_relative_to(named)
        ):
            if path.exists():
                return "is one of the input files; writing the output there would replace it"
            return (
                f"is a YAML file inside the input directory {item}, so the next run would read"
                " it as a journey"
            )
    return None


def _is_journey(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            head = stream.read(65536)
    except OSError:
        return False
    return _JOURNEY_KEY.search(head) is not None


def check_replaceable(path: Path, inputs: Sequence[Path] = ()) -> None:
    """Raise OutputError unless writing `path` is safe: its directory exists, and it is not a
    directory, one of `inputs` (files or searched directories), a journey file, or read-only."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(missing_directory(path, directory))
    if path.is_dir():
        raise OutputError(f"{path}: is a directory, not a file")
    clash = _input_clash(path, inputs) if inputs else None
    if clash is not None:
        raise OutputError(f"{path}: {clash}. Choose another output path")
    if not path.exists():
        return
    if _is_journey(path):
        raise OutputError(
            f"{path}: is a journey file; cljourney never replaces a journey with its output."
            " Choose another output path"
        )
    mode = path.stat().st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(path, os.W_OK):
        raise OutputError(
            f"{path}: is read-only; make it writable (chmod u+w {path}) or choose another path"
        )


def write_text_atomic(path: Path, text: str, inputs: Sequence[Path] = ()) -> None:
    """Replace `path` with `text` (UTF-8, newlines as given) or raise OutputError.

    `inputs` are the paths the command read (files or directories): `path` must not be one.
    """
    check_replaceable(path, inputs)
    mode = path.stat().st_mode & 0o7777 if path.exists() else None
    _write_through_temporary(path, text, mode, os.replace)


def write_text_new(path: Path, text: str) -> None:
    """Create `path` with `text`, atomically, refusing to replace anything that already exists.

    The content goes to a temporary file first and is then hard-linked into place: the link fails
    if the name exists, so there is no window in which another writer's file is overwritten.
    """
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(missing_directory(path, directory))
    if path.exists() or path.is_symlink():
        raise OutputError(f"{path}: already exists; choose another path or remove it first")
    _write_through_temporary(path, text, None, os.link)


def _write_through_temporary(
    path: Path, text: str, mode: int | None, place: Callable[[str, Path], None]
) -> None:
    """Write `text` to a temporary file beside `path`, then `place` it (rename or link).

    `mode` is kept from the file being replaced; a new file gets the umask's default. The
    temporary file never outlives the call, whatever fails.
    """
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {directory}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(temporary, mode)
        place(temporary, path)
    except FileExistsError:
        raise OutputError(
            f"{path}: already exists; choose another path or remove it first"
        ) from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except UnicodeEncodeError as exc:  # a lone surrogate (YAML allows "\ud800") is not UTF-8
        raise OutputError(
            f"{path}: cannot write: the text holds {exc.object[exc.start : exc.end]!r},"
            " which UTF-8 cannot encode; fix the input text"
        ) from None
    finally:
        Path(temporary).unlink(missing_ok=True)
