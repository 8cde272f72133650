"""The `validate` command end to end: exit statuses, output formats, discovery."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney import __version__
from cljourney.cli.app import app
from conftest import EXAMPLES, ROOT, RULE_CASES, expectations

BROKEN = ROOT / "tests" / "data" / "broken.yaml"
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1"})
    return result.exit_code, result.output


def test_examples_validate_cleanly() -> None:
    code, output = run("validate", str(EXAMPLES))
    assert code == 0, output
    assert output.strip() == "All checks passed (3 journey files)."


def test_broken_journey_gets_every_finding_at_the_right_line() -> None:
    code, output = run("validate", "--format", "json", str(BROKEN))
    assert code == 1
    findings = json.loads(output)["findings"]
    assert {(f["rule"], f["line"]) for f in findings} == expectations(BROKEN)
    rules_seen = {f["rule"] for f in findings}
    from cljourney.rules import CONFORM_ONLY, REGISTRY

    not_in_one_file = {"read-error", "yaml-syntax", "forward-loop", "duplicate-journey-id"}
    assert rules_seen >= set(REGISTRY) - not_in_one_file - CONFORM_ONLY


def test_text_format_lines() -> None:
    path = RULE_CASES / "handoff-gap" / "fail.yaml"
    code, output = run("validate", str(path))
    assert code == 0  # warnings do not fail without --strict
    lines = output.splitlines()
    where, rest = lines[0].split(":", 1)
    assert path.samefile(where)
    assert rest.startswith("23:13: warning handoff-gap the owner changes from 'ae' to 'csm'")
    assert lines[-1] == "Found 0 errors, 1 warning in 1 of 1 journey file."
    assert "\x1b[" not in output


def test_strict_fails_on_warnings() -> None:
    code, _ = run("validate", "--strict", str(RULE_CASES / "handoff-gap" / "fail.yaml"))
    assert code == 1


def test_errors_fail() -> None:
    code, output = run("validate", str(RULE_CASES / "missing-why" / "fail.yaml"))
    assert code == 1
    assert "error missing-why" in output


def test_json_format(tmp_path: Path) -> None:
    code, output = run("validate", "-f", "json", str(RULE_CASES / "weak-why" / "fail.yaml"))
    assert code == 0
    document = json.loads(output)
    assert document["summary"] == {
        "files": 1,
        "files_with_findings": 1,
        "errors": 0,
        "warnings": 1,
        "info": 0,
        "skipped": 0,
    }
    [finding] = document["findings"]
    assert finding["rule"] == "weak-why"
    assert (finding["line"], finding["column"]) == (30, 14)
    assert finding["journey"] == "demo" and finding["element"] == "training"
    assert finding["kind"] == "touchpoint"
    assert set(finding) == {
        "rule",
        "severity",
        "path",
        "line",
        "column",
        "message",
        "journey",
        "element",
        "kind",
        "related",
    }


def test_missing_path_is_a_usage_error() -> None:
    code, output = run("validate", "does/not/exist.yaml")
    assert code == 2
    assert "does/not/exist.yaml: no such file or directory" in output


def test_bad_option_is_a_usage_error() -> None:
    code, _ = run("validate", "--format", "xml", str(EXAMPLES))
    assert code == 2
    code, _ = run("validate", "--no-such-option")
    assert code == 2


def test_explicit_non_journey_is_an_error(tmp_path: Path) -> None:
    other = tmp_path / "ci.yaml"
    other.write_text("jobs:\n  test: {}\n")
    code, output = run("validate", str(other))
    assert code == 1
    assert "not a journey file" in output


def test_directory_scan_skips_non_journeys_and_tool_folders(tmp_path: Path) -> None:
    (tmp_path / "ci.yaml").write_text("jobs:\n  test: {}\n")
    (tmp_path / "broken-but-not-a-journey.yml").write_text("a: [\n")
    good = (RULE_CASES / "schema" / "pass.yaml").read_text()
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    (tmp_path / "nested" / "deeper" / "j.yml").write_text(good)
    for skipped in (".git", "node_modules", ".venv", "env"):
        (tmp_path / skipped).mkdir()
        (tmp_path / skipped / "bad.yaml").write_text("cljourney: 1\nbroken: [\n")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "broken.yaml").write_text("cljourney: 1\njourney: [\n")
    code, output = run("validate", "-f", "json", str(tmp_path))
    assert code == 1
    document = json.loads(output)
    assert document["summary"]["files"] == 2
    [finding] = document["findings"]
    assert finding["rule"] == "yaml-syntax"
    assert finding["path"].endswith("broken.yaml") and "node_modules" not in finding["path"]


def test_one_bad_file_never_hides_findings_in_another(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("cljourney: 1\njourney: [\n")
    (tmp_path / "b.yaml").write_bytes((RULE_CASES / "weak-why" / "fail.yaml").read_bytes())
    (tmp_path / "c.yaml").write_bytes(b"cljourney: 1\n\xff\n")
    code, output = run("validate", "-f", "json", str(tmp_path))
    assert code == 1
    rules = sorted(f["rule"] for f in json.loads(output)["findings"])
    assert rules == ["weak-why", "yaml-syntax", "yaml-syntax"]


def test_default_path_is_the_current_directory(chdir_tmp: Path) -> None:
    (chdir_tmp / "j.yaml").write_bytes((RULE_CASES / "missing-why" / "fail.yaml").read_bytes())
    code, output = run("validate")
    assert code == 1
    assert output.startswith("j.yaml:")


def test_no_journey_files(chdir_tmp: Path) -> None:
    code, output = run("validate")
    assert code == 0
    assert "No journey files found." in output


def test_color_always_and_never() -> None:
    path = str(RULE_CASES / "missing-why" / "fail.yaml")
    coloured = runner.invoke(app, ["validate", "--color", "always", path])
    assert "\x1b[" in coloured.output
    plain = runner.invoke(app, ["validate", "--color", "never", path], env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in plain.output


def test_user_text_is_not_rich_markup(tmp_path: Path) -> None:
    text = (RULE_CASES / "unknown-channel" / "fail.yaml").read_text()
    path = tmp_path / "j.yaml"
    path.write_text(text.replace("channel: e-mail", "channel: '[bold red]fax[/]'"))
    result = runner.invoke(app, ["validate", "--color", "always", str(path)])
    assert "channel '[bold red]fax[/]' is not" in result.output


def test_version() -> None:
    code, output = run("--version")
    assert code == 0
    assert output == f"cljourney {__version__}\n"


def _subprocess(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "cljourney", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
    )


def test_python_dash_m_and_piped_output_is_plain() -> None:
    result = _subprocess("validate", "examples")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "All checks passed (3 journey files).\n"
    assert result.stderr == ""


@pytest.mark.parametrize("args", [("validate", "nope.yaml"), ("validate", "--format", "xml", ".")])
def test_usage_errors_have_no_traceback(args: tuple[str, ...]) -> None:
    result = _subprocess(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout


def test_the_readme_format_example_validates_cleanly(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The journey file", 1)[1]
    example = section.split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(example, encoding="utf-8")
    code, output = run("validate", "--isolated", str(path))
    assert code == 0, output
    assert output.startswith("All checks passed")
