"""Inputs past Python's own limits: numbers too long to convert, nesting too deep to recurse.

Each is bad input, so it must end as a finding (journeys) or exit 2 naming the file (config,
baseline), never as exit 3 "internal error".
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cljourney.check.selection import compile_glob, glob_match
from cljourney.check.tomlpos import key_lines
from cljourney.cli.app import app
from conftest import RULE_CASES

runner = CliRunner()
GOOD = RULE_CASES / "weak-why" / "pass.yaml"
HUGE = "9" * 5000


def journey(directory: Path) -> Path:
    target = directory / "journey.yaml"
    shutil.copy(GOOD, target)
    return target


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("cljourney: 1", f"cljourney: {HUGE}"),
        ("name: ", f"name: {HUGE} #"),
        ("cljourney: 1", f"cljourney: 0x{'f' * 4000}"),
        ("cljourney: 1", f"cljourney: -{HUGE}"),
    ],
    ids=["version", "name", "hexadecimal", "negative"],
)
@pytest.mark.parametrize("command", ["validate", "render"])
def test_a_huge_integer_in_a_journey_is_a_finding(
    chdir_tmp: Path, command: str, old: str, new: str
) -> None:
    path = journey(chdir_tmp)
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if old in line)
    column = lines[at].index(old) + len(old.split(" ")[0]) + 2
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = runner.invoke(app, [command, "journey.yaml"])
    assert result.exit_code == 1, result.output
    assert f"journey.yaml:{at + 1}:{column}: error yaml-syntax" in result.output
    assert "4,300-digit limit" in result.output


def test_a_huge_integer_in_diff_is_not_an_internal_error(chdir_tmp: Path) -> None:
    path = journey(chdir_tmp)
    shutil.copy(path, chdir_tmp / "old.yaml")
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("cljourney: 1", f"cljourney: {HUGE}", 1), encoding="utf-8")
    result = runner.invoke(app, ["diff", "old.yaml", "journey.yaml"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1, 2)


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (f"[options]\nmin-why-length = {HUGE}\n", 2),
        (f"ignore = []\nexclude = {DEEP}\n", 1),
        (f"ignore = []\n[options]\nchannels = []\n\nx = {HUGE}\n", 5),
    ],
    ids=["huge-integer", "deep-arrays", "huge-integer-later"],
)
def test_unloadable_toml_config_is_a_usage_error_naming_the_file(
    chdir_tmp: Path, text: str, line: int
) -> None:
    journey(chdir_tmp)
    (chdir_tmp / "cljourney.toml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "journey.yaml"])
    assert result.exit_code == 2, result.output
    assert f"cljourney.toml:{line}: " in result.stderr


def test_unloadable_pyproject_is_a_usage_error_too(chdir_tmp: Path) -> None:
    journey(chdir_tmp)
    text = f"[tool.cljourney]\nignore = []\n[tool.cljourney.options]\nmin-why-length = {HUGE}\n"
    (chdir_tmp / "pyproject.toml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "journey.yaml"])
    assert result.exit_code == 2, result.output
    assert "pyproject.toml:4: a number longer than 4,300 digits" in result.stderr


@pytest.mark.parametrize(
    "body",
    [
        '{"cljourney-baseline": 1, "findings": [{"fingerprint": "a", "n": ' + HUGE + "}]}",
        '{"cljourney-baseline": 1, "findings": ' + DEEP + "}",
    ],
    ids=["huge-integer", "deep-arrays"],
)
def test_unloadable_baseline_is_a_usage_error_naming_the_file(chdir_tmp: Path, body: str) -> None:
    journey(chdir_tmp)
    (chdir_tmp / "base.json").write_text(body, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--baseline", "base.json", "journey.yaml"])
    assert result.exit_code == 2, result.output
    assert "base.json" in result.stderr and "not a baseline file" in result.stderr


ESCAPED_NAME = '"\\N{NO SUCH NAME}" = 1'


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (f"exclude = [\n  '''\n{ESCAPED_NAME}\n''',\n]\nselect = 3\n", 6),
        (f"[options]\nplaceholders = ['''\n{ESCAPED_NAME}\n''']\nselect = 3\n", 5),
        (f"select = 3\nx = '''\n{ESCAPED_NAME}\n'''\n", 1),
    ],
    ids=["in-an-array", "after-a-key", "top-level"],
)
def test_backslash_n_in_a_multi_line_string_is_no_crash(
    chdir_tmp: Path, text: str, line: int
) -> None:
    journey(chdir_tmp)
    (chdir_tmp / "cljourney.toml").write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "journey.yaml"])
    assert result.exit_code == 2, result.output
    assert f"cljourney.toml:{line}: " in result.stderr


def test_basic_string_keys_are_unescaped_as_toml_does() -> None:
    text = '"a\\u0041\\t\\\\" = 1\n"\\N{x}" = 2\n'
    assert key_lines(text) == {("aA\t\\",): 1, ("\\N{x}",): 2}


OPENERS = ["", '"', "'", "[", "[[", "'" * 3, '"' * 3, "x = "]
BODIES = st.text(alphabet="\\Nux{}0e9a.\"'=[] #", max_size=12)


@given(st.lists(st.tuples(st.sampled_from(OPENERS), BODIES), max_size=8))
@example([('"', '\\N"'), ('"', '\\u12"')])  # malformed escapes in a key that tomllib refuses
def test_the_key_scanner_is_total(parts: list[tuple[str, str]]) -> None:
    text = "\n".join(f"{opener}{body} = 1" for opener, body in parts)
    lines = key_lines(text)
    assert all(1 <= line <= text.count("\n") + 1 for line in lines.values())


def big_journey(path: Path, touchpoints: int) -> Path:
    lines = ["cljourney: 1", "journey:", "  id: big", "  name: Big", "stages:"]
    lines += ["  - id: s", "    name: S", "    why: the customer needs it", "    touchpoints:"]
    for i in range(touchpoints):
        lines += [f"      - id: t{i}", f"        name: T{i}", "        why: value for them"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("megabytes", [110, 180])
@pytest.mark.parametrize("command", ["validate", "render", "diff"])
def test_out_of_memory_is_a_message_and_exit_3(
    tmp_path: Path, command: str, megabytes: int
) -> None:
    """Under a memory ceiling (a CI container's), never a segfault, an abort or a traceback."""
    journey = big_journey(tmp_path / "big.yaml", 130_000)
    args = [str(journey)] * (2 if command == "diff" else 1)
    script = f'ulimit -v {megabytes * 1024}; exec "$0" -m cljourney {command} "$@"'
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLJOURNEY_")}
    result = subprocess.run(
        ["bash", "-c", script, sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert result.returncode == 3, (result.returncode, result.stderr[-2000:])
    assert result.stderr.startswith("cljourney: error: out of memory;"), result.stderr[-2000:]
    assert "Traceback" not in result.stderr


def _as_user(user: int) -> list[str]:
    return ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups"]


def _python_for(user: int) -> str | None:
    """An interpreter `user` may run (the venv's may live under /root), with this one's version."""
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (os.path.realpath(sys.executable), f"/usr/bin/{version}"):
        probe = subprocess.run(
            [*_as_user(user), "bash", "-c", 'exec "$0" -V', candidate],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return candidate
    return None


NOBODY = 65534


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root and setpriv to run as another user (the process limit spares root)",
)
@pytest.mark.parametrize("limit", [3, 5, 8, 11])
def test_jobs_over_the_process_limit_fall_back_without_hanging(limit: int) -> None:
    python = _python_for(NOBODY)
    if python is None:
        pytest.skip("no interpreter the unprivileged user may run")
    import sysconfig
    import tempfile

    import cljourney

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        folder.chmod(0o755)
        for number in range(12):
            text = GOOD.read_text(encoding="utf-8")
            (folder / f"j{number}.yaml").write_text(text, encoding="utf-8")
        source = Path(cljourney.__file__).parent.parent
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "PYTHONPATH": f"{source}:{sysconfig.get_paths()['purelib']}",
        }
        script = f'ulimit -u {limit}; exec "$0" -m cljourney validate -j 30 -q --isolated "$1"'
        result = subprocess.run(
            [*_as_user(NOBODY), "bash", "-c", script, python, str(folder)],
            capture_output=True,
            text=True,
            timeout=60,  # the bug was a hang: the test fails instead of waiting forever
            env=env,
            check=False,
        )
        assert result.returncode == 1, result.stderr  # weak-why/pass.yaml repeats its journey id
        assert "internal error" not in result.stderr
        assert "cljourney: note: could " in result.stderr
        assert "worker processes asked for (-j)" in result.stderr
        left = subprocess.run(
            ["ps", "-u", str(NOBODY), "-o", "pid="], capture_output=True, text=True, check=False
        )
        assert left.stdout.strip() == "", "worker processes were left behind"


def _backtracking_glob(pattern: str) -> re.Pattern[str]:
    """The old translation of a glob to a regex: right, but exponential on some patterns."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        for token, regex in (("**/", "(?:.*/)?"), ("**", ".*"), ("*", "[^/]*"), ("?", "[^/]")):
            if pattern.startswith(token, i):
                out.append(regex)
                i += len(token)
                break
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?\\Z")


@given(
    st.text(alphabet="ab/*?.", max_size=10),
    st.text(alphabet="ab/.", max_size=12),
)
@example("**/", "a")
@example("**/b", "ab/")
@example("*", "a")
def test_globs_match_as_the_regex_translation_did(pattern: str, path: str) -> None:
    expected = _backtracking_glob(pattern).match(path) is not None
    assert compile_glob(pattern).match(path) is expected


@pytest.mark.parametrize(
    ("pattern", "relative", "expected"),
    [
        ("*a*a*a*a*a*a*a*ab", "a" * 5000 + ".yaml", False),
        ("*a*a*a*a*a*a*a*ab", "a" * 5000 + "b", True),
        ("**/" * 10 + "x.yaml", "a/" * 2000 + "y.yaml", False),
        ("**/" * 10 + "x.yaml", "a/" * 2000 + "x.yaml", True),
        ("*" * 3000 + "b", "a" * 3000, False),
        ("?" * 3000, "a" * 3000, True),
    ],
    ids=["stars", "stars-match", "globstars", "globstars-match", "star-run", "question-marks"],
)
def test_adversarial_globs_are_answered(pattern: str, relative: str, expected: bool) -> None:
    """With the backtracking regex the first cases took minutes to hours; each is one pass now."""
    assert glob_match(pattern, relative) is expected


@pytest.mark.parametrize(
    ("pattern", "name"),
    [("*a*a*a*a*a*a*a*ab", "a" * 80 + ".yaml"), ("**/" * 10 + "x.yaml", "a/" * 40 + "y.yaml")],
    ids=["stars", "globstars"],
)
def test_an_adversarial_exclude_does_not_stall_validate(
    tmp_path: Path, pattern: str, name: str
) -> None:
    target = tmp_path / "journeys" / name
    target.parent.mkdir(parents=True)
    shutil.copy(GOOD, target)
    (tmp_path / "cljourney.toml").write_text(f'exclude = ["{pattern}"]\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cljourney", "validate", "-q", "journeys"],
        capture_output=True,
        text=True,
        timeout=60,  # minutes with the backtracking glob: the test fails instead of stalling
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def typed_items(path: Path, count: int) -> Path:
    """A journey whose touchpoints list holds `count` numbers instead of mappings."""
    lines = [
        "cljourney: 1",
        "journey: {id: j, name: J, owner: o}",
        "stages:",
        "  - id: s",
        "    name: S",
    ]
    lines += ["    why: the customer sees value", "    touchpoints:"]
    lines += ["      - 12345"] * count
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def weak_whys(path: Path, count: int) -> Path:
    lines = [
        "cljourney: 1",
        "journey: {id: j, name: J, owner: o}",
        "stages:",
        "  - id: s",
        "    name: S",
    ]
    lines += ["    why: the customer sees value", "    touchpoints:"]
    for number in range(count):
        lines += [f"      - id: t{number}", f"        name: T{number}", "        why: TBD"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def json_findings(*args: str) -> list[dict[str, object]]:
    result = runner.invoke(app, ["validate", "--format", "json", "--isolated", *args])
    assert result.exit_code in (0, 1), result.output
    found: list[dict[str, object]] = json.loads(result.stdout)["findings"]
    return found


@pytest.mark.parametrize("count", [101, 2500])
def test_schema_findings_are_capped_per_file_with_a_count(chdir_tmp: Path, count: int) -> None:
    typed_items(chdir_tmp / "typed.yaml", count)
    found = json_findings("typed.yaml")
    assert [f["rule"] for f in found] == ["schema"] * 101
    assert [f["line"] for f in found[:100]] == list(range(8, 108))
    last = found[-1]
    assert (last["line"], last["column"]) == (108, 9)  # where the first unlisted one is
    assert f"{count - 100:,} more `schema` finding" in str(last["message"])


def test_rule_findings_are_capped_per_rule_and_all_go_to_a_baseline(chdir_tmp: Path) -> None:
    weak_whys(chdir_tmp / "weak.yaml", 130)
    found = json_findings("weak.yaml")
    weak = [f for f in found if f["rule"] == "weak-why"]
    assert len(weak) == 101
    assert "30 more `weak-why` findings" in str(weak[-1]["message"])
    assert weak[-1]["line"] == 8 + 3 * 100 + 2  # the why of touchpoint 101
    result = runner.invoke(
        app, ["validate", "--isolated", "--write-baseline", "base.json", "weak.yaml"]
    )
    assert result.exit_code == 0, result.output
    entries = json.loads((chdir_tmp / "base.json").read_text())["findings"]
    assert sum(1 for e in entries if e["rule"] == "weak-why") == 130
    assert json_findings("--baseline", "base.json", "weak.yaml") == []


def test_did_you_mean_compares_a_bounded_prefix_of_long_ids(
    chdir_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Long, similar ids made each hint cost (id length)^2 per known id; the hint is still given."""
    import difflib

    compared: list[int] = []
    set_seq1 = difflib.SequenceMatcher.set_seq1

    def recording(self: difflib.SequenceMatcher[str], a: str) -> None:
        compared.append(len(a))  # get_close_matches sets each candidate as seq1
        set_seq1(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", recording)
    stem = "step-" + "x" * 80
    lines = ["cljourney: 1", "journey: {id: j, name: J, owner: o}", "stages:", "  - id: s"]
    lines += ["    name: S", "    why: the customer sees value", "    touchpoints:"]
    for number in range(20):
        lines += [f"      - id: {stem}-{number:03d}", f"        name: T{number}"]
        lines += ["        why: the customer sees value"]
    lines[-1] += f"\n        next: [{stem}-99z]"
    (chdir_tmp / "long.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = json_findings("long.yaml")
    [unknown] = [f for f in found if f["rule"] == "unknown-reference"]
    assert "did you mean" in str(unknown["message"])
    assert compared and max(compared) <= 48


def whys(path: Path, *values: str) -> Path:
    lines = ["cljourney: 1", "journey: {id: j, name: J, owner: o}", "stages:", "  - id: s"]
    lines += [
        "    name: S",
        "    why: The customer sees their own data working for them.",
        "    touchpoints:",
    ]
    for number, value in enumerate(values):
        lines += [f"      - id: t{number}", f"        name: T{number}", f"        why: {value}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


WHYS = (
    "To be decided",  # line 10: a default placeholder
    "same as the stage above",  # line 13: a placeholder only when added
    # line 16: inward only when `quarterly` is added (not "the customer's quarterly numbers":
    # a metric the customer owns is the customer's gain, issue 17)
    "Grow the quarterly numbers.",
    # line 19: inward unless `patient` is a customer word (then the purpose is the customer's)
    "We text ahead so the patient never waits at the desk.",
)
SHORT = "min-why-length = 5\n"


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ("", [("inward-why", 19), ("weak-why", 10)]),
        (
            'extend-placeholders = ["same as the stage above"]',
            [("inward-why", 19), ("weak-why", 10), ("weak-why", 13)],
        ),
        (
            'placeholders = ["xyz"]\nextend-placeholders = ["same as the stage above"]',
            [("inward-why", 19), ("weak-why", 13)],
        ),
        (
            'extend-inward-words = ["quarterly"]',
            [("inward-why", 16), ("inward-why", 19), ("weak-why", 10)],
        ),
        ('extend-customer-words = ["patient"]', [("weak-why", 10)]),
    ],
    ids=["defaults", "extend-placeholders", "placeholders-and-extend", "inward", "customer"],
)
def test_extend_keys_add_to_the_word_lists(
    chdir_tmp: Path, options: str, expected: list[tuple[str, int]]
) -> None:
    whys(chdir_tmp / "whys.yaml", *WHYS)
    config = f"[options]\n{SHORT}{options}\n"
    (chdir_tmp / "cljourney.toml").write_text(config, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--format", "json", "whys.yaml"])
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.stdout)["findings"]
    why_rules = ("weak-why", "inward-why")
    assert sorted((f["rule"], f["line"]) for f in found if f["rule"] in why_rules) == expected


def test_explain_and_rules_json_show_the_whole_default_lists() -> None:
    from cljourney.rules.base import DEFAULT_CUSTOMER_WORDS, DEFAULT_PLACEHOLDERS

    explained = runner.invoke(app, ["explain", "weak-why"]).stdout
    assert ", ...]" not in explained
    assert json.dumps(list(DEFAULT_PLACEHOLDERS), ensure_ascii=False)[1:-1] in explained
    assert "extend-placeholders = (not set)" in explained
    rows = json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    options = {row["id"]: row["options"] for row in rows}
    assert options["inward-why"]["customer-words"] == list(DEFAULT_CUSTOMER_WORDS)
    assert options["weak-why"]["extend-placeholders"] is None
    assert options["weak-why"]["min-why-length"] == 20
