"""One unreachable touchpoint is one finding: the root of the chain it cuts off, with the touchpoints
behind it and the handoffs it leaves unused folded into its message."""

from __future__ import annotations

from pathlib import Path

import pytest

from cljourney.check.pipeline import validate
from cljourney.findings import Finding
from cljourney.rules.flow import CUT_OFF_SHOWN
from conftest import expectations

HEAD = """\
cljourney: 1
journey: {id: demo, name: Demo, owner: ops}
roles:
  - {id: csm, name: Customer success manager}
  - {id: support, name: Support engineer}
stages:
  - id: onboarding
    name: Onboarding
    owner: csm
    touchpoints:
"""
WATCHED = {"orphaned-touchpoint", "unused-handoff"}


def check(tmp_path: Path, body: str) -> tuple[list[Finding], set[tuple[str, int]]]:
    path = tmp_path / "case.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    findings = [f for f in validate([path]).findings if f.rule in WATCHED]
    return findings, expectations(path)


CASES = {
    "a chain behind one orphan": """\
      - id: start
        name: Start
        next: [end]
      - {id: lost, name: Lost}  # expect: orphaned-touchpoint
      - {id: behind, name: Behind}
      - {id: end, name: End}
""",
    "orphans that lead to each other": """\
      - id: start
        name: Start
        terminal: true
      - {id: ping, name: Ping, next: [pong]}  # expect: orphaned-touchpoint
      - {id: pong, name: Pong, next: [ping]}
""",
    "two roots, one shared tail": """\
      - id: start
        name: Start
        terminal: true
      - {id: first, name: First, next: [tail]}  # expect: orphaned-touchpoint
      - {id: second, name: Second, next: [tail]}  # expect: orphaned-touchpoint
      - {id: tail, name: Tail, terminal: true}
""",
    "a handoff at the orphan": """\
      - id: start
        name: Start
        next: [end]
      - {id: desk, name: Help desk, owner: support}  # expect: orphaned-touchpoint
      - {id: end, name: End, terminal: true}
handoffs:
  - {from: csm, to: support, at: desk}
""",
    "a handoff to the orphan's owner": """\
      - id: start
        name: Start
        next: [end]
      - {id: desk, name: Help desk, owner: support}  # expect: orphaned-touchpoint
      - {id: end, name: End, terminal: true}
handoffs:
  - {from: csm, to: support}
""",
    "a handoff the orphan does not explain": """\
      - id: start
        name: Start
        next: [end]
      - {id: lost, name: Lost}  # expect: orphaned-touchpoint
      - {id: end, name: End, terminal: true}
handoffs:
  - {from: support, to: csm}  # expect: unused-handoff
""",
}


@pytest.mark.parametrize("body", CASES.values(), ids=CASES.keys())
def test_one_finding_per_root_cause(tmp_path: Path, body: str) -> None:
    findings, expected = check(tmp_path, body)
    assert {(f.rule, f.line) for f in findings} == expected
    assert len(findings) == len(expected)


def test_the_root_names_what_it_cuts_off(tmp_path: Path) -> None:
    findings, _ = check(tmp_path, CASES["a chain behind one orphan"])
    [orphan] = findings
    assert orphan.element == "lost"
    assert "and 1 touchpoint is cut off behind it ('behind')" in orphan.message
    assert orphan.message.endswith("point a `next` at it or remove them")


def test_a_shared_tail_is_counted_once_under_the_first_root(tmp_path: Path) -> None:
    findings, _ = check(tmp_path, CASES["two roots, one shared tail"])
    assert [(f.element, "'tail'" in f.message) for f in findings] == [
        ("first", True),
        ("second", False),
    ]


@pytest.mark.parametrize("case", ["a handoff at the orphan", "a handoff to the orphan's owner"])
def test_the_handoff_an_orphan_leaves_unused_is_named_in_its_message(
    tmp_path: Path, case: str
) -> None:
    [orphan] = check(tmp_path, CASES[case])[0]
    assert "this also leaves handoff csm > support unused" in orphan.message


def test_a_long_tail_is_counted_not_listed(tmp_path: Path) -> None:
    tail = "".join(f"      - {{id: t{i}, name: T{i}}}\n" for i in range(40))
    body = "      - {id: start, name: Start, terminal: true}\n" + tail
    [orphan] = check(tmp_path, body)[0]
    assert orphan.element == "t0"
    assert "39 touchpoints are cut off behind it" in orphan.message
    assert f"'t{CUT_OFF_SHOWN}' (and {39 - CUT_OFF_SHOWN} more)" in orphan.message
