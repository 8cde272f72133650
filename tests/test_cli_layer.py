"""The command-line layer's shape: `--format` choices come from the reporter tables, the shared
options read the same in every command, and cli/ uses typer's public API in small modules."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from cljourney.report import REPORTERS
from cljourney.report.diff import DIFF_REPORTERS

runner = CliRunner()
CLI = Path(__file__).parent.parent / "src" / "cljourney" / "cli"


def help_of(command: str) -> str:
    result = runner.invoke(app, [command, "--help"], env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    ("command", "table"), [("validate", REPORTERS), ("diff", DIFF_REPORTERS)], ids=str
)
def test_format_choices_are_the_reporter_table(command: str, table: Mapping[str, str]) -> None:
    # typer shows choices as `<a|b>` (0.29) or `[a|b]` (0.26): the choices are the point here.
    match = re.search(r"--format [<\[]([^>\]]+)[>\]]", help_of(command))
    assert match is not None
    assert match.group(1).split("|") == list(table)


@pytest.mark.parametrize("name", ["text", "json", "sarif", "github", "gitlab", "junit"])
def test_every_validate_format_has_a_writer(name: str) -> None:
    assert callable(REPORTERS.writer(name))


@pytest.mark.parametrize("name", ["text", "markdown", "json"])
def test_every_diff_format_has_a_writer(name: str) -> None:
    assert callable(DIFF_REPORTERS.writer(name))


SHARED = ["--config FILE", "--isolated", "--baseline FILE", "-o, --output FILE", "--color"]


@pytest.mark.parametrize("option", SHARED)
def test_shared_options_read_the_same_in_validate_and_diff(option: str) -> None:
    def line(text: str) -> str:
        found = [row.strip() for row in text.splitlines() if row.strip().startswith(option)]
        assert len(found) == 1, text
        return re.sub(r"\s+", " ", found[0])

    assert line(help_of("validate")) == line(help_of("diff"))


@pytest.mark.parametrize("path", sorted(CLI.glob("*.py")), ids=lambda p: p.name)
def test_cli_modules_are_small_and_override_no_private_typer_method(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) < 400
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    private = item.name.startswith("_") and not item.name.startswith("__")
                    assert not private or not node.bases, f"{node.name}.{item.name}"
        if isinstance(node, ast.Assign):
            for target in node.targets:
                assert not (isinstance(target, ast.Attribute) and target.attr == "__class__")
