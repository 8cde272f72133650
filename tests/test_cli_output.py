"""Where commands write: -o never replaces an input, a trailing / means a directory, render takes
its format from the file name, and validate and render say the same thing about a broken file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli import app
from conftest import EXAMPLES, RULE_CASES

runner = CliRunner()
JOURNEY = EXAMPLES / "b2c-retail.yaml"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def journeys(chdir_tmp: Path) -> Path:
    folder = chdir_tmp / "j"
    folder.mkdir()
    for path in EXAMPLES.glob("*.yaml"):
        shutil.copy(path, folder / path.name)
    return folder


@pytest.mark.parametrize(
    "args",
    [
        ["render", "j/b2c-retail.yaml", "-o", "j/b2c-retail.yaml"],
        ["render", "j/b2c-retail.yaml", "-o", "j/b2c-retail.yaml", "--format", "json"],
        ["validate", "j/marketing-lifecycle.yaml", "-o", "j/marketing-lifecycle.yaml"],
        ["validate", "j", "-o", "j/b2c-retail.yaml", "--format", "json"],
        ["validate", "j", "--write-baseline", "j/b2c-retail.yaml"],
        ["schema", "-o", "j/b2c-retail.yaml"],
        ["diff", "j/b2c-retail.yaml", "j/b2b-saas.yaml", "-o", "j/b2b-saas.yaml"],
    ],
    ids=["render", "render-json", "validate", "validate-dir", "baseline", "schema", "diff"],
)
def test_output_never_replaces_a_journey(journeys: Path, args: list[str]) -> None:
    before = {p.name: p.read_bytes() for p in journeys.iterdir()}
    code, _, err = run(*args)
    assert code == 2, err
    assert re.search(r"is (one of the input files|a journey file)", err), err
    assert {p.name: p.read_bytes() for p in journeys.iterdir()} == before


def test_a_new_yaml_output_inside_an_input_directory_is_refused(journeys: Path) -> None:
    code, _, err = run("validate", "j", "-o", "j/report.yml")
    assert code == 2 and "the next run would read it as a journey" in err
    assert not (journeys / "report.yml").exists()


def test_read_only_output_is_a_clear_error(journeys: Path) -> None:
    target = journeys.parent / "report.txt"
    target.write_text("old\n")
    target.chmod(0o444)
    code, _, err = run("validate", "j", "-o", str(target))
    assert code == 2 and "report.txt: is read-only; make it writable" in err
    assert target.read_text() == "old\n"
    code, _, err = run("render", "j/b2c-retail.yaml", "-o", "report.txt", "--format", "markdown")
    assert code == 2 and "is read-only" in err


@pytest.mark.parametrize(
    "args",
    [
        ["render", "j/b2c-retail.yaml", "-o", "outx/"],
        ["validate", "j", "-o", "outx/"],
        ["schema", "-o", "outx/"],
        ["init", "outx/"],
    ],
    ids=["render", "validate", "schema", "init"],
)
def test_trailing_slash_means_a_directory(journeys: Path, args: list[str]) -> None:
    code, _, err = run(*args)
    assert code == 2
    assert "outx/: no such directory; create it first (mkdir -p outx)" in err
    assert not (journeys.parent / "outx").exists()


def test_trailing_slash_on_an_existing_directory(journeys: Path) -> None:
    out = journeys.parent / "out"
    out.mkdir()
    assert run("render", "j/b2c-retail.yaml", "-o", "out/")[0] == 0
    assert [p.name for p in out.iterdir()] == ["b2c-retail.md"]
    assert run("init", "out/", "-t", "b2c")[0] == 0
    assert (out / "b2c-retail.yaml").is_file()
    code, _, err = run("validate", "j", "-o", "out/")
    assert code == 2 and "is a directory, but the report is one file" in err


def test_existing_file_where_a_directory_is_needed(journeys: Path) -> None:
    code, _, err = run("render", "j", "-o", "j/b2c-retail.yaml")
    assert code == 2
    assert "is a file, but several journeys need a directory" in err and "mkdir" not in err
    (journeys.parent / "notes").write_text("x\n")
    code, _, err = run("render", "j/b2c-retail.yaml", "-o", "notes/")
    assert code == 2 and "notes is a file, not a directory" in err and "mkdir" not in err


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("map.html", "<!DOCTYPE html>"),
        ("map.htm", "<!DOCTYPE html>"),
        ("map.md", "# "),
        ("map.markdown", "# "),
        ("map.mmd", "flowchart"),
        ("map.json", "{"),
        ("map.txt", "# "),  # unknown extension: the default, markdown
    ],
)
def test_render_format_follows_the_output_extension(chdir_tmp: Path, name: str, start: str) -> None:
    assert run("render", str(JOURNEY), "-o", name)[0] == 0
    assert (chdir_tmp / name).read_text(encoding="utf-8").lstrip().startswith(start)


def test_render_format_contradicting_the_extension_is_refused(chdir_tmp: Path) -> None:
    code, _, err = run("render", str(JOURNEY), "-o", "x.md", "--format", "html")
    assert code == 2
    assert "-o x.md names a markdown file but --format is html" in err and ".html" in err
    assert not (chdir_tmp / "x.md").exists()
    assert run("render", str(JOURNEY), "-o", "x.html", "--format", "html")[0] == 0


def test_github_format_is_automatic_only_on_stdout(chdir_tmp: Path) -> None:
    weak = str(RULE_CASES / "weak-why" / "fail.yaml")
    _, out, _ = run("validate", weak, env={"GITHUB_ACTIONS": "true"})
    assert out.startswith("::group::")
    assert run("validate", weak, "-o", "report.txt", env={"GITHUB_ACTIONS": "true"})[0] == 0
    text = (chdir_tmp / "report.txt").read_text()
    assert "::" not in text and " warning weak-why " in text


def test_render_reports_load_failures_in_validate_format(chdir_tmp: Path) -> None:
    broken = RULE_CASES / "yaml-syntax" / "fail.yaml"
    dangling = chdir_tmp / "gone.yaml"
    dangling.symlink_to(chdir_tmp / "deleted.yaml")
    for path in (broken, dangling):
        _, validated, _ = run("validate", str(path), "-q")
        code, out, err = run("render", str(path))
        assert code == 1 and out == ""
        assert err.splitlines()[:-1] == validated.splitlines()
    assert " error read-error cannot read the file: it is a symbolic link to " in validated


def test_check_says_missing_or_stale(chdir_tmp: Path) -> None:
    assert run("render", str(EXAMPLES), "-o", ".")[0] == 0
    (chdir_tmp / "README.md").unlink()
    (chdir_tmp / "b2c-retail.md").write_text("old\n")
    code, out, _ = run("render", str(EXAMPLES), "-o", ".", "--check")
    assert code == 1
    assert "missing: README.md" in out and "stale: b2c-retail.md" in out
    assert "stale: README.md" not in out


def test_help_shows_metavars_and_whole_summaries() -> None:
    root = run("--help")[1]
    assert "..." not in root.split("Commands:")[1]
    render = run("render", "--help")[1]
    assert "Usage: cljourney render [OPTIONS] PATH..." in render
    assert "<list[Path]>" not in render and "{" not in render
    assert "-o, --output FILE_OR_DIR" in render
    assert "Usage: cljourney explain [OPTIONS] RULE" in run("explain", "--help")[1]
    validate = run("validate", "--help")[1]
    assert "-o, --output FILE" in validate and "<path>" not in validate


def test_bad_choice_has_no_library_prefix() -> None:
    code, _, err = run("init", "-t", "foo")
    assert code == 2
    assert "Value error" not in err and "'foo' is not one of 'b2b-saas'" in err


def test_excluded_named_file_names_the_config(journeys: Path) -> None:
    (journeys.parent / "cljourney.toml").write_text('exclude = ["j/b2c-retail.yaml"]\n')
    code, out, err = run("validate", "j/b2c-retail.yaml")
    assert code == 0 and out.strip() == "No journey files found."
    assert "j/b2c-retail.yaml is excluded by `exclude` in cljourney.toml" in err
