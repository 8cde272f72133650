"""`render --today DATE` (or CLJOURNEY_TODAY): the maps state the review as of that day, taking
the last review from git when the file gives none (issue 18). Without it, maps read neither the
clock nor git. The repositories here are real, with commits at known dates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from test_governance_rules import JOURNEY, _git, committed_history

runner = CliRunner()
FULL = Path(__file__).parent / "data" / "governance" / "full.yaml"  # review.last 2026-09-14
PORTFOLIO = Path(__file__).parent / "data" / "governance" / "portfolio"


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """journey.yaml (reviewed every 90d, no `review.last`) last committed on 2026-06-01, so
    its review is due on 2026-08-30; an unrelated commit follows on 2026-08-01."""
    (tmp_path / "repo").mkdir()
    return committed_history(tmp_path / "repo")


def _render(*args: str, env: dict[str, str | None] | None = None) -> str:
    result = runner.invoke(app, ["render", "--isolated", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


OVERDUE = (
    "reviewed 2026-06-01 (last commit), every 90d; review overdue by 12 days (due 2026-08-30),"
    " as of 2026-09-11"
)
NOT_DUE = (
    "reviewed 2026-06-01 (last commit), every 90d; next review due in 10 days (2026-08-30),"
    " as of 2026-08-20"
)


def test_markdown_header_states_the_review_against_the_day(history: Path) -> None:
    path = str(history / "journey.yaml")
    assert f"**Status:** {OVERDUE}\n" in _render(path, "--today", "2026-09-11")
    assert f"**Status:** {NOT_DUE}\n" in _render(path, "--today", "2026-08-20")
    # The findings on the map are validate's with the same day.
    assert "review of journey 'demo' overdue by 12 days" in _render(path, "--today", "2026-09-11")
    assert "review-overdue" not in _render(path, "--today", "2026-08-20")
    # The environment variable validate reads sets the day the same way.
    assert f"**Status:** {OVERDUE}\n" in _render(path, env={"CLJOURNEY_TODAY": "2026-09-11"})


def test_html_header_states_the_review_against_the_day(history: Path) -> None:
    path = str(history / "journey.yaml")
    page = _render(path, "-f", "html", "--today", "2026-09-11")
    assert f"<div><dt>Status</dt><dd>{OVERDUE}</dd></div>" in page
    page = _render(path, "-f", "html", "--today", "2026-08-20")
    assert f"<div><dt>Status</dt><dd>{NOT_DUE}</dd></div>" in page


def test_json_states_the_review_against_the_day(history: Path) -> None:
    path = str(history / "journey.yaml")
    state = json.loads(_render(path, "-f", "json", "--today", "2026-09-11"))["review_state"]
    assert state == {
        "today": "2026-09-11",
        "every": "90d",
        "last": "2026-06-01",
        "last_from": "git",
        "shallow_clone": False,
        "by": None,
        "next_due": "2026-08-30",
        "overdue_days": 12,
        "text": "review overdue by 12 days (due 2026-08-30)",
    }
    state = json.loads(_render(path, "-f", "json", "--today", "2026-08-20"))["review_state"]
    assert (state["overdue_days"], state["text"]) == (
        0,
        "next review due in 10 days (2026-08-30)",
    )


@pytest.mark.usefixtures("undated")
def test_without_today_the_header_asks_neither_git_nor_the_clock(
    history: Path, tmp_path: Path
) -> None:
    """The same file inside its repository and copied out of it has the same header: no git
    date, no day; it says where the last review comes from instead. (The findings a map shows
    are validate's, judged by the clock like validate's.)"""
    outside = tmp_path / "copy" / "journey.yaml"
    outside.parent.mkdir()
    shutil.copy(history / "journey.yaml", outside)
    status = "**Status:** reviewed every 90d; last review: the last commit of the file\n"
    for path in (history / "journey.yaml", outside):
        assert status in _render(str(path))
        page = _render(str(path), "-f", "html")
        assert "<dd>reviewed every 90d; last review: the last commit of the file</dd>" in page
        assert "review_state" not in _render(str(path), "-f", "json")


def test_a_written_review_due_today(tmp_path: Path) -> None:
    md = _render(str(FULL), "--today", "2026-12-13")
    assert (
        "**Status:** live · reviewed 2026-09-14 by cs-ops, every 90d; next review due today"
        " (2026-12-13), as of 2026-12-13\n"
    ) in md
    md = _render(str(FULL), "--today", "2026-12-14")
    assert "review overdue by 1 day (due 2026-12-13), as of 2026-12-14\n" in md


def test_outside_a_repository_the_map_says_there_is_no_review_date(tmp_path: Path) -> None:
    path = tmp_path / "journey.yaml"
    path.write_text(JOURNEY.format(last=""))
    md = _render(str(path), "--today", "2026-09-11")
    assert (
        "**Status:** reviewed, every 90d; no review date: the file is not committed in a git"
        " repository\n"
    ) in md


def test_a_shallow_clone_says_so(history: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    clone = tmp_path_factory.mktemp("ci") / "clone"
    _git(clone.parent, "clone", "-q", "--depth", "1", f"file://{history}", str(clone))
    md = _render(str(clone / "journey.yaml"), "--today", "2026-09-11")
    assert "no review date: its last commit is beyond this shallow clone's history" in md
    assert "2026-08-01" not in md  # the clone's cut-off is no review date


def _maps(history: Path, tmp_path: Path, fmt: str, *today: str) -> Path:
    """The git-dated journey and retail.yaml (reviewed 2026-10-01 every 30d: due 2026-10-31)
    rendered into one directory."""
    (history / "retail.yaml").write_text((PORTFOLIO / "retail.yaml").read_text())
    out = tmp_path / f"maps-{fmt}"
    out.mkdir()
    _render(str(history), "-f", fmt, "-o", f"{out}/", *today)
    return out


def test_markdown_index_states_the_review_against_the_day(history: Path, tmp_path: Path) -> None:
    index = (
        _maps(history, tmp_path, "markdown", "--today", "2026-10-20") / "README.md"
    ).read_text()
    rows = [line for line in index.splitlines() if line.startswith("| [")]
    assert index.splitlines()[4].endswith("| Last review | Next due | Review |")
    # The git-dated journey, overdue since 2026-08-30, comes first.
    assert rows[0].startswith("| [Demo]") and rows[0].endswith(
        "| 2026-06-01 (last commit) | 2026-08-30 | review overdue by 51 days (due 2026-08-30) |"
    )
    assert rows[1].startswith("| [Retail]") and rows[1].endswith(
        "| draft | 2026-10-01 | 2026-10-31 | next review due in 11 days (2026-10-31) |"
    )


@pytest.mark.usefixtures("undated")
def test_index_without_today_has_no_review_column(history: Path, tmp_path: Path) -> None:
    index = (_maps(history, tmp_path, "markdown") / "README.md").read_text()
    assert index.splitlines()[4].endswith("| Last review | Next due |")
    entries = json.loads((_maps(history, tmp_path, "json") / "index.json").read_text())
    assert all("review_state" not in entry for entry in entries["journeys"])


def test_html_and_json_index_state_the_review(history: Path, tmp_path: Path) -> None:
    page = (_maps(history, tmp_path, "html", "--today", "2026-10-20") / "index.html").read_text()
    assert (
        "<div><dt>Last review</dt><dd>2026-06-01 (last commit)</dd></div><div><dt>Next due</dt>"
        "<dd>2026-08-30</dd></div><div><dt>Review</dt><dd>review overdue by 51 days"
        " (due 2026-08-30)</dd></div></dl>"
    ) in page
    assert page.index(">Demo<") < page.index(">Retail<")
    index = _maps(history, tmp_path, "json", "--today", "2026-10-20") / "index.json"
    states = {e["journey_id"]: e["review_state"] for e in json.loads(index.read_text())["journeys"]}
    assert states == {
        "demo": "review overdue by 51 days (due 2026-08-30)",
        "retail": "next review due in 11 days (2026-10-31)",
    }


@pytest.mark.parametrize("env", [False, True], ids=["option", "environment"])
def test_a_bad_day_is_a_usage_error(env: bool) -> None:
    args = ["render", "--isolated", str(FULL)]
    if env:
        result = runner.invoke(app, args, env={"CLJOURNEY_TODAY": "2026-13-01"})
    else:
        result = runner.invoke(app, [*args, "--today", "next week"])
    assert result.exit_code == 2
    assert "is not a date; write YYYY-MM-DD" in result.output
    assert "Traceback" not in result.output


def test_check_names_today_in_the_command_that_updates(tmp_path: Path) -> None:
    out = tmp_path / "map.md"
    args = [str(FULL), "--today", "2026-12-01", "-o", str(out)]
    _render(*args)
    assert runner.invoke(app, ["render", "--isolated", *args, "--check"]).exit_code == 0
    stale = runner.invoke(app, ["render", "--isolated", *args[:-2], "--today", "2026-12-30"])
    assert "review overdue by 17 days" in stale.stdout
    checked = runner.invoke(
        app, ["render", "--isolated", str(FULL), "--today", "2026-12-30", "-o", str(out), "--check"]
    )
    assert checked.exit_code == 1
    assert checked.stdout.rstrip().endswith(f"-o {out} --isolated --today 2026-12-30")
