"""Severity, Location and Finding: what every check produces, immutable and complete when created;
and the reports that gather them per file and per run, which every reporter reads."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from cljourney.text.words import noun


class Severity(str, enum.Enum):
    """How much a finding matters; `error` fails `validate`, `warning` fails it under `--strict`."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """Higher is more severe; used for sorting and thresholds."""
        return _RANK[self]


class Kind(str, enum.Enum):
    """What sort of journey element a finding concerns; ids may be shared across sorts."""

    NONE = ""  # a file-level problem: unreadable file, YAML syntax, not a journey
    JOURNEY = "journey"
    STAGE = "stage"
    TOUCHPOINT = "touchpoint"
    ROLE = "role"
    HANDOFF = "handoff"


_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}
_CAUSES = frozenset({"yaml-syntax", "schema"})
_BREAKS = re.compile("[ \t]*[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+[ \t]*")


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass(frozen=True)
class Related:
    """Another place a finding points at (SARIF's related locations): where a duplicate id or key
    was first written, the sibling an indentation error is out of step with. Positions live here,
    never in the message, so a finding keeps its identity (diff pairing, baseline fingerprint)
    when lines are added above it."""

    location: Location
    message: str

    def to_dict(self) -> dict[str, object]:
        return {"line": self.location.line, "column": self.location.column, "message": self.message}


@dataclass(frozen=True)
class Finding:
    """One problem found in one file.

    `element` is the id of the journey element concerned (touchpoint, stage, role or handoff
    `from>to`), or "" for file-level problems such as YAML syntax errors. `kind` says which sort
    of element that is, since a stage, a touchpoint and a role may share an id; it is set even
    when the element has no id to name (a stage without `id`), and is `journey` for findings
    about the journey as a whole. `related`: other places it points at (see `Related`).
    """

    rule: str
    severity: Severity
    message: str
    path: str
    location: Location
    journey: str = ""
    element: str = ""
    kind: Kind = Kind.NONE
    related: tuple[Related, ...] = ()

    def __post_init__(self) -> None:
        # One line per finding is the contract of every reporter (text, GitHub, JUnit...); a
        # line break in user text quoted by a message must not break it.
        if _BREAKS.search(self.message):
            object.__setattr__(self, "message", _BREAKS.sub(" ", self.message).strip())

    @property
    def line(self) -> int:
        return self.location.line

    @property
    def column(self) -> int:
        return self.location.column

    def to_dict(self) -> dict[str, object]:
        """The finding as JSON-ready data: the one shape every JSON output uses."""
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "journey": self.journey,
            "element": self.element,
            "kind": self.kind.value,
            "related": [related.to_dict() for related in self.related],
        }

    def sort_key(self) -> tuple[str, bool, int, int, str, str]:
        """By file; in a file, problems reading it (`yaml-syntax`, `schema`) come first, since a
        misspelt `ownr:` is the cause of the missing-owner warnings it brings, then by position."""
        cause = self.rule in _CAUSES
        return (
            self.path,
            not cause,
            self.location.line,
            self.location.column,
            self.rule,
            self.message,
        )


# A file with thousands of findings of one rule says no more with all of them than with the first
# hundred, and listing them all cost seconds and gigabytes (a 2 MB list of wrongly typed items).
FINDINGS_PER_RULE = 100


@dataclass(frozen=True)
class Overflow(Finding):
    """Stands for `count` findings of one rule in one file that are not listed (see
    `cap_per_rule`); reported as one finding of that rule, at the first one left out."""

    count: int = 0


def overflow(
    rule: str, severity: Severity, count: int, path: str, location: Location, journey: str = ""
) -> Overflow:
    """The finding that stands for `count` unlisted findings of `rule`."""
    message = (
        f"{count:,} more `{rule}` {noun(count, 'finding')} in this file not listed (at most {FINDINGS_PER_RULE:,}"
        " per rule are); fix the ones listed first"
    )
    return Overflow(rule, severity, message, path, location, journey, "", Kind.NONE, count=count)


def cap_per_rule(findings: list[Finding], limit: int = FINDINGS_PER_RULE) -> list[Finding]:
    """The first `limit` findings of each rule, in order, and for each rule with more one
    `Overflow` counting the rest (overflows made earlier, by the loader, are merged in)."""
    seen: dict[str, int] = {}
    left_out: dict[str, list[Finding]] = {}
    kept: list[Finding] = []
    for finding in findings:
        if isinstance(finding, Overflow):
            left_out.setdefault(finding.rule, []).append(finding)
            continue
        seen[finding.rule] = seen.get(finding.rule, 0) + 1
        if seen[finding.rule] <= limit:
            kept.append(finding)
        else:
            left_out.setdefault(finding.rule, []).append(finding)
    for rule, dropped in left_out.items():
        count = sum(f.count if isinstance(f, Overflow) else 1 for f in dropped)
        first = dropped[0]
        worst = max((f.severity for f in dropped), key=lambda severity: severity.rank)
        kept.append(overflow(rule, worst, count, first.path, first.location, first.journey))
    return kept


@dataclass(frozen=True)
class FileReport:
    """The findings of one file. `id_at`: where `journey.id` is written, when the project rules
    (duplicate-journey-id) run on this file: they need every file, so they run after the per-file
    reports, on what each report says of its journey."""

    path: str
    journey: str
    findings: tuple[Finding, ...]
    id_at: Location | None = None
    baselined: int = 0
    """How many findings the baseline silenced in this file."""


@dataclass(frozen=True)
class Report:
    """The outcome of a validate run: one entry per journey file checked."""

    files: tuple[FileReport, ...]
    skipped: int = 0
    """How many YAML files a directory search (or --skip-non-journeys) found not to be journeys."""
    notes: tuple[str, ...] = ()
    """What the search could not look at (folders it could not enter), for stderr."""

    @property
    def findings(self) -> list[Finding]:
        return [f for report in self.files for f in report.findings]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def baselined(self) -> int:
        """How many findings the baseline silenced, over every file."""
        return sum(report.baselined for report in self.files)
