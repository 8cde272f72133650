"""Property-based fuzzing of `validate`: generated and mutated journey files never crash it.

Properties, for every input: no exception escapes the engine; the exit status is 0 or 1 (2 is
only for usage errors); every finding points inside the file (1 <= line <= lines + 1,
column >= 1). Seeds are the example journeys, the rule cases and tests/data/broken.yaml, mutated
structurally (fields deleted, retyped, duplicated, reordered) and textually (lines dropped,
duplicated, swapped, bytes inserted, truncated), plus random YAML and random bytes.

The default run is small and deterministic (`derandomize=True`). A long run:

    CLJOURNEY_FUZZ_EXAMPLES=2500 .venv/bin/python -m pytest tests/test_fuzz.py -q

runs that many cases per property (7 in-process properties; at most 30 through the command), on random
seeds. `render` (every format) and `diff` are fuzzed with the structurally mutated journeys.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cljourney.check.pipeline import check_loaded
from cljourney.findings import Severity
from cljourney.load.journey import load_bytes
from cljourney.rules import RuleOptions
from conftest import EXAMPLES, ROOT, RULE_CASES

LONG_RUN = int(os.environ.get("CLJOURNEY_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=LONG_RUN or 40,
    derandomize=not LONG_RUN,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SEED_PATHS = sorted(
    path
    for path in (
        *EXAMPLES.glob("*.yaml"),
        *RULE_CASES.glob("*/*.yaml"),
        *(ROOT / "tests" / "data").glob("*.yaml"),
    )
    if path.exists()  # read-error's failing case is a link to a missing file
)
SEEDS = [path.read_bytes() for path in SEED_PATHS]


def _tree(data: bytes) -> object:
    """The seed as data, or None when it is one of the cases that must not parse."""
    try:
        tree = yaml.safe_load(data)
    except yaml.YAMLError:
        return None
    # PyYAML reads `2026-09-14` as a date (YAML 1.1); cljourney reads YAML 1.2, where it is text.
    return json.loads(json.dumps(tree, default=str))


SEED_TREES = [
    tree for tree in (_tree(data) for data in SEEDS if b"cljourney: 1" in data) if tree is not None
]


def line_count(data: bytes) -> int:
    """Lines as any YAML reader may count them (every Unicode line break, CR alone included)."""
    for encoding in ("utf-8-sig", "utf-16"):
        try:
            return max(len(data.decode(encoding).splitlines()), data.count(b"\n") + 1)
        except UnicodeDecodeError:
            continue
    return data.count(b"\n") + 1


def check_in_process(data: bytes) -> int:
    """Run the engine on `data` as `validate` would; assert the properties; return the exit status."""
    loaded = load_bytes(data, "fuzz.yaml", explicit=True)
    assert loaded is not None  # an explicit path is always reported
    findings = check_loaded(loaded, RuleOptions())
    lines = line_count(data)
    for finding in findings:
        assert 1 <= finding.line <= lines + 1, (finding, lines)
        assert finding.column >= 1, finding
        assert finding.message and finding.rule
    return 1 if any(f.severity is Severity.ERROR for f in findings) else 0


# --- structural mutations -------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-10, 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "TBD", "no", "12:30", "0x1F", "~", "kickoff", "csm", "- x", "a: b"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths_in(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += paths_in(value, (*prefix, key))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            found += paths_in(value, (*prefix, index))
    return found


def parent_of(tree: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        tree = tree[step]
    return tree


@st.composite
def mutated_trees(draw: st.DrawFn) -> bytes:
    tree = json.loads(json.dumps(draw(st.sampled_from(SEED_TREES))))  # a deep copy
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in paths_in(tree) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = parent_of(tree, path), path[-1]
        action = draw(st.sampled_from(["delete", "retype", "duplicate", "reorder", "rename"]))
        if action == "delete":
            del parent[last]
        elif action == "retype":
            parent[last] = draw(values)
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(last, json.loads(json.dumps(parent[last])))
        elif action == "reorder" and isinstance(parent, (list, dict)):
            items = list(parent.items()) if isinstance(parent, dict) else list(parent)
            order = draw(st.permutations(range(len(items))))
            if isinstance(parent, dict):
                reordered = {items[i][0]: items[i][1] for i in order}
                parent.clear()
                parent.update(reordered)
            else:
                parent[:] = [items[i] for i in order]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = parent.pop(last)
    text = yaml.safe_dump(
        tree, sort_keys=False, allow_unicode=True, width=draw(st.sampled_from([80, 10**6]))
    )
    return text.encode("utf-8")


# --- textual mutations ----------------------------------------------------------------------

SNIPPETS = [
    b"\t",
    b"- ",
    b": ",
    b"&a ",
    b"*a",
    b"!!python/object ",
    b"[",
    b"{",
    b"'",
    b'"',
    b"\r",
    b"\xef\xbb\xbf",
    b"\xff",
    b"\xe9",
    b"---\n",
    b"%YAML 1.1\n",
    b"? ",
    b"#",
    b"\x00",
    b"\\",
]


@st.composite
def mutated_texts(draw: st.DrawFn) -> bytes:
    data = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 5))):
        lines = data.split(b"\n")
        action = draw(
            st.sampled_from(["drop", "duplicate", "swap", "insert", "truncate", "indent"])
        )
        index = draw(st.integers(0, len(lines) - 1))
        if action == "drop":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "indent":
            lines[index] = b" " * draw(st.integers(0, 3)) + lines[index]
        data = b"\n".join(lines)
        if action == "insert":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.sampled_from(SNIPPETS) | st.binary(max_size=4)) + data[at:]
        elif action == "truncate":
            data = data[: draw(st.integers(0, len(data)))]
    return data


random_yaml = st.builds(
    lambda tree, flow: yaml.safe_dump(tree, default_flow_style=flow, allow_unicode=True).encode(),
    st.dictionaries(
        st.sampled_from(["cljourney", "journey", "stages", "roles", "handoffs", "x"]), values
    ),
    st.sampled_from([None, True, False]),
)


@FUZZ
@given(mutated_trees())
def test_structurally_mutated_journeys(data: bytes) -> None:
    assert check_in_process(data) in (0, 1)


@FUZZ
@given(mutated_texts())
def test_textually_mutated_journeys(data: bytes) -> None:
    assert check_in_process(data) in (0, 1)


@FUZZ
@given(random_yaml)
def test_random_yaml(data: bytes) -> None:
    assert check_in_process(data) in (0, 1)


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    assert check_in_process(data) in (0, 1)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("ab:- \n\t[]{},&*!'\"#?|>%@`\r\\")), max_size=200))
def test_yaml_punctuation_soup(text: str) -> None:
    assert check_in_process(text.encode()) in (0, 1)


def test_seeds_are_checked_clean_or_with_findings() -> None:
    assert len(SEEDS) >= 20
    assert {check_in_process(data) for data in SEEDS} == {0, 1}


@settings(FUZZ, max_examples=min(LONG_RUN or 6, 30))
@given(st.one_of(mutated_trees(), mutated_texts()))
def test_through_the_command_line(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "journey.yaml"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "cljourney", "validate", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    lines = line_count(data)
    for finding in json.loads(result.stdout)["findings"]:
        assert 1 <= finding["line"] <= lines + 1 and finding["column"] >= 1, finding


# --- render and diff ------------------------------------------------------------------------


def journey_of(data: bytes) -> Any:
    loaded = load_bytes(data, "fuzz.yaml", explicit=True)
    return None if loaded is None else loaded.journey


@FUZZ
@given(mutated_trees())
def test_render_every_format_of_any_loadable_journey(data: bytes) -> None:
    from cljourney.graph import build_flow
    from cljourney.render import RENDERERS, get_renderer

    loaded = load_bytes(data, "fuzz.yaml", explicit=True)
    assume(loaded is not None and loaded.journey is not None)
    assert loaded is not None and loaded.journey is not None
    findings = check_loaded(loaded, RuleOptions())
    flow = build_flow(loaded.journey)
    for name in RENDERERS:
        renderer = get_renderer(name)
        text = renderer.render(loaded.journey, flow, findings)
        assert text and text == renderer.render(loaded.journey, flow, findings)  # deterministic
        if name == "json":
            json.loads(text)


@FUZZ
@given(mutated_trees(), mutated_trees())
def test_diff_of_any_two_loadable_journeys(old_data: bytes, new_data: bytes) -> None:
    from cljourney.diff.compare import diff_journeys

    old, new = journey_of(old_data), journey_of(new_data)
    assume(old is not None or new is not None)
    for a, b in ((old, new), (new, old), (old, None), (None, new)):
        if a is not None or b is not None:
            assert isinstance(diff_journeys(a, b), list)
    if new is not None:
        assert diff_journeys(new, new) == []
