"""Findings -> LSP diagnostics: the rule id as `code` with a link to the rule docs, `source:
cljourney`, and a finding's other places (`related`) as related information."""

from __future__ import annotations

from collections.abc import Iterable

from lsprotocol import types

from cljourney.findings import Finding, Severity
from cljourney.lsp.text import Text
from cljourney.report.sarif import INFORMATION_URI

SOURCE = "cljourney"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def rule_docs(rule: str) -> str:
    """Where a rule is documented: the link SARIF gives every rule (`helpUri`)."""
    return INFORMATION_URI


def diagnostic(finding: Finding, text: Text, uri: str) -> types.Diagnostic:
    related = [
        types.DiagnosticRelatedInformation(
            types.Location(uri, text.value_range(r.location.line, r.location.column)), r.message
        )
        for r in finding.related
    ]
    return types.Diagnostic(
        range=text.value_range(finding.line, finding.column),
        message=finding.message,
        severity=_SEVERITY[finding.severity],
        code=finding.rule,
        code_description=types.CodeDescription(href=rule_docs(finding.rule)),
        source=SOURCE,
        related_information=related or None,
        data={"element": finding.element, "kind": finding.kind.value},
    )


def diagnostics(findings: Iterable[Finding], text: Text, uri: str) -> list[types.Diagnostic]:
    return [diagnostic(finding, text, uri) for finding in findings]
