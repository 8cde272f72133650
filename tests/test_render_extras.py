"""`render -o DIR` and `render --check` notice maps whose journey is gone: `--check` reports
them as `extra: PATH` (exit 1) and a render removes them; files cljourney did not write (no
marker), other formats' maps, links and one-journey renders are never touched. A failing
`--check` prints the exact command that brings the maps up to date."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cljourney.render import RENDERERS, get_renderer
from conftest import EXAMPLES

CLJOURNEY = [sys.executable, "-m", "cljourney"]


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLJOURNEY, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


def project(tmp_path: Path) -> Path:
    """Three example journeys in journeys/, an empty maps/ and a config that stops the search."""
    (tmp_path / "journeys").mkdir()
    for path in EXAMPLES.glob("*.yaml"):
        shutil.copy(path, tmp_path / "journeys" / path.name)
    (tmp_path / "maps").mkdir()
    (tmp_path / "cljourney.toml").write_text("", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("fmt", list(RENDERERS))
def test_a_map_whose_journey_is_gone_is_extra_then_removed(tmp_path: Path, fmt: str) -> None:
    root = project(tmp_path)
    suffix = get_renderer(fmt).suffix
    assert run(root, "render", "journeys/", "-o", "maps/", "-f", fmt).returncode == 0
    gone = root / "maps" / f"b2c-retail{suffix}"
    assert gone.is_file()
    (root / "journeys" / "b2c-retail.yaml").unlink()

    check = run(root, "render", "--check", "journeys/", "-o", "maps/", "-f", fmt)
    assert check.returncode == 1, check.stdout + check.stderr
    assert f"extra: maps/b2c-retail{suffix}" in check.stdout.splitlines()
    assert gone.is_file()  # --check writes and removes nothing

    rendered = run(root, "render", "journeys/", "-o", "maps/", "-f", fmt)
    assert rendered.returncode == 0, rendered.stderr
    assert not gone.exists()
    assert f"removed maps/b2c-retail{suffix}" in rendered.stderr
    again = run(root, "render", "--check", "journeys/", "-o", "maps/", "-f", fmt)
    assert again.returncode == 0 and again.stdout == "", again.stdout


def test_files_cljourney_did_not_write_are_never_removed(tmp_path: Path) -> None:
    root = project(tmp_path)
    maps = root / "maps"
    assert run(root, "render", "journeys/", "-o", "maps/").returncode == 0
    generated = (maps / "b2c-retail.md").read_text("utf-8")
    kept = {
        "notes.md": "# Notes\n\nOur own page.\n",
        "quoted.md": generated + "\nA line of our own after the footer.\n",  # marker not last
        "map.html": "<!DOCTYPE html>\n<html><body>ours</body></html>\n",  # another format
        "old.json": '{"format": "something-else"}\n',
    }
    for name, text in kept.items():
        (maps / name).write_text(text, encoding="utf-8")
    elsewhere = root / "generated-elsewhere.md"
    elsewhere.write_text(generated, encoding="utf-8")
    (maps / "link.md").symlink_to(elsewhere)  # a link is the user's, whatever it points at
    os.mkfifo(maps / "pipe.md")  # never opened: reading a FIFO would block
    (root / "journeys" / "b2c-retail.yaml").unlink()

    check = run(root, "render", "--check", "journeys/", "-o", "maps/")
    extras = [line for line in check.stdout.splitlines() if line.startswith("extra:")]
    assert extras == ["extra: maps/b2c-retail.md"]
    assert run(root, "render", "journeys/", "-o", "maps/").returncode == 0
    for name, text in kept.items():
        assert (maps / name).read_text("utf-8") == text, name
    assert (maps / "link.md").is_symlink() and elsewhere.read_text("utf-8") == generated
    assert (maps / "pipe.md").exists()
    assert not (maps / "b2c-retail.md").exists()


def test_other_formats_maps_in_the_same_folder_stay(tmp_path: Path) -> None:
    """docs/journeys holds markdown and HTML maps: rendering one format keeps the other."""
    root = project(tmp_path)
    assert run(root, "render", "journeys/", "-o", "maps/").returncode == 0
    assert run(root, "render", "journeys/", "-o", "maps/", "-f", "html").returncode == 0
    before = sorted(path.name for path in (root / "maps").iterdir())
    for fmt in ("markdown", "html"):
        check = run(root, "render", "--check", "journeys/", "-o", "maps/", "-f", fmt)
        assert check.returncode == 0, check.stdout
    assert run(root, "render", "journeys/", "-o", "maps/").returncode == 0
    assert sorted(path.name for path in (root / "maps").iterdir()) == before


def test_rendering_one_journey_into_the_folder_removes_nothing(tmp_path: Path) -> None:
    """One journey gives no index, so the run does not stand for the whole folder."""
    root = project(tmp_path)
    assert run(root, "render", "journeys/", "-o", "maps/").returncode == 0
    before = sorted(path.name for path in (root / "maps").iterdir())
    single = run(root, "render", "journeys/b2b-saas.yaml", "-o", "maps/")
    assert single.returncode == 0 and "removed" not in single.stderr
    assert sorted(path.name for path in (root / "maps").iterdir()) == before


def test_failed_check_prints_the_exact_command_to_rerun(tmp_path: Path) -> None:
    root = project(tmp_path)
    config = root / "cljourney.toml"
    args = ["journeys/", "-o", "maps/", "--format", "html", "--config", str(config)]
    check = run(root, "render", "--check", *args)
    assert check.returncode == 1
    last = check.stdout.splitlines()[-1]
    assert last.startswith("To update them, run: ")
    command = shlex.split(last.removeprefix("To update them, run: "))
    assert command[:2] == ["cljourney", "render"]
    assert run(root, *command[1:]).returncode == 0  # the printed command does the job
    assert run(root, "render", "--check", *args).returncode == 0
