"""CI output formats checked against the official schemas (SARIF 2.1.0, Jenkins JUnit XSD) and the
documented GitLab Code Quality and GitHub workflow-command formats."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import jsonschema
import pytest
import xmlschema
from typer.testing import CliRunner

from cljourney.cli.app import app
from cljourney.findings import FileReport, Finding, Location, Report, Severity
from cljourney.report import ReportOptions
from cljourney.report.github import annotation, escape_data, escape_property
from cljourney.rules import REGISTRY
from conftest import RULE_CASES

SCHEMAS = Path(__file__).parent / "schemas"
runner = CliRunner()


@pytest.fixture
def repo(chdir_tmp: Path) -> Path:
    """A git repository with journeys in a subfolder: one with findings, one clean."""
    subprocess.run(["git", "init", "-q"], check=True)
    (chdir_tmp / "journeys").mkdir()
    for case, name in (
        ("handoff-gap/fail", "gap"),
        ("duplicate-id/fail", "dup"),
        ("weak-why/pass", "clean"),
    ):
        text = (RULE_CASES / f"{case}.yaml").read_text(encoding="utf-8")
        # each its own journey id, so duplicate-journey-id stays out of these reports
        text = text.replace("journey: {id: demo,", f"journey: {{id: {name},", 1)
        (chdir_tmp / "journeys" / f"{name}.yaml").write_text(text, encoding="utf-8")
    return chdir_tmp


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", *args])
    return result.exit_code, result.stdout


def test_sarif_validates_against_the_official_schema(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "journeys")  # URIs must still be relative to the repository root
    code, out = run("--format", "sarif", ".")
    assert code == 1
    document = json.loads(out)
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.validators.validator_for(schema)(schema).validate(document)
    run_ = document["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(REGISTRY)
    assert all(r["help"]["text"] and r["defaultConfiguration"]["level"] for r in rules)
    results = run_["results"]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "journeys/gap.yaml",
        "journeys/dup.yaml",
    }
    for result in results:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert len(result["partialFingerprints"]["cljourneyFingerprint/v1"]) == 32
    dup = next(r for r in results if r["ruleId"] == "duplicate-id")
    [first] = dup["relatedLocations"]  # where the id was first used: not in the message
    assert first["physicalLocation"]["artifactLocation"]["uri"] == "journeys/dup.yaml"
    assert (
        first["physicalLocation"]["region"]["startLine"]
        < dup["locations"][0]["physicalLocation"]["region"]["startLine"]
    )
    gap = next(r for r in results if r["ruleId"] == "handoff-gap")
    assert gap["level"] == "warning"
    assert gap["locations"][0]["physicalLocation"]["region"]["startLine"] == 23


def test_sarif_fingerprints_survive_line_moves(repo: Path) -> None:
    _, before = run("--format", "sarif", "journeys/gap.yaml")
    path = repo / "journeys" / "gap.yaml"
    path.write_text("# moved\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    _, after = run("--format", "sarif", "journeys/gap.yaml")

    def prints(doc: str) -> list[str]:
        return [
            r["partialFingerprints"]["cljourneyFingerprint/v1"]
            for r in json.loads(doc)["runs"][0]["results"]
        ]

    assert prints(before) == prints(after)


def test_junit_validates_against_the_jenkins_xsd(repo: Path) -> None:
    code, out = run("--format", "junit", "journeys")
    assert code == 1
    schema = xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))
    schema.validate(out)
    suites = schema.to_dict(out)["testsuite"]
    by_name = {s["@name"]: s for s in suites}
    assert set(by_name) == {"journeys/gap.yaml", "journeys/dup.yaml", "journeys/clean.yaml"}
    assert by_name["journeys/clean.yaml"]["@failures"] == "0"
    assert by_name["journeys/clean.yaml"]["testcase"][0]["@name"] == "all checks passed"
    assert by_name["journeys/dup.yaml"]["@failures"] == "1"
    assert by_name["journeys/gap.yaml"]["@failures"] == "0"  # a warning fails only under --strict
    _, strict = run("--format", "junit", "--strict", "journeys")
    schema.validate(strict)
    assert {s["@name"]: s["@failures"] for s in schema.to_dict(strict)["testsuite"]}[
        "journeys/gap.yaml"
    ] == "1"


def test_gitlab_code_quality_fields(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "journeys")
    code, out = run("--format", "gitlab", ".")
    assert code == 1
    entries = json.loads(out)
    assert isinstance(entries, list) and len(entries) == 2
    for entry in entries:
        assert set(entry) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert entry["description"].startswith(entry["check_name"] + ": ")
        assert entry["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert entry["location"]["path"].startswith("journeys/")
        assert (
            isinstance(entry["location"]["lines"]["begin"], int)
            and entry["location"]["lines"]["begin"] >= 1
        )
    assert len({e["fingerprint"] for e in entries}) == len(entries)


def test_gitlab_fingerprints_are_unique_for_identical_findings() -> None:
    finding = Finding("weak-why", Severity.WARNING, "same", "a.yaml", Location(3, 5), "j", "tp")
    report = Report((FileReport("a.yaml", "j", (finding, finding)),))
    from cljourney.report.gitlab import entries

    prints = [e["fingerprint"] for e in entries(report, ReportOptions())]
    assert len(set(prints)) == 2


def test_github_escaping_of_data_and_properties() -> None:
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("dir:x,y%\n") == "dir%3Ax%2Cy%25%0A"
    finding = Finding(
        "weak-why",
        Severity.WARNING,
        "why: 100%\nof, it",
        "we,ird:dir/j.yaml",
        Location(4, 2),
        "j",
        "x",
    )
    assert annotation(finding, ReportOptions()) == (
        # a Finding's message is one line by construction, so only the path needs escaping here
        "::warning file=we%2Cird%3Adir/j.yaml,line=4,col=2,title=cljourney weak-why::why: 100%25 of, it"
    )


def test_github_format_is_chosen_on_actions_with_a_group_per_file(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out = run("journeys")
    assert code == 1
    lines = out.splitlines()
    assert lines.count("::endgroup::") == 2
    assert "::group::journeys/dup.yaml" in lines
    assert any(line.startswith("::error file=journeys/dup.yaml,line=") for line in lines)
    assert any(
        line.startswith("::warning file=journeys/gap.yaml,line=23,col=13,") for line in lines
    )
    _, text = run("--format", "text", "journeys")
    assert not text.startswith("::")


def test_output_file_statistics_and_quiet(repo: Path) -> None:
    code, out = run("--format", "json", "--output", "report.json", "journeys")
    assert code == 1 and out == ""
    assert len(json.loads((repo / "report.json").read_text(encoding="utf-8"))["findings"]) == 2
    assert not list(repo.glob(".report.json.*"))
    code, out = run("--output", "missing/report.txt", "journeys")
    assert code == 2
    _, stats = run("--statistics", "journeys")
    assert [line.split()[:3] for line in stats.splitlines()] == [
        ["1", "duplicate-id", "error"],
        ["1", "handoff-gap", "warning"],
    ]
    _, stats_json = run("--statistics", "--format", "json", "journeys")
    assert json.loads(stats_json) == [
        {"rule": "duplicate-id", "severity": "error", "count": 1},
        {"rule": "handoff-gap", "severity": "warning", "count": 1},
    ]
    assert run("--statistics", "--format", "sarif", "journeys")[0] == 2
    _, quiet = run("--quiet", "journeys")
    assert len(quiet.splitlines()) == 2 and "Found" not in quiet
    _, clean = run("--quiet", "journeys/clean.yaml")
    assert clean == ""
