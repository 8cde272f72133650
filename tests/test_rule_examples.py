"""Every rule's documentation examples (`bad`, `good`: what `explain` shows) run as real cases.

An example is an excerpt of a journey file, so it is placed in a journey first: the rule's scene,
`tests/rules/<rule>/example.yaml`, a complete journey with `# example` lines where the excerpt
goes. The conventions the examples are written in:

- a line `...` stands for the part of the scene left out: the text between two `...` goes at the
  next `# example` line (dedented, then indented to that line); `# example` lines left over stay
  empty, so a fix may add a part the failing example has no need of;
- stages, touchpoints and roles may leave out `name` (it says nothing about the rule): a block item
  `- id: x` without one gets `name: x`;
- `# name.yaml` lines split an example into files, checked in that order (a cross-file rule);
- `$ ls -l dir/` starts a directory listing: its files are made (`a -> b` as a symbolic link, the
  others holding the scene) and the directory is checked.

The failing example must yield its rule; the passing one must not, and must load cleanly (a good
example that does not parse would pass for the wrong reason).

The rules `conform` runs (`LogRule`) judge a journey against an event log, which an excerpt cannot
carry: their examples are illustrations, and their cases are the journeys and logs of
`tests/rules/<rule>/` (`fail.yaml` with `fail.csv`, `pass.yaml` with `pass.csv`), run by
`tests/test_rules.py`.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from cljourney.check.pipeline import validate
from cljourney.rules import CONFORM_ONLY, REGISTRY
from conftest import RULE_CASES

MARKER = re.compile(r"^( *)# example$")
ITEM = re.compile(r"^( *)- id: ([a-z0-9][a-z0-9_-]*)(?=\s|$)")
FILE = re.compile(r"^# (\S+\.ya?ml)\b")
LISTED = re.compile(r"^\S+\s+(\S+)(?:\s+->\s+(\S+))?")
LOAD_ERRORS = frozenset({"read-error", "yaml-syntax", "schema"})


def pieces(example: str) -> list[str]:
    """The example cut at its `...` lines; an empty last piece (a trailing `...`) is dropped."""
    parts: list[list[str]] = [[]]
    for line in example.splitlines():
        if line.strip() == "...":
            parts.append([])
        else:
            parts[-1].append(line)
    texts = ["\n".join(part) for part in parts]
    return texts[:-1] if len(texts) > 1 and not texts[-1].strip() else texts


def place(scene: str, example: str) -> str:
    """The scene with the example's pieces at its `# example` lines."""
    lines = scene.splitlines()
    markers = [i for i, line in enumerate(lines) if MARKER.match(line)]
    parts = pieces(example)
    assert len(parts) <= len(markers), f"{len(parts)} pieces for {len(markers)} `# example` lines"
    for index, part in reversed(list(zip(markers, parts, strict=False))):
        indent = MARKER.match(lines[index]).group(1)  # type: ignore[union-attr]
        body = textwrap.dedent(part).splitlines()
        lines[index : index + 1] = [indent + line if line.strip() else line for line in body]
    return with_names("\n".join(lines) + "\n")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def with_names(text: str) -> str:
    """`name: <id>` added to every block item `- id: <id>` that has no `name`."""
    lines = text.splitlines()
    out: list[str] = []
    for number, line in enumerate(lines):
        out.append(line)
        match = ITEM.match(line)
        if not match:
            continue
        keys = len(match.group(1)) + 2
        has_name = False
        for following in lines[number + 1 :]:
            stripped = following.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if _indent(following) < keys:
                break
            if _indent(following) == keys and stripped.startswith("name:"):
                has_name = True
        if not has_name:
            out.append(" " * keys + f"name: {match.group(2)}")
    return "\n".join(out) + "\n"


def files(rule_id: str, example: str, where: Path) -> list[Path]:
    """The files an example stands for, written under `where`, in the order to check them."""
    scene = (RULE_CASES / rule_id / "example.yaml").read_text(encoding="utf-8")
    lines = example.splitlines()
    if lines[0].startswith("$ ls"):
        folder = where / lines[0].split()[-1].rstrip("/")
        folder.mkdir()
        for line in lines[1:]:
            name, target = LISTED.match(line).groups()  # type: ignore[union-attr]
            if target:
                (folder / name).symlink_to(target)
            else:
                (folder / name).write_text(scene, encoding="utf-8")
        return [folder]
    named: list[tuple[str, list[str]]] = []
    for line in lines:
        header = FILE.match(line)
        if header:
            named.append((header.group(1), []))
        elif named:
            named[-1][1].append(line)
    if not named:
        named = [("journey.yaml", lines)]
    written = []
    for name, body in named:
        path = where / name
        path.write_text(place(scene, "\n".join(body)), encoding="utf-8")
        written.append(path)
    return written


def found(rule_id: str, example: str, where: Path) -> set[str]:
    return {finding.rule for finding in validate(files(rule_id, example, where)).findings}


RULE_IDS = sorted(rule_id for rule_id in REGISTRY if rule_id not in CONFORM_ONLY)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_the_failing_example_fails(rule_id: str, tmp_path: Path) -> None:
    assert rule_id in found(rule_id, REGISTRY[rule_id].bad, tmp_path)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_the_passing_example_passes(rule_id: str, tmp_path: Path) -> None:
    rules = found(rule_id, REGISTRY[rule_id].good, tmp_path)
    assert rule_id not in rules
    assert not rules & LOAD_ERRORS, rules


def test_placing_an_example() -> None:
    scene = "stages:\n  - id: s\n    touchpoints:\n      # example\n      # example\n"
    example = "- id: a\n  next: [b]\n...\n  - id: b\n    ..."
    assert place(scene, example) == (
        "stages:\n  - id: s\n    name: s\n    touchpoints:\n      - id: a\n        name: a\n"
        "        next: [b]\n      - id: b\n        name: b\n"
    )
