"""The real pre-commit runs our hooks from a committed copy of this working tree, configured the
way the README tells users to."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, RULE_CASES

# Drives a real engine (Chromium + mermaid, cmark-gfm or pre-commit): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        [
            "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.invalid",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def snapshot(destination: Path) -> Path:
    """The working tree as git sees it (tracked and untracked, not ignored), committed afresh."""
    listed = (
        subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        .stdout.decode()
        .split("\0")
    )
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


@pytest.fixture(scope="module")
def hooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One committed snapshot and one pre-commit cache for the module: the hook environment
    (a venv with cljourney installed) is built once and shared by every test here."""
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is in the test dependency group")
    base = tmp_path_factory.mktemp("pre-commit")
    return snapshot(base / "cljourney"), base / "cache"


def pre_commit_env(cache: Path) -> dict[str, str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(cache), "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    return env


def pre_commit(project: Path, cache: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the real pre-commit in `project` with the module's shared hook cache."""
    return subprocess.run(
        [str(PRE_COMMIT), *args],
        cwd=project,
        env=pre_commit_env(cache),
        capture_output=True,
        text=True,
        timeout=600,
    )


def write_config(project: Path, hooks_repo: Path, hook: str, args: list[str] | None = None) -> None:
    """A .pre-commit-config.yaml as a user writes it, pinned to the snapshot's commit (the same
    repo and rev in every test, so pre-commit installs the hook environment once)."""
    rev = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=hooks_repo, check=True, capture_output=True, text=True
    ).stdout.strip()
    text = f"repos:\n  - repo: {hooks_repo}\n    rev: {rev}\n    hooks:\n      - id: {hook}\n"
    if args is not None:
        text += f"        args: [{', '.join(args)}]\n"
    (project / ".pre-commit-config.yaml").write_text(text, encoding="utf-8")


def test_pre_commit_runs_the_validate_hook(tmp_path: Path, hooks: tuple[Path, Path]) -> None:
    hooks_repo, cache = hooks
    project = tmp_path / "project"
    (project / "journeys").mkdir(parents=True)
    (project / ".github").mkdir()
    shutil.copy(RULE_CASES / "weak-why" / "pass.yaml", project / "journeys" / "good.yaml")
    (project / ".github" / "ci.yaml").write_text(
        "on: push\njobs: {}\n", encoding="utf-8"
    )  # not a journey
    write_config(project, hooks_repo, "cljourney-validate")
    git(project, "init", "-q")
    git(project, "add", "-A")

    def try_repo() -> subprocess.CompletedProcess[str]:
        return pre_commit(project, cache, "run", "--all-files", "--color", "never")

    clean = try_repo()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "cljourney validate" in clean.stdout and "Passed" in clean.stdout

    shutil.copy(RULE_CASES / "duplicate-id" / "fail.yaml", project / "journeys" / "bad.yaml")
    git(project, "add", "-A")
    failing = try_repo()
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "journeys/bad.yaml:" in failing.stdout and "duplicate-id" in failing.stdout
    assert ".github/ci.yaml" not in failing.stdout


def test_render_check_hook_with_the_documented_args(
    tmp_path: Path, hooks: tuple[Path, Path]
) -> None:
    """The README's config: the whole journeys directory is checked against the maps directory,
    whichever files are staged, and other YAML in the repository is not handed to render."""
    hooks_repo, cache = hooks
    project = tmp_path / "project"
    (project / "journeys").mkdir(parents=True)
    (project / ".github").mkdir()
    for name in ("b2b-saas.yaml", "b2c-retail.yaml"):
        shutil.copy(ROOT / "examples" / name, project / "journeys" / name)
    (project / ".github" / "ci.yaml").write_text("on: push\njobs: {}\n", encoding="utf-8")
    write_config(
        project, hooks_repo, "cljourney-render-check", ["journeys/", "-o", "docs/journeys"]
    )
    env = pre_commit_env(cache)
    cljourney = Path(sys.executable).with_name("cljourney")
    (project / "docs" / "journeys").mkdir(parents=True)
    subprocess.run(
        [str(cljourney), "render", "journeys/", "-o", "docs/journeys"],
        cwd=project,
        env=env,
        check=True,
        capture_output=True,
    )
    git(project, "init", "-q")
    git(project, "add", "-A")

    def run_hooks() -> subprocess.CompletedProcess[str]:
        return pre_commit(project, cache, "run", "--color", "never")

    fresh = run_hooks()
    assert fresh.returncode == 0, fresh.stdout + fresh.stderr
    assert "cljourney render --check" in fresh.stdout and "Passed" in fresh.stdout

    journey = project / "journeys" / "b2c-retail.yaml"
    journey.write_text(
        journey.read_text(encoding="utf-8").replace("name: ", "name: Renamed ", 1),
        encoding="utf-8",
    )
    git(project, "add", "journeys/b2c-retail.yaml")  # only this file is staged
    stale = run_hooks()
    assert stale.returncode == 1, stale.stdout + stale.stderr
    assert "b2c-retail.md" in stale.stdout
    assert "README.md" in stale.stdout  # the index counts the renamed journey: it is stale too
    assert "b2b-saas.md" not in stale.stdout and "ci.yaml" not in stale.stdout
    # The failure names the command that fixes it, and that command does.
    command = "cljourney render journeys -o docs/journeys"
    assert f"To update them, run: {command}\n" in stale.stdout
    rerun = [str(cljourney), *command.split()[1:]]
    subprocess.run(rerun, cwd=project, env=env, check=True, capture_output=True)
    git(project, "add", "-A")
    assert run_hooks().returncode == 0


def test_pre_commit_try_repo_on_a_journey_repository(
    tmp_path: Path, hooks: tuple[Path, Path]
) -> None:
    """`pre-commit try-repo`, the way hook authors and users try a hook before pinning it."""
    hooks_repo, cache = hooks
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(RULE_CASES / "missing-why" / "fail.yaml", project / "journey.yaml")
    git(project, "init", "-q")
    git(project, "add", "-A")
    result = pre_commit(
        project, cache, "try-repo", str(hooks_repo), "cljourney-validate", "--all-files"
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "journey.yaml:" in result.stdout and "missing-why" in result.stdout
    (project / "journey.yaml").write_bytes((RULE_CASES / "missing-why" / "pass.yaml").read_bytes())
    git(project, "add", "-A")
    fixed = pre_commit(
        project, cache, "try-repo", str(hooks_repo), "cljourney-validate", "--all-files"
    )
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "Passed" in fixed.stdout


def test_pre_commit_runs_the_fmt_hook(tmp_path: Path, hooks: tuple[Path, Path]) -> None:
    hooks_repo, cache = hooks
    project = tmp_path / "project"
    (project / "journeys").mkdir(parents=True)
    (project / ".github").mkdir()
    shutil.copy(ROOT / "examples" / "b2c-retail.yaml", project / "journeys" / "good.yaml")
    ci = "on:   push\njobs:    {}\n"  # not a journey, and not in fmt's layout: left alone
    (project / ".github" / "ci.yaml").write_text(ci, encoding="utf-8")
    write_config(project, hooks_repo, "cljourney-fmt")
    git(project, "init", "-q")
    git(project, "add", "-A")

    def run() -> subprocess.CompletedProcess[str]:
        return pre_commit(project, cache, "run", "--all-files", "--color", "never")

    clean = run()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "cljourney fmt --check" in clean.stdout and "Passed" in clean.stdout
    scrambled = "journey: {owner: o, name: J, id: j}\ncljourney: 1\nstages: []\n"
    (project / "journeys" / "bad.yaml").write_text(scrambled, encoding="utf-8")
    git(project, "add", "-A")
    failing = run()
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "would reformat journeys/bad.yaml" in failing.stdout
    assert ".github/ci.yaml" not in failing.stdout
    assert (project / ".github" / "ci.yaml").read_text(encoding="utf-8") == ci
