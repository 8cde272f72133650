"""Hostile input through the real command line: a finding and exit 1, never a traceback or a crash.

Each case runs `python -m cljourney validate` in a subprocess, so a segfault in a C parser (exit
139), a RecursionError or a MemoryError would show here as it would for a user.
"""

from __future__ import annotations

import codecs
import functools
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import RULE_CASES

CASE = RULE_CASES / "missing-why" / "fail.yaml"


def run(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CLJOURNEY_")}
    full_env.update({"NO_COLOR": "1", **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "cljourney", "validate", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
        check=False,
    )


def findings(path: Path, *extra: str, env: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The findings of a JSON run, after checking it ended as a user error, not a crash."""
    result = run(path, "--format", "json", *extra, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, (result.returncode, result.stderr)
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return found


def only(path: Path, *extra: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    [finding] = findings(path, *extra, env=env)
    assert finding["rule"] == "yaml-syntax"
    return finding


def write(tmp_path: Path, data: str | bytes, name: str = "journey.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


BILLION_LAUGHS = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)]
)


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    found = findings(write(tmp_path, "cljourney: 1\n" + BILLION_LAUGHS + "\n"))
    assert found
    assert all(f["rule"] == "yaml-syntax" for f in found)
    assert "aliases (*a) are not allowed" in found[0]["message"]
    assert (found[0]["line"], found[0]["column"]) == (3, 8)


# The root mapping is level 1 and the value of `x` level 2, so level 65 opens at the 64th bracket
# (or dash). libyaml 0.2.6 (PyYAML >= 6.0.3) stops at 1,000 levels on its own: the finding must not
# depend on which libyaml is installed.
@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param(
            "cljourney: 1\nx: " + "[" * 100_000 + "]" * 100_000 + "\n",
            (2, 4 + 63),
            id="flow-sequences",
        ),
        pytest.param(
            "cljourney: 1\nx: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n",
            (2, 4 + 63 * 4),
            id="flow-mappings",
        ),
        pytest.param(
            "cljourney: 1\nx:\n" + "- " * 100_000 + "leaf\n", (3, 1 + 63 * 2), id="block-sequences"
        ),
        pytest.param(
            "cljourney: 1\nxé: «" + "»\ny: " + "[" * 100_000 + "]" * 100_000 + "\n",
            (3, 4 + 63),
            id="flow-sequences-after-non-ascii",
        ),
    ],
)
def test_100000_deep_nesting_is_a_finding_not_a_segfault(
    tmp_path: Path, text: str, where: tuple[int, int]
) -> None:
    finding = only(write(tmp_path, text))
    assert finding["rule"] == "yaml-syntax"
    assert (finding["line"], finding["column"]) == where
    assert "nesting deeper than 64 levels" in finding["message"]


def test_deep_block_mappings(tmp_path: Path) -> None:
    # Block mappings indent one more column per level, so depth costs quadratic bytes: 2,000
    # levels (2 MB) is as deep as a file under the default size cap can go.
    text = (
        "cljourney: 1\n" + "".join(" " * i + f"k{i}:\n" for i in range(2000)) + " " * 2000 + "x\n"
    )
    finding = only(write(tmp_path, text))
    assert "nesting deeper than 64 levels" in finding["message"]
    assert finding["line"] == 2 + 64


def test_oversized_file_with_the_option(tmp_path: Path) -> None:
    path = write(tmp_path, "cljourney: 1\n# " + "x" * 5000 + "\n")
    finding = only(path, "--max-file-size", "4K")
    assert "5,016 bytes, over the 4,096-byte limit" in finding["message"]
    assert "--max-file-size" in finding["message"]


def test_oversized_file_with_the_environment_variable(tmp_path: Path) -> None:
    path = write(tmp_path, "cljourney: 1\n# " + "x" * 5000 + "\n")
    finding = only(path, env={"CLJOURNEY_MAX_FILE_SIZE": "1000"})
    assert "over the 1,000-byte limit" in finding["message"]


def test_default_cap_refuses_a_huge_file_without_reading_it_all(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:  # sparse: 1 GiB on paper, nothing on disk
        stream.write(b"cljourney: 1\n")
        stream.truncate(1024**3)
    finding = only(path)
    assert "1,073,741,824 bytes, over the 16,777,216-byte limit" in finding["message"]


@pytest.mark.parametrize("value", ["lots", "-1", "0", "12T"])
def test_bad_max_file_size_is_a_usage_error(tmp_path: Path, value: str) -> None:
    result = run(write(tmp_path, "cljourney: 1\n"), "--max-file-size", value)
    assert result.returncode == 2
    assert "--max-file-size" in result.stderr
    assert "Traceback" not in result.stderr


def test_too_many_elements(tmp_path: Path) -> None:
    text = "cljourney: 1\nx: [" + "0," * 1_000_001 + "]\n"
    finding = only(write(tmp_path, text))
    assert "more than 1,000,000 YAML nodes" in finding["message"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('x: !!python/object/apply:os.system ["echo pwned"]\n', "!!python/object/apply:os.system"),
        ("x: !!python/name:os.system\n", "!!python/name:os.system"),
        ("x: !custom value\n", "!custom"),
        ("x: !!binary aGVsbG8=\n", "!!binary"),
        ("x: !<tag:example.com,2024:thing> {a: 1}\n", "tag:example.com,2024:thing"),
    ],
)
def test_tags_are_refused(tmp_path: Path, text: str, shown: str) -> None:
    finding = only(write(tmp_path, "cljourney: 1\n" + text))
    assert f"the tag {shown} is not allowed" in finding["message"]
    assert finding["line"] == 2


def test_non_utf8_byte_is_located(tmp_path: Path) -> None:
    data = CASE.read_bytes().replace(b"name: Product demo", b"name: Produ\xe7t demo")
    finding = only(write(tmp_path, data))
    assert "invalid UTF-8 byte 0xe7" in finding["message"]
    line = next(i for i, text in enumerate(data.split(b"\n"), 1) if b"Produ\xe7t" in text)
    assert (finding["line"], finding["column"]) == (line, 20)


def positions(path: Path) -> list[tuple[str, int, int]]:
    return sorted((f["rule"], f["line"], f["column"]) for f in findings(path))


@functools.cache
def case_positions() -> list[tuple[str, int, int]]:
    """The findings of the unmodified case, computed once for every comparison below."""
    return positions(CASE)


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda text: text.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(lambda text: codecs.BOM_UTF8 + text.encode(), id="bom-utf8"),
        pytest.param(
            lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode(), id="bom-crlf"
        ),
        pytest.param(lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"), id="bom-utf16le"),
        pytest.param(lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"), id="bom-utf16be"),
    ],
)
def test_line_endings_and_boms_keep_line_numbers(tmp_path: Path, encode: Any) -> None:
    text = CASE.read_text(encoding="utf-8")
    expected = case_positions()
    assert expected  # the case has findings to compare
    assert positions(write(tmp_path, encode(text))) == expected


def test_tab_indentation_is_located(tmp_path: Path) -> None:
    text = CASE.read_text(encoding="utf-8").replace("        channel: video", "\tchannel: video", 1)
    finding = only(write(tmp_path, text))
    line = text.split("\n").index("\tchannel: video") + 1
    assert finding["line"] == line
    assert "indent with spaces" in finding["message"]


def test_tabs_inside_values_are_fine(tmp_path: Path) -> None:
    text = CASE.read_text(encoding="utf-8").replace("name: Product demo", 'name: "Product\tdemo"')
    assert positions(write(tmp_path, text)) == case_positions()


def test_unreadable_directory_entry_is_a_finding(tmp_path: Path) -> None:
    target = write(tmp_path, "cljourney: 1\n")
    link = tmp_path / "dangling.yaml"
    link.symlink_to(tmp_path / "missing.yaml")
    result = run(target, link)
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr
