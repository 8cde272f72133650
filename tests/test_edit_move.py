"""`cljourney move`: the touchpoint's lines (comments and suppressions included) go to the new
place and nothing else changes; the flow changes it causes are printed as `diff` classifies them;
refusals name the file and position and write nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cljourney.check.pipeline import validate
from cljourney.cli.app import app
from cljourney.edit.move import move
from cljourney.edit.source import EditError, read_text
from cljourney.load.tree import YMap, YSeq
from conftest import EXAMPLES

JOURNEY = """\
cljourney: 1
journey: {id: j, name: J, owner: o}
roles: [{id: o, name: O}]
stages:
  - id: s1
    name: S1
    owner: o
    why: w
    touchpoints:
      - id: a
        name: A
        why: w

      # about b
      - id: b  # cljourney: ignore[missing-why] written later
        name: B
        how: |
          # not a comment
          text
      - id: c
        name: C
        why: w
    # trailing
  - id: s2
    name: S2
    owner: o
    why: w
    touchpoints:
    - id: d
      name: D
      why: w
  - id: s3
    name: S3
    owner: o
    why: w
    touchpoints: []
"""

B_LINES = """\
# about b
- id: b  # cljourney: ignore[missing-why] written later
  name: B
  how: |
    # not a comment
    text
"""


def _indent(text: str, by: int) -> str:
    return "".join(" " * by + line if line.strip() else line for line in text.splitlines(True))


S1_WITHOUT_B = """\
    touchpoints:
      - id: a
        name: A
        why: w

      - id: c
        name: C
        why: w
    # trailing
"""


def _run(tmp_path: Path, *argv: str, text: str = JOURNEY) -> tuple[Path, Result]:
    path = tmp_path / "j.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["move", *argv, str(path)])
    return path, result


MOVED_B_TO_S2 = JOURNEY.replace(
    JOURNEY[JOURNEY.index("    touchpoints:\n      - id: a") : JOURNEY.index("  - id: s2")],
    S1_WITHOUT_B,
).replace(
    "    - id: d\n      name: D\n      why: w\n",
    "    - id: d\n      name: D\n      why: w\n" + _indent(B_LINES, 4),
)


def test_move_to_the_end_of_another_stage_carries_comments_and_reindents(tmp_path: Path) -> None:
    path, result = _run(tmp_path, "b", "--to", "s2")
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == MOVED_B_TO_S2
    assert result.stdout.splitlines() == [
        f"{path}: moved touchpoint 'b' from stage 's1' to stage 's2', to position 2",
        f"journey j ({path})",
        "  risky    touchpoint 'b' moved from stage 's1' to 's2'",
        "  risky    touchpoint 'a': flow changed: implicit `next` 'b' -> 'c'",
        "             - b",
        "             + c",
        "  risky    touchpoint 'd': flow changed: implicit `next` (none) -> 'b'",
        "             - (none)",
        "             + b",
        "  risky    touchpoint 'b': flow changed: implicit `next` 'c' -> (none)",
        "             - c",
        "             + (none)",
        "4 changes: 0 breaking, 4 risky, 0 info (before -> after).",
    ]
    # The suppression travelled with its touchpoint: still no missing-why finding for it.
    assert [f.rule for f in validate([path]).findings if f.element == "b"] == []


def test_crlf_line_ends_and_a_missing_final_newline_are_kept(tmp_path: Path) -> None:
    text = JOURNEY.replace("\n", "\r\n").removesuffix("\r\n")
    path, result = _run(tmp_path, "b", "--to", "s2", text=text)
    assert result.exit_code == 0, result.output
    assert path.read_bytes() == MOVED_B_TO_S2.replace("\n", "\r\n").removesuffix("\r\n").encode()


def test_first_into_an_empty_flow_list(tmp_path: Path) -> None:
    path, result = _run(tmp_path, "b", "--to", "s3", "--first")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert text.endswith("    touchpoints:\n" + _indent(B_LINES, 6))
    assert "    touchpoints: []\n" not in text


def test_into_a_stage_without_touchpoints_adds_the_key(tmp_path: Path) -> None:
    text = JOURNEY + "  - id: s4\n    name: S4\n    owner: o\n    why: w\n"
    path, result = _run(tmp_path, "b", "--to", "s4", text=text)
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").endswith(
        "  - id: s4\n    name: S4\n    owner: o\n    why: w\n    touchpoints:\n"
        + _indent(B_LINES, 6)
    )


def test_into_a_flow_mapping_stage_is_refused(tmp_path: Path) -> None:
    text = JOURNEY + "  - {id: s4, name: S4, owner: o, why: w, touchpoints: []}\n"
    path, result = _run(tmp_path, "b", "--to", "s4", text=text)
    assert result.exit_code == 2
    assert "j.yaml:37:5: stage 's4' is written as a flow mapping" in result.stderr
    assert path.read_text(encoding="utf-8") == text


def test_the_last_touchpoint_out_leaves_an_empty_list(tmp_path: Path) -> None:
    path, result = _run(tmp_path, "d", "--to", "s1", "--after", "a")
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert (
        "      - id: a\n        name: A\n        why: w\n      - id: d\n        name: D\n" in text
    )
    assert "    why: w\n    touchpoints: []\n  - id: s3\n" in text
    assert "touchpoint 'd' moved from stage 's2' to 's1'" in result.stdout


def test_reorder_within_a_stage_is_reported_as_diff_reports_it(tmp_path: Path) -> None:
    path, result = _run(tmp_path, "a", "--to", "s1", "--after", "c", "--dry-run")
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == JOURNEY
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path}: would move touchpoint 'a' within stage 's1', to position 3"
    assert "  risky    touchpoint 'a' reordered in stage 's1' (position 1 -> 3)" in lines
    assert "  risky    touchpoint 'c': flow changed: implicit `next` 'd' -> 'a'" in lines


def test_a_move_that_breaks_the_order_reports_the_new_finding(tmp_path: Path) -> None:
    text = JOURNEY.replace(
        "      - id: a\n        name: A\n", "      - id: a\n        name: A\n        next: [c]\n"
    )
    _, result = _run(tmp_path, "a", "--to", "s2", text=text)
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[2:] == [
        "  risky    touchpoint 'a' moved from stage 's1' to 's2'",
        "  risky    touchpoint 'd': flow changed: implicit `next` (none) -> 'a'",
        "             - (none)",
        "             + a",
        "  breaking introduces error stage-order: `next` goes back from stage 's2' to the earlier"
        " stage 's1' (touchpoint 'c'); stages run in lifecycle order, use `loops_to` for a"
        " deliberate return",
        "  info     fixes error orphaned-touchpoint: touchpoint 'b' cannot be reached from the"
        " start of the journey ('a'); point a `next` at it or remove it",
        "4 changes: 1 breaking, 2 risky, 1 info (before -> after).",
        "cljourney: moved; the move introduces 1 error (stage-order): fix it, or move the"
        " touchpoint back",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["zz", "--to", "s2"], "no touchpoint has the id 'zz' in the given files"),
        (["b", "--to", "s9"], "j.yaml: no stage has the id 's9' (its stages: s1, s2, s3)"),
        (
            ["b", "--to", "s2", "--after", "c"],
            "j.yaml:20:13: touchpoint 'c' is in stage 's1', not in 's2'",
        ),
        (["b", "--to", "s2", "--after", "zz"], "j.yaml: no touchpoint has the id 'zz' (--after)"),
        (["b", "--to", "s2", "--after", "b"], "--after names the touchpoint being moved ('b')"),
        (["b", "--to", "s2", "--after", "d", "--first"], "give --after ID or --first, not both"),
    ],
    ids=[
        "unknown-touchpoint",
        "unknown-stage",
        "after-other-stage",
        "after-unknown",
        "after-itself",
        "after-and-first",
    ],
)
def test_refusals_write_nothing(tmp_path: Path, argv: list[str], message: str) -> None:
    path, result = _run(tmp_path, *argv)
    assert result.exit_code == 2
    assert message in result.stderr
    assert path.read_text(encoding="utf-8") == JOURNEY


def test_ambiguous_touchpoint_across_files_names_both(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(JOURNEY, encoding="utf-8")
    result = CliRunner().invoke(app, ["move", "b", "--to", "s2", str(tmp_path)])
    assert result.exit_code == 2
    assert (
        f"the id 'b' names 2 touchpoints ({tmp_path / 'a.yaml'}:15:13, {tmp_path / 'b.yaml'}:15:13)"
        in result.stderr
    )


def test_duplicate_stage_ids_are_refused_with_positions(tmp_path: Path) -> None:
    text = JOURNEY.replace("  - id: s3\n    name: S3", "  - id: s2\n    name: S3")
    _, result = _run(tmp_path, "b", "--to", "s2", text=text)
    assert result.exit_code == 2
    assert "the id 's2' names 2 stages (" in result.stderr
    assert "j.yaml:24:9, " in result.stderr and "j.yaml:32:9)" in result.stderr


def test_flow_lists_are_refused_with_their_position(tmp_path: Path) -> None:
    text = JOURNEY.replace(
        "    touchpoints:\n    - id: d\n      name: D\n      why: w\n",
        "    touchpoints: [{id: d, name: D, why: w}]\n",
    )
    path, result = _run(tmp_path, "b", "--to", "s2", text=text)
    assert result.exit_code == 2
    assert "j.yaml:28:18: the touchpoints of stage 's2' are written as a flow list" in result.stderr
    assert path.read_text(encoding="utf-8") == text


def test_a_file_that_does_not_parse_is_refused(tmp_path: Path) -> None:
    _, result = _run(tmp_path, "b", "--to", "s2", text=JOURNEY + "  - [unclosed\n")
    assert result.exit_code == 2
    assert "j.yaml:" in result.stderr and "before editing" in result.stderr


def _touchpoint_ids(root: YMap) -> list[tuple[str, list[str]]]:
    stages = root["stages"]
    assert isinstance(stages, YSeq)
    return [(stage["id"], [tp["id"] for tp in stage.get("touchpoints") or []]) for stage in stages]


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_touchpoint_of_the_examples_moves_to_the_first_stage(
    tmp_path: Path, example: Path
) -> None:
    """Each move keeps every other line (move checks the data itself) and lands where asked."""
    copy = tmp_path / example.name
    shutil.copyfile(example, copy)
    source = read_text(copy)
    stages = _touchpoint_ids(source.root)
    first = stages[0][0]
    for _, ids in stages:
        for tid in ids:
            try:
                moved = move([source], tid, first, first=True)
            except EditError as exc:
                assert "already there" in str(exc) and tid == stages[0][1][0]
                continue
            assert _touchpoint_ids(_parse(moved.text))[0][1][0] == tid


def _parse(text: str) -> YMap:
    from cljourney.load.tree import Tree, parse_tree

    parsed = parse_tree(text.encode("utf-8"))
    assert isinstance(parsed, Tree) and isinstance(parsed.root, YMap)
    return parsed.root
