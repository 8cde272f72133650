"""Odd file names in every output format: one line per finding in text, no injected workflow
command in github, valid UTF-8 JSON and XML, percent-encoded SARIF URIs, and render still works.

File names are bytes: a newline, `::error` after it, an escape character, bytes that are not
UTF-8, `#`, `%` and spaces are all allowed by the file system, and all of them are tried.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote_to_bytes

import pytest

from conftest import EXAMPLES, RULE_CASES

CASE = RULE_CASES / "missing-why" / "fail.yaml"  # one missing-why error at 27:9

NAMES: dict[str, tuple[bytes, str]] = {
    # (the name on disk, how text reports show it)
    "newline-injection": (
        b"a\n::error file=x.yaml::pwned.yaml",
        "a\\n::error file=x.yaml::pwned.yaml",
    ),
    "carriage-return": (b"a\r::warning::x.yaml", "a\\r::warning::x.yaml"),
    "not-utf8": (b"caf\xe9.yaml", "caf\\xe9.yaml"),
    "escape-sequence": (b"\x1b[31mred.yaml", "\\x1b[31mred.yaml"),
    "line-separator": ("a\u2028b.yaml".encode(), "a\\u2028b.yaml"),
    "hash-percent-space": (b"my #1 100% journey.yaml", "my #1 100% journey.yaml"),
    "plain-unicode": ("caf\u00e9.yaml".encode(), "caf\u00e9.yaml"),
}


def run(folder: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    result = subprocess.run(
        [sys.executable, "-m", "cljourney", *args],
        cwd=folder.parent,
        capture_output=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    assert b"Traceback" not in result.stderr and b"internal error" not in result.stderr
    return result


def validate(folder: Path, *args: str) -> tuple[int, bytes]:
    output = folder.parent / "report.out"
    result = run(folder, "validate", "--isolated", "j", "-o", str(output), *args)
    return result.returncode, output.read_bytes()


@pytest.fixture(params=NAMES.values(), ids=NAMES.keys())
def named(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, bytes, str]:
    raw, shown = request.param
    folder = tmp_path / "j"
    folder.mkdir()
    shutil.copy(CASE, os.path.join(os.fsencode(folder), raw))
    return folder, raw, shown


def test_text_keeps_one_line_per_finding(named: tuple[Path, bytes, str]) -> None:
    folder, _, shown = named
    code, out = validate(folder, "--format", "text")
    assert code == 1
    lines = out.decode("utf-8").split("\n")
    assert lines[0].startswith(f"j/{shown}:27:9: error missing-why ")
    assert lines[1:] == ["Found 1 error, 0 warnings in 1 of 1 journey file.", ""]


def test_github_commands_cannot_be_injected(named: tuple[Path, bytes, str]) -> None:
    folder, _, _ = named
    code, out = validate(folder, "--format", "github")
    assert code == 1
    lines = out.decode("utf-8").split("\n")
    assert [line.split(" ")[0].split("::")[1] for line in lines[:3]] == [
        "group",
        "error",
        "endgroup",
    ]
    assert lines[1].count("::") == 2  # `::error props::message`: no second command in the file
    assert lines[3:] == ["Found 1 error, 0 warnings in 1 of 1 journey file.", ""]


@pytest.mark.parametrize("fmt", ["json", "gitlab"])
def test_json_formats_are_valid_utf8(named: tuple[Path, bytes, str], fmt: str) -> None:
    folder, raw, shown = named
    code, out = validate(folder, "--format", fmt)
    assert code == 1
    document = json.loads(out.decode("utf-8"))
    entry = document["findings"][0] if fmt == "json" else document[0]
    path = entry["path"] if fmt == "json" else entry["location"]["path"]
    try:
        real = raw.decode("utf-8")
    except UnicodeDecodeError:
        real = shown  # not UTF-8: shown escaped, the only way JSON text can carry it
    assert path == f"j/{real}"


def test_sarif_uris_carry_the_real_bytes_percent_encoded(named: tuple[Path, bytes, str]) -> None:
    folder, raw, _ = named
    code, out = validate(folder, "--format", "sarif")
    assert code == 1
    [result] = json.loads(out.decode("utf-8"))["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert all(c not in uri for c in " #\n\r") and uri.isascii()
    assert unquote_to_bytes(uri) == b"j/" + raw


def test_junit_is_well_formed(named: tuple[Path, bytes, str]) -> None:
    folder, _, shown = named
    code, out = validate(folder, "--format", "junit")
    assert code == 1
    suite = ET.fromstring(out.decode("utf-8")).find("testsuite")
    assert suite is not None and suite.get("file") == f"j/{shown}"


def test_render_a_folder_with_the_name(named: tuple[Path, bytes, str]) -> None:
    folder, raw, _ = named
    for name in os.listdir(os.fsencode(folder)):  # a journey that loads, under the odd name
        shutil.copy(EXAMPLES / "b2c-retail.yaml", os.path.join(os.fsencode(folder), name))
    out = folder.parent / "out"
    out.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "cljourney", "render", "--isolated", "j", "-o", "out/"],
        cwd=folder.parent,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    index = (out / "README.md").read_text(encoding="utf-8")
    [row] = [line for line in index.splitlines() if "b2c-retail.md" in line]
    link = row.rsplit("](", 1)[1].split(") |", 1)[0]  # the Source cell; review columns follow
    assert unquote_to_bytes(link) == b"../j/" + raw


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_diff_reports_the_name(named: tuple[Path, bytes, str], fmt: str) -> None:
    folder, raw, shown = named
    newer = folder.parent / "k"
    newer.mkdir()
    text = (EXAMPLES / "b2c-retail.yaml").read_text(encoding="utf-8")
    (Path(os.fsdecode(os.fsencode(folder) + b"/" + raw))).write_text(text, encoding="utf-8")
    changed = text.replace("Running-shoe retail", "Running shoe retail")
    Path(os.fsdecode(os.fsencode(newer) + b"/" + raw)).write_text(changed, encoding="utf-8")
    output = folder.parent / "diff.out"
    result = subprocess.run(
        [sys.executable, "-m", "cljourney", "diff", "j", "k", "-f", fmt, "-o", str(output)],
        cwd=folder.parent,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report = output.read_text(encoding="utf-8")
    if fmt == "text":
        assert report.splitlines()[0] == f"journey b2c-retail (j/{shown} -> k/{shown})"


def odd(folder: Path, raw: bytes, suffix: bytes = b"") -> str:
    """The odd name as a command-line argument (bytes that are not UTF-8 included)."""
    return os.fsdecode(b"j/" + raw + suffix)


def test_an_error_naming_the_output_stays_on_one_line(named: tuple[Path, bytes, str]) -> None:
    # stderr is read for workflow commands too: `-o` a journey with the odd name is refused
    folder, raw, shown = named
    result = run(folder, "schema", "-o", odd(folder, raw))
    assert result.returncode == 2
    assert result.stderr.decode("utf-8").split("\n") == [
        f"cljourney: error: j/{shown}: is a journey file; cljourney never replaces a journey"
        " with its output. Choose another output path",
        "",
    ]


def test_a_config_error_naming_the_file_stays_on_one_line(named: tuple[Path, bytes, str]) -> None:
    folder, raw, shown = named
    config = odd(folder, raw, b".toml")
    (folder.parent / config).write_text(
        "bogus = 1\n[severity]\nweak-whyy = 'error'\n", encoding="utf-8"
    )
    result = run(folder, "validate", "--config", config, "j")
    assert result.returncode == 2
    lines = result.stderr.decode("utf-8").split("\n")
    assert lines[0].startswith(f"cljourney: error: j/{shown}.toml:1: bogus: ")
    assert lines[1].startswith(f"j/{shown}.toml:3: severity.weak-whyy: ")
    assert lines[2:] == [""]


def test_fmt_names_a_file_on_one_line(named: tuple[Path, bytes, str]) -> None:
    folder, raw, shown = named
    path = folder.parent / odd(folder, raw)
    path.write_text(path.read_text(encoding="utf-8").replace("cljourney: 1", "cljourney:   1"))
    result = run(folder, "fmt", "--check", "j")
    assert result.returncode == 1
    assert result.stdout.decode("utf-8") == f"would reformat j/{shown}\n"
