"""Config discovery, precedence, errors with file and line, and what each key changes."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.cli.app import app
from conftest import RULE_CASES

runner = CliRunner()
WEAK = RULE_CASES / "weak-why" / "fail.yaml"  # one weak-why warning, line 30
CHANNEL = RULE_CASES / "unknown-channel" / "pass.yaml"


def rules_found(*args: str) -> list[tuple[str, str, int]]:
    result = runner.invoke(app, ["validate", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return [(f["rule"], f["severity"], f["line"]) for f in json.loads(result.stdout)["findings"]]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def journey(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "journey.yaml"
    shutil.copy(WEAK, target)
    return target


def test_no_config_reports_defaults(chdir_tmp: Path) -> None:
    journey(chdir_tmp)
    assert rules_found("journey.yaml") == [("weak-why", "warning", 30)]


def test_pyproject_table_sets_severity_and_strictness_follows(chdir_tmp: Path) -> None:
    journey(chdir_tmp)
    write(
        chdir_tmp / "pyproject.toml",
        '[project]\nname = "x"\n[tool.cljourney.severity]\nweak-why = "error"\n',
    )
    assert rules_found("journey.yaml") == [("weak-why", "error", 30)]
    assert runner.invoke(app, ["validate", "journey.yaml"]).exit_code == 1


def test_nearest_config_wins_and_pyproject_without_table_is_skipped(
    chdir_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(chdir_tmp / "cljourney.toml", 'ignore = ["weak-why"]\n')
    sub = chdir_tmp / "team"
    write(sub / "pyproject.toml", '[project]\nname = "x"\n')  # no [tool.cljourney]: not a config
    journey(sub)
    monkeypatch.chdir(sub)
    assert rules_found("journey.yaml") == []
    write(sub / ".cljourney.toml", '[severity]\nweak-why = "info"\n')
    assert rules_found("journey.yaml") == [("weak-why", "info", 30)]
    assert rules_found("--isolated", "journey.yaml") == [("weak-why", "warning", 30)]
    assert rules_found("--config", str(chdir_tmp / "cljourney.toml"), "journey.yaml") == []


def test_cljourney_toml_beats_pyproject_in_the_same_directory(chdir_tmp: Path) -> None:
    journey(chdir_tmp)
    write(chdir_tmp / "pyproject.toml", '[tool.cljourney]\nignore = ["weak-why"]\n')
    write(chdir_tmp / "cljourney.toml", '[severity]\nweak-why = "error"\n')
    assert rules_found("journey.yaml") == [("weak-why", "error", 30)]


def test_select_exclude_and_per_file_ignores(chdir_tmp: Path) -> None:
    journey(chdir_tmp / "a")
    journey(chdir_tmp / "b")
    journey(chdir_tmp / "drafts" / "c")
    write(
        chdir_tmp / "cljourney.toml",
        """
        select = ["weak-why", "schema"]
        exclude = ["drafts/**"]
        [per-file-ignores]
        "b/*.yaml" = ["weak-why"]
        """,
    )
    result = runner.invoke(app, ["validate", "--format", "json", "."])
    paths = [f["path"] for f in json.loads(result.stdout)["findings"]]
    assert paths == ["a/journey.yaml"]
    assert json.loads(result.stdout)["summary"]["files"] == 2


def test_rule_options_change_what_rules_find(chdir_tmp: Path) -> None:
    shutil.copy(RULE_CASES / "weak-why" / "pass.yaml", "journey.yaml")
    assert rules_found("journey.yaml") == []
    write(chdir_tmp / "cljourney.toml", "[options]\nmin-why-length = 70\n")
    found = rules_found("journey.yaml")
    assert found and {rule for rule, _, _ in found} == {"weak-why"}
    write(
        chdir_tmp / "cljourney.toml",
        '[options]\ninward-words = ["goals"]\ncustomer-words = ["nobody"]\n',
    )
    assert ("inward-why", "warning", 26) in rules_found("journey.yaml")
    write(
        chdir_tmp / "cljourney.toml",
        '[options]\nplaceholders = ["the customer checks the product fits their problem before paying."]\n',
    )
    assert ("weak-why", "warning", 12) in rules_found("journey.yaml")


def test_configured_channel_vocabulary_applies_to_journeys_without_channels(
    chdir_tmp: Path,
) -> None:
    text = CHANNEL.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("channels:")]
    Path("journey.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert rules_found("journey.yaml") == []
    write(chdir_tmp / "cljourney.toml", '[options]\nchannels = ["email"]\n')
    found = rules_found("journey.yaml")
    assert found and all(rule == "unknown-channel" for rule, _, _ in found)


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (
            'select = ["weak-why"]\n\n[severity]\nweak-whyy = "error"\n',
            4,
            "unknown rule id 'weak-whyy'; did you mean 'weak-why'?",
        ),
        ('ignore = [\n  "dead-end",\n  "nope",\n]\n', 1, "unknown rule id 'nope'"),
        ("# comment\n[options]\nmin-why-lenght = 3\n", 3, "unknown key `min-why-lenght`"),
        ('colour = "red"\n', 1, "unknown key `colour`"),
        ('[severity]\ndead-end = "fatal"\n', 2, "unknown severity 'fatal'"),
        ('[per-file-ignores]\n"x/*.yaml" = ["dead-ends"]\n', 2, "unknown rule id 'dead-ends'"),
        ('[options]\nmin-why-length = "20"\n', 2, "options.min-why-length"),
        ("select = [\n", 1, "invalid TOML"),
    ],
    ids=[
        "severity-key",
        "multiline-list",
        "option-key",
        "top-key",
        "severity-value",
        "per-file",
        "type",
        "toml",
    ],
)
def test_config_errors_name_file_and_line(
    chdir_tmp: Path, text: str, line: int, fragment: str
) -> None:
    journey(chdir_tmp)
    write(chdir_tmp / "cljourney.toml", text)
    result = runner.invoke(app, ["validate", "journey.yaml"])
    assert result.exit_code == 2
    assert f"cljourney.toml:{line}: " in result.stderr
    assert fragment in result.stderr


def test_pyproject_errors_point_into_the_tool_table(chdir_tmp: Path) -> None:
    journey(chdir_tmp)
    write(
        chdir_tmp / "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.cljourney]\nselect = ["weak-why"]\nstrictt = true\n',
    )
    result = runner.invoke(app, ["validate", "journey.yaml"])
    assert result.exit_code == 2
    assert "pyproject.toml:6: tool.cljourney.strictt: unknown key `strictt`" in result.stderr


def test_missing_config_path_is_a_usage_error(chdir_tmp: Path) -> None:
    result = runner.invoke(app, ["validate", "--config", "nope.toml", "."])
    assert result.exit_code == 2
    assert "nope.toml: no such config file" in result.stderr


def test_config_from_a_stream_is_read_like_a_file(chdir_tmp: Path) -> None:
    # `--config <(...)` (a pipe under /dev/fd) and `--config /dev/null` (no settings at all).
    journey(chdir_tmp)
    run = f"{shlex.quote(sys.executable)} -m cljourney validate journey.yaml --config"
    script = f"{run} <(printf 'ignore = [\"weak-why\"]\\n') && {run} <(printf 'ignor = []\\n')"
    result = subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=False)
    assert result.stdout == "All checks passed (1 journey file).\n"
    assert result.returncode == 2
    assert re.fullmatch(
        r"cljourney: error: /dev/fd/\d+:1: ignor: unknown key `ignor`; did you mean `ignore`\?\n",
        result.stderr,
    )
    plain = runner.invoke(app, ["validate", "--config", "/dev/null", "journey.yaml"])
    assert plain.exit_code == 0 and "weak-why" in plain.stdout  # a warning, not ignored


@pytest.mark.parametrize("command", ["validate", "conform"])
def test_a_directory_as_config_is_named_as_one(command: str, chdir_tmp: Path) -> None:
    Path("settings").mkdir()
    args = ["--events", "log.csv"] if command == "conform" else []
    result = runner.invoke(app, [command, "--config", "settings", "journey.yaml", *args])
    assert result.exit_code == 2
    assert result.stderr == (
        "cljourney: error: settings: is a directory, not a config file; name the TOML file in it\n"
    )


def test_every_config_error_is_reported_in_our_words(chdir_tmp: Path) -> None:
    Path("cljourney.toml").write_text(
        'ignore = "inward-why"\nexlude = ["a"]\n[options]\nmin-why-lenght = 3\n', encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["validate", "."])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [
        'cljourney: error: cljourney.toml:1: ignore: expected a list, e.g. ["weak-why"]',
        "cljourney.toml:2: exlude: unknown key `exlude`; did you mean `exclude`?",
        "cljourney.toml:4: options.min-why-lenght: unknown key `min-why-lenght`; did you mean `min-why-length`?",
    ]


def test_tool_header_in_cljourney_toml_is_explained(chdir_tmp: Path) -> None:
    Path("cljourney.toml").write_text(
        '\n[tool.cljourney]\nignore = ["inward-why"]\n', encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["validate", "."])
    assert result.exit_code == 2
    assert "cljourney.toml:2: `[tool.cljourney]` belongs only in pyproject.toml" in result.stderr


@pytest.mark.parametrize("name", ["cljourney.toml", "63"])
def test_tool_header_message_names_no_bare_file_name(chdir_tmp: Path, name: str) -> None:
    Path(name).write_text("[tool.cljourney]\nselect = []\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", ".", "--config", name])
    assert result.exit_code == 2
    assert (
        f"{name}:1: `[tool.cljourney]` belongs only in pyproject.toml; in this file write the"
        " keys at the top level"
    ) in result.stderr, result.stderr


def test_a_key_in_the_wrong_table_is_sent_to_its_own(chdir_tmp: Path) -> None:
    """`stuck-after` is a rule option and `timezone` an event-log setting: written at the top
    level or in the other table, the message names the table each belongs in."""
    Path("cljourney.toml").write_text(
        'stuck-after = "10d"\n[options]\ntimezone = "UTC"\n[events]\nsla-share = "80%"\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["validate", "."])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "cljourney: error: cljourney.toml:1: stuck-after: unknown key `stuck-after` here;"
        " it belongs in the `options` table",
        "cljourney.toml:3: options.timezone: unknown key `timezone` here; it belongs in the"
        " `events` table",
        "cljourney.toml:5: events.sla-share: unknown key `sla-share` here; it belongs in the"
        " `options` table",
    ]
