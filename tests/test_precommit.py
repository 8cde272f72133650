"""The real pre-commit runs our hook from a committed copy of this working tree (`try-repo`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, RULE_CASES

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True,
    )


def snapshot(destination: Path) -> Path:
    """The working tree as git sees it (tracked and untracked, not ignored), committed afresh."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT, check=True, capture_output=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(destination, "init", "-q")
    git(destination, "add", "-A")
    git(destination, "commit", "-q", "-m", "snapshot")
    return destination


@pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pre-commit is in the test dependency group")
def test_pre_commit_try_repo_runs_the_validate_hook(tmp_path: Path) -> None:
    hooks = snapshot(tmp_path / "cljourney")
    project = tmp_path / "project"
    (project / "journeys").mkdir(parents=True)
    (project / ".github").mkdir()
    shutil.copy(RULE_CASES / "weak-why" / "pass.yaml", project / "journeys" / "good.yaml")
    (project / ".github" / "ci.yaml").write_text("on: push\njobs: {}\n", encoding="utf-8")  # not a journey
    git(project, "init", "-q")
    git(project, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(PRE_COMMIT), "try-repo", str(hooks), "cljourney-validate", "--all-files", "--color", "never"],
            cwd=project, env=env, capture_output=True, text=True, timeout=600,
        )

    clean = try_repo()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "cljourney validate" in clean.stdout and "Passed" in clean.stdout

    shutil.copy(RULE_CASES / "duplicate-id" / "fail.yaml", project / "journeys" / "bad.yaml")
    git(project, "add", "-A")
    failing = try_repo()
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "journeys/bad.yaml:" in failing.stdout and "duplicate-id" in failing.stdout
    assert ".github/ci.yaml" not in failing.stdout
