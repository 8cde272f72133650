"""Write output files atomically: a temporary file beside the target, then a rename.

A failed write never leaves a half-written file, and a missing or read-only directory becomes an
`OutputError` with a message a user can act on.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputError(Exception):
    """An output file could not be written; the message says which and why."""


def write_text_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` (UTF-8, newlines as given) or raise OutputError."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"{path}: the directory {directory} does not exist; create it first")
    if path.is_dir():
        raise OutputError(f"{path}: is a directory, not a file")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {directory}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except UnicodeEncodeError as exc:  # a lone surrogate (YAML allows "\ud800") is not UTF-8
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(
            f"{path}: cannot write: the text holds {exc.object[exc.start:exc.end]!r},"
            " which UTF-8 cannot encode; fix the input text"
        ) from None


def write_text_new(path: Path, text: str) -> None:
    """Create `path` with `text`, atomically, refusing to replace anything that already exists.

    The content goes to a temporary file first and is then hard-linked into place: the link fails
    if the name exists, so there is no window in which another writer's file is overwritten.
    """
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(f"{path}: the directory {directory} does not exist; create it first")
    if path.exists() or path.is_symlink():
        raise OutputError(f"{path}: already exists; choose another path or remove it first")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write in {directory}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.link(temporary, path)
    except FileExistsError:
        raise OutputError(f"{path}: already exists; choose another path or remove it first") from None
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except UnicodeEncodeError as exc:
        raise OutputError(
            f"{path}: cannot write: the text holds {exc.object[exc.start:exc.end]!r},"
            " which UTF-8 cannot encode; fix the input text"
        ) from None
    finally:
        Path(temporary).unlink(missing_ok=True)
