"""`cljourney fmt`: the canonical layout, idempotent, meaning-preserving, keeping every comment on
its element; on every journey in the repository and on fuzzed ones."""

from __future__ import annotations

import shutil
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from typer.testing import CliRunner

from cljourney.cli.app import app
from cljourney.edit.comments import place
from cljourney.edit.fmt import format_text
from cljourney.edit.order import order_for, sort_keys
from cljourney.edit.source import EditError, parse_text, read_text
from cljourney.load.journey import load_bytes
from cljourney.load.tree import Tree, parse_tree
from cljourney.model import JourneyFile
from conftest import EXAMPLES, ROOT

JOURNEYS = sorted(
    path
    for path in [*EXAMPLES.glob("*.yaml"), *(ROOT / "tests").rglob("*.yaml")]
    if "node_modules" not in path.parts
    and path.is_file()
    and isinstance(parse_tree(path.read_bytes()), Tree)
)


def _comments(text: str, root: Any) -> dict[Any, list[str]]:
    """Comment texts by the element they sit on (blank lines and columns aside). The header
    and what sits above `cljourney:` (which fmt puts first) are one place: the top of the file."""
    placed = place(text, root)
    found: dict[Any, list[str]] = {}
    placed.head.extend(placed.before.pop(("cljourney",), []))
    # Above the first key of a list item is above the item (`- id: a`): one place too.
    for path in sorted(placed.before, key=len, reverse=True):
        if len(path) >= 2 and isinstance(path[-2], int) and _first_key(root, path[:-1]) == path[-1]:
            placed.before.setdefault(path[:-1], []).extend(placed.before.pop(path))
    for path, lines in placed.before.items():
        found.setdefault(("before", path), []).extend(line for line in lines if line)
    for path, notes in placed.after.items():
        found.setdefault(("after", path), []).extend(text for _, text in notes)
    found[("tail",)] = [line for line in placed.tail if line]
    found[("head",)] = [line for line in placed.head if line]
    return {key: value for key, value in found.items() if value}


def _first_key(root: Any, path: tuple[Any, ...]) -> str | None:
    """The key fmt puts first in the mapping at `path`."""
    node = root
    for step in path:
        node = node[step]
    order = order_for(path)
    if not isinstance(node, dict) or not node:
        return None
    return sort_keys(list(node), order or ())[0] if order else next(iter(node))


def _meaning(path: str, data: bytes) -> tuple[Any, Any, list[tuple[str, str, str]]]:
    """The data, the model and the findings (lines aside) a text loads to."""
    parsed = parse_tree(data)
    assert isinstance(parsed, Tree)
    loaded = load_bytes(data, path)
    assert loaded is not None
    findings = sorted((f.rule, f.element, f.kind.value) for f in loaded.findings)
    return parsed.root, loaded.journey, findings


def assert_formats_safely(path: Path, data: bytes) -> str:
    source = parse_text(path, data)
    formatted = format_text(source).text
    assert format_text(parse_text(path, formatted.encode())).text == formatted  # idempotent
    assert _meaning(str(path), formatted.encode()) == _meaning(str(path), data)
    root = parse_tree(formatted.encode())
    assert isinstance(root, Tree)
    assert _comments(formatted, root.root) == _comments(source.text, source.root)
    assert formatted.endswith("\n") and not formatted.endswith("\n\n")
    return formatted


@pytest.mark.parametrize("path", JOURNEYS, ids=[str(p.relative_to(ROOT)) for p in JOURNEYS])
def test_every_journey_formats_idempotently_keeping_meaning_and_comments(path: Path) -> None:
    assert_formats_safely(path, path.read_bytes())


def test_the_committed_examples_are_formatted() -> None:
    result = CliRunner().invoke(app, ["fmt", "--check", str(EXAMPLES)])
    assert result.exit_code == 0, result.output


# Fuzzed journeys: keys in any order, text YAML must quote, flow or block lists, and comments
# (full-line and end-of-line) sprinkled between the lines.
_TEXT = st.one_of(
    st.sampled_from(["no", "on", "12:30", "1.0", "#x", "a: b", "- a", "'q'", '"dq"', "", " s"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=20),
)


def _shuffled(draw: st.DrawFn, mapping: dict[str, Any]) -> dict[str, Any]:
    keys = draw(st.permutations(list(mapping)))
    return {key: mapping[key] for key in keys}


@st.composite
def documents(draw: st.DrawFn) -> str:
    stages = []
    count = 0
    for s in range(draw(st.integers(1, 3))):
        points = []
        for _ in range(draw(st.integers(0, 3))):
            point: dict[str, Any] = {"id": f"t{count}", "name": draw(_TEXT), "why": draw(_TEXT)}
            if draw(st.booleans()):
                point["next"] = [f"t{n}" for n in draw(st.lists(st.integers(0, 8), max_size=3))]
            if draw(st.booleans()):
                point["customer"] = _shuffled(draw, {"feels": draw(_TEXT), "score": 3})
            if draw(st.booleans()):
                point["pain_points"] = draw(st.lists(_TEXT, max_size=3))
            points.append(_shuffled(draw, point))
            count += 1
        stage = {"id": f"s{s}", "name": draw(_TEXT), "owner": "r", "touchpoints": points}
        stages.append(_shuffled(draw, stage))
    document = _shuffled(
        draw,
        {
            "cljourney": 1,
            "journey": {"id": "j", "name": "J", "owner": "o"},
            "roles": [{"id": "r", "name": "R"}],
            "stages": stages,
        },
    )
    text = yaml.safe_dump(
        document,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=draw(st.sampled_from([False, None])),
    )
    lines = text.splitlines()
    out = []
    for number, line in enumerate(lines):
        if draw(st.integers(0, 4)) == 0:
            indent = len(line) - len(line.lstrip(" "))
            out.append(" " * indent + f"# note {number}")
        if draw(st.integers(0, 4)) == 0:
            out.append("")
        out.append(line + (f"  # eol {number}" if draw(st.integers(0, 4)) == 0 else ""))
    return "\n".join(out) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fuzzed_journeys_format_idempotently_keeping_meaning_and_comments(text: str) -> None:
    try:
        assert_formats_safely(Path("fuzz.yaml"), text.encode())
    except EditError as exc:  # ruamel.yaml's own limits: refused with a message, never written
        assert "ruamel.yaml cannot read this file" in str(exc)
        assume(False)


@pytest.mark.parametrize("value", [":0", "?x", ":", "?", "::x"])
def test_a_flow_scalar_led_by_a_colon_or_question_mark_stays_quoted(value: str) -> None:
    # ruamel.yaml (YAML 1.2) would write `why: :0` bare in a flow mapping; libyaml refuses it
    text = (
        "cljourney: 1\njourney: {id: j, name: J, owner: o}\nroles:\n  - {id: r, name: R}\n"
        "stages:\n  - id: s\n    name: S\n    owner: r\n    touchpoints:\n"
        f"      - {{id: t, name: T, why: '{value}'}}\n"
    )
    formatted = assert_formats_safely(Path("j.yaml"), text.encode())
    assert f"why: '{value}'" in formatted


def test_what_ruamel_cannot_read_is_refused_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    text = "cljourney: 1\njourney: {id: j, name: -_, owner: o}\nstages: []\n"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["fmt", str(path)])
    assert result.exit_code == 1
    assert f"{path}: cannot format: ruamel.yaml cannot read this file" in result.stderr
    assert path.read_text(encoding="utf-8") == text


SCRAMBLED = """\
# The header stays on top.
stages:
- touchpoints:
  - why: "Plain text needs no quotes"   # on why
    # before the id, which moves first
    id: a
    name: 'A'
    next: [b]
  - {name: B, id: b, why: W, next: []}
  name: S
  id: s
  owner: r



roles:
- name: R
  id: r
journey: {owner: o, name: J, id: j}
cljourney: 1
# the end
"""

CANONICAL = """\
# The header stays on top.
cljourney: 1
journey: {id: j, name: J, owner: o}

roles:
  - id: r
    name: R

stages:
  - id: s
    name: S
    owner: r
    touchpoints:
      # before the id, which moves first
      - id: a
        name: A
        why: Plain text needs no quotes  # on why
        next: [b]
      - {id: b, name: B, why: W, next: []}
# the end
"""


def test_the_canonical_layout(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(SCRAMBLED, encoding="utf-8")
    assert format_text(read_text(path)).text == CANONICAL


def _journey(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "j.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_check_lists_files_and_writes_nothing(tmp_path: Path) -> None:
    path = _journey(tmp_path, SCRAMBLED)
    result = CliRunner().invoke(app, ["fmt", "--check", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {path}\n"
    assert path.read_text(encoding="utf-8") == SCRAMBLED


def test_diff_prints_a_unified_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = _journey(tmp_path, SCRAMBLED)
    result = CliRunner().invoke(app, ["fmt", "--diff", str(path)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"--- {path} (before)\n+++ {path} (formatted)\n@@ ")
    assert "+cljourney: 1\n" in result.stdout and "-cljourney: 1\n" in result.stdout
    assert path.read_text(encoding="utf-8") == SCRAMBLED


def test_fmt_writes_the_canonical_layout_then_check_passes(tmp_path: Path) -> None:
    path = _journey(tmp_path, SCRAMBLED)
    path.chmod(0o640)
    result = CliRunner().invoke(app, ["fmt", str(path)])
    assert result.exit_code == 0
    assert result.stdout == f"reformatted {path}\n"
    assert path.read_text(encoding="utf-8") == CANONICAL
    assert path.stat().st_mode & 0o777 == 0o640
    assert CliRunner().invoke(app, ["fmt", "--check", str(path)]).exit_code == 0


def test_a_file_without_a_final_line_break_gets_one(tmp_path: Path) -> None:
    path = _journey(tmp_path, CANONICAL.removesuffix("\n"))
    result = CliRunner().invoke(app, ["fmt", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8") == CANONICAL


def test_a_file_that_does_not_parse_is_reported_and_left_alone(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("cljourney: 1\njourney: [\n", encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text(SCRAMBLED, encoding="utf-8")
    result = CliRunner().invoke(app, ["fmt", str(broken), str(good)])
    assert result.exit_code == 1
    assert f"{broken}:3:1: " in result.stderr
    assert broken.read_text(encoding="utf-8") == "cljourney: 1\njourney: [\n"
    assert good.read_text(encoding="utf-8") == CANONICAL


def test_fmt_imports_ruamel_and_validate_does_not() -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from cljourney.edit.fmt import format_paths\n"
        f"format_paths([Path({str(EXAMPLES)!r})], 1)\n"
        "print('ruamel' in {m.split('.')[0] for m in sys.modules})\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "True", result.stderr


def test_jobs_give_the_same_results(tmp_path: Path) -> None:
    for index in range(6):
        shutil.copyfile(EXAMPLES / "b2c-retail.yaml", tmp_path / f"j{index}.yaml")
    (tmp_path / "j0.yaml").write_text(SCRAMBLED, encoding="utf-8")
    result = CliRunner().invoke(app, ["fmt", "--check", "--jobs", "2", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stdout == f"would reformat {tmp_path / 'j0.yaml'}\n"


def test_diff_sees_no_journey_change_in_a_fmt_change(tmp_path: Path) -> None:
    before = _journey(tmp_path, SCRAMBLED)
    after = tmp_path / "after.yaml"
    after.write_text(CANONICAL, encoding="utf-8")
    result = CliRunner().invoke(app, ["diff", str(before), str(after)])
    assert result.exit_code == 0
    assert result.stdout.startswith("No journey changes")


def _models_under(annotation: object) -> list[tuple[bool, type[BaseModel]]]:
    """(in a list?, model) for each pydantic model an annotation holds (lists and unions open)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [(False, annotation)]
    found = []
    for arg in typing.get_args(annotation):
        listed = typing.get_origin(annotation) in (list, tuple)
        found += [(listed or inner, model) for inner, model in _models_under(arg)]
    return found


def test_the_key_order_covers_every_mapping_of_the_model_in_its_field_order() -> None:
    # A field added to the model and not to edit/order.py would be sorted after the known keys.
    seen: set[tuple[str | int, ...]] = set()

    def walk(model: type[BaseModel], path: tuple[str | int, ...]) -> None:
        if path in seen:
            return
        seen.add(path)
        fields = [(field.alias or name, field) for name, field in model.model_fields.items()]
        expected = [key for key, _ in fields]
        if path == ("stages", 0):  # the one exception: a stage's promise reads before its steps
            expected.remove("target")
            expected.insert(expected.index("touchpoints"), "target")
        assert order_for(path) == tuple(expected), path
        for key, field in fields:
            for listed, inner in _models_under(field.annotation):
                walk(inner, (*path, key, 0) if listed else (*path, key))

    walk(JourneyFile, ())
    assert ("stages", 0, "touchpoints", 0, "customer", "evidence") in seen
