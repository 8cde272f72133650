"""One conform run: load the journeys, read the log once, measure each journey, run the conform
rules, then suppressions and severities as `validate` applies them. Never prints."""

from __future__ import annotations

from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cljourney.check import suppress
from cljourney.check.discover import Target, display_path
from cljourney.check.options import ALL_RULES
from cljourney.check.pipeline import load_target
from cljourney.check.selection import RuleSelection
from cljourney.conform.measures import JourneyMeasures, LogFacts, measure
from cljourney.conform.read import ColumnChoice, LogSource
from cljourney.errors import UsageError
from cljourney.findings import Finding
from cljourney.graph import build_flow
from cljourney.model import JourneyFile
from cljourney.rules.conform import CHECKS, ConformContext, ConformOptions
from cljourney.rules.files import UNUSED_SUPPRESSION

if TYPE_CHECKING:
    from cljourney.conform.engine import DuckEngine
    from cljourney.conform.spark import SparkEngine


@dataclass(frozen=True)
class ConformRun:
    """Everything a conform run needs, fully built by the CLI."""

    journeys: tuple[Path, ...]
    logs: tuple[LogSource, ...]
    columns: ColumnChoice = field(default_factory=ColumnChoice)
    as_of_us: int | None = None
    memory_limit: str | None = None
    threads: int | None = None
    timezone: str = "UTC"
    engine: str = "duckdb"  # or "spark"
    spark_master: str | None = None
    options: ConformOptions = field(default_factory=ConformOptions)
    selection: RuleSelection = ALL_RULES
    require_events: bool = True
    """A journey without `events` is a usage error (conform); False: it is left unmeasured
    (`render --events` over a folder where only some journeys map events)."""


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


def conform(run: ConformRun) -> ConformReport:
    """Measure every journey of `run` against its event logs. Raises UsageError for logs that
    cannot be read and journeys with nothing to measure."""
    loaded = []
    for path in run.journeys:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
        one = load_target(Target(path, explicit=True))
        if one is None:  # pragma: no cover - an explicit target always loads or finds
            continue
        if run.require_events and one.journey is not None and not maps_events(one.journey):
            raise UsageError(
                f"{display_path(path)}: journey '{one.journey.journey.id}' maps no events: add"
                " `events: [event_name, ...]` to the touchpoints a log can show"
            )
        loaded.append(one)
    results = []
    with closing(_engine(run)) as engine:
        log = engine.load(run.logs, run.columns, run.as_of_us)
        for one in loaded:
            if one.journey is None or one.source is None or not maps_events(one.journey):
                results.append(JourneyResult(one.path, one.journey_id, None, one.findings))
                continue
            flow = build_flow(one.journey)
            measures = measure(engine, flow, log, run.options.stuck_after_s)
            context = ConformContext(one.journey, one.source, flow, measures, run.options)
            results.append(_judged(one.path, context, run.selection))
    return ConformReport(log, tuple(results))


def maps_events(journey: JourneyFile) -> bool:
    """Whether any touchpoint of `journey` names the events that show it in a log."""
    return any(tp.events for stage in journey.stages for tp in stage.touchpoints)


def _engine(run: ConformRun) -> DuckEngine | SparkEngine:
    """The engine `run` asks for, imported only then (DuckDB ~100 ms, Spark a JVM)."""
    if run.engine == "spark":
        from cljourney.conform.spark import SparkEngine, SparkSettings

        return SparkEngine(SparkSettings(run.spark_master, run.timezone))
    from cljourney.conform.engine import DuckEngine, EngineSettings

    return DuckEngine(EngineSettings(run.memory_limit, run.threads, run.timezone))


def _judged(path: str, ctx: ConformContext, selection: RuleSelection) -> JourneyResult:
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
    findings.sort(key=Finding.sort_key)
    return JourneyResult(path, ctx.journey.journey.id, ctx.measures, tuple(findings))
