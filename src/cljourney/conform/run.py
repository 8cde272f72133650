"""One conform run: load the journeys, read the log once, measure each journey, run the conform
rules, then suppressions and severities as `validate` applies them. Never prints."""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

from cljourney.check import suppress
from cljourney.check.discover import Target, display_path
from cljourney.check.options import ALL_RULES, ValidateOptions
from cljourney.check.pipeline import check_target, load_target
from cljourney.check.selection import RuleSelection
from cljourney.conform.measures import JourneyMeasures, LogFacts, measure
from cljourney.conform.reading import LogReading, LogRequest
from cljourney.errors import UsageError
from cljourney.findings import Finding, Severity
from cljourney.graph import build_flow
from cljourney.load.journey import Loaded
from cljourney.model import JourneyFile
from cljourney.rules.conform import CHECKS, ConformContext, ConformOptions
from cljourney.rules.files import UNUSED_SUPPRESSION


@dataclass(frozen=True)
class ConformRun:
    """Everything a conform run needs, fully built by the CLI."""

    journeys: tuple[Path, ...]
    log: LogRequest
    options: ConformOptions = field(default_factory=ConformOptions)
    selection: RuleSelection = ALL_RULES
    require_events: bool = True
    """A journey without `events` is a usage error (conform); False: it is left unmeasured
    (`render --events` over a folder where only some journeys map events)."""
    checks: ValidateOptions | None = None
    """`validate`'s options: each journey goes through `validate`'s pipeline and its errors (an
    event claimed by two touchpoints, a `next` to no touchpoint) join conform's findings, since
    they make the figures wrong. None: the caller reports them (`render --events` draws them)."""


@dataclass(frozen=True)
class JourneyResult:
    """One journey: where it is, its measures (None when it did not load) and its findings."""

    path: str
    journey: str
    measures: JourneyMeasures | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class ConformReport:
    log: LogFacts
    journeys: tuple[JourneyResult, ...]

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.journeys for f in result.findings]


def conform(run: ConformRun, reading: LogReading | None = None) -> ConformReport:
    """Measure every journey of `run` against its event logs. Raises UsageError for logs that
    cannot be read and journeys with nothing to measure.

    DuckDB reads the log on a thread of its own while this one loads the journeys and builds
    their flows (DuckDB lets go of the GIL while it reads, so on two cores the two overlap); a
    journey that cannot be measured stops the read. Spark starts after the journeys loaded.
    `reading`: the read of `run.log`, if the caller started it already (the CLI does, before
    it builds `run`); it is closed here, whatever happens."""
    if reading is None:
        reading = LogReading(run.log)
    try:
        loaded, own = _load_journeys(run)
        flows = {
            index: build_flow(one.journey)
            for index, one in enumerate(loaded)
            if one.journey is not None and one.source is not None and maps_events(one.journey)
        }
        engine, log = reading.result()
        if log.rows and log.skipped_rows == log.rows:
            raise UsageError(_nothing_usable(run, log))
    except BaseException:
        reading.cancel()
        raise
    results = []
    with closing(engine):
        for index, one in enumerate(loaded):
            flow = flows.get(index)
            if flow is None or one.journey is None or one.source is None:
                results.append(JourneyResult(one.path, one.journey_id, None, own[index]))
                continue
            measures = measure(engine, flow, log, run.options.stuck_after_s)
            context = ConformContext(one.journey, one.source, flow, measures, run.options)
            results.append(_judged(one.path, context, run.selection, own[index]))
    return ConformReport(log, tuple(results))


# How to mend the rows of a log skipped for each reason, when no row could be used.
_MEND = {
    "unparsable time": "write times as ISO 8601 (2024-03-01T10:00:00Z; without an offset they are"
    " read in --timezone) or as epoch seconds, milliseconds, microseconds or nanoseconds, or"
    " name the time column with --time",
    "empty case": "name the column that holds the customer with --case",
    "empty event": "name the column that holds the event with --event",
}


def _nothing_usable(run: ConformRun, log: LogFacts) -> str:
    """Why a log whose every row was skipped measures nothing, and how to mend it."""
    logs = ", ".join(source.shown for source in run.log.logs)
    reasons = "; ".join(bad.text for bad in log.bad)
    worst = max(log.bad, key=lambda bad: bad.count)
    return (
        f"{logs}: none of the log's {log.rows:,} rows can be used: {reasons};"
        f" {_MEND.get(worst.reason, 'check the columns')}"
    )


def _load_journeys(run: ConformRun) -> tuple[list[Loaded], list[tuple[Finding, ...]]]:
    """The journeys, and for each the findings of the file itself to report: those that kept it
    from loading, or (with `run.checks`) `validate`'s errors on it."""
    loaded = []
    own = []
    for path in run.journeys:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
        target = Target(path, explicit=True)
        checked = check_target(target, run.checks) if run.checks else None
        one = checked[0] if checked else load_target(target)
        if one is None:  # pragma: no cover - an explicit target always loads or finds
            continue
        if run.require_events and one.journey is not None and not maps_events(one.journey):
            raise UsageError(
                f"{display_path(path)}: journey '{one.journey.journey.id}' maps no events: add"
                " `events: [event_name, ...]` to the touchpoints a log can show"
            )
        loaded.append(one)
        if checked is None:
            own.append(tuple(one.findings) if one.journey is None else ())
        elif one.journey is None:
            own.append(checked[1].findings)
        else:
            own.append(tuple(f for f in checked[1].findings if f.severity is Severity.ERROR))
    return loaded, own


def maps_events(journey: JourneyFile) -> bool:
    """Whether any touchpoint of `journey` names the events that show it in a log."""
    return any(tp.events for stage in journey.stages for tp in stage.touchpoints)


def _judged(
    path: str, ctx: ConformContext, selection: RuleSelection, own: tuple[Finding, ...]
) -> JourneyResult:
    enabled = selection.rules_for(Path(path)) & (frozenset(CHECKS) | {UNUSED_SUPPRESSION.id})
    findings = [f for rule, check in CHECKS.items() if rule in enabled for f in check(ctx)]
    text = Path(path).read_text(encoding="utf-8-sig", errors="replace")
    suppressions = suppress.scan(text)
    if suppressions:
        # Only conform's rules are judged here; `validate` judges the rest of the comments.
        ours = [s for s in suppressions if s.rule in CHECKS]
        where = suppress.elements(ctx.source)
        findings = suppress.apply(findings, ours, where, enabled, path, ctx.journey.journey.id)
    if selection.severity:
        findings = [
            replace(f, severity=selection.severity_of(f.rule, f.severity)) for f in findings
        ]
    findings += own
    findings.sort(key=Finding.sort_key)
    return JourneyResult(path, ctx.journey.journey.id, ctx.measures, tuple(findings))
