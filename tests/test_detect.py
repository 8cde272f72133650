"""One answer to "is this a journey?" for output safety, directory search and --skip-non-journeys.

Every way YAML can spell the top-level version key is tried against all three callers: `-o` must
refuse to replace the journey, a directory search must report it when it is broken, and
`--skip-non-journeys` must not skip it. Near-journeys (a misspelt header, or `journey` and
`stages` without one) are reported, and the summary counts the YAML files skipped.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from cljourney.cli.atomic import OutputError, write_text_atomic
from cljourney.load.detect import Verdict, sniff
from conftest import EXAMPLES

runner = CliRunner()

VALID = (EXAMPLES / "b2c-retail.yaml").read_text(encoding="utf-8")
BODY = VALID.split("\n", VALID.splitlines().index("cljourney: 1") + 1)[-1]  # after the header
LONG_COMMENT = "".join(f"# header comment line {n}: {'x' * 60}\n" for n in range(2000))  # 150 KB


def _utf16(text: str) -> bytes:
    return text.encode("utf-16")  # with a BOM, as editors save it


# Each way to write the version key, as a valid journey (bytes) the loader accepts.
SPELLINGS: dict[str, bytes] = {
    "plain": f"cljourney: 1\n{BODY}".encode(),
    "utf8-bom": codecs.BOM_UTF8 + f"cljourney: 1\n{BODY}".encode(),
    "double-quoted": f'"cljourney": 1\n{BODY}'.encode(),
    "single-quoted": f"'cljourney': 1\n{BODY}".encode(),
    "explicit-key": f"? cljourney\n: 1\n{BODY}".encode(),
    "json": json.dumps(
        {"journey": {"id": "x", "name": "X", "owner": "o"}, "cljourney": 1}
    ).encode(),
    "utf16": _utf16(f"cljourney: 1\n{BODY}"),
    "utf16-be": codecs.BOM_UTF16_BE + f"cljourney: 1\n{BODY}".encode("utf-16-be"),
    "long-header-comment": f"{LONG_COMMENT}cljourney: 1\n{BODY}".encode(),
    "key-last": f"{BODY}cljourney: 1\n".encode(),
}

# The same spellings with the YAML broken after the key: still journeys, so reported.
BROKEN: dict[str, bytes] = {
    "plain": b"cljourney: 1\njourney: {id: [unclosed\n",
    "utf8-bom": codecs.BOM_UTF8 + b"cljourney: 1\njourney: {id: [unclosed\n",
    "double-quoted": b'"cljourney": 1\njourney: {id: [unclosed\n',
    "single-quoted": b"'cljourney': 1\njourney: {id: [unclosed\n",
    "explicit-key": b"? cljourney\n: 1\njourney: {id: [unclosed\n",
    "flow": b'{"cljourney": 1, "journey": {"id": "x", "stages": [}',
    "utf16": _utf16("cljourney: 1\njourney: {id: [unclosed\n"),
    "utf16-flow": _utf16('{"cljourney": 1, "journey": [}'),
    "long-header-comment": f"{LONG_COMMENT}cljourney: 1\njourney: {{id: [unclosed\n".encode(),
    "bad-utf8": b"cljourney: 1\njourney:\n  id: \xff\n",
    "control-character": b"cljourney: 1\njourney:\n  id: a\n  name: b\x00\n",
    "utf16-control-character": _utf16("cljourney: 1\njourney:\n  name: \x07\n"),
}

# YAML that is not a journey in any spelling: skipped by a search, replaceable by -o.
OTHERS: dict[str, bytes] = {
    "empty": b"",
    "list": b"- cljourney: 1\n",
    "nested-key": b"ci:\n  cljourney: 1\n",
    "key-as-value": b"name: cljourney\n",
    "second-document": b"name: x\n---\ncljourney: 1\n",
    "broken-ci": b"ci:\n\tjob: x\n",
    "complex-key": b"? [cljourney]\n: 1\n",
    "comment": b"# cljourney: 1\nname: x\n",
}


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("data", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_every_spelling_of_a_journey_is_one_to_the_loader_and_to_sniff(
    data: bytes, tmp_path: Path
) -> None:
    assert sniff(data).verdict is Verdict.JOURNEY
    path = tmp_path / "j.yaml"
    path.write_bytes(data)
    code, out, _ = run("validate", "--isolated", "--format", "json", str(path))
    findings = json.loads(out)["findings"]
    assert not any("not a journey" in f["message"] for f in findings)
    assert code in (0, 1)


@pytest.mark.parametrize("data", SPELLINGS.values(), ids=SPELLINGS.keys())
@pytest.mark.parametrize("name", ["report.txt", "journey.yaml"])
def test_output_never_replaces_a_journey_however_it_is_written(
    data: bytes, name: str, tmp_path: Path
) -> None:
    target = tmp_path / name
    target.write_bytes(data)
    with pytest.raises(OutputError, match="is a journey file; cljourney never replaces"):
        write_text_atomic(target, "report\n")
    assert target.read_bytes() == data


@pytest.mark.parametrize("data", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_validate_o_refuses_a_journey_with_exit_2(data: bytes, chdir_tmp: Path) -> None:
    (chdir_tmp / "j.yaml").write_bytes(VALID.encode())
    (chdir_tmp / "other.md").write_bytes(data)
    code, _, err = run("validate", "--isolated", "j.yaml", "-o", "other.md")
    assert code == 2
    assert "other.md: is a journey file" in err
    assert (chdir_tmp / "other.md").read_bytes() == data


@pytest.mark.parametrize("data", BROKEN.values(), ids=BROKEN.keys())
@pytest.mark.parametrize("how", ["directory", "skip-non-journeys"])
def test_a_broken_journey_is_reported_not_skipped(data: bytes, how: str, chdir_tmp: Path) -> None:
    folder = chdir_tmp / "journeys"
    folder.mkdir()
    (folder / "broken.yaml").write_bytes(data)
    args = ["journeys"] if how == "directory" else ["--skip-non-journeys", "journeys/broken.yaml"]
    code, out, _ = run("validate", "--isolated", "--format", "json", *args)
    document = json.loads(out)
    assert code == 1
    assert {f["rule"] for f in document["findings"]} == {"yaml-syntax"}
    assert {f["path"] for f in document["findings"]} == {"journeys/broken.yaml"}
    assert document["summary"]["skipped"] == 0


@pytest.mark.parametrize("data", OTHERS.values(), ids=OTHERS.keys())
def test_other_yaml_is_skipped_counted_and_replaceable(data: bytes, chdir_tmp: Path) -> None:
    assert sniff(data).verdict is Verdict.OTHER
    folder = chdir_tmp / "journeys"
    folder.mkdir()
    (folder / "ci.yaml").write_bytes(data)
    (folder / "b2c.yaml").write_text(VALID, encoding="utf-8")
    code, out, _ = run("validate", "--isolated", "journeys")
    assert code == 0
    assert out == "All checks passed (1 journey file; 1 non-journey YAML file skipped).\n"
    write_text_atomic(chdir_tmp / "ci.yaml", "replaced\n")  # not an input here, not a journey


def test_summary_counts_skipped_files_when_none_is_a_journey(chdir_tmp: Path) -> None:
    (chdir_tmp / "a.yaml").write_text("name: a\n")
    (chdir_tmp / "b.yml").write_text("- b\n")
    code, out, _ = run("validate", "--isolated", ".")
    assert (code, out) == (0, "No journey files found (2 non-journey YAML files skipped).\n")


NEAR = {
    "misspelt-header": (
        "cljourny: 1\njourney: {id: x}\n",
        (1, 1),
        "did you mean `cljourney` instead of `cljourny`?",
    ),
    "capitalised-header": (
        "# notes\nCLJourney: 1\njourney: {id: x}\n",
        (2, 1),
        "did you mean `cljourney` instead of `CLJourney`?",
    ),
    "no-header": (
        "journey:\n  id: x\nstages: []\n",
        (1, 1),
        "it has `journey` and `stages` but no `cljourney` key; add `cljourney: 1`",
    ),
}


@pytest.mark.parametrize(("text", "where", "says"), NEAR.values(), ids=NEAR.keys())
@pytest.mark.parametrize("how", ["directory", "skip-non-journeys", "named"])
def test_a_near_journey_is_a_schema_error_with_a_hint(
    text: str, where: tuple[int, int], says: str, how: str, chdir_tmp: Path
) -> None:
    folder = chdir_tmp / "journeys"
    folder.mkdir()
    (folder / "nearly.yaml").write_text(text)
    (folder / "b2c.yaml").write_text(VALID, encoding="utf-8")
    args = {
        "directory": ["journeys"],
        "skip-non-journeys": ["--skip-non-journeys", "journeys/nearly.yaml"],
        "named": ["journeys/nearly.yaml"],
    }[how]
    code, out, _ = run("validate", "--isolated", "--format", "json", *args)
    [finding] = json.loads(out)["findings"]
    assert code == 1
    assert (finding["rule"], finding["path"]) == ("schema", "journeys/nearly.yaml")
    assert (finding["line"], finding["column"]) == where
    assert says in finding["message"]
