"""The governance rules against real git history and a fixed `--today` (issue 18).

`review-overdue` takes the last review from `review.last`, else from the last commit touching the
file: the repositories here are real, with commits at known dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from cljourney.governance import last_commit_date

runner = CliRunner()

JOURNEY = """cljourney: 1
journey:
  id: demo
  name: Demo journey
  owner: cs-ops
  review:
    every: 90d
{last}roles:
  - {{id: csm, name: Customer success manager}}
stages:
  - id: onboarding
    name: Onboarding
    owner: csm
    why: The customer reaches first value quickly with a guide at their side.
    touchpoints:
      - id: kickoff
        name: Kick-off call
        why: The customer agrees goals and a go-live date with their CSM.
        pain_points:
          - text: Repeating the goals
            evidence: {{level: reported, date: 2026-01-10}}
"""


def _git(repo: Path, *args: str, date: str | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if date is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T12:00:00+00:00"
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def committed_history(root: Path) -> Path:
    """`root` made a repository where journey.yaml was committed on 2026-03-01, then on
    2026-06-01, and an unrelated file later, on 2026-08-01."""
    _git(root, "init", "-q")
    path = root / "journey.yaml"
    path.write_text(JOURNEY.format(last=""))
    _git(root, "add", "journey.yaml")
    _git(root, "commit", "-q", "-m", "first", date="2026-03-01")
    path.write_text(JOURNEY.format(last="").replace("Demo journey", "Demo"))
    _git(root, "commit", "-q", "-am", "reworded", date="2026-06-01")
    (root / "other.txt").write_text("x")
    _git(root, "add", "other.txt")
    _git(root, "commit", "-q", "-m", "unrelated", date="2026-08-01")
    return root


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return committed_history(tmp_path)


def _found(*args: str, env: dict[str, str] | None = None) -> list[tuple[str, str]]:
    result = runner.invoke(app, ["validate", "--isolated", "-f", "json", *args], env=env)
    assert result.exit_code in (0, 1), result.output
    import json

    return [
        (f["rule"], f"{f['line']}:{f['column']}") for f in json.loads(result.stdout)["findings"]
    ]


def test_last_commit_date_is_the_last_commit_touching_the_file(repo: Path) -> None:
    assert str(last_commit_date(str(repo / "journey.yaml"))) == "2026-06-01"


def test_review_date_from_git_overdue_and_not(repo: Path) -> None:
    path = str(repo / "journey.yaml")
    # due 2026-06-01 + 90 days = 2026-08-30
    assert _found(path, "--today", "2026-08-30") == []
    assert _found(path, "--today", "2026-09-11") == [("review-overdue", "6:3")]
    result = runner.invoke(app, ["validate", "--isolated", path, "--today", "2026-09-11"])
    assert "overdue by 12 days: last reviewed 2026-06-01 (the last commit touching the file)" in (
        result.stdout
    )


def test_today_from_the_environment(repo: Path) -> None:
    path = str(repo / "journey.yaml")
    assert _found(path, env={"CLJOURNEY_TODAY": "2026-09-11"}) == [("review-overdue", "6:3")]
    assert _found(path, env={"CLJOURNEY_TODAY": "2026-08-01"}) == []


def test_written_review_date_wins_over_git(repo: Path) -> None:
    path = repo / "journey.yaml"
    path.write_text(JOURNEY.format(last="    last: 2026-07-01\n"))
    assert _found(str(path), "--today", "2026-09-11") == []  # due 2026-09-29
    assert _found(str(path), "--today", "2026-10-01") == [("review-overdue", "8:11")]


def test_outside_a_repository_the_date_must_be_written(tmp_path: Path) -> None:
    path = tmp_path / "journey.yaml"
    path.write_text(JOURNEY.format(last=""))
    assert last_commit_date(str(path)) is None
    assert _found(str(path), "--today", "2026-09-11") == [("review-overdue", "6:3")]
    result = runner.invoke(app, ["validate", "--isolated", str(path), "--today", "2026-09-11"])
    assert "has no review date" in result.stdout and "add `last: YYYY-MM-DD`" in result.stdout


def test_uncommitted_file_in_a_repository(repo: Path) -> None:
    path = repo / "new.yaml"
    path.write_text(JOURNEY.format(last=""))
    assert last_commit_date(str(path)) is None
    assert _found(str(path), "--today", "2026-09-11") == [("review-overdue", "6:3")]


def test_bad_today_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "journey.yaml"
    path.write_text(JOURNEY.format(last="    last: 2026-07-01\n"))
    for value in ("2026-13-01", "tomorrow", "2026-1-1"):
        result = runner.invoke(app, ["validate", str(path), "--today", value])
        assert result.exit_code == 2, result.output
        assert "is not a date; write YYYY-MM-DD" in result.output


def test_stale_evidence_age_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "journey.yaml"
    path.write_text(JOURNEY.format(last="    last: 2026-07-01\n"))
    assert _found(str(path), "--today", "2026-09-01") == []
    assert _found(str(path), "--today", "2027-01-11") == [
        ("review-overdue", "8:11"),
        ("stale-evidence", "22:47"),
    ]
    config = tmp_path / "cljourney.toml"
    config.write_text('[options]\nstale-evidence-after = "30d"\n')
    result = runner.invoke(
        app, ["validate", "-f", "json", "--config", str(config), str(path), "--today", "2026-03-01"]
    )
    assert '"rule": "stale-evidence"' in result.stdout
    config.write_text('[options]\nstale-evidence-after = "soon"\n')
    result = runner.invoke(app, ["validate", "--config", str(config), str(path)])
    assert result.exit_code == 2 and "stale-evidence-after" in result.output


def test_no_review_no_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a `review` cadence git is never asked (start-up in pre-commit): with no git on the
    PATH the run is the same."""
    path = tmp_path / "journey.yaml"
    path.write_text(JOURNEY.format(last="").replace("  review:\n    every: 90d\n", ""))
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert _found(str(path), "--today", "2026-02-01") == []


def test_a_shallow_clone_does_not_pass_its_cut_off_for_the_last_review(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """In a shallow clone (a CI checkout's default) the file's last commit may lie beyond the
    history fetched: the oldest commit fetched then seems to add every file. Its date is not the
    review's, so the rule asks for the history or `review.last` instead of passing."""
    clone = tmp_path_factory.mktemp("ci") / "clone"
    _git(clone.parent, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    path = str(clone / "journey.yaml")
    assert last_commit_date(path) is None  # the fetched commit (2026-08-01) never touched it
    assert _found(path, "--today", "2026-09-11") == [("review-overdue", "6:3")]
    result = runner.invoke(app, ["validate", "--isolated", path, "--today", "2026-09-11"])
    assert "shallow clone" in result.stdout and "fetch-depth: 0" in result.stdout
    status = runner.invoke(app, ["status", "--today", "2026-09-11", str(clone)])
    assert "2026-08-01" not in status.stdout and "shallow clone" in status.stdout


def test_a_shallow_clone_knows_the_commits_it_holds(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A commit on top of the shallow history (a pull request's) that touches the file dates it."""
    clone = tmp_path_factory.mktemp("ci") / "clone"
    _git(clone.parent, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    path = clone / "journey.yaml"
    path.write_text(path.read_text().replace("Demo", "Demo journey"))
    _git(clone, "commit", "-q", "-am", "reviewed", date="2026-09-01")
    assert str(last_commit_date(str(path))) == "2026-09-01"
