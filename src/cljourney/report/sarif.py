"""`--format sarif`: SARIF 2.1.0 as GitHub code scanning reads it.

Every rule of the registry is described (summary, full text, help with a failing and a passing
example, default level); results carry 1-based regions, repository-relative URIs and the baseline
fingerprint as `partialFingerprints`, so code scanning tracks a finding across line moves.
"""

from __future__ import annotations

import json
from typing import Any, TextIO

from cljourney import __version__
from cljourney.check.baseline import fingerprint
from cljourney.findings import Finding, Report, Severity
from cljourney.report import ReportOptions, repo_path
from cljourney.rules import REGISTRY, AnyRule
from cljourney.text.shown import encodable_data, uri_path

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/cljourney/cljourney#rules"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _help_text(rule: AnyRule) -> str:
    return f"{rule.finds}\n\nWhy it matters: {rule.matters}\n\nFails:\n{rule.bad}\n\nPasses:\n{rule.good}"


def _help_markdown(rule: AnyRule) -> str:
    return (
        f"{rule.finds}\n\n**Why it matters:** {rule.matters}\n\n"
        f"Fails:\n\n```yaml\n{rule.bad}\n```\n\nPasses:\n\n```yaml\n{rule.good}\n```"
    )


def rule_descriptor(rule: AnyRule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.finds},
        "help": {"text": _help_text(rule), "markdown": _help_markdown(rule)},
        "helpUri": INFORMATION_URI,
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": ["customer-journey"]},
    }


def _physical(finding: Finding, line: int, column: int, options: ReportOptions) -> dict[str, Any]:
    return {
        "artifactLocation": {
            "uri": uri_path(repo_path(finding.path, options.root)),
            **({"uriBaseId": "%SRCROOT%"} if options.root is not None else {}),
        },
        "region": {"startLine": line, "startColumn": column},
    }


def result(finding: Finding, index: dict[str, int], options: ReportOptions) -> dict[str, Any]:
    found: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": index[finding.rule],
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {"physicalLocation": _physical(finding, finding.line, finding.column, options)}
        ],
        "partialFingerprints": {"cljourneyFingerprint/v1": fingerprint(finding)},
    }
    if finding.related:
        found["relatedLocations"] = [
            {
                "id": number,
                "physicalLocation": _physical(
                    finding, related.location.line, related.location.column, options
                ),
                "message": {"text": related.message},
            }
            for number, related in enumerate(finding.related, 1)
        ]
    return found


def document(report: Report, options: ReportOptions) -> dict[str, Any]:
    rules = list(REGISTRY.values())
    index = {rule.id: i for i, rule in enumerate(rules)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "cljourney",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(rule) for rule in rules],
            }
        },
        "results": [result(f, index, options) for f in report.findings],
        "columnKind": "unicodeCodePoints",
    }
    if options.root is not None:
        run["originalUriBaseIds"] = {"%SRCROOT%": {"uri": options.root.as_uri() + "/"}}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def write(report: Report, stream: TextIO, options: ReportOptions) -> None:
    json.dump(encodable_data(document(report, options)), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
