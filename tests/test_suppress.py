"""Inline suppressions: what counts as a comment, what a directive covers, and unused ones."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cljourney.check.pipeline import validate
from cljourney.check.suppress import scan
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


# A role, a stage and a touchpoint sharing the id `onboard`, and two handoffs ae > csm; every one
# of them has a problem of its own. `{stage}` etc. mark where a test puts a directive.
SHARED_IDS = """\
cljourney: 1
journey: {{id: shared, name: Shared ids, owner: cs-ops}}
roles:
  - id: ae{role}
    name: Account executive
  - id: onboard
    name: Onboarding team
  - id: onboard
    name: Onboarding team again
  - id: csm
    name: Customer success manager
stages:
  - id: onboard{stage}
    name: Onboard
    owner: ae
    why: TBD
    touchpoints:
      - id: onboard{touchpoint}
        name: Onboarding call
        why: TBD
      - id: first-result
        name: First result
        owner: csm
        why: The customer sees their own data in a report they can share with their team.
handoffs:
  - from: ae{handoff}
    to: csm
    why: TBD
  - from: ae
    to: csm
    why: TBD
"""


def _shared(tmp_path: Path, **directives: str) -> list[tuple[str, str, str, int]]:
    marks = {key: directives.get(key, "") for key in ("role", "stage", "touchpoint", "handoff")}
    target = tmp_path / "shared.yaml"
    target.write_text(SHARED_IDS.format(**marks), encoding="utf-8")
    return sorted((f.rule, f.kind.value, f.element, f.line) for f in validate([target]).findings)


def test_shared_ids_case_has_one_finding_per_element(tmp_path: Path) -> None:
    assert _shared(tmp_path) == [
        ("duplicate-id", "role", "onboard", 8),
        ("weak-why", "handoff", "ae>csm", 28),
        ("weak-why", "handoff", "ae>csm", 31),
        ("weak-why", "stage", "onboard", 16),
        ("weak-why", "touchpoint", "onboard", 20),
    ]


def test_stage_directive_does_not_silence_the_touchpoint_with_its_id(tmp_path: Path) -> None:
    found = _shared(tmp_path, stage="  # cljourney: ignore[weak-why] draft")
    assert ("weak-why", "stage", "onboard", 16) not in found
    assert ("weak-why", "touchpoint", "onboard", 20) in found


def test_touchpoint_directive_does_not_silence_the_stage_with_its_id(tmp_path: Path) -> None:
    found = _shared(tmp_path, touchpoint="  # cljourney: ignore[weak-why] draft")
    assert ("weak-why", "touchpoint", "onboard", 20) not in found
    assert ("weak-why", "stage", "onboard", 16) in found


def test_stage_directive_does_not_silence_the_role_with_its_id(tmp_path: Path) -> None:
    found = _shared(tmp_path, stage="  # cljourney: ignore[duplicate-id] draft")
    assert ("duplicate-id", "role", "onboard", 8) in found
    # ... so the directive silenced nothing, and says so where it is written.
    assert ("unused-suppression", "", "", 13) in found


def test_handoffs_with_the_same_roles_do_not_share_suppressions(tmp_path: Path) -> None:
    found = _shared(tmp_path, handoff="  # cljourney: ignore[weak-why] draft")
    assert ("weak-why", "handoff", "ae>csm", 28) not in found
    assert ("weak-why", "handoff", "ae>csm", 31) in found


def test_a_duplicate_is_silenced_on_its_own_first_line_only(tmp_path: Path) -> None:
    target = tmp_path / "shared.yaml"
    text = SHARED_IDS.format(role="", stage="", touchpoint="", handoff="")
    lines = text.splitlines(keepends=True)
    lines[7] = lines[7].replace(
        "\n", "  # cljourney: ignore[duplicate-id] kept for the migration\n"
    )
    target.write_text("".join(lines), encoding="utf-8")
    assert [f for f in validate([target]).findings if f.rule == "duplicate-id"] == []
    lines = text.splitlines(keepends=True)
    lines[5] = lines[5].replace(
        "\n", "  # cljourney: ignore[duplicate-id] kept for the migration\n"
    )
    target.write_text("".join(lines), encoding="utf-8")
    found = {(f.rule, f.line) for f in validate([target]).findings}
    assert {("duplicate-id", 8), ("unused-suppression", 6)} <= found


def _with_comments(tmp_path: Path, header: str, demo: str) -> list[tuple[str, int]]:
    """The passing case with `header` as its first line and `demo` after the demo's id."""
    text = header + PASS.read_text(encoding="utf-8").replace(
        "      - id: demo\n", f"      - id: demo  {demo}\n"
    )
    target = tmp_path / "j.yaml"
    target.write_text(text, encoding="utf-8")
    return [(f.rule, f.line) for f in validate([target]).findings]


def test_the_stale_directive_of_the_case_is_reported(tmp_path: Path) -> None:
    assert _with_comments(tmp_path, "", "# cljourney: ignore[weak-why] old") == [
        ("unused-suppression", 15)
    ]


def test_ignore_file_unused_suppression_silences_that_rule(tmp_path: Path) -> None:
    header = "# cljourney: ignore-file[unused-suppression] migrating from another linter\n"
    assert _with_comments(tmp_path, header, "# cljourney: ignore[weak-why] old") == []
    assert _with_comments(tmp_path, header, "# cljourney: ignore weak-why") == []


def test_ignore_unused_suppression_on_a_line_silences_the_report_of_that_line(
    tmp_path: Path,
) -> None:
    demo = "# cljourney: ignore[weak-why, unused-suppression] kept for the Q3 rewrite"
    assert _with_comments(tmp_path, "", demo) == []


def test_an_unused_suppression_directive_is_never_itself_reported(tmp_path: Path) -> None:
    header = "# cljourney: ignore-file[unused-suppression] nothing stale yet\n"
    assert _with_comments(tmp_path, header, "") == []
    assert (
        _with_comments(tmp_path, "", "# cljourney: ignore[unused-suppression] just in case") == []
    )


def test_a_handoff_schema_finding_is_silenced_on_its_first_line(tmp_path: Path) -> None:
    """The handoff's id in a schema finding is `from>to` as the rules write it, spaces and all."""
    text = SHARED_IDS.format(role="", stage="", touchpoint="", handoff="").replace(
        "  - from: ae\n    to: csm\n    why: TBD\n",
        "  - from: ae team  # cljourney: ignore[schema] renamed next week\n"
        "    to: csm\n    why: TBD\n    carry: [notes]\n",
        1,
    )
    target = tmp_path / "j.yaml"
    target.write_text(text, encoding="utf-8")
    found = [(f.rule, f.element, f.line) for f in validate([target]).findings]
    assert sorted(rule for rule, element, _ in found if element == "ae team>csm") == [
        "unknown-reference",
        "unused-handoff",
        "weak-why",
    ]
    assert "schema" not in {rule for rule, _, _ in found}


def test_a_finding_about_an_element_written_elsewhere_is_silenced_on_the_element(
    tmp_path: Path,
) -> None:
    """handoff-gap is about the touchpoint taking over, but points at the `next` entry that leads
    there, inside another touchpoint: the directive on the taking-over touchpoint covers it."""
    text = (RULE_CASES / "handoff-gap" / "fail.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "        why: The customer sees their own use case working on real data.\n",
        "        why: The customer sees their own use case working on real data.\n"
        "        next: [kickoff]\n",
    )
    target = tmp_path / "j.yaml"
    target.write_text(text, encoding="utf-8")
    [gap] = validate([target]).findings
    assert (gap.rule, gap.element, gap.line) == ("handoff-gap", "kickoff", 18)
    target.write_text(
        text.replace(
            "- id: kickoff  # expect: handoff-gap",
            "- id: kickoff  # cljourney: ignore[handoff-gap] Q3",
        ),
        encoding="utf-8",
    )
    assert validate([target]).findings == []
