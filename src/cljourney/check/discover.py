"""File discovery: the journey files under the paths given, and paths shown as users wrote them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from cljourney.errors import UsageError
from cljourney.load.detect import is_yaml_name

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".bzr",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "site-packages",
    }
)


@dataclass(frozen=True)
class Target:
    """A file to check, and whether the user named it (then it must be a journey)."""

    path: Path
    explicit: bool


def _is_virtualenv(directory: Path) -> bool:
    try:
        return os.path.isfile(directory / "pyvenv.cfg")
    except OSError:  # isfile hides most errors; keep the search total whatever the platform
        return False


@dataclass(frozen=True)
class Discovery:
    """What a search found: the targets, and notes on folders it could not enter."""

    targets: list[Target]
    notes: tuple[str, ...] = ()


def discover(paths: Iterable[Path]) -> list[Target]:
    """Expand files and directories into targets; directories are searched recursively."""
    return find_targets(paths).targets


def find_targets(paths: Iterable[Path]) -> Discovery:
    """`discover`, with a note for every folder the search could not enter (it goes on)."""
    targets: list[Target] = []
    notes: list[str] = []
    seen: set[str] = set()
    for path in paths:
        found = _walk(path, notes) if _is_dir(path) else [Target(path, explicit=True)]
        for target in found:
            resolved = os.path.realpath(target.path)  # never raises, a link that loops included
            if resolved not in seen:
                seen.add(resolved)
                targets.append(target)
    return Discovery(targets, tuple(notes))


def _is_dir(path: Path) -> bool:
    """Whether a named path is a folder to search. A path that cannot be looked at (its folder
    cannot be entered) is a file to read: reading it gives the `read-error` finding."""
    try:
        path.lstat()
    except (FileNotFoundError, NotADirectoryError):
        raise UsageError(f"{path}: no such file or directory") from None
    except OSError:
        return False
    try:
        return path.is_dir()
    except OSError:
        return False


def _unenterable(notes: list[str]) -> Callable[[OSError], None]:
    def note(exc: OSError) -> None:
        where = display_path(Path(exc.filename)) if exc.filename else "a folder"
        notes.append(
            f"cannot enter {where} ({exc.strerror or exc}); skipped it and went on with the rest"
        )

    return note


def _walk(root: Path, notes: list[str]) -> list[Target]:
    found: list[Target] = []
    for directory, dirnames, filenames in os.walk(root, onerror=_unenterable(notes)):
        base = Path(directory)
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIP_DIRS and not _is_virtualenv(base / d)
        )
        found.extend(
            Target(base / name, explicit=False) for name in sorted(filenames) if is_yaml_name(name)
        )
    return found


def display_path(path: Path) -> str:
    """Paths as users wrote them, relative to the working directory when below it.

    A symbolic link keeps its own name: the user named the link, not what it points to.
    """
    cwd = Path.cwd()
    real = Path(os.path.realpath(path))  # not Path.resolve(): it raises on a link that loops
    for candidate, base in ((Path(os.path.abspath(path)), cwd), (real, cwd.resolve())):
        try:
            return str(candidate.relative_to(base))
        except ValueError:
            continue
    return str(path)
