"""Diff reporters: exact text and JSON, and the markdown comment as GitHub renders it (cmark-gfm)
with its Mermaid accepted by the real mermaid library; user text never becomes markup."""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser

import pytest

from cljourney.diff.pairing import DiffResult, SourceFile, compare, source_text
from cljourney.report.diff import MARKDOWN_LIMIT, DiffReportOptions, get_diff_reporter
from cljourney.report.diff.markdown import escape, render
from conftest import ROOT
from engines import cmark_gfm, mermaid_blocks, mermaid_blocks_gfm, render_mermaid, require_engines

# Drives a real engine (Chromium + mermaid, cmark-gfm or pre-commit): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

BASE = (ROOT / "tests" / "data" / "diff" / "base.yaml").read_text(encoding="utf-8")
TRAINING = BASE[BASE.index("      - id: training\n") : BASE.index("      - id: first-value\n")]
EVIL = (
    "<script>alert(1)</script> | [click](javascript:alert(1)) **bold** `code` @someone"
    " www.evil.example https://evil.example/x <img src=x onerror=alert(1)> &amp; \\| ~~gone~~"
)


def diff(old: str, new: str) -> DiffResult:
    def side(text: str, path: str) -> list[SourceFile]:
        return [source_text("trial.yaml", text, path)]

    return compare(side(old, "a.yaml"), side(new, "b.yaml"), old_label="main", new_label="HEAD")


def report(result: DiffResult, fmt: str, **options: object) -> str:
    stream = io.StringIO()
    get_diff_reporter(fmt)(result, stream, DiffReportOptions(**options))  # type: ignore[arg-type]
    return stream.getvalue()


def edited() -> DiffResult:
    """Three changes: a touchpoint removed, a why rewritten, a touchpoint added."""
    new = (
        BASE.replace(TRAINING, "")
        .replace("with a guide at their side.", "with their CSM a call away.")
        .replace(
            "  - id: support\n    name: Ongoing",
            "      - id: status-page\n        name: Status page\n        channel: email\n"
            "        why: The customer sees known problems before they need to ask anyone.\n"
            "  - id: support\n    name: Ongoing",
        )
    )
    return diff(BASE, new)


def test_text_report_is_exact() -> None:
    assert report(edited(), "text") == (
        "journey trial (a.yaml -> b.yaml)\n"
        "  risky    stage 'onboarding': why rewritten\n"
        "             - The customer reaches first value quickly with a guide at their side.\n"
        "             + The customer reaches first value quickly with their CSM a call away.\n"
        "  breaking touchpoint 'training' removed from stage 'onboarding'\n"
        "  info     touchpoint 'status-page' added to stage 'onboarding' at position 4\n"
        "3 changes: 1 breaking, 1 risky, 1 info (main -> HEAD).\n"
    )


def test_text_report_without_changes() -> None:
    assert report(diff(BASE, BASE), "text") == "No journey changes (main -> HEAD).\n"


def test_colour_only_on_request_and_user_text_is_not_rich_markup() -> None:
    result = diff(BASE, BASE.replace("name: Kick-off call", "name: '[bold red]Kick-off[/] call'"))
    plain = report(result, "text")
    coloured = report(result, "text", color=True)
    assert "\x1b[" not in plain and "\x1b[" in coloured
    assert "[bold red]Kick-off[/] call" in coloured


def test_json_report() -> None:
    document = json.loads(report(edited(), "json"))
    assert document["summary"] == {
        "old": "main",
        "new": "HEAD",
        "changes": 3,
        "breaking": 1,
        "risky": 1,
        "info": 1,
        "journeys_changed": 1,
    }
    assert document["changes"][0] == {
        "kind": "changed",
        "entity": "stage",
        "id": "onboarding",
        "journey": "trial",
        "stage": "onboarding",
        "field": "why",
        "before": "The customer reaches first value quickly with a guide at their side.",
        "after": "The customer reaches first value quickly with their CSM a call away.",
        "level": "risky",
        "message": "stage 'onboarding': why rewritten",
    }


def test_json_lists_stay_lists() -> None:
    result = diff(BASE, BASE.replace("[Success criteria, Stakeholder map]", "[Success criteria]"))
    (change,) = json.loads(report(result, "json"))["changes"]
    assert (change["before"], change["after"]) == (
        ["Success criteria", "Stakeholder map"],
        ["Success criteria"],
    )


class _Html(HTMLParser):
    """Tags seen and the text of every table row's cells."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.js_attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on") or "javascript:" in "".join((value or "").split()).lower():
                self.js_attributes.append(name)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def parse(html: str) -> _Html:
    parser = _Html()
    parser.feed(html)
    return parser


def test_markdown_as_github_renders_it() -> None:
    require_engines()
    markdown = report(edited(), "markdown")
    html = parse(cmark_gfm(markdown))
    assert html.rows[0] == ["Level", "Stage", "Element", "Change", "Before", "After"]
    assert html.rows[1] == [
        "🟡 risky",
        "Onboarding",
        "Onboarding (onboarding)",
        "why rewritten",
        "The customer reaches first value quickly with a guide at their side.",
        "The customer reaches first value quickly with their CSM a call away.",
    ]
    assert [row[1] for row in html.rows[1:]] == ["Onboarding"] * 3
    assert "<strong>1 breaking</strong>" in cmark_gfm(markdown)


def test_markdown_flowchart_is_valid_mermaid_with_changes_highlighted() -> None:
    require_engines()
    markdown = report(edited(), "markdown")
    blocks = mermaid_blocks(markdown)
    assert blocks == mermaid_blocks_gfm(markdown)
    assert len(blocks) == 1
    assert "class t5 added" in blocks[0]  # status-page: sixth in flow order
    assert "Removed: Product training (`training`) from Onboarding." in markdown
    (result,) = render_mermaid(blocks)
    assert result.ok, result.error
    assert result.inert
    assert any(label.startswith("Status page") for label in result.labels)


def test_user_text_never_becomes_markup_or_mentions() -> None:
    require_engines()
    new = BASE.replace(
        "why: The customer agrees goals and a go-live date with their CSM.",
        f"why: {json.dumps(EVIL)}",
    ).replace("name: Kick-off call", f"name: {json.dumps(EVIL)}")
    markdown = report(diff(BASE, new), "markdown")
    html = cmark_gfm(markdown)
    parsed = parse(html)
    assert set(parsed.tags) <= {
        "h2",
        "h3",
        "h4",
        "p",
        "strong",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "pre",
        "code",
    }
    assert "raw HTML omitted" not in html
    why_row = next(row for row in parsed.rows if row[3].startswith("why rewritten"))
    assert len(why_row) == 6
    assert why_row[5].replace("\u2060", "") == " ".join(EVIL.split())
    assert "@\u2060someone" in why_row[5]  # no notification
    # the element is named by its (hostile) name, shown literally
    assert why_row[2].replace("\u2060", "") == " ".join(EVIL.split()) + " (kickoff)"
    blocks = mermaid_blocks_gfm(markdown)
    (rendered,) = render_mermaid(blocks)
    assert rendered.ok, rendered.error
    # The label shows the text (so the harness's raw-text check sees "javascript:"); no element,
    # attribute, handler or link carries it.
    assert rendered.links == 0 and rendered.handlers == 0 and not rendered.urls
    assert rendered.svg is not None
    svg = parse(rendered.svg)
    assert "script" not in svg.tags and "a" not in svg.tags
    assert not svg.js_attributes
    assert any("<script>alert(1)</script>" in label for label in rendered.labels)


@pytest.mark.parametrize("text", [EVIL, "a|b", "line\nbreak", "`", "x" * 1000])
def test_escape_is_one_safe_line(text: str) -> None:
    escaped = escape(text)
    assert "\n" not in escaped
    assert "|" not in escaped.replace("\\|", "")
    assert len(escaped) <= 2 * 300 + 10


def _huge(count: int) -> tuple[str, str]:
    """A journey whose onboarding stage gets `count` new touchpoints with long whys."""
    added = "".join(
        f"      - id: step-{n}\n        name: Step {n}\n        channel: email\n"
        f"        why: The customer finishes part {n} of their setup with a clear checklist"
        f" and a person to ask | **not bold** <b>.\n"
        for n in range(count)
    )
    return BASE, BASE.replace("      - id: first-value\n", added + "      - id: first-value\n")


def test_huge_change_is_summarised_under_the_comment_limit() -> None:
    require_engines()
    old, new = _huge(3000)
    result = diff(old, new)
    assert len(result.changes) == 3000
    markdown = render(result, MARKDOWN_LIMIT)
    assert len(markdown) <= MARKDOWN_LIMIT < 65_536
    assert "too large to list in full" in markdown
    shown = markdown.count("| 🔵 info |")
    assert 100 < shown < 3000
    assert f"… and {3000 - shown} more changes not shown." in markdown
    html = parse(cmark_gfm(markdown))
    assert ["trial", "0", "0", "3000"] in html.rows
    assert all(len(row) == 4 for row in html.rows)


def test_medium_change_drops_the_flowchart_before_the_table() -> None:
    old, new = _huge(200)
    result = diff(old, new)
    full = render(result, 10**9)
    assert "```mermaid" in full
    table_only = full[: full.index("\n#### Flow of")] + "\n"
    limited = render(result, len(table_only) + 10)
    assert "```mermaid" not in limited
    assert limited.count("| 🔵 info |") == 200


def test_added_example_journeys_are_drawn_all_green_and_valid() -> None:
    require_engines()
    from cljourney.diff.git import read_worktree

    result = compare([], read_worktree(ROOT / "examples"), old_label="none", new_label="examples")
    markdown = render(result, MARKDOWN_LIMIT)
    blocks = mermaid_blocks_gfm(markdown)
    assert len(blocks) == len(result.journeys) == 3
    for block, journey in zip(blocks, result.journeys, strict=True):
        assert journey.new is not None and journey.new.journey is not None
        count = sum(len(stage.touchpoints) for stage in journey.new.journey.stages)
        assert f"    class {','.join(f't{n}' for n in range(count))} added\n" in block
    rendered = render_mermaid(blocks)
    assert all(r.ok for r in rendered), [r.error for r in rendered]
