"""`cljourney status`: the portfolio at a glance, in text, JSON and markdown (issue 18)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app

runner = CliRunner()
PORTFOLIO = Path(__file__).parent / "data" / "governance" / "portfolio"
TEXT = """\
journey   owner   status  last review  next due    review           evidence                                   open
retail    cx      draft   2026-10-01   2026-10-31  overdue by 31 d  0% observed / 0% reported / 100% assumed   1
b2b-saas  cs-ops  live    2026-09-14   2026-12-13  ok               33% observed / 33% reported / 33% assumed  1

Open opportunities by status and owner:
  planned      csm                  1
  in-progress  (no owner)           1

As of 2026-12-01: 2 journeys.
"""


def test_text_lists_most_overdue_first() -> None:
    result = runner.invoke(app, ["status", str(PORTFOLIO), "--today", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert result.stdout == TEXT


def test_json_carries_the_review_state_evidence_and_open_opportunities() -> None:
    result = runner.invoke(
        app, ["status", str(PORTFOLIO), "-f", "json"], env={"CLJOURNEY_TODAY": "2026-12-20"}
    )
    data = json.loads(result.stdout)
    assert data["today"] == "2026-12-20"
    b2b, retail = sorted(data["journeys"], key=lambda j: j["id"])
    assert b2b["review"] == {
        "every": "90d",
        "last": "2026-09-14",
        "last_from": "file",
        "shallow_clone": False,
        "by": "cs-ops",
        "next_due": "2026-12-13",
        "overdue_days": 7,
    }
    assert b2b["evidence"] == {"claims": 3, "observed": 1, "reported": 1, "assumed": 1}
    assert [o["owner"] for o in b2b["open_opportunities"]] == ["csm"]
    assert retail["status"] == "draft" and retail["review"]["overdue_days"] == 50
    assert [(o["text"], o["status"]) for o in retail["open_opportunities"]] == [
        ("One-page checkout", "in-progress")  # the dropped one is not open
    ]
    assert [j["id"] for j in data["journeys"]] == ["retail", "b2b-saas"]


@pytest.mark.engines
@pytest.mark.skipif(shutil.which("cmark-gfm") is None, reason="cmark-gfm not installed")
def test_markdown_renders_as_tables_in_cmark_gfm() -> None:
    result = runner.invoke(
        app, ["status", str(PORTFOLIO), "-f", "markdown", "--today", "2026-12-01"]
    )
    html = subprocess.run(
        ["cmark-gfm", "-e", "table"],
        input=result.stdout,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert html.count("<table>") == 2
    assert "<td><code>retail</code></td>" in html and "<td>overdue by 31 d</td>" in html


def test_a_file_that_does_not_load_is_named_and_fails_the_run(tmp_path: Path) -> None:
    shutil.copy(PORTFOLIO / "retail.yaml", tmp_path / "retail.yaml")
    (tmp_path / "bad.yaml").write_text("cljourney: 1\njourney: {id: x}\n")
    result = runner.invoke(app, ["status", str(tmp_path), "--today", "2026-12-01"])
    assert result.exit_code == 1
    assert "bad.yaml: not loaded (run `cljourney validate" in result.stdout
    assert "retail" in result.stdout


@pytest.mark.parametrize(
    ("review", "expected"),
    [
        ("", ("2026-11-20", "git", "2026-12-20")),
        # No cadence: nothing falls due, but the last review is still the last commit's date.
        ("every: 30d, ", ("2026-11-20", "git", None)),
    ],
    ids=["cadence", "no-cadence"],
)
def test_review_date_from_git_is_marked(
    tmp_path: Path, review: str, expected: tuple[str, str, str | None]
) -> None:
    journey = (PORTFOLIO / "retail.yaml").read_text().replace(", last: 2026-10-01", "")
    (tmp_path / "retail.yaml").write_text(journey.replace(review, "") if review else journey)
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@e",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@e",
        "GIT_AUTHOR_DATE": "2026-11-20T12:00:00+00:00",
        "GIT_COMMITTER_DATE": "2026-11-20T12:00:00+00:00",
        "PATH": "/usr/bin:/bin",
    }
    for args in (["init", "-q"], ["add", "."], ["commit", "-qm", "x"]):
        subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True)
    result = runner.invoke(app, ["status", str(tmp_path), "-f", "json", "--today", "2026-12-01"])
    review = json.loads(result.stdout)["journeys"][0]["review"]
    assert (review["last"], review["last_from"], review["next_due"]) == expected


def test_bad_today_is_a_usage_error() -> None:
    result = runner.invoke(app, ["status", str(PORTFOLIO), "--today", "someday"])
    assert result.exit_code == 2 and "is not a date" in result.output


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.stderr
