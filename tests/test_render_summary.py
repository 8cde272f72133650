"""A why counts as a customer why only when no `missing-why` or `weak-why` finding is on it,
silenced or not, in every map and index format."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app

runner = CliRunner()

# Three steps (the stage, two touchpoints); the demo's why is a placeholder (weak-why).
JOURNEY = """\
cljourney: 1
journey: {id: draft, name: Draft journey, owner: ops}
roles:
  - {id: ae, name: Account executive}
stages:
  - id: buy
    name: Buy
    owner: ae
    why: The customer gets what they came for without a second call.
    touchpoints:
      - id: demo
        name: Demo
        why: TBD
      - id: trial
        name: Trial
        why: The customer tries the product on their own data before paying.
"""


def render_dir(tmp_path: Path, fmt: str, extra: tuple[str, ...] = ()) -> Path:
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    (journeys / "draft.yaml").write_text(JOURNEY, encoding="utf-8")
    (tmp_path / "cljourney.toml").write_text("", encoding="utf-8")  # stop the config search here
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(app, ["render", str(journeys), "-o", str(out), "--format", fmt, *extra])
    assert result.exit_code == 0, result.output
    return out


def text_of(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_validate_flags_the_placeholder(tmp_path: Path) -> None:
    path = tmp_path / "draft.yaml"
    path.write_text(JOURNEY, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--isolated", "--format", "json", str(path)])
    rules = [(f["rule"], f["line"]) for f in json.loads(result.stdout)["findings"]]
    assert rules == [("weak-why", 13)]


def test_markdown_map_and_index_do_not_count_a_placeholder_why(tmp_path: Path) -> None:
    out = render_dir(tmp_path, "markdown")
    assert "customer why on 2 of 3 steps" in (out / "draft.md").read_text(encoding="utf-8")
    index = (out / "README.md").read_text(encoding="utf-8")
    row = next(line for line in index.splitlines() if line.startswith("| [Draft journey]"))
    assert "| 2/3 |" in row


def test_html_map_and_index_do_not_count_a_placeholder_why(tmp_path: Path) -> None:
    out = render_dir(tmp_path, "html")
    assert "2/3 steps with a customer why" in text_of((out / "draft.html").read_text("utf-8"))
    assert "2/3 customer whys" in text_of((out / "index.html").read_text("utf-8"))


def test_json_map_and_index_do_not_count_a_placeholder_why(tmp_path: Path) -> None:
    out = render_dir(tmp_path, "json")
    summary = json.loads((out / "draft.json").read_text("utf-8"))["summary"]
    assert (summary["whys"], summary["steps"]) == (2, 3)
    (entry,) = json.loads((out / "index.json").read_text("utf-8"))["journeys"]
    assert (entry["summary"]["whys"], entry["summary"]["steps"]) == (2, 3)


def render_with(tmp_path: Path, fmt: str, journey: str, config: str) -> Path:
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    (journeys / "draft.yaml").write_text(journey, encoding="utf-8")
    (tmp_path / "cljourney.toml").write_text(config, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    clean = runner.invoke(
        app,
        [
            "validate",
            "--format",
            "json",
            "--config",
            str(tmp_path / "cljourney.toml"),
            str(journeys),
        ],
    )
    result = runner.invoke(
        app,
        [
            "render",
            str(journeys),
            "-o",
            str(out),
            "--format",
            fmt,
            "--config",
            str(tmp_path / "cljourney.toml"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(clean.stdout)["findings"] == []  # validate is quiet: the finding is silenced
    return out


def whys_of(out: Path, fmt: str) -> tuple[str, str]:
    """The map's and the index's count of customer whys, as each format writes it."""
    if fmt == "json":
        summary = json.loads((out / "draft.json").read_text("utf-8"))["summary"]
        (entry,) = json.loads((out / "index.json").read_text("utf-8"))["journeys"]
        index = entry["summary"]
        return f"{summary['whys']}/{summary['steps']}", f"{index['whys']}/{index['steps']}"
    if fmt == "html":
        page = text_of((out / "draft.html").read_text("utf-8"))
        index_page = text_of((out / "index.html").read_text("utf-8"))
        shown = re.search(r"(\d+/\d+) steps with a customer why", page)
        listed = re.search(r"(\d+/\d+) customer whys", index_page)
        assert shown and listed
        return shown.group(1), listed.group(1)
    page = (out / "draft.md").read_text("utf-8")
    found = re.search(r"customer why on (\d+) of (\d+) steps", page)
    row = next(
        line for line in (out / "README.md").read_text("utf-8").splitlines() if "[Draft" in line
    )
    cell = re.search(r"\| (\d+/\d+) \|", row)
    assert found and cell
    return f"{found.group(1)}/{found.group(2)}", cell.group(1)


# A silenced finding is still a finding on the why: `ignore` keeps validate quiet about a
# placeholder, it does not turn the placeholder into a customer why (issue 10).
SILENCED = {
    "inline ignore": (
        JOURNEY.replace("why: TBD", "why: TBD  # cljourney: ignore[weak-why] product writes it"),
        "",
    ),
    "config ignore": (JOURNEY, 'ignore = ["weak-why"]\n'),
    "config per-file-ignores": (JOURNEY, '[per-file-ignores]\n"*/draft.yaml" = ["weak-why"]\n'),
    "config select": (JOURNEY, 'select = ["missing-why", "schema"]\n'),
}


@pytest.mark.parametrize("fmt", ["markdown", "html", "json"])
@pytest.mark.parametrize("how", list(SILENCED))
def test_a_silenced_placeholder_is_still_no_customer_why(
    tmp_path: Path, fmt: str, how: str
) -> None:
    journey, config = SILENCED[how]
    assert whys_of(render_with(tmp_path, fmt, journey, config), fmt) == ("2/3", "2/3")


CUSTOM = JOURNEY.replace("why: TBD", "why: To be written by product")


@pytest.mark.parametrize("fmt", ["markdown", "json"])
@pytest.mark.parametrize(
    ("options", "whys"),
    [("", "3/3"), ('[options]\nextend-placeholders = ["to be written by product"]\n', "2/3")],
    ids=["default options", "extend-placeholders"],
)
def test_the_why_options_decide_what_counts(
    tmp_path: Path, fmt: str, options: str, whys: str
) -> None:
    """The config's options say what a weak why is, even with weak-why turned off."""
    config = 'ignore = ["weak-why"]\n' + options
    assert whys_of(render_with(tmp_path, fmt, CUSTOM, config), fmt) == (whys, whys)
