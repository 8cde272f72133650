"""`rules`, `explain`, `schema` and `init`: all generated from the code, all checked for real."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from cljourney.check.pipeline import validate
from cljourney.cli.app import app
from cljourney.load.tree import Tree, parse_tree
from cljourney.rules import REGISTRY
from cljourney.starters import TEMPLATES, default_name, template_text
from conftest import EXAMPLES, ROOT, RULE_CASES

runner = CliRunner()
README = ROOT / "README.md"
TEMPLATE_EXAMPLES = {
    "b2b-saas": "b2b-saas.yaml",
    "b2c": "b2c-retail.yaml",
    "marketing": "marketing-lifecycle.yaml",
}


def test_readme_rule_table_is_what_the_registry_says() -> None:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- rules-table:start -->\n(.*?)<!-- rules-table:end -->", text, re.S)
    assert match, "README lacks the generated rule table markers"
    generated = runner.invoke(app, ["rules", "--format", "markdown"]).stdout
    assert match.group(1) == generated, "regenerate with `cljourney rules --format markdown`"


def test_rules_lists_every_rule_once() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    assert [line.split()[0] for line in result.stdout.splitlines()] == list(REGISTRY)
    rows = json.loads(runner.invoke(app, ["rules", "--format", "json"]).stdout)
    assert [(r["id"], r["severity"]) for r in rows] == [
        (r.id, r.severity.value) for r in REGISTRY.values()
    ]


@pytest.mark.parametrize("rule_id", sorted(REGISTRY))
def test_explain_prints_the_docs_and_both_examples(rule_id: str) -> None:
    rule = REGISTRY[rule_id]
    result = runner.invoke(app, ["explain", rule_id])
    assert result.exit_code == 0
    out = result.stdout
    assert rule.summary in out and rule.finds in out and rule.matters in out
    for example in (rule.bad, rule.good):
        assert all(line in out for line in example.splitlines())


def test_explain_unknown_rule_suggests_one() -> None:
    result = runner.invoke(app, ["explain", "dead-ends"])
    assert result.exit_code == 2
    assert "did you mean 'dead-end'?" in result.stderr


def _schema() -> dict[str, object]:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema: dict[str, object] = json.loads(result.stdout)
    return schema


def _data(path: Path | str) -> object:
    text = path.read_bytes() if isinstance(path, Path) else path.encode()
    tree = parse_tree(text)
    assert isinstance(tree, Tree)
    return tree.root


def _journeys() -> list[Path]:
    found = sorted(EXAMPLES.glob("*.yaml")) if EXAMPLES.is_dir() else []
    return found + [RULE_CASES / rule / "pass.yaml" for rule in ("weak-why", "handoff-gap")]


def test_schema_accepts_every_example_and_rejects_broken_ones() -> None:
    schema = _schema()
    validator = jsonschema.Draft202012Validator(schema)
    jsonschema.Draft202012Validator.check_schema(schema)
    for path in _journeys():
        errors = [e.message for e in validator.iter_errors(_data(path))]
        assert errors == [], path
    for name in TEMPLATES:
        assert list(validator.iter_errors(_data(template_text(name)))) == []
    broken = ROOT / "tests" / "data" / "broken.yaml"
    if broken.is_file():
        tree = parse_tree(broken.read_bytes())
        if isinstance(tree, Tree):
            assert list(validator.iter_errors(tree.root))
    for mutation in ("ownr: csm", "score: 9", "id: Not A Slug"):
        text = (RULE_CASES / "weak-why" / "pass.yaml").read_text(encoding="utf-8")
        key = mutation.split(":")[0]
        if key == "score":
            text = text.replace(
                "        channel: video\n",
                "        channel: video\n        customer: {score: 9}\n",
                1,
            )
        elif key == "id":
            text = text.replace("id: demo\n", "id: Not A Slug\n", 1)
        else:
            text = text.replace("    owner: ae\n", "    ownr: ae\n", 1)
        assert list(validator.iter_errors(_data(text))), mutation


def test_schema_describes_every_field() -> None:
    schema = _schema()
    definitions = dict(schema["$defs"])  # type: ignore[call-overload]
    definitions["JourneyFile"] = schema
    for name, definition in definitions.items():
        assert definition.get("description"), name
        for field, spec in definition["properties"].items():
            assert spec.get("description"), f"{name}.{field} has no description"


@pytest.mark.parametrize("template", TEMPLATES)
def test_init_writes_a_journey_that_validates_cleanly(chdir_tmp: Path, template: str) -> None:
    Path("journeys").mkdir()
    result = runner.invoke(app, ["init", "--template", template, "journeys"])
    assert result.exit_code == 0, result.output
    written = Path("journeys") / default_name(template)
    expected = TEMPLATE_EXAMPLES.get(template, "my-journey.yaml")
    assert written.name == expected  # the journey id, as render names the map
    assert validate([written]).findings == []
    assert runner.invoke(app, ["validate", str(written)]).exit_code == 0


def test_init_refuses_to_overwrite(chdir_tmp: Path) -> None:
    Path("b2b-saas.yaml").write_text("mine\n", encoding="utf-8")
    result = runner.invoke(app, ["init"])
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert Path("b2b-saas.yaml").read_text(encoding="utf-8") == "mine\n"
    assert runner.invoke(app, ["init", "new.yaml"]).exit_code == 0
    assert validate([Path("new.yaml")]).findings == []
    assert sorted(p.name for p in chdir_tmp.iterdir()) == ["b2b-saas.yaml", "new.yaml"]


def test_init_names_the_file_after_the_journey_and_refuses_other_suffixes(chdir_tmp: Path) -> None:
    assert runner.invoke(app, ["init", "-t", "b2c"]).exit_code == 0
    assert Path("b2c-retail.yaml").is_file()
    for name in ("foo.txt", "journey"):
        result = runner.invoke(app, ["init", name])
        assert result.exit_code == 2
        assert "end in .yaml or .yml" in result.stderr
        assert not Path(name).exists()
    assert runner.invoke(app, ["init", "upper.YML"]).exit_code == 0


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="examples/ has not been merged into this branch")
@pytest.mark.parametrize("template", TEMPLATE_EXAMPLES)
def test_templates_are_the_examples(template: str) -> None:
    """Templates are copies of examples/ (refresh with scripts/sync-templates)."""
    assert template_text(template) == (EXAMPLES / TEMPLATE_EXAMPLES[template]).read_text(
        encoding="utf-8"
    )


def test_readme_changelog_and_version_agree() -> None:
    from cljourney import __version__

    readme = README.read_text(encoding="utf-8")
    assert re.findall(r"^\s*rev: (\S+)$", readme, re.M) == [f"v{__version__}"]
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[([^\]]+)\]", changelog, re.M)
    assert releases[0] == "Unreleased" and releases[1] == __version__, releases
    assert len(releases) == len(set(releases))


@pytest.mark.parametrize("rule_id", ["weak-why", "inward-why", "unknown-channel"])
def test_explain_names_the_options_that_tune_the_rule_and_they_work(
    tmp_path: Path, rule_id: str
) -> None:
    from cljourney.check.config import OptionsConfig

    text = runner.invoke(app, ["explain", rule_id]).stdout
    assert REGISTRY[rule_id].options
    for option in REGISTRY[rule_id].options:
        assert option.attribute in OptionsConfig.model_fields
        assert f"    {option.key} = " in text
    failing = RULE_CASES / rule_id / "fail.yaml"
    assert runner.invoke(app, ["validate", "--strict", "--isolated", str(failing)]).exit_code == 1
    lines = text.splitlines()
    for start in ("    ignore = ", "    severity = "):
        snippet = next(line.strip() for line in lines if line.startswith(start))
        config = tmp_path / "cljourney.toml"
        config.write_text(snippet.split("  #")[0] + "\n", encoding="utf-8")
        result = runner.invoke(app, ["validate", "--strict", "--config", str(config), str(failing)])
        assert result.exit_code == 0, (snippet, result.output)


def test_explain_without_options_still_says_how_to_turn_it_off() -> None:
    text = runner.invoke(app, ["explain", "dead-end"]).stdout
    assert 'ignore = ["dead-end"]' in text and "Tune it" not in text


CONFORM_EXAMPLE = "cljourney conform examples/b2b-saas.yaml --events examples/events/b2b-saas.csv"


def test_readme_conform_output_is_what_the_command_prints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The README's shortened `conform` output: every line it keeps (all but `...`), in order,
    is a line the command prints today, the summary line last."""
    text = README.read_text(encoding="utf-8")
    at = text.index(f"(`{CONFORM_EXAMPLE}`")
    match = re.search(r"```text\n(.*?)```", text[at:], re.DOTALL)
    assert match, "README lacks the conform example output"
    shown = [line for line in match.group(1).splitlines() if line != "..."]
    monkeypatch.chdir(ROOT)
    result = runner.invoke(
        app, CONFORM_EXAMPLE.split()[1:], env={"NO_COLOR": "1", "COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    printed = result.stdout.splitlines()
    assert shown[-1] == printed[-1]  # the summary line
    lines = iter(printed)
    missing = [line for line in shown if not any(line == out for out in lines)]
    assert missing == [], missing


def test_readme_conform_json_summary_is_what_the_command_prints(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = README.read_text(encoding="utf-8")
    at = text.index("`--format json` (times in seconds")
    match = re.search(r'"summary": (\{[^}]*\})\}\n```', text[at:])
    assert match, "README lacks the conform JSON example's summary"
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, [*CONFORM_EXAMPLE.split()[1:], "-f", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(match.group(1)) == json.loads(result.stdout)["summary"]
