"""Inline suppressions: what counts as a comment, what a directive covers, and unused ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cljourney.engine import validate
from cljourney.suppress import scan
from conftest import RULE_CASES

PASS = RULE_CASES / "unused-suppression" / "pass.yaml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1  # cljourney: ignore[dead-end] why\n", [(1, 7, "dead-end", False, "why")]),
        (
            "# cljourney: ignore-file[weak-why, inward-why]\n",
            [(1, 1, "weak-why", True, ""), (1, 1, "inward-why", True, "")],
        ),
        ('a: "x  # cljourney: ignore[dead-end]"\n', []),
        ("a: 'it''s # cljourney: ignore[dead-end]'\n", []),
        ("a: |\n  text\n  # cljourney: ignore[dead-end]\nb: 1\n", []),
        ("a: >\n  # cljourney: ignore[dead-end]\n", []),
        ("a: x#cljourney: ignore[dead-end]\n", []),
        ('a: "multi\n  line # cljourney: ignore[dead-end]"\n', []),
        ("a: 1 # note # cljourney: ignore[dead-end]\n", []),
        ("a: 1 #cljourney:ignore[dead-end]\n", [(1, 6, "dead-end", False, "")]),
    ],
    ids=[
        "line",
        "file",
        "double-quoted",
        "single-quoted",
        "literal-block",
        "folded-block",
        "no-blank-before",
        "multiline-quoted",
        "second-hash",
        "compact",
    ],
)
def test_scan_finds_only_real_comments(
    text: str, expected: list[tuple[int, int, str, bool, str]]
) -> None:
    assert [(s.line, s.column, s.rule, s.whole_file, s.reason) for s in scan(text)] == expected


def test_each_suppression_in_the_passing_case_is_needed(tmp_path: Path) -> None:
    """Strip the directives and the findings they silenced come back."""
    stripped = re.sub(
        r"#\s*cljourney:\s*ignore(-file)?\[[^\]]*\][^\n]*", "", PASS.read_text(encoding="utf-8")
    )
    target = tmp_path / "journey.yaml"
    target.write_text(stripped, encoding="utf-8")
    found = {(f.rule, f.element or f.line) for f in validate([target]).findings}
    assert ("weak-why", "recap") in found
    assert ("weak-why", "training") in found
    assert ("orphaned-touchpoint", "recap") in found
    assert any(rule == "dead-end" for rule, _ in found)
    assert validate([PASS]).findings == []


def test_suppression_on_element_first_line_covers_findings_deeper_in_it(tmp_path: Path) -> None:
    text = (RULE_CASES / "weak-why" / "fail.yaml").read_text(encoding="utf-8")
    text = text.replace("- id: training\n", "- id: training  # cljourney: ignore[weak-why] draft\n")
    target = tmp_path / "journey.yaml"
    target.write_text(text, encoding="utf-8")
    assert validate([target]).findings == []
    # A directive for another rule does not silence it, and is itself reported.
    target.write_text(text.replace("ignore[weak-why]", "ignore[inward-why]"), encoding="utf-8")
    assert sorted(f.rule for f in validate([target]).findings) == ["unused-suppression", "weak-why"]


@pytest.mark.parametrize(
    ("comment", "words"),
    [
        ("# cljourney: ignore weak-why", "write `# cljourney: ignore[weak-why] reason`"),
        ("# cljourney: ignore", "`ignore` needs the rule ids in brackets"),
        ("# cljourney: ignore-file", "`ignore-file` needs the rule ids in brackets"),
        ("# cljourney: ignore[]", "`ignore[]` names no rule"),
        ("# cljourney: ignore[WEAK-WHY]", "unknown rule id 'WEAK-WHY'; did you mean 'weak-why'?"),
        ("# cljourney: ignore[weak-wy]", "did you mean 'weak-why'?"),
    ],
)
def test_malformed_directives_are_reported(tmp_path: Path, comment: str, words: str) -> None:
    text = PASS.read_text(encoding="utf-8").replace(
        "- id: training\n", f"- id: training  {comment}\n"
    )
    target = tmp_path / "j.yaml"
    target.write_text(text, encoding="utf-8")
    found = [f for f in validate([target]).findings if f.rule == "unused-suppression"]
    assert len(found) == 1, found
    assert words in found[0].message
    assert found[0].line == text.splitlines().index(f"      - id: training  {comment}") + 1
