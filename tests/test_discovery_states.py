"""Filesystem states under a scanned folder: each is a finding or a note, never a hang or a crash.

A symbolic link that loops, a FIFO, a socket or a device named `*.yaml` is a `read-error` finding
(only regular files are read); a subfolder the user cannot enter is skipped with a note. Each
state sits beside a valid journey, which must still be checked. The unenterable folder needs a
user other than its owner: as root (CI) the command runs as `nobody` through setpriv.
"""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import EXAMPLES

TIMEOUT = 60
NOBODY = 65534


def cljourney(
    *args: str, cwd: Path, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, sys.executable, "-m", "cljourney", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )


def _loop(path: Path) -> None:
    path.symlink_to(path.name)


def _two_link_loop(path: Path) -> None:
    path.symlink_to("other.yml")
    (path.parent / "other.yml").symlink_to(path.name)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))


def _device(path: Path) -> None:
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a copy of /dev/null
    except PermissionError:
        pytest.skip("mknod needs root (CI runs as root)")


STATES: dict[str, tuple[Callable[[Path], None], list[tuple[str, str]]]] = {
    "link-loop": (_loop, [("odd.yaml", "a symbolic link that loops back on itself")]),
    "two-link-loop": (
        _two_link_loop,
        [
            ("odd.yaml", "a symbolic link that loops back on itself"),
            ("other.yml", "a symbolic link that loops back on itself"),
        ],
    ),
    "fifo": (_fifo, [("odd.yaml", "it is a FIFO (named pipe), not a regular file")]),
    "socket": (_socket, [("odd.yaml", "it is a socket, not a regular file; only regular files")]),
    "device": (_device, [("odd.yaml", "it is a character device, not a regular file")]),
}


@pytest.mark.parametrize(("make", "expected"), STATES.values(), ids=STATES.keys())
def test_an_odd_file_in_a_scanned_folder_is_a_read_error(
    make: Callable[[Path], None], expected: list[tuple[str, str]], tmp_path: Path
) -> None:
    folder = tmp_path / "journeys"
    folder.mkdir()
    shutil.copy(EXAMPLES / "b2c-retail.yaml", folder)
    make(folder / "odd.yaml")
    result = cljourney("validate", "--isolated", "journeys", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    found = [(line.split(":")[0], line) for line in lines[:-1]]
    assert len(found) == len(expected)
    for (name, says), (path, line) in zip(expected, found, strict=True):
        assert path == f"journeys/{name}"
        assert line.startswith(f"journeys/{name}:1:1: error read-error ")
        assert says in line
    assert (
        lines[-1]
        == f"Found {len(expected)} error{'s' if len(expected) > 1 else ''}, 0 warnings in {len(expected)} of {len(expected) + 1} journey files."
    )


def test_a_link_that_loops_named_directly_is_a_read_error(tmp_path: Path) -> None:
    _loop(tmp_path / "odd.yaml")
    result = cljourney("validate", "--isolated", "--format", "sarif", "odd.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert '"ruleId": "read-error"' in result.stdout


@pytest.fixture
def shared_scratch() -> Iterator[Path]:
    """A folder every user can enter (pytest's own tmp folder is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="cljourney-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder)


def _as_nobody() -> tuple[str, ...]:
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to drop root")
    return ("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")


@pytest.mark.parametrize("where", ["private", "deeper/private", "private/.venv-like"])
def test_a_folder_the_user_cannot_enter_is_skipped_with_a_note(
    where: str, shared_scratch: Path
) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs a folder owned by another user: run as root (as CI does)")
    folder = shared_scratch / "journeys"
    folder.mkdir()
    folder.chmod(0o755)
    shutil.copy(EXAMPLES / "b2c-retail.yaml", folder)
    (folder / "b2c-retail.yaml").chmod(0o644)
    private = folder / where
    private.mkdir(parents=True)
    for parent in [*private.relative_to(folder).parents][:-1]:
        (folder / parent).chmod(0o755)
    (private / "secret.yaml").write_text("cljourney: 1\n")
    (folder / where.split("/")[0]).chmod(0o755)
    private.chmod(0o700)  # root's, like a docker volume
    result = cljourney(
        "validate", "--isolated", "journeys", cwd=shared_scratch, prefix=_as_nobody()
    )
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert (result.returncode, result.stdout) == (0, "All checks passed (1 journey file).\n")
    assert (
        f"cljourney: note: cannot enter journeys/{where} (Permission denied); skipped it"
        in result.stderr
    )


def test_render_notes_a_folder_it_cannot_enter(shared_scratch: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs a folder owned by another user: run as root (as CI does)")
    folder = shared_scratch / "journeys"
    (folder / "private").mkdir(parents=True)
    folder.chmod(0o755)
    shutil.copy(EXAMPLES / "b2c-retail.yaml", folder)
    (folder / "b2c-retail.yaml").chmod(0o644)
    (folder / "private").chmod(0o700)
    (shared_scratch / "maps").mkdir(mode=0o777)
    (shared_scratch / "maps").chmod(0o777)  # nobody writes the maps
    result = cljourney(
        "render", "--isolated", "journeys", "-o", "maps", cwd=shared_scratch, prefix=_as_nobody()
    )
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert (shared_scratch / "maps" / "b2c-retail.md").is_file()
    assert "cljourney: note: cannot enter journeys/private (Permission denied); skipped it" in (
        result.stderr
    )


def _tree_with_a_private_journey(scratch: Path) -> None:
    """scratch/tree/public (the examples) and scratch/tree/private (root's, mode 700) holding a
    journey of its own id."""
    public, private = scratch / "tree" / "public", scratch / "tree" / "private"
    public.mkdir(parents=True)
    private.mkdir()
    for path in EXAMPLES.glob("*.yaml"):
        shutil.copy(path, public)
    text = (EXAMPLES / "b2c-retail.yaml").read_text(encoding="utf-8")
    (private / "p.yaml").write_text(text.replace("  id: b2c-retail", "  id: private-one", 1))
    (private / "c.toml").write_text("")
    for path in [scratch / "tree", public, *public.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    private.chmod(0o700)


def test_render_keeps_maps_an_incomplete_search_may_not_have_seen(shared_scratch: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs a folder owned by another user: run as root (as CI does)")
    _tree_with_a_private_journey(shared_scratch)
    out = shared_scratch / "out"
    out.mkdir()
    assert (
        cljourney("render", "--isolated", "tree", "-o", "out", cwd=shared_scratch).returncode == 0
    )
    assert (out / "private-one.md").is_file()  # root reads every folder
    out.chmod(0o777)
    for path in out.iterdir():
        path.chmod(0o666)
    nobody = _as_nobody()
    result = cljourney(
        "render", "--isolated", "tree", "-o", "out", cwd=shared_scratch, prefix=nobody
    )
    assert result.returncode == 0, result.stderr
    assert (out / "private-one.md").is_file()  # not "a map no journey produces any more"
    assert "kept 1 map that no journey found here produces" in result.stderr
    check = cljourney(
        "render", "--isolated", "tree", "-o", "out", "--check", cwd=shared_scratch, prefix=nobody
    )
    assert "extra:" not in check.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["validate", "--isolated", "tree/private/p.yaml"],
        ["render", "--isolated", "tree/private/p.yaml"],
        ["diff", "--isolated", "tree/private/p.yaml", "tree/public/b2b-saas.yaml"],
        ["validate", "--isolated", "-o", "tree/private/out.txt", "tree/public"],
        ["init", "tree/private/x.yaml"],
        ["validate", "--config", "tree/private/c.toml", "tree/public"],
        ["diff", "--isolated", "tree/public", "tree/private"],
    ],
    ids=["validate", "render", "diff-file", "output", "init", "config", "diff-folder"],
)
def test_paths_in_a_folder_the_user_cannot_enter_are_usage_errors(
    args: list[str], shared_scratch: Path
) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs a folder owned by another user: run as root (as CI does)")
    _tree_with_a_private_journey(shared_scratch)
    (shared_scratch).chmod(0o777)
    result = cljourney(*args, cwd=shared_scratch, prefix=_as_nobody())
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "tree/private" in result.stderr
    assert "Permission denied" in result.stderr
    assert "removed" not in result.stdout  # a folder it cannot read is not an empty side
