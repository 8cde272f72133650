"""Baselines: written from today's findings, stable across line moves, failing on new findings."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from cljourney.cli.app import app
from conftest import RULE_CASES

runner = CliRunner()


def test_baseline_round_trip_survives_line_moves_and_catches_new_findings(chdir_tmp: Path) -> None:
    shutil.copy(RULE_CASES / "duplicate-id" / "fail.yaml", "journey.yaml")
    before = runner.invoke(app, ["validate", "journey.yaml"])
    assert before.exit_code == 1
    written = runner.invoke(app, ["validate", "--write-baseline", "baseline.json", "journey.yaml"])
    assert written.exit_code == 0, written.output
    entries = json.loads(Path("baseline.json").read_text(encoding="utf-8"))["findings"]
    assert [e["rule"] for e in entries] == ["duplicate-id"]
    assert "line" not in entries[0]
    assert (
        runner.invoke(app, ["validate", "--baseline", "baseline.json", "journey.yaml"]).exit_code
        == 0
    )

    # Move everything down: the message says "already used at line N" with a new N; still baselined.
    text = Path("journey.yaml").read_text(encoding="utf-8")
    Path("journey.yaml").write_text("# moved\n\n\n" + text, encoding="utf-8")
    moved = runner.invoke(
        app, ["validate", "--format", "json", "--baseline", "baseline.json", "journey.yaml"]
    )
    assert moved.exit_code == 0
    assert json.loads(moved.stdout)["findings"] == []

    # A new finding is reported, the baselined one still is not.
    Path("journey.yaml").write_text(text.replace("owner: csm", "owner: cms", 1), encoding="utf-8")
    new = runner.invoke(
        app, ["validate", "--format", "json", "--baseline", "baseline.json", "journey.yaml"]
    )
    assert new.exit_code == 1
    rules = {f["rule"] for f in json.loads(new.stdout)["findings"]}
    assert "unknown-reference" in rules
    assert "duplicate-id" not in rules


def test_broken_baseline_is_a_usage_error(chdir_tmp: Path) -> None:
    shutil.copy(RULE_CASES / "weak-why" / "pass.yaml", "journey.yaml")
    Path("baseline.json").write_text("{not json", encoding="utf-8")
    result = runner.invoke(app, ["validate", "--baseline", "baseline.json", "journey.yaml"])
    assert result.exit_code == 2
    assert "baseline.json:1:2: not a baseline file" in result.stderr
    Path("baseline.json").write_text("[]", encoding="utf-8")
    assert (
        "not a cljourney baseline"
        in runner.invoke(app, ["validate", "--baseline", "baseline.json", "."]).stderr
    )


def test_refreshing_a_baseline_in_place_keeps_what_it_accepted(chdir_tmp: Path) -> None:
    shutil.copy(RULE_CASES / "duplicate-id" / "fail.yaml", "journey.yaml")
    assert (
        runner.invoke(app, ["validate", "--write-baseline", "b.json", "journey.yaml"]).exit_code
        == 0
    )
    text = Path("journey.yaml").read_text(encoding="utf-8")
    Path("journey.yaml").write_text(text.replace("owner: csm", "owner: cms", 1), encoding="utf-8")
    refreshed = runner.invoke(
        app, ["validate", "--baseline", "b.json", "--write-baseline", "b.json", "journey.yaml"]
    )
    assert refreshed.exit_code == 0, refreshed.output
    rules = {e["rule"] for e in json.loads(Path("b.json").read_text())["findings"]}
    assert {"duplicate-id", "unknown-reference"} <= rules  # the old entry is kept
    after = runner.invoke(app, ["validate", "--baseline", "b.json", "journey.yaml"])
    assert after.exit_code == 0, after.output


def test_a_baseline_that_never_ends_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    """`--baseline` on a copy of /dev/zero (or a pipe that never closes) read everything it was
    given: 21 GB in two minutes, then out of memory. It is read up to the size cap, then refused."""
    import os
    import stat
    import subprocess
    import sys

    import pytest

    try:
        os.mknod(tmp_path / "zero", 0o666 | stat.S_IFCHR, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("mknod needs root (CI runs as root)")
    shutil.copy(RULE_CASES / "weak-why" / "pass.yaml", tmp_path / "journey.yaml")
    limit = 1024 * 1024 * 1024  # address space: what the fix needs with room to spare
    script = (
        "import resource, runpy, sys;"
        f" resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}));"
        " sys.argv = ['cljourney'] + sys.argv[1:];"
        " runpy.run_module('cljourney', run_name='__main__')"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "validate",
            "--isolated",
            "--baseline",
            "zero",
            "journey.yaml",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (result.returncode, result.stderr) == (
        2,
        "cljourney: error: zero: more than 256 MiB, larger than any baseline"
        " (a million findings take about 250 MB); not a baseline file? write one with"
        " --write-baseline\n",
    )
