"""`cljourney rename`: every reference follows the id, nothing else in the file changes, and the
refusals (taken, invalid, unknown, ambiguous) write nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.check.pipeline import validate
from cljourney.cli.app import app
from cljourney.diff.compare import diff_journeys
from cljourney.edit.rename import IdKind, rename, spots
from cljourney.edit.source import EditError, read_text
from cljourney.load.journey import load_bytes
from cljourney.load.tree import Tree, parse_tree
from conftest import EXAMPLES, ROOT

JOURNEYS = sorted(
    path
    for path in [*EXAMPLES.glob("*.yaml"), *(ROOT / "tests").rglob("*.yaml")]
    if "node_modules" not in path.parts
    and path.is_file()
    and isinstance(parse_tree(path.read_bytes()), Tree)
)
NEW = "renamed-id-x"


def _defined(path: Path) -> list[tuple[IdKind, str]]:
    """The first id of each kind defined in `path`, for a rename that touches every kind."""
    root = parse_tree(path.read_bytes())
    assert isinstance(root, Tree)
    chosen: dict[IdKind, str] = {}
    ids = re.findall(r"\bid:\s*['\"]?([a-z0-9][a-z0-9_-]*)", path.read_text(encoding="utf-8"))
    for id_ in ids:
        for spot in spots(root.root, id_):
            if (
                spot.defines
                and spot.kind not in chosen
                and not any(s.defines and s.kind is not spot.kind for s in spots(root.root, id_))
            ):
                chosen[spot.kind] = id_
    return sorted(chosen.items())


def _comments(text: str) -> list[tuple[int, str]]:
    """(line, comment) for full-line comments and ` # ` trailing comments."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = re.search(r"(?:^|\s)(#.*)$", line)
        if match:
            found.append((number, match.group(1)))
    return found


def _findings(path: Path, old: str = "", new: str = "") -> list[tuple[str, int, str]]:
    """(rule, line, element) of every finding; with `old`, as if `old` were already `new`
    (a handoff's element is `from>to`)."""

    def element(text: str) -> str:
        return ">".join(new if old and part == old else part for part in text.split(">"))

    # A journey-level finding names the journey id, which a rename of another kind leaves alone.
    return sorted(
        (f.rule, f.line, f.element if f.kind.value == "journey" else element(f.element))
        for f in validate([path]).findings
    )


CASES = [(path, kind, old) for path in JOURNEYS for kind, old in _defined(path)]


@pytest.mark.parametrize(
    ("path", "kind", "old"),
    CASES,
    ids=[f"{p.relative_to(ROOT)}-{k.value}-{o}" for p, k, o in CASES],
)
def test_rename_updates_every_reference_and_adds_no_finding(
    tmp_path: Path, path: Path, kind: IdKind, old: str
) -> None:
    copy = tmp_path / path.name
    shutil.copyfile(path, copy)
    before = read_text(copy)
    expected = [(s.line, s.column) for s in spots(before.root, old) if s.kind is kind]
    result = CliRunner().invoke(app, ["rename", old, NEW, "--kind", kind.value, str(copy)])
    assert result.exit_code == 0, result.output
    after = read_text(copy)
    assert [(s.line, s.column) for s in spots(after.root, NEW) if s.kind is kind] == expected
    assert not [s for s in spots(after.root, old) if s.kind is kind]
    listed = re.findall(r":(\d+):(\d+): renamed", result.stdout)
    assert sorted((int(a), int(b)) for a, b in listed) == sorted(expected)
    assert _comments(after.text) == _comments(before.text)
    assert _findings(copy) == _findings(path, old, NEW)


def test_rename_across_files_and_directories(tmp_path: Path) -> None:
    for name in ("a.yaml", "b.yaml"):
        shutil.copyfile(EXAMPLES / "b2b-saas.yaml", tmp_path / name)
    result = CliRunner().invoke(app, ["rename", "csm", "success", "--kind", "role", str(tmp_path)])
    assert result.exit_code == 0, result.output
    for name in ("a.yaml", "b.yaml"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "owner: success\n" in text
        assert "to: csm" not in text and "from: csm" not in text


GOVERNED = """\
cljourney: 1
journey:
  id: governed
  name: Governed
  owner: csm
  review: {every: 90d, last: 2026-11-01, by: csm}
roles:
  - id: csm
    name: Customer success manager
stages:
  - id: ongoing
    name: Ongoing
    owner: csm
    why: The customer gets value from the product every week.
    touchpoints:
      - id: qbr
        name: Quarterly business review
        why: The customer sees the value they got and agrees the next goals.
        opportunities:
          - text: Send the usage report before the call
            owner: csm
            status: planned
          - text: Invite the customer's sponsor
            owner: csm team
        metrics:
          - name: QBRs held on time
            target: 95%
            source: Gainsight
            owner: csm
"""


def test_rename_of_a_role_follows_the_owners_that_name_it(tmp_path: Path) -> None:
    # Journey owner, reviewer, opportunity and metric owners are a role id or free text: the
    # ones that are the role's id are renamed with it, free text that only contains it is not.
    path = tmp_path / "governed.yaml"
    path.write_text(GOVERNED, encoding="utf-8")
    result = CliRunner().invoke(app, ["rename", "csm", "success", str(path)])
    assert result.exit_code == 0, result.output
    renamed = re.findall(r":(\d+):\d+: renamed role ([a-z ]+) 'csm'", result.stdout)
    assert sorted((int(line), field) for line, field in renamed) == [
        (5, "journey owner"),
        (6, "review by"),
        (8, "id"),
        (13, "owner"),
        (21, "opportunity owner"),
        (29, "metric owner"),
    ]
    assert path.read_text(encoding="utf-8") == (
        GOVERNED.replace("owner: csm\n", "owner: success\n")
        .replace("by: csm}", "by: success}")
        .replace("- id: csm\n", "- id: success\n")
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["csm", "ae"], "a role with the id 'ae' already exists"),
        (["csm", "Not-A-Slug"], "'Not-A-Slug' is not a valid id"),
        (["nothing-here", "x"], "no touchpoint, stage or role has the id 'nothing-here'"),
        (["support", "help"], "'support' is the id of a role and a stage; say which with --kind"),
        (["csm", "x", "--kind", "stage"], "no stage has the id 'csm'"),
    ],
    ids=["taken", "invalid", "unknown", "ambiguous", "wrong-kind"],
)
def test_refusals_write_nothing(tmp_path: Path, argv: list[str], message: str) -> None:
    copy = tmp_path / "j.yaml"
    shutil.copyfile(EXAMPLES / "b2b-saas.yaml", copy)
    before = copy.read_bytes()
    result = CliRunner().invoke(app, ["rename", *argv, str(copy)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert copy.read_bytes() == before


def test_dry_run_lists_and_writes_nothing(tmp_path: Path) -> None:
    copy = tmp_path / "j.yaml"
    shutil.copyfile(EXAMPLES / "b2b-saas.yaml", copy)
    before = copy.read_bytes()
    result = CliRunner().invoke(
        app, ["rename", "support", "help", "--kind", "stage", "--dry-run", str(copy)]
    )
    assert result.exit_code == 0
    assert result.stdout.startswith(f"{copy}:")
    assert "would rename stage id 'support' -> 'help'" in result.stdout
    assert copy.read_bytes() == before


def test_quoted_values_and_flow_lists_keep_their_style(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text(
        "cljourney: 1\njourney: {id: j, name: J, owner: o}\nroles: [{id: r, name: R}]\n"
        "stages:\n  - id: s\n    name: S\n    owner: r\n    touchpoints:\n"
        '      - {id: "a", name: A, why: w, next: [b, "b"]}  # a note\n'
        "      - {id: b, name: B, why: w, next: []}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["rename", "b", "bee", str(path)])
    assert result.exit_code == 0, result.output
    assert path.read_text(encoding="utf-8").splitlines()[8:] == [
        '      - {id: "a", name: A, why: w, next: [bee, "bee"]}  # a note',
        "      - {id: bee, name: B, why: w, next: []}",
    ]


def test_a_file_that_does_not_parse_is_refused_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "j.yaml"
    path.write_text("cljourney: 1\njourney: [\n", encoding="utf-8")
    with pytest.raises(EditError, match=r"j\.yaml:3:1: "):
        read_text(path)
    result = CliRunner().invoke(app, ["rename", "a", "b", str(path)])
    assert result.exit_code == 2 and "j.yaml:3:1:" in result.stderr


def test_validate_does_not_import_ruamel() -> None:
    code = (
        "import sys\n"
        f"sys.argv = ['cljourney', 'validate', {str(EXAMPLES)!r}]\n"
        "import atexit\n"
        "atexit.register(lambda: print('ruamel' in {m.split('.')[0] for m in sys.modules}))\n"
        "from cljourney.cli.entry import main\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("False")


def test_a_read_only_journey_is_refused_and_left_alone(tmp_path: Path) -> None:
    copy = tmp_path / "j.yaml"
    shutil.copyfile(EXAMPLES / "b2b-saas.yaml", copy)
    copy.chmod(0o444)
    result = CliRunner().invoke(app, ["rename", "csm", "success", str(copy)])
    assert result.exit_code == 2
    assert "is read-only" in result.stderr
    assert copy.read_bytes() == (EXAMPLES / "b2b-saas.yaml").read_bytes()


LOADING = [case for case in CASES if load_bytes(case[0].read_bytes(), str(case[0])).journey]


@pytest.mark.parametrize(
    ("path", "kind", "old"),
    LOADING,
    ids=[f"{p.relative_to(ROOT)}-{k.value}-{o}" for p, k, o in LOADING],
)
def test_diff_sees_each_rename_as_one_rename(path: Path, kind: IdKind, old: str) -> None:
    """Journeys that load to a model (diff compares models); `during` naming a renamed stage
    included (tests/rules/*/during-pass.yaml)."""
    (result,) = rename([read_text(path)], old, NEW, kind)
    before = load_bytes(path.read_bytes(), str(path)).journey
    after = load_bytes(result.text.encode("utf-8"), str(path)).journey
    assert before is not None and after is not None
    changes = diff_journeys(before, after)
    assert [(c.kind.value, c.entity.value, c.before, c.after) for c in changes] == [
        ("renamed", kind.value, old, NEW)
    ]
