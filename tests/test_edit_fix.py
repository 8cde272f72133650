"""`validate --fix`: each certain fix (edit/fix.py) with its exact edit, each refusal (two
candidates, a key with two close keys, a file that does not parse), revalidation, `--diff`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.check.pipeline import validate
from cljourney.cli.app import app
from cljourney.edit.fix import TextEdit, apply_edits, plan_fixes
from cljourney.edit.source import read_text
from conftest import EXAMPLES

HEAD = """\
cljourney: 1
journey: {id: j, name: J, owner: csm}
roles:
  - id: csm
    name: CSM
  - id: support-agent
    name: Agent
  - id: support-lead
    name: Lead
stages:
  - id: s1
    name: S1
    owner: csm
    why: customers learn what the product does for them
    touchpoints:
"""
WHY = "customers get what they came for without waiting"


def _journey(tmp_path: Path, body: str, tail: str = "") -> Path:
    path = tmp_path / "j.yaml"
    path.write_text(HEAD + body + tail, encoding="utf-8")
    return path


def _plan(path: Path) -> list[TextEdit]:
    return plan_fixes(read_text(path), validate([path]).findings)


def _rules(path: Path) -> list[tuple[str, int, int]]:
    return sorted((f.rule, f.location.line, f.location.column) for f in validate([path]).findings)


def test_unknown_references_with_one_candidate(tmp_path: Path) -> None:
    path = _journey(
        tmp_path,
        f"      - id: apply\n        name: A\n        why: {WHY}\n        owner: CSN\n"
        f"        next: [reveiw]\n"
        f"      - id: review\n        name: R\n        why: {WHY}\n        owner: support-lead\n"
        "        terminal: true\n",
        'handoffs:\n  - {from: "cms", to: support-lead, at: reviw, why: ' + WHY + "}\n",
    )
    assert _plan(path) == [
        TextEdit(
            19, 16, 19, 19, "csm", "replace unknown role 'CSN' with 'csm'", "unknown-reference"
        ),
        TextEdit(
            20,
            16,
            20,
            22,
            "review",
            "replace unknown touchpoint 'reveiw' with 'review'",
            "unknown-reference",
        ),
        TextEdit(
            27, 13, 27, 16, "csm", "replace unknown role 'cms' with 'csm'", "unknown-reference"
        ),
        TextEdit(
            27,
            41,
            27,
            46,
            "review",
            "replace unknown touchpoint 'reviw' with 'review'",
            "unknown-reference",
        ),
    ]
    result = CliRunner().invoke(app, ["validate", "--fix", str(path)])
    text = path.read_text(encoding="utf-8")
    assert "owner: csm\n        next: [review]\n" in text
    assert '{from: "csm", to: support-lead, at: review, why:' in text  # quotes kept
    assert [rule for rule, *_ in _rules(path)] == []
    assert result.exit_code == 0, result.output
    assert f"{path}:19:16: fixed unknown-reference: replace unknown role 'CSN' with 'csm'\n" in (
        result.stderr
    )
    assert "cljourney: 4 fixes applied in 1 file\n" in result.stderr


def test_two_candidates_are_left_for_a_person(tmp_path: Path) -> None:
    path = _journey(
        tmp_path, f"      - id: a\n        name: A\n        why: {WHY}\n        owner: support\n"
    )
    assert _plan(path) == []
    before = path.read_bytes()
    result = CliRunner().invoke(app, ["validate", "--fix", str(path)])
    assert result.exit_code == 1
    assert path.read_bytes() == before
    assert "cljourney: 0 fixes applied\n" in result.stderr
    assert f"{path}:19:16: error unknown-reference" in result.stdout


def test_unknown_key_with_one_close_key_is_renamed(tmp_path: Path) -> None:
    path = _journey(
        tmp_path, f"      - id: a\n        name: A\n        why: {WHY}\n        ownr: csm\n"
    )
    assert _plan(path) == [
        TextEdit(19, 9, 19, 13, "owner", "rename unknown key `ownr` to `owner`", "schema")
    ]
    result = CliRunner().invoke(app, ["validate", "--fix", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").endswith("        owner: csm\n")


@pytest.mark.parametrize(
    "line",
    ["        own: csm\n", "        ownr: csm\n        owner: csm\n"],
    ids=["two-close-keys", "close-key-already-there"],
)
def test_unknown_keys_that_are_not_certain_stay(tmp_path: Path, line: str) -> None:
    path = _journey(tmp_path, f"      - id: a\n        name: A\n        why: {WHY}\n" + line)
    assert ("schema", 19, 9) in _rules(path)
    assert _plan(path) == []


def test_unused_rule_is_taken_out_of_its_directive_and_a_lone_directive_goes(
    tmp_path: Path,
) -> None:
    path = _journey(
        tmp_path,
        "      - id: a\n        name: A\n"
        "        why: short  # cljourney: ignore[weak-why, dead-end] the wording comes later\n"
        "        # cljourney: ignore[weak-why]\n"
        "        terminal: true  # cljourney: ignore[handoff-gap] nothing to hand off\n"
        "        how: short  # cljourney: ignore[nonsense-rule]\n",
    )
    unused = ("unused-suppression",)
    assert _rules(path) == [
        (*unused, 18, 21),
        (*unused, 19, 9),
        (*unused, 20, 25),
        (*unused, 21, 21),
    ]
    assert _plan(path) == [
        TextEdit(
            18, 41, 18, 59, "weak-why", "remove unused `dead-end` from the suppression", *unused
        ),
        TextEdit(19, 1, 20, 1, "", "remove the unused suppression `weak-why`", *unused),
        TextEdit(20, 23, 20, 77, "", "remove the unused suppression `handoff-gap`", *unused),
    ]
    CliRunner().invoke(app, ["validate", "--fix", str(path)])
    assert path.read_text(encoding="utf-8").endswith(
        "        why: short  # cljourney: ignore[weak-why] the wording comes later\n"
        "        terminal: true\n"
        "        how: short  # cljourney: ignore[nonsense-rule]\n"
    )
    # An unknown rule id may be a typo of the rule meant: it stays, reported, for a person.
    assert _rules(path) == [(*unused, 20, 21)]


def test_a_file_that_does_not_parse_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = _journey(tmp_path, "      - id: a\n        owner: CSN\n        next: [\n")
    before = path.read_bytes()
    result = CliRunner().invoke(app, ["validate", "--fix", str(path)])
    assert result.exit_code == 1
    assert path.read_bytes() == before
    assert f"{path}:" in result.stdout and "yaml-syntax" in result.stdout


def test_diff_prints_the_fixes_and_writes_nothing(tmp_path: Path) -> None:
    path = _journey(
        tmp_path, f"      - id: a\n        name: A\n        why: {WHY}\n        owner: CSN\n"
    )
    before = path.read_bytes()
    result = CliRunner().invoke(app, ["validate", "--fix", "--diff", str(path)])
    assert result.exit_code == 1
    assert path.read_bytes() == before
    assert result.stdout.splitlines()[:2] == [f"--- {path} (before)", f"+++ {path} (fixed)"]
    assert "-        owner: CSN" in result.stdout.splitlines()
    assert "+        owner: csm" in result.stdout.splitlines()
    assert f"{path}:19:16: would fix unknown-reference:" in result.stderr


def test_diff_without_fix_is_a_usage_error(tmp_path: Path) -> None:
    path = _journey(tmp_path, f"      - id: a\n        name: A\n        why: {WHY}\n")
    result = CliRunner().invoke(app, ["validate", "--diff", str(path)])
    assert result.exit_code == 2
    assert "--diff shows what --fix would change: give --fix too" in result.stderr


def test_a_fix_that_makes_another_certain_is_made_too(tmp_path: Path) -> None:
    path = _journey(
        tmp_path, f"      - id: a\n        name: A\n        why: {WHY}\n        ownr: CSN\n"
    )
    result = CliRunner().invoke(app, ["validate", "--fix", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").endswith("        owner: csm\n")
    assert "cljourney: 2 fixes applied in 1 file\n" in result.stderr


def test_examples_have_nothing_to_fix() -> None:
    for example in sorted(EXAMPLES.glob("*.yaml")):
        source = read_text(example)
        assert apply_edits(source, _plan(example)) == source.text


def _modules_after(argv: list[str]) -> str:
    code = (
        "import sys, atexit\n"
        f"sys.argv = ['cljourney', *{argv!r}]\n"
        "atexit.register(lambda: print(sorted({m for m in sys.modules"
        " if m.startswith(('ruamel', 'cljourney.edit'))})))\n"
        "from cljourney.cli.entry import main\n"
        "main()\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout


def test_validate_imports_the_fixer_only_with_fix_and_ruamel_never(tmp_path: Path) -> None:
    path = _journey(
        tmp_path, f"      - id: a\n        name: A\n        why: {WHY}\n        owner: CSN\n"
    )
    assert _modules_after(["validate", str(path)]).strip().endswith("[]")
    with_fix = _modules_after(["validate", "--fix", str(path)]).strip().splitlines()[-1]
    assert "cljourney.edit.fix" in with_fix and "ruamel" not in with_fix
