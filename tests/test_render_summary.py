"""Summary counts agree with `validate`: a why counts as a customer why only when no
`missing-why` or `weak-why` finding is on it, in every map and index format."""

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


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_a_why_the_config_accepts_counts(tmp_path: Path, fmt: str) -> None:
    """The count follows validate under the same config: with weak-why off, TBD is accepted."""
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    (journeys / "draft.yaml").write_text(JOURNEY, encoding="utf-8")
    (tmp_path / "cljourney.toml").write_text('ignore = ["weak-why"]\n', encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    config = str(tmp_path / "cljourney.toml")
    result = runner.invoke(
        app, ["render", str(journeys), "-o", str(out), "--format", fmt, "--config", config]
    )
    assert result.exit_code == 0, result.output
    if fmt == "json":
        summary = json.loads((out / "draft.json").read_text("utf-8"))["summary"]
        assert (summary["whys"], summary["steps"]) == (3, 3)
    else:
        assert "customer why on 3 of 3 steps" in (out / "draft.md").read_text("utf-8")
