"""Two sets of journey files -> journeys paired by id -> changes and the findings they add or fix.

Pairing is by `journey.id`, so a renamed or moved file is the same journey. A file that does not
load on either side (YAML or schema errors) has no model to compare: only its findings are
compared, so a broken edit shows up as the error-level findings it introduces.

Each side goes through `engine.check_raw`, the pipeline `validate` runs (suppressions, config
rule selection and severities, baseline, duplicate journey ids), so a finding `diff` calls
introduced or fixed is one `validate` reports on the new or old side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cljourney.check.options import ValidateOptions
from cljourney.check.pipeline import RawFile, check_raw, run_project_rules
from cljourney.diff.compare import diff_journeys
from cljourney.diff.findings import diff_findings, element_stages
from cljourney.diff.records import Change, Level
from cljourney.diff.renamed_findings import journey_renames, without_renamed
from cljourney.findings import FileReport, Finding
from cljourney.load.journey import Loaded


@dataclass(frozen=True)
class SourceFile:
    """One file of a set: its path relative to the set's root (for pairing) and what was read."""

    rel: str
    raw: RawFile


def source_text(rel: str, data: str | bytes, shown: str, *, explicit: bool = True) -> SourceFile:
    """A SourceFile from text in memory (tests, callers that read it themselves)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return SourceFile(rel, RawFile(raw, shown, Path(shown), explicit))


@dataclass(frozen=True)
class Checked:
    """A file of a set after the validate pipeline: loaded, with the findings validate reports."""

    rel: str
    loaded: Loaded
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class JourneyDiff:
    """One journey's old and new versions (None when absent), its changes and new findings."""

    journey: str
    old: Loaded | None
    new: Loaded | None
    changes: tuple[Change, ...]
    new_findings: tuple[Finding, ...]


@dataclass(frozen=True)
class DiffResult:
    """Everything a diff reporter needs; `old_label`/`new_label` say what was compared."""

    journeys: tuple[JourneyDiff, ...]
    old_label: str
    new_label: str

    @property
    def changes(self) -> list[Change]:
        return [change for journey in self.journeys for change in journey.changes]

    def count(self, level: Level) -> int:
        return sum(1 for change in self.changes if change.level is level)

    def fails(self, threshold: Level | None) -> bool:
        """True when `--fail-on threshold` is given and a change at that level or above exists."""
        if threshold is None:
            return False
        return any(change.level.rank >= threshold.rank for change in self.changes)


def check_side(sources: Sequence[SourceFile], options: ValidateOptions) -> list[Checked]:
    """Every journey of one side through the validate pipeline; non-journeys are dropped. A file
    the config excludes keeps its model (its changes are reviewed) but, as in validate, has no
    findings."""
    kept: list[tuple[SourceFile, Loaded, bool]] = []
    reports: list[FileReport] = []
    for source in sources:
        checked = check_raw(source.raw, options)
        if checked is None:
            continue
        loaded, report = checked
        excluded = options.selection.excluded(source.raw.path)
        kept.append((source, loaded, excluded))
        if not excluded:
            reports.append(report)
    # run_project_rules returns one report per report given, in order
    flagged = iter(run_project_rules(reports, options))
    return [
        Checked(source.rel, loaded, () if excluded else next(flagged).findings)
        for source, loaded, excluded in kept
    ]


def _key(source: Checked) -> str:
    journey = source.loaded.journey_id
    return f"journey:{journey}" if journey else f"file:{source.rel}"


def pair(
    old: Sequence[Checked], new: Sequence[Checked]
) -> list[tuple[Checked | None, Checked | None]]:
    """Old and new files of the same journey, in new order, then the removed ones.

    Same id pairs first (files of a duplicated id pair by relative path, then in order). A file
    whose id cannot be read (broken YAML) pairs with the file left over on the other side when
    both have the same relative path, or when each side is that one file: the same file broken
    or mended.
    """
    waiting: dict[str, list[Checked]] = {}
    for source in old:
        waiting.setdefault(_key(source), []).append(source)
    pairs: list[tuple[Checked | None, Checked | None]] = []
    for source in new:
        candidates = waiting.get(_key(source), [])
        match = next((c for c in candidates if c.rel == source.rel), None)
        if match is None and candidates:
            match = candidates[0]
        if match is not None:
            candidates.remove(match)
        pairs.append((match, source))
    left = [source for sources in waiting.values() for source in sources]
    added = [index for index, (before, _) in enumerate(pairs) if before is None]
    if len(left) == 1 and len(added) == 1:
        after = pairs[added[0]][1]
        assert after is not None
        unreadable = not left[0].loaded.journey_id or not after.loaded.journey_id
        same_file = left[0].rel == after.rel or len(old) == len(new) == 1
        if unreadable and same_file:
            pairs[added[0]] = (left[0], after)
            left = []
    pairs.extend((source, None) for source in left)
    return pairs


def compare(
    old: Sequence[SourceFile],
    new: Sequence[SourceFile],
    *,
    old_label: str,
    new_label: str,
    options: ValidateOptions | None = None,
) -> DiffResult:
    """Diff two sets of journey files: model changes plus findings introduced or fixed."""
    options = options or ValidateOptions()
    old_checked, new_checked = check_side(old, options), check_side(new, options)
    journeys = [_compare_one(before, after) for before, after in pair(old_checked, new_checked)]
    return DiffResult(tuple(journeys), old_label, new_label)


def _compare_one(before: Checked | None, after: Checked | None) -> JourneyDiff:
    old = before.loaded if before else None
    new = after.loaded if after else None
    old_findings = before.findings if before else ()
    new_findings = after.findings if after else ()
    journey = (new.journey_id if new else "") or (old.journey_id if old else "")
    if not journey:
        journey = after.rel if after else before.rel if before else ""
    changes: list[Change] = []
    old_model = old.journey if old else None
    new_model = new.journey if new else None
    unloadable = (old is not None and old_model is None) or (new is not None and new_model is None)
    if not unloadable:
        changes.extend(diff_journeys(old_model, new_model))
    if new is not None:
        # A removed journey's findings are not "fixed": the removal itself is what is reported.
        # Nor are those of a journey that stops loading: they are hidden, not fixed.
        stops_loading = old_model is not None and new_model is None
        stages = element_stages(old_model) | element_stages(new_model)
        before_findings = () if stops_loading else old_findings
        found = diff_findings(before_findings, new_findings, journey, stages)
        changes.extend(without_renamed(found, journey_renames(old_model, new_model)))
    return JourneyDiff(journey, old, new, tuple(changes), tuple(new_findings))
