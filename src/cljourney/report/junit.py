"""`--format junit`: JUnit XML (the Jenkins junit-10 schema) for CI test-report viewers.

One `testsuite` per journey file; one `testcase` per finding, a `failure` when the finding fails
the run (errors, and warnings under `--strict`); a single passing case for a clean file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import TextIO

from cljourney.findings import FileReport, Finding, Report, Severity
from cljourney.report import ReportOptions
from cljourney.text.shown import encodable, printable

# Characters XML 1.0 cannot carry, even escaped.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", encodable(text))


def fails(finding: Finding, strict: bool) -> bool:
    return finding.severity is Severity.ERROR or (strict and finding.severity is Severity.WARNING)


def _case(suite: ET.Element, finding: Finding, strict: bool) -> None:
    name = f"{finding.rule} at {finding.line}:{finding.column}"
    case = ET.SubElement(suite, "testcase", name=_clean(name), classname=printable(finding.path))
    text = f"{printable(finding.path)}:{finding.line}:{finding.column}: {finding.severity.value} {finding.message}"
    if fails(finding, strict):
        failure = ET.SubElement(case, "failure", type=finding.rule, message=_clean(finding.message))
        failure.text = _clean(text)
    else:
        ET.SubElement(case, "system-out").text = _clean(text)


def _suite(parent: ET.Element, file_report: FileReport, strict: bool) -> int:
    failures = sum(1 for f in file_report.findings if fails(f, strict))
    suite = ET.SubElement(
        parent,
        "testsuite",
        name=printable(file_report.path),
        tests=str(max(1, len(file_report.findings))),
        failures=str(failures),
        errors="0",
        file=printable(file_report.path),
    )
    for finding in file_report.findings:
        _case(suite, finding, strict)
    if not file_report.findings:
        ET.SubElement(
            suite, "testcase", name="all checks passed", classname=printable(file_report.path)
        )
    return failures


def write(report: Report, stream: TextIO, options: ReportOptions) -> None:
    root = ET.Element("testsuites", name="cljourney")
    failures = sum(_suite(root, f, options.strict) for f in report.files)
    root.set("tests", str(sum(max(1, len(f.findings)) for f in report.files)))
    root.set("failures", str(failures))
    root.set("errors", "0")
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
