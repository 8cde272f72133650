"""libyaml's reader and parser errors as one-line messages at the editor's line and column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from cljourney.findings import Finding, Location, Severity
from cljourney.load.tree import Tree, YamlProblem, parse_tree

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def problem(text: str) -> YamlProblem:
    result = parse_tree(text.encode("utf-8"))
    assert isinstance(result, list) and len(result) == 1, result
    return result[0]


@pytest.mark.parametrize(
    ("char", "name"), [("\x00", "U+0000 (NUL)"), ("\x1b", "U+001B (ESC)"), ("\x7f", "U+007F (DEL)")]
)
def test_control_character_is_located_by_line_and_column(char: str, name: str) -> None:
    text = "journey:\n  id: a\n  name: caf\u00e9 \U0001f600 x" + char + "y\n"
    found = problem(text)
    assert (found.line, found.column) == (3, 17)
    assert name in found.message
    assert "position" not in found.message and "\n" not in found.message


@pytest.mark.parametrize("char", ["\x85", "\u2028", "\u2029"])
def test_unusual_line_breaks_are_refused_at_the_editor_position(char: str) -> None:
    found = problem(f"journey:\n  id: a\n  name: b{char}owner: c\n  x: [\n")
    assert (found.line, found.column) == (3, 10)
    assert "replace it with a newline" in found.message


@pytest.mark.parametrize("escape", ["\\0", "\\e", "\\x01", "\\r", "\\x85"])
def test_control_character_escapes_in_quoted_text_are_refused(escape: str) -> None:
    found = problem(f'journey:\n  id: a\n  name: "b{escape}c"\n')
    assert (found.line, found.column) == (3, 9)
    assert "control character" in found.message


def test_tab_and_newline_escapes_stay_allowed() -> None:
    assert isinstance(parse_tree(b'a: "b\\tc\\nd"\n'), Tree)


LESS = """stages:
  - id: a
    touchpoints:
      - id: t1
        name: T
      why: x
"""


@pytest.mark.parametrize(
    ("text", "where", "words", "related"),
    [
        (
            LESS,
            (6, 7),
            ["`why` starts at column 7", "only list items", "column 9 like `name`"],
            [(4, 7), (5, 9)],
        ),
        (
            LESS.replace("      why", "          why"),
            (6, 11),
            ["deeper (column 11)", "indent it to column 9"],
            [(5, 9)],
        ),
        (
            LESS.replace("      why: x", "     - id: t2"),
            (6, 6),
            ["this list item", "column 7", "column 3"],
            [(4, 7)],
        ),
        (
            "journey:\n  id: a\n  name: b\n owner: c\n",
            (4, 2),
            ["`owner`", "with `name` above it (column 3)"],
            [(3, 3)],
        ),
        (
            "journey:\n  id: a\n  name b\n  owner: c\n",
            (3, 3),
            ["`name` is not a `key: value` pair"],
            [],
        ),
    ],
    ids=["under-item", "too-deep", "item-short", "key-short", "no-colon"],
)
def test_indentation_errors_say_which_line_and_where_it_belongs(
    text: str, where: tuple[int, int], words: list[str], related: list[tuple[int, int]]
) -> None:
    """The line at fault is the finding's position; the lines it is compared with are related
    locations, never line numbers in the message (which identifies the finding in diffs and
    baselines)."""
    found = problem(text)
    assert (found.line, found.column) == where
    for word in words:
        assert word in found.message, found.message
    assert "did not find expected" not in found.message
    assert not re.search(r"\bline \d", found.message)
    assert [(r.location.line, r.location.column) for r in found.related] == related


def test_finding_messages_are_one_line_by_construction() -> None:
    finding = Finding(
        "schema", Severity.ERROR, "unknown key `a\nb`\r\n  there\u2028", "f.yaml", Location(1, 1)
    )
    assert finding.message == "unknown key `a b` there"


def test_text_report_has_one_line_per_finding(tmp_path: Path) -> None:
    (tmp_path / "nul.yaml").write_bytes(b"cljourney: 1\njourney:\n  id: a\n  name: b\x00\n")
    (tmp_path / "key.yaml").write_text(
        'cljourney: 1\n"a\\nb": 1\njourney: {id: a, name: b, owner: c}\nstages: [{id: s, name: S}]\n'
    )
    result = runner.invoke(app, ["validate", "--format", "text", str(tmp_path)])
    *lines, summary = result.stdout.strip().splitlines()
    assert summary.startswith("Found 3 errors"), result.stdout
    assert len(lines) == 5
    assert all(re.match(r"\S+:\d+:\d+: (error|warning) [a-z-]+ \S", line) for line in lines), lines
