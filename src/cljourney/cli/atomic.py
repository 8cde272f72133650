"""Write output files: regular files atomically (a temporary file, then a rename), streams directly.

A failed write never leaves a half-written file, and a missing or read-only directory becomes an
`OutputError` with a message a user can act on. Every output goes through `check_replaceable`
first, so no command can replace one of its own inputs, a journey file, or a read-only file
(a rename would otherwise replace a mode 444 file without asking).

A target that is not a regular file (a character device such as /dev/null, a FIFO, a socket) or
that names an open descriptor (/dev/stdout, /dev/fd/N, /proc/self/fd/N, or a link to one) is
written to directly: never renamed over (that would replace the device node or the link) and never
read first (reading a FIFO or a terminal blocks).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from cljourney.errors import OutputError as OutputError  # raised here; tests import it here
from cljourney.load.detect import is_yaml_name

# Paths that name an already open descriptor: written through it, so `>> log` appends.
_DESCRIPTOR = re.compile(r"/dev/(?:fd/(?P<fd>[0-9]+)|(?P<std>stdin|stdout|stderr))\Z")
_PROC_DESCRIPTOR = re.compile(r"/proc/(?P<pid>self|thread-self|[0-9]+)/fd/(?P<fd>[0-9]+)\Z")
_STANDARD = {"stdin": 0, "stdout": 1, "stderr": 2}
# A temporary is stale once no writer holds its lock; a moment's grace covers the instant between
# a writer creating it and locking it.
_STALE_AFTER = 1.0


def missing_directory(path: Path, directory: Path) -> str:
    """The message for an output whose directory does not exist."""
    return (
        f"{path}: the directory {directory} does not exist; create it first (mkdir -p {directory})"
    )


@dataclass(frozen=True)
class _Target:
    """Where an output goes: a regular file (`path`, possibly through a link), or a stream."""

    path: Path
    exists: bool
    stream: bool = False
    descriptor: int | None = None


def _hops(path: Path) -> list[str]:
    """`path` and every path its chain of symbolic links passes through (absolute, normalised)."""
    hops = [os.path.abspath(path)]
    for _ in range(40):  # the kernel's own limit on links followed
        try:
            target = os.readlink(hops[-1])
        except OSError:
            break
        hops.append(os.path.normpath(os.path.join(os.path.dirname(hops[-1]), target)))
    return hops


def _descriptor(hops: Sequence[str]) -> tuple[bool, int | None]:
    """(written directly, our own descriptor number or None) for a path through /dev or /proc."""
    for hop in hops:
        match = _DESCRIPTOR.match(hop)
        if match:
            return True, int(match["fd"]) if match["fd"] else _STANDARD[match["std"]]
        proc = _PROC_DESCRIPTOR.match(hop)
        if proc:
            ours = proc["pid"] in ("self", "thread-self", str(os.getpid()))
            return True, int(proc["fd"]) if ours else None
        if hop.startswith("/proc/"):
            return True, None
    return False, None


def _classify(path: Path) -> _Target:
    """What `path` is, for writing; raises OutputError for a link that loops."""
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OutputError(
                f"{path}: is a symbolic link that loops back on itself; remove it or choose"
                " another output path"
            ) from None
        return _Target(path, exists=False)
    direct, descriptor = _descriptor(_hops(path))
    if direct or (not stat.S_ISREG(info.st_mode) and not stat.S_ISDIR(info.st_mode)):
        return _Target(path, exists=True, stream=True, descriptor=descriptor)
    if path.is_symlink():  # replace the file the link points to, and keep the link
        return _Target(Path(os.path.realpath(path)), exists=True)
    return _Target(path, exists=True)


def _input_clash(path: Path, inputs: Sequence[Path]) -> str | None:
    """Why `path` must not be written: it is a named input, or YAML a named directory searches."""
    resolved = Path(os.path.realpath(path))
    for item in inputs:
        named = Path(os.path.realpath(item))
        if resolved == named:
            return "is one of the input files; writing the output there would replace it"
        if is_yaml_name(resolved.name) and named.is_dir() and resolved.is_relative_to(named):
            if path.exists():
                return "is one of the input files; writing the output there would replace it"
            return (
                f"is a YAML file inside the input directory {item}, so the next run would read"
                " it as a journey"
            )
    return None


def _is_journey(path: Path) -> bool:
    """A regular file is a journey by `detect.sniff`, read up to the loader's size limit."""
    from cljourney.load.detect import is_journey
    from cljourney.load.tree import DEFAULT_LIMITS

    try:
        # O_NONBLOCK: should the file turn into a FIFO after it was checked, do not hang on it.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return False
    with os.fdopen(handle, "rb") as stream:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return False
        try:
            head = stream.read(DEFAULT_LIMITS.max_bytes)
        except OSError:
            return False
    return is_journey(head)


def check_replaceable(path: Path, inputs: Sequence[Path] = (), *, writing: bool = True) -> None:
    """Raise OutputError unless writing `path` is safe: its directory exists, and it is not a
    directory, one of `inputs` (files or searched directories), a journey file, or (when
    `writing`: not for a command that only compares) read-only.

    Streams (devices, FIFOs, open descriptors) pass without being read."""
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputError(missing_directory(path, directory))
    target = _classify(path)
    if target.stream:
        return
    if target.path.is_dir():
        raise OutputError(f"{path}: is a directory, not a file")
    clash = _input_clash(path, inputs) if inputs else None
    if clash is not None:
        raise OutputError(f"{path}: {clash}. Choose another output path")
    if not target.exists:
        return
    if _is_journey(target.path):
        raise OutputError(
            f"{path}: is a journey file; cljourney never replaces a journey with its output."
            " Choose another output path"
        )
    if not writing:
        return
    mode = target.path.stat().st_mode
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
        target.path, os.W_OK
    ):
        raise OutputError(
            f"{path}: is read-only; make it writable (chmod u+w {path}) or choose another path"
        )


def write_text_atomic(path: Path, text: str, inputs: Sequence[Path] = ()) -> None:
    """Replace `path` with `text` (UTF-8, newlines as given) or raise OutputError.

    `inputs` are the paths the command read (files or directories): `path` must not be one.
    A stream target (see the module docstring) is written directly instead.
    """
    check_replaceable(path, inputs)
    target = _classify(path)
    if target.stream:
        _write_stream(path, text, target.descriptor)
        return
    mode = target.path.stat().st_mode & 0o7777 if target.exists else None
    remove_stale_temporaries(target.path)
    _write_through_temporary(target.path, text, mode, os.replace)


def _write_stream(path: Path, text: str, descriptor: int | None) -> None:
    """Write `text` to a device, FIFO or open descriptor without replacing or reading it."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise OutputError(_unencodable(path, exc)) from None
    try:
        if descriptor is not None:
            _flush_streams_on(descriptor)
            handle = os.dup(descriptor)
        else:
            handle = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
    except OSError as exc:
        raise OutputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    except ValueError:  # sys.stdout replaced by something without a descriptor
        raise OutputError(f"{path}: cannot write: no such open descriptor") from None


def _flush_streams_on(descriptor: int) -> None:
    """Flush sys.stdout or sys.stderr when it writes to `descriptor`: what this run already printed
    there comes before the output."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None and stream.fileno() == descriptor:
                stream.flush()
        except (OSError, ValueError):  # replaced by a stream without a descriptor (tests, IDEs)
            continue


def _unencodable(path: Path, exc: UnicodeEncodeError) -> str:
    return (
        f"{path}: cannot write: the text holds {exc.object[exc.start : exc.end]!r},"
        " which UTF-8 cannot encode; fix the input text"
    )


def _temporary_name(path: Path) -> re.Pattern[str]:
    """The names `tempfile.mkstemp` gives this target's temporaries (eight random characters)."""
    return re.compile(re.escape(f".{path.name}.") + r"[a-z0-9_]{8}\.tmp\Z")


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove temporaries of ours beside `path` left by a writer that was killed mid-write.

    Only names we create (`.NAME.XXXXXXXX.tmp`), only regular files, and only when no writer holds
    the lock every writer takes on its temporary; returns what was removed.
    """
    try:
        import fcntl
    except ImportError:  # no flock: leave them, rather than race a live writer
        return []
    directory = path.parent if str(path.parent) else Path(".")
    pattern = _temporary_name(path)
    removed: list[Path] = []
    try:
        names = [name for name in os.listdir(directory) if pattern.match(name)]
    except OSError:
        return removed
    for name in names:
        candidate = directory / name
        try:
            handle = os.open(candidate, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            info = os.fstat(handle)
            if not stat.S_ISREG(info.st_mode) or time.time() - info.st_mtime < _STALE_AFTER:
                continue
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # fails while a writer lives
            candidate.unlink()
            removed.append(candidate)
        except OSError:
            continue
        finally:
            os.close(handle)
    return removed


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
    remove_stale_temporaries(path)
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
        raise OutputError(
            f"{path}: cannot write in {directory}: {exc.strerror}; write to a folder you can"
            " write in (the output goes through a new file beside it)"
        ) from None
    try:
        _lock(handle)
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
        raise OutputError(_unencodable(path, exc)) from None
    finally:
        Path(temporary).unlink(missing_ok=True)


def _lock(handle: int) -> None:
    """Hold an exclusive lock on a temporary while writing it: a live writer's file is not stale."""
    try:
        import fcntl
    except ImportError:
        return
    fcntl.flock(handle, fcntl.LOCK_EX)


def rewrite_journey(path: Path, text: str) -> None:
    """Replace the journey file `path` with its edited `text` (fmt, rename, move, --fix), atomically.

    The one writer allowed to replace a journey: the edit commands check that `text` parses
    before calling it. The file keeps its mode; a link keeps pointing at the file it names.
    """
    target = _classify(path)
    if target.stream or not target.exists or target.path.is_dir():
        raise OutputError(f"{path}: is not a regular file; cljourney edits journey files only")
    mode = target.path.stat().st_mode & 0o7777
    # The write bits as well as access(): root may write anything, but a 444 file says "don't".
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(
        target.path, os.W_OK
    ):
        raise OutputError(f"{path}: is read-only; make it writable (chmod u+w {path}) first")
    remove_stale_temporaries(target.path)
    _write_through_temporary(target.path, text, mode, os.replace)
