"""Every kind of `-o` target: devices, FIFOs and open descriptors are written directly (never
renamed over, never read first), `-o -` is stdout, links that loop are exit 2, and temporaries
left by a killed writer are cleaned on the next write.

Devices are copies made with mknod in a scratch folder (root only: CI runs as root), never the
machine's own /dev; descriptors are reached through links in the scratch folder too.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cljourney.cli.atomic import OutputError, remove_stale_temporaries, write_text_atomic
from conftest import EXAMPLES

CLJOURNEY = [sys.executable, "-m", "cljourney"]
JOURNEY = EXAMPLES / "b2c-retail.yaml"
TIMEOUT = 60  # a hang fails the test instead of the suite
AS_NOBODY = ("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups")


def cljourney(
    *args: str, cwd: Path, stdout: int | None = subprocess.PIPE, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, *CLJOURNEY, *args],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )


# (command line, what the output starts with); OUT is replaced by the target.
COMMANDS = {
    "validate": (["validate", "--isolated", str(JOURNEY), "-o", "OUT"], "All checks passed"),
    "baseline": (["validate", "--isolated", str(JOURNEY), "--write-baseline", "OUT"], "{"),
    "render": (["render", "--isolated", str(JOURNEY), "-o", "OUT"], "# "),
    "schema": (["schema", "-o", "OUT"], "{"),
    "diff": (["diff", str(JOURNEY), str(JOURNEY), "-o", "OUT"], "No journey changes"),
}


def command(name: str, target: str) -> list[str]:
    return [target if arg == "OUT" else arg for arg in COMMANDS[name][0]]


@pytest.fixture
def devices(tmp_path: Path) -> Path:
    """Copies of /dev/null and /dev/full (same major and minor numbers) in a scratch folder."""
    try:
        os.mknod(tmp_path / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        os.mknod(tmp_path / "full", 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    except PermissionError:
        pytest.skip("mknod needs root (CI runs as root)")
    return tmp_path


@pytest.mark.parametrize("name", COMMANDS)
def test_a_device_is_written_not_replaced(name: str, devices: Path) -> None:
    result = cljourney(*command(name, "null"), cwd=devices)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR((devices / "null").lstat().st_mode)
    assert sorted(p.name for p in devices.iterdir()) == ["full", "null"]  # no temporary


@pytest.mark.parametrize("name", COMMANDS)
def test_a_full_device_is_a_clear_error_with_exit_2(name: str, devices: Path) -> None:
    result = cljourney(*command(name, "full"), cwd=devices)
    assert result.returncode == 2
    assert "cljourney: error: full: cannot write: No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert stat.S_ISCHR((devices / "full").lstat().st_mode)


@pytest.mark.parametrize("name", COMMANDS)
def test_a_fifo_is_written_to_its_reader_without_being_read(name: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = cljourney(*command(name, "pipe"), cwd=tmp_path)
    reader.join(TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert received[0].decode().startswith(COMMANDS[name][1])
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


@pytest.mark.parametrize("map_name", ["b2c-retail.md", "README.md"])
def test_a_fifo_where_a_map_of_o_dir_goes_is_refused_not_waited_on(
    map_name: str, tmp_path: Path
) -> None:
    # The user named the directory, not the FIFO in it: writing it would wait for a reader.
    out = tmp_path / "maps"
    out.mkdir()
    os.mkfifo(out / map_name)
    result = cljourney("render", "--isolated", str(EXAMPLES), "-o", "maps", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"cljourney: error: maps/{map_name}: is a FIFO (named pipe), not a map file; remove it"
        " or render into another directory\n"
    )
    assert sorted(p.name for p in out.iterdir()) == [map_name]  # refused before writing any
    assert stat.S_ISFIFO((out / map_name).lstat().st_mode)


@pytest.mark.parametrize("link", ["/proc/self/fd/1", "/dev/stdout", "/dev/fd/1"])
@pytest.mark.parametrize("name", COMMANDS)
def test_a_link_to_stdout_writes_through_the_pipe(name: str, link: str, tmp_path: Path) -> None:
    (tmp_path / "out").symlink_to(link)
    result = cljourney(*command(name, "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(COMMANDS[name][1])
    assert os.readlink(tmp_path / "out") == link  # the link is still the link


def test_proc_self_fd_directly(tmp_path: Path) -> None:
    result = cljourney(*command("validate", "/proc/self/fd/1"), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "All checks passed (1 journey file).\n")


def test_stdout_redirected_to_a_log_is_appended_to_not_replaced(tmp_path: Path) -> None:
    (tmp_path / "out").symlink_to("/proc/self/fd/1")
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n")
    with log.open("a") as stream:
        result = cljourney(*command("validate", "out"), cwd=tmp_path, stdout=stream.fileno())
    assert result.returncode == 0, result.stderr
    assert log.read_text() == "earlier line\nAll checks passed (1 journey file).\n"


@pytest.mark.parametrize("name", COMMANDS)
def test_dash_means_stdout(name: str, tmp_path: Path) -> None:
    result = cljourney(*command(name, "-"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(COMMANDS[name][1])
    assert list(tmp_path.iterdir()) == []  # no file named `-`


@pytest.mark.parametrize("name", COMMANDS)
def test_a_symbolic_link_that_loops_is_exit_2(name: str, tmp_path: Path) -> None:
    (tmp_path / "loop.txt").symlink_to("loop.txt")
    result = cljourney(*command(name, "loop.txt"), cwd=tmp_path)
    assert result.returncode == 2
    assert "loop.txt: is a symbolic link that loops back on itself" in result.stderr
    assert os.readlink(tmp_path / "loop.txt") == "loop.txt"


def test_a_link_to_a_regular_file_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "latest.txt").write_text("old\n")
    (tmp_path / "report.txt").symlink_to("reports/latest.txt")
    write_text_atomic(tmp_path / "report.txt", "new\n")
    assert os.readlink(tmp_path / "report.txt") == "reports/latest.txt"
    assert (tmp_path / "reports" / "latest.txt").read_text() == "new\n"


def test_a_link_to_a_journey_is_refused(tmp_path: Path) -> None:
    (tmp_path / "b2c.yaml").write_bytes(JOURNEY.read_bytes())
    (tmp_path / "report.txt").symlink_to("b2c.yaml")
    with pytest.raises(OutputError, match="is a journey file"):
        write_text_atomic(tmp_path / "report.txt", "new\n")


# --- temporaries left by a writer killed mid-write (kill -9) -------------------------------------

KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from cljourney.cli import atomic

    def killed(fd):
        os.kill(os.getpid(), signal.SIGKILL)  # as `kill -9` would, between write and rename

    atomic.os.fsync = killed
    atomic.write_text_atomic(Path(sys.argv[1]), "new text\\n")
    """
)


def _age(path: Path, seconds: float = 60) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_killed_writer_leaves_the_old_file_and_the_next_write_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old text\n")
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(target)], timeout=TIMEOUT, check=False
    )
    assert killed.returncode == -signal.SIGKILL
    [left] = [p for p in tmp_path.iterdir() if p != target]
    assert left.name.startswith(".report.txt.") and left.name.endswith(".tmp")
    assert target.read_text() == "old text\n"
    _age(left)  # time passes before the next run
    write_text_atomic(target, "next text\n")
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]
    assert target.read_text() == "next text\n"


@pytest.fixture
def held_temporary(tmp_path: Path) -> Iterator[Path]:
    """A temporary of ours that a live writer (another process) still holds locked."""
    held = tmp_path / ".report.txt.held1234.tmp"
    held.write_text("half")
    _age(held)
    code = "import fcntl,sys,time; f=open(sys.argv[1]); fcntl.flock(f, fcntl.LOCK_EX); print(1, flush=True); time.sleep(60)"
    writer = subprocess.Popen(
        [sys.executable, "-c", code, str(held)], stdout=subprocess.PIPE, text=True
    )
    assert writer.stdout is not None and writer.stdout.readline() == "1\n"
    yield held
    writer.kill()
    writer.wait()
    writer.stdout.close()


def test_only_stale_temporaries_of_our_naming_are_removed(
    tmp_path: Path, held_temporary: Path
) -> None:
    target = tmp_path / "report.txt"
    stale = tmp_path / ".report.txt.ab_cd123.tmp"
    fresh = tmp_path / ".report.txt.fresh123.tmp"  # just created: its writer may not have locked
    kept = [
        tmp_path / ".report.txt.user.tmp",  # not eight characters: not our naming
        tmp_path / ".other.txt.abcd1234.tmp",  # another target's
        tmp_path / "report.txt.abcd1234.tmp",  # no leading dot
    ]
    for path in (stale, fresh, *kept):
        path.write_text("x")
    for path in (stale, *kept):
        _age(path)
    (tmp_path / ".report.txt.dir12345.tmp").mkdir()  # not a regular file
    assert remove_stale_temporaries(target) == [stale]
    assert held_temporary.exists() and fresh.exists() and all(p.exists() for p in kept)


def test_a_device_in_a_folder_the_user_cannot_write(devices: Path) -> None:
    """As a non-root user /dev is not writable: a rename there failed ("cannot write in /dev");
    a direct write to the device works. Run as nobody through setpriv (CI runs as root)."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to drop root")
    scratch = Path(tempfile.mkdtemp(prefix="cljourney-"))
    try:
        os.mknod(scratch / "null", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        (scratch / "null").chmod(0o666)  # as /dev/null is (mknod applies the umask)
        shutil.copy(JOURNEY, scratch / "b2c.yaml")
        (scratch / "b2c.yaml").chmod(0o644)
        scratch.chmod(0o755)  # nobody may enter and read, not create files
        result = cljourney(
            "validate", "--isolated", "b2c.yaml", "-o", "null", cwd=scratch, prefix=AS_NOBODY
        )
        assert (result.returncode, result.stderr) == (0, "")
        assert stat.S_ISCHR((scratch / "null").lstat().st_mode)
    finally:
        shutil.rmtree(scratch)


def test_a_file_in_a_folder_the_user_cannot_write_is_refused_whole() -> None:
    """The CLI side of test_atomic's read-only folder case, which root skips (root writes into any
    folder): run as nobody through setpriv, so it runs in CI too. Exit 2 naming the folder; the
    old output and the folder are left as they were."""
    if shutil.which("setpriv") is None:
        pytest.skip("setpriv (util-linux) is needed to drop root")
    scratch = Path(tempfile.mkdtemp(prefix="cljourney-"))
    try:
        shutil.copy(JOURNEY, scratch / "b2c.yaml")
        (scratch / "report.txt").write_text("old report\n")
        for path in (scratch / "b2c.yaml", scratch / "report.txt"):
            path.chmod(0o666)  # nobody could write the file itself, not the folder
        scratch.chmod(0o755)
        result = cljourney(
            "validate", "--isolated", "b2c.yaml", "-o", "report.txt", cwd=scratch, prefix=AS_NOBODY
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr == (
            "cljourney: error: report.txt: cannot write in .: Permission denied; write to a"
            " folder you can write in (the output goes through a new file beside it)\n"
        )
        assert (scratch / "report.txt").read_text() == "old report\n"
        assert sorted(p.name for p in scratch.iterdir()) == ["b2c.yaml", "report.txt"]
    finally:
        shutil.rmtree(scratch)
