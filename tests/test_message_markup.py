"""Messages in maps and diff comments: readable markdown source, `backtick spans` drawn as code,
and user text that still never becomes markup (checked with cmark-gfm, GitHub's renderer)."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest

from cljourney.diff.pairing import compare, source_text
from cljourney.findings import Finding, Location, Severity
from cljourney.graph import build_flow
from cljourney.load.journey import load_bytes
from cljourney.render import get_renderer
from cljourney.render.html._findings import findings_list
from cljourney.render.mdtext import code, message
from cljourney.report.diff import DiffReportOptions, get_diff_reporter
from conftest import ROOT
from engines import cmark_gfm, require_engines

# Drives a real engine (Chromium + mermaid, cmark-gfm or pre-commit): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

EVIL = "<script>x</script> | [a](javascript:x) **b** _c_ ~~d~~ &amp; https://e.example @f"
BASE = (ROOT / "tests" / "data" / "diff" / "base.yaml").read_text(encoding="utf-8")


def tags(html: str) -> set[str]:
    return set(re.findall(r"<([a-z0-9]+)", html))


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


@pytest.fixture(scope="module")
def engines() -> None:
    require_engines()


@pytest.mark.parametrize(
    ("raw", "shown", "codes"),
    [
        ("add `why: ...` here", "add why: ... here", ["why: ..."]),
        (f"x `{EVIL}` y", f"x {EVIL} y", [EVIL]),
        (f"{EVIL} `k` {EVIL}", f"{EVIL} k {EVIL}", ["k"]),
        ("`a` `b`", "a b", ["a", "b"]),
        ("odd ` backtick", "odd ` backtick", []),
        ("- starts like a list `x`", "- starts like a list x", ["x"]),
    ],
)
def test_message_spans_become_code_and_nothing_else(
    engines: None, raw: str, shown: str, codes: list[str]
) -> None:
    html = cmark_gfm(f"| m |\n|---|\n| {message(raw)} |\n")
    cell = re.search(r"<td>(.*?)</td>", html, re.S)
    assert cell is not None, html
    assert tags(cell.group(1)) <= {"code"}
    assert text(cell.group(1)) == shown
    assert [unescape(c) for c in re.findall(r"<code>(.*?)</code>", cell.group(1))] == codes


def test_ids_in_the_findings_table_are_all_code(engines: None) -> None:
    assert code("ae>csm") == "`ae>csm`"
    assert code("a|b") == "`a\\|b`"
    html = cmark_gfm("| e |\n|---|\n| " + code("a|b") + " | \n")
    assert "<code>a|b</code>" in html


def diff_markdown() -> str:
    new = BASE.replace("with a guide at their side.", "with their CSM a call away.").replace(
        "      - id: kickoff\n", "      - id: kickoff\n        next: [training]\n", 1
    )
    sides = []
    for body, path in ((BASE, "a.yaml"), (new, "b.yaml")):
        sides.append([source_text("trial.yaml", body, path)])
    result = compare(sides[0], sides[1], old_label="main", new_label="HEAD")
    stream = io.StringIO()
    get_diff_reporter("markdown")(result, stream, DiffReportOptions())
    return stream.getvalue()


def test_diff_markdown_source_is_readable() -> None:
    markdown = diff_markdown()
    assert "| Onboarding (`onboarding`) | why rewritten |" in markdown
    assert "\\'" not in markdown and "\\-" not in markdown and "\\:" not in markdown
    assert "flow changed: `next`" in markdown


def test_diff_markdown_messages_show_code(engines: None) -> None:
    html = cmark_gfm(diff_markdown())
    assert "flow changed: <code>next</code>" in html


def test_html_findings_show_code_spans_from_escaped_text() -> None:
    finding = Finding(
        "schema",
        Severity.ERROR,
        f"unknown key `ownr` <b>{EVIL}</b> `{EVIL}`",
        "j.yaml",
        Location(1, 1),
        element="kickoff",
    )
    html = findings_list([finding])
    assert "unknown key <code>ownr</code>" in html
    assert "<script>" not in html and "<b>" not in html
    assert html.count("<code>") == 3  # the rule id and the two spans


def test_markdown_map_findings_table_uses_code(engines: None) -> None:
    loaded = load_bytes((ROOT / "tests" / "data" / "broken.yaml").read_bytes(), "broken.yaml")
    assert loaded is not None and loaded.journey is not None
    from cljourney.check.pipeline import check_loaded
    from cljourney.rules import RuleOptions

    findings = check_loaded(loaded, RuleOptions())
    markdown = get_renderer("markdown").render(loaded.journey, build_flow(loaded.journey), findings)
    section = markdown.split("## Findings", 1)[1]
    elements = [f.element for f in findings if ">" in f.element]
    assert elements, "broken.yaml has a handoff finding"
    for element in elements:
        assert f"| `{element}` |" in section
    assert "did you mean `owner`?" in section
    html = cmark_gfm(markdown)
    assert "did you mean <code>owner</code>?" in html
