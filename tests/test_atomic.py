"""Atomic output: a write replaces the file whole or not at all, and bad targets are clear errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cljourney.cli.atomic import OutputError, write_text_atomic


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    write_text_atomic(target, "first\n")
    write_text_atomic(target, "second\r\n")
    assert target.read_bytes() == b"second\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]  # no temporary left behind


def test_keeps_the_mode_of_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old\n")
    target.chmod(0o640)
    write_text_atomic(target, "new\n")
    assert target.stat().st_mode & 0o777 == 0o640


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "out.md"
    with pytest.raises(
        OutputError, match=r"the directory .*no/such does not exist; create it first"
    ):
        write_text_atomic(target, "x\n")
    assert not (tmp_path / "no").exists()


def test_directory_as_target_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory, not a file"):
        write_text_atomic(tmp_path, "x\n")


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old text\n")
    with pytest.raises(OutputError, match="UTF-8 cannot encode"):
        write_text_atomic(target, "half written \ud800 text\n")
    assert target.read_text() == "old text\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only directories")
def test_read_only_directory_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    directory = tmp_path / "docs"
    directory.mkdir()
    target = directory / "journey.md"
    target.write_text("old text\n")
    directory.chmod(0o555)
    try:
        with pytest.raises(OutputError, match=f"cannot write in {directory}: Permission denied"):
            write_text_atomic(target, "new text\n")
        assert target.read_text() == "old text\n"
        assert [p.name for p in directory.iterdir()] == ["journey.md"]
    finally:
        directory.chmod(0o755)


def test_unwritable_directory_even_for_root() -> None:
    # sysfs refuses new files to everyone, root included (root ignores chmod 0555, so the test
    # above cannot run as root): a real read-only directory on any Linux machine.
    directory = Path("/sys/kernel")
    if not directory.is_dir():
        pytest.skip("no sysfs here")
    target = directory / "cljourney-journey.md"
    with pytest.raises(OutputError, match=f"{target}: cannot write in {directory}: "):
        write_text_atomic(target, "x\n")
    assert not target.exists()


def test_refuses_to_replace_an_input_file(tmp_path: Path) -> None:
    journey = tmp_path / "j" / "b2c.yaml"
    journey.parent.mkdir()
    journey.write_text("stages: []\n")
    for inputs in ([journey], [tmp_path / "j"], [tmp_path / "j" / ".." / "j"]):
        with pytest.raises(OutputError, match="is one of the input files"):
            write_text_atomic(journey, "# report\n", inputs)
    assert journey.read_text() == "stages: []\n"


def test_refuses_to_replace_a_journey_file(tmp_path: Path) -> None:
    journey = tmp_path / "schema.json"
    journey.write_text("# a journey under an odd name\ncljourney: 1\njourney: {id: x}\n")
    with pytest.raises(OutputError, match="is a journey file; cljourney never replaces a journey"):
        write_text_atomic(journey, "{}\n")
    assert journey.read_text().startswith("# a journey")


def test_refuses_to_replace_a_read_only_file(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("keep me\n")
    target.chmod(0o444)
    with pytest.raises(OutputError, match=r"is read-only; make it writable \(chmod u\+w"):
        write_text_atomic(target, "new\n")
    assert target.read_text() == "keep me\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]


def test_a_directory_input_protects_only_yaml_below_it(tmp_path: Path) -> None:
    write_text_atomic(tmp_path / "map.md", "# map\n", [tmp_path])
    assert (tmp_path / "map.md").read_text() == "# map\n"
