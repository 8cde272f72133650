"""Every map summary counts infos the way `validate` does ("0 errors, 0 warnings, 1 info"):
the markdown headline and index, the HTML header badges (in words) and index cards, the
JSON counts and the Mermaid index boxes. A map listing an info finding never says "no findings"."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from conftest import RULE_CASES
from engines import axe_violations, open_page, require_engines
from test_a11y import CONTRAST_VIEWS, PRINT, TEXT_CONTRAST, VIEWS

runner = CliRunner()
# No errors, no warnings, one info (`assumed-only` on stage 'onboarding').
JOURNEY = RULE_CASES / "assumed-only" / "fail.yaml"
COUNTS = "0 errors, 0 warnings, 1 info"


def render_dir(tmp_path: Path, fmt: str) -> Path:
    journeys = tmp_path / "journeys"
    journeys.mkdir()
    shutil.copy(JOURNEY, journeys / "demo.yaml")
    out = tmp_path / "out"
    out.mkdir()
    result = runner.invoke(
        app, ["render", str(journeys), "-o", str(out), "--format", fmt, "--isolated"]
    )
    assert result.exit_code == 0, result.output
    return out


def text_of(html: str) -> str:
    """The words a screen reader reads (icons are aria-hidden: the counts are in words)."""
    spoken = re.sub(r'<span aria-hidden="true">[^<]*</span>', "", html)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", spoken)).split())


def test_validate_counts_the_info() -> None:
    result = runner.invoke(app, ["validate", "--isolated", str(JOURNEY)])
    assert f"Found {COUNTS} in 1 of 1 journey file." in result.stdout


def test_markdown_headline_and_index_count_the_info(tmp_path: Path) -> None:
    out = render_dir(tmp_path, "markdown")
    headline = (out / "demo.md").read_text(encoding="utf-8").splitlines()[2]
    assert headline.endswith(f"· {COUNTS} (see [Findings](#findings))"), headline
    assert "no findings" not in headline
    index = (out / "README.md").read_text(encoding="utf-8")
    row = next(line for line in index.splitlines() if line.startswith("| ["))
    assert f"| {COUNTS} |" in row, row


def test_html_header_and_index_count_the_info_in_words(tmp_path: Path) -> None:
    out = render_dir(tmp_path, "html")
    page = (out / "demo.html").read_text(encoding="utf-8")
    stats = re.search(r'<ul class="stats"[^>]*>.*?</ul>', page, re.DOTALL)
    assert stats is not None
    assert "0 errors 0 warnings 1 info" in text_of(stats.group(0))
    assert '<li class="sev info">' in stats.group(0)
    index = text_of((out / "index.html").read_text(encoding="utf-8"))
    assert "0 errors 0 warnings 1 info" in index


def test_json_map_and_index_count_the_info(tmp_path: Path) -> None:
    out = render_dir(tmp_path, "json")
    summary = json.loads((out / "demo.json").read_text("utf-8"))["summary"]
    assert (summary["errors"], summary["warnings"], summary["infos"]) == (0, 0, 1)
    (entry,) = json.loads((out / "index.json").read_text("utf-8"))["journeys"]
    assert entry["summary"]["infos"] == 1


def test_mermaid_index_counts_the_info(tmp_path: Path) -> None:
    out = render_dir(tmp_path, "mermaid")
    (index,) = [p for p in out.iterdir() if p.stem in ("index", "README")]
    assert COUNTS in index.read_text(encoding="utf-8")


@pytest.mark.engines
@pytest.mark.parametrize("page", ["demo.html", "index.html"])
def test_the_info_badge_passes_axe_and_keeps_its_contrast(tmp_path: Path, page: str) -> None:
    require_engines()
    path = render_dir(tmp_path, "html") / page
    views = [v for v in VIEWS if not v.compact] if page == "index.html" else VIEWS
    # A small map: its must-pass note's links to the cards sit in a line of text (axe-core's
    # link-in-text-block), unlike the committed maps' longer notes.
    assert axe_violations(path, views + PRINT) == []
    for view in CONTRAST_VIEWS.values():
        facts = open_page(path, eval_js=TEXT_CONTRAST, **view).eval_result  # type: ignore[arg-type]
        assert facts["low"] == []
