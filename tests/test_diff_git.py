"""`cljourney diff` end to end in real temporary git repositories: files, `REV:path`, `--base`,
renames, added and removed journey files, exit statuses, and git called without letting user text
become an option."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from conftest import ROOT

BASE = (ROOT / "tests" / "data" / "diff" / "base.yaml").read_text(encoding="utf-8")
TRAINING = BASE[BASE.index("      - id: training\n") : BASE.index("      - id: first-value\n")]
runner = CliRunner()


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository on `main` with journeys/trial.yaml and a YAML file that is not a journey."""
    for name, value in {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": "/dev/null",
        "GIT_CONFIG_NOSYSTEM": "1",
    }.items():
        monkeypatch.setenv(name, value)
    root = tmp_path / "repo"
    root.mkdir()
    monkeypatch.chdir(root)
    git("init", "-q", "-b", "main")
    (root / "journeys").mkdir()
    (root / "journeys" / "trial.yaml").write_text(BASE, encoding="utf-8")
    (root / "journeys" / "settings.yaml").write_text("colour: blue\n", encoding="utf-8")
    commit("base")
    return root


def commit(message: str) -> None:
    git("add", "-A")
    git("commit", "-q", "-m", message)


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["diff", *args], env={"NO_COLOR": "1"})
    return result.exit_code, result.output


def changes(*args: str) -> list[dict[str, Any]]:
    code, output = run("--format", "json", *args)
    assert code == 0, output
    found: list[dict[str, Any]] = json.loads(output)["changes"]
    return found


def brief(found: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
    return {(c["kind"], c["entity"], c["id"]) for c in found}


def drop_training(root: Path) -> None:
    path = root / "journeys" / "trial.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(TRAINING, ""), encoding="utf-8")


def test_two_files(repo: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(BASE, encoding="utf-8")
    drop_training(repo)
    assert brief(changes(str(old), "journeys/trial.yaml")) == {
        ("removed", "touchpoint", "training")
    }


def test_revision_of_a_file_against_the_working_tree(repo: Path) -> None:
    drop_training(repo)
    found = changes("HEAD:journeys/trial.yaml", "journeys/trial.yaml")
    assert brief(found) == {("removed", "touchpoint", "training")}
    assert found[0]["level"] == "breaking"


def test_revision_of_a_directory_and_paths_relative_to_the_current_directory(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drop_training(repo)
    commit("drop training")
    assert brief(changes("HEAD~1:journeys/", "HEAD:journeys")) == {
        ("removed", "touchpoint", "training")
    }
    monkeypatch.chdir(repo / "journeys")
    # like git: REV:path is from the repository root, REV:./path from here
    assert changes("HEAD~1:./trial.yaml", "HEAD:journeys/trial.yaml") != []
    assert changes("HEAD:./", ".") == []


def test_renamed_file_is_the_same_journey(repo: Path) -> None:
    git("mv", "journeys/trial.yaml", "journeys/trial-to-paid.yaml")
    commit("rename")
    assert changes("HEAD~1:journeys", "HEAD:journeys") == []
    assert changes("HEAD~1:journeys/trial.yaml", "journeys/trial-to-paid.yaml") == []


def test_added_and_removed_journey_files(repo: Path) -> None:
    other = BASE.replace("id: trial\n", "id: self-serve\n", 1)
    (repo / "journeys" / "self-serve.yaml").write_text(other, encoding="utf-8")
    (repo / "journeys" / "trial.yaml").unlink()
    commit("swap journeys")
    found = changes("HEAD~1:journeys", "HEAD:journeys")
    assert {(c["kind"], c["id"], c["level"]) for c in found} == {
        ("added", "self-serve", "info"),
        ("removed", "trial", "breaking"),
    }


def branch_with_edits(repo: Path) -> None:
    """`feature` drops a touchpoint (committed) and adds a journey (uncommitted); meanwhile
    `main` gains a journey of its own, so its tip is not the merge base."""
    git("checkout", "-q", "-b", "feature")
    drop_training(repo)
    commit("drop training")
    git("checkout", "-q", "main")
    (repo / "journeys" / "main-only.yaml").write_text(
        BASE.replace("id: trial\n", "id: main-only\n", 1), encoding="utf-8"
    )
    commit("main moves on")
    git("checkout", "-q", "feature")
    (repo / "journeys" / "new.yaml").write_text(
        BASE.replace("id: trial\n", "id: brand-new\n", 1), encoding="utf-8"
    )


def test_base_compares_the_working_tree_with_the_merge_base(repo: Path) -> None:
    branch_with_edits(repo)
    expected = {("removed", "touchpoint", "training"), ("added", "journey", "brand-new")}
    assert brief(changes("--base", "main")) == expected
    assert brief(changes("--base", "main", "journeys")) == expected
    assert brief(changes("--base", "main", "journeys/trial.yaml")) == {
        ("removed", "touchpoint", "training")
    }


def test_base_with_a_deleted_file_named(repo: Path) -> None:
    git("checkout", "-q", "-b", "feature")
    (repo / "journeys" / "trial.yaml").unlink()
    assert brief(changes("--base", "main", "journeys/trial.yaml")) == {
        ("removed", "journey", "trial")
    }
    code, output = run("--base", "main", "journeys/never.yaml")
    assert code == 2
    assert "journeys/never.yaml: no such file or directory" in output


def test_an_upper_case_yaml_suffix_is_a_journey_in_a_revision_too(repo: Path) -> None:
    # Directory search reads `B2B.YAML` in the working tree; a revision's listing must read it
    # too, or `--base` would report the whole journey as added.
    git("mv", "journeys/trial.yaml", "journeys/TRIAL.YAML")
    commit("upper-case name")
    assert changes("HEAD:journeys", "journeys") == []
    path = repo / "journeys" / "TRIAL.YAML"
    path.write_text(path.read_text(encoding="utf-8").replace(TRAINING, ""), encoding="utf-8")
    assert brief(changes("--base", "main")) == {("removed", "touchpoint", "training")}


def test_base_after_a_rename_is_no_change(repo: Path) -> None:
    git("checkout", "-q", "-b", "feature")
    git("mv", "journeys/trial.yaml", "journeys/renamed.yaml")
    assert changes("--base", "main") == []


def test_a_branch_whose_name_starts_with_a_dash(repo: Path) -> None:
    git("update-ref", "refs/heads/-evil", "HEAD")
    drop_training(repo)
    found = changes("--", "-evil:journeys/trial.yaml", "journeys/trial.yaml")
    assert brief(found) == {("removed", "touchpoint", "training")}
    assert brief(changes("--base=-evil")) == {("removed", "touchpoint", "training")}


@pytest.mark.parametrize("form", ["spec", "base"])
def test_option_like_revisions_are_refused(repo: Path, tmp_path: Path, form: str) -> None:
    target = tmp_path / "written-by-git"
    if form == "spec":
        code, output = run("--", f"--output={target}:journeys/trial.yaml", "journeys/trial.yaml")
    else:
        code, output = run(f"--base=--output={target}")
    assert code == 2
    assert "unknown revision '--output=" in output
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nope:journeys/trial.yaml", "journeys"), "unknown revision 'nope'"),
        (
            ("HEAD:journeys/gone.yaml", "journeys"),
            "'journeys/gone.yaml' does not exist in revision 'HEAD'",
        ),
        (("HEAD:../outside.yaml", "journeys"), "outside the git repository"),
        (("missing.yaml", "journeys"), "missing.yaml: no such file or directory"),
        (("journeys",), "give OLD and NEW"),
        (("--base", "nope"), "unknown revision 'nope'"),
    ],
)
def test_usage_errors(repo: Path, args: tuple[str, ...], message: str) -> None:
    code, output = run(*args)
    assert code == 2
    assert message in output
    assert "Traceback" not in output


def test_not_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "trial.yaml").write_text(BASE, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "cljourney", "diff", "HEAD:trial.yaml", "trial.yaml"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert "not a git repository" in done.stderr
    assert "Traceback" not in done.stderr
    code, _ = run("--base", "main")
    assert code == 2


RISKY_EDIT = (
    "name: Kick-off call\n        channel: video",
    "name: Kick-off call\n        channel: email",
)


@pytest.mark.parametrize(
    ("edit", "fail_on", "status"),
    [
        ("none", "info", 0),
        ("risky", None, 0),
        ("risky", "breaking", 0),
        ("risky", "risky", 1),
        ("risky", "info", 1),
        ("breaking", "breaking", 1),
        ("breaking", None, 0),
    ],
)
def test_exit_status_with_fail_on(repo: Path, edit: str, fail_on: str | None, status: int) -> None:
    path = repo / "journeys" / "trial.yaml"
    if edit == "risky":
        path.write_text(BASE.replace(*RISKY_EDIT), encoding="utf-8")
    elif edit == "breaking":
        drop_training(repo)
    args = ["HEAD:journeys/trial.yaml", "journeys/trial.yaml"]
    if fail_on:
        args += ["--fail-on", fail_on]
    code, output = run(*args)
    assert code == status, output


def test_bad_fail_on_is_a_usage_error(repo: Path) -> None:
    code, _ = run("journeys", "journeys", "--fail-on", "severe")
    assert code == 2


def test_rev_path_from_a_subfolder_suggests_the_path_that_exists(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "journeys")
    code, output = run("HEAD:trial.yaml", "trial.yaml")
    assert code == 2
    flat = " ".join(output.split())
    assert "'trial.yaml' does not exist in revision 'HEAD'" in flat
    assert "write HEAD:./trial.yaml or HEAD:journeys/trial.yaml" in flat
    assert run("HEAD:./trial.yaml", "trial.yaml")[0] == 0
    assert run("HEAD:journeys/trial.yaml", "trial.yaml")[0] == 0
    code, output = run("HEAD:gone.yaml", "trial.yaml")
    assert code == 2
    assert "REV:./path is from here" in " ".join(output.split())


def test_text_names_the_files_and_output_writes_atomically(repo: Path, tmp_path: Path) -> None:
    journey = repo / "journeys" / "trial.yaml"
    journey.write_text(BASE.replace(TRAINING, ""), encoding="utf-8")
    code, output = run("HEAD:journeys/trial.yaml", "journeys/trial.yaml")
    assert code == 0, output
    assert "journey trial (HEAD:journeys/trial.yaml -> journeys/trial.yaml)" in output
    report = tmp_path / "diff.md"
    code, output = run(
        "HEAD:journeys/trial.yaml", "journeys/trial.yaml", "-f", "markdown", "-o", str(report)
    )
    assert code == 0 and output == ""
    assert report.read_text(encoding="utf-8").startswith("## Journey changes")
    code, output = run(
        "HEAD:journeys/trial.yaml", "journeys/trial.yaml", "-o", str(tmp_path / "no" / "x")
    )
    assert code == 2 and "does not exist; create it first" in " ".join(output.split())


@pytest.fixture
def with_submodule(repo: Path) -> Path:
    """`repo` with a git submodule `shared/` holding a journey, committed in both repositories."""
    sub = repo.parent / "shared-journeys"
    sub.mkdir()
    git("-C", str(sub), "init", "-q", "-b", "main")
    (sub / "lifecycle.yaml").write_text(BASE.replace("id: trial\n", "id: shared\n", 1), "utf-8")
    git("-C", str(sub), "add", "-A")
    git("-C", str(sub), "commit", "-q", "-m", "shared")
    git("-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "shared")
    commit("add the shared journeys")
    return repo


@pytest.mark.parametrize("path", ["shared/", "shared/lifecycle.yaml", "."])
def test_an_unchanged_journey_in_a_submodule_is_no_change(with_submodule: Path, path: str) -> None:
    code, out = run("--base", "main", path)
    assert code == 0
    assert out.startswith("No journey changes"), out


def test_a_journey_edited_in_a_submodule_is_compared_with_the_recorded_commit(
    with_submodule: Path,
) -> None:
    journey = with_submodule / "shared" / "lifecycle.yaml"
    journey.write_text(journey.read_text("utf-8").replace("Kick-off call", "Kick-off meeting"))
    code, out = run("--base", "main", "shared/", "--format", "json")
    assert code == 0
    changes = json.loads(out)["changes"]
    assert [(c["kind"], c["entity"], c["id"], c["field"]) for c in changes] == [
        ("changed", "touchpoint", "kickoff", "name")
    ]


PARALLEL = """\
  - id: escalation
    name: Escalation
    owner: support
    why: A blocked customer reaches someone who can unblock them, wherever they are.
    during: [sales, onboarding]
    touchpoints:
      - id: escalate
        name: Escalate
        why: The customer's blocker is owned by a named engineer until it is solved.
"""


@pytest.mark.parametrize(
    ("argv", "entity", "old", "new"),
    [
        (["demo", "tailored-demo"], "touchpoint", "demo", "tailored-demo"),
        (
            ["onboarding", "getting-started", "--kind", "stage"],
            "stage",
            "onboarding",
            "getting-started",
        ),
        (["csm", "success-manager"], "role", "csm", "success-manager"),
    ],
    ids=["touchpoint", "stage-named-by-during", "role"],
)
def test_a_rename_made_by_cljourney_rename_is_one_rename(
    repo: Path, argv: list[str], entity: str, old: str, new: str
) -> None:
    """Commit a journey (with a parallel stage, so `during` names stages), rename with
    `cljourney rename`, commit: `diff HEAD~1:... HEAD:...` shows one `renamed` change, nothing
    else (no removal and addition, no flow or `during` change)."""
    path = repo / "journeys" / "trial.yaml"
    path.write_text(_with_parallel(BASE), encoding="utf-8")
    commit("a parallel stage")
    renamed = runner.invoke(app, ["rename", *argv, "journeys"])
    assert renamed.exit_code == 0, renamed.output
    commit("rename")
    found = changes("HEAD~1:journeys", "HEAD:journeys")
    assert [(c["kind"], c["entity"], c["id"], c["before"]) for c in found] == [
        ("renamed", entity, new, old)
    ]
    code, output = run("HEAD~1:journeys", "HEAD:journeys")
    assert code == 0
    assert f"{entity} '{old}' renamed to '{new}'" in output


def _with_parallel(text: str) -> str:
    """`text` with a parallel stage inserted before the handoffs."""
    at = text.index("handoffs:")
    return text[:at] + PARALLEL + text[at:]
