"""What an event log says about one journey, as `render --events` draws it on the maps.

The figures are `conform`'s (the same measures, the same findings under the same config); this
module only chooses and words them, as plain text, for the markdown, Mermaid and HTML overlays,
which escape it. No engine here: the CLI measures, the renderers draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cljourney.conform.measures import (
    JourneyMeasures,
    TouchpointMeasure,
    Transition,
    period,
)
from cljourney.findings import Finding, Severity
from cljourney.text.figures import duration, percent, share
from cljourney.text.words import counted, plural

UNDECLARED_SHOWN = 10
"""Undeclared paths drawn and listed at most (the most taken first): a map stays readable."""
UNMAPPED_SHOWN = 10
DROP_OFF = "drop-off"


@dataclass(frozen=True)
class Measured:
    """One journey's measures against the log, with `conform`'s findings on it."""

    measures: JourneyMeasures
    findings: tuple[Finding, ...]
    """conform's findings (config, severities and suppressions applied)."""
    logs: tuple[str, ...]
    """The logs as named on the command line."""
    min_path_share: float = 0.0
    """Undeclared paths below this share of the moves out of their source are not drawn
    (`min-path-share`, as `undeclared-path` judges them)."""

    def touchpoint(self, tp_id: str) -> TouchpointMeasure | None:
        """The measures of a touchpoint with `events` (None for one the log cannot show)."""
        if tp_id not in self.measures.measured:
            return None
        return next((t for t in self.measures.touchpoints if t.id == tp_id), None)

    @property
    def listed(self) -> tuple[Finding, ...]:
        """The findings a map lists: warnings and errors (`conform` lists the notes too)."""
        return tuple(f for f in self.findings if f.severity is not Severity.INFO)

    @property
    def found(self) -> str:
        """The listed findings counted ("1 error, 4 warnings", "5 warnings"), "" for none."""
        errors = sum(1 for f in self.listed if f.severity is Severity.ERROR)
        counts = ((errors, "error"), (len(self.listed) - errors, "warning"))
        return ", ".join(plural(number, word) for number, word in counts if number)

    @property
    def dropping(self) -> frozenset[str]:
        """Touchpoints with a `drop-off` finding: customers stop there."""
        return frozenset(f.element for f in self.findings if f.rule == DROP_OFF)

    @property
    def undeclared(self) -> tuple[Transition, ...]:
        """The most taken undeclared paths of at least `min_path_share` of the moves out of
        their source (transitions are sorted by count, then ids)."""
        shown = [
            t
            for t in self.measures.transitions
            if not t.declared and t.count >= self.min_path_share * self.moves_out(t.source)
        ]
        return tuple(shown[:UNDECLARED_SHOWN])

    def moves_out(self, tp_id: str) -> int:
        """Moves out of a touchpoint to any other (the base of a path's share)."""
        return sum(t.count for t in self.measures.transitions if t.source == tp_id)


def reach_text(tp: TouchpointMeasure) -> str:
    """`82.4 % (412 customers)`."""
    return f"{share(tp.reach)} ({counted(tp.customers, 'customer')})"


def node_text(tp: TouchpointMeasure | None) -> str:
    """One line under a touchpoint's name: reach, customers and the median time to get there."""
    if tp is None:
        return "not measured (no events)"
    text = f"{share(tp.reach)} · {tp.customers:,}"
    if tp.median_from_previous_s is not None:
        text += f" · median {duration(tp.median_from_previous_s)}"
    return text


def drop_text(tp: TouchpointMeasure) -> str:
    """`30 stopped here (12.5 %)`: customers whose trace ends at a touchpoint that is no end."""
    base = f" ({percent(tp.dropped / tp.customers)})" if tp.customers else ""
    return f"{tp.dropped:,} stopped here{base}"


def path_text(measured: Measured, step: Transition) -> str:
    """An undeclared path's label: customers and share of the moves out of its source."""
    out = measured.moves_out(step.source)
    part = f", {percent(step.count / out)} of moves out" if out else ""
    return f"undeclared: {counted(step.customers, 'customer')}{part}"


def touchpoint_cells(tp: TouchpointMeasure) -> list[str]:
    """A touchpoint's row of figures in a table: customers, reach, median and p90 from the step
    before, share on time, dropped, in progress (conform's reports use the same row)."""
    return [
        f"{tp.customers:,}",
        share(tp.reach),
        duration(tp.median_from_previous_s),
        duration(tp.p90_from_previous_s),
        share(tp.within_target),
        f"{tp.dropped:,}",
        f"{tp.in_progress:,}",
    ]


def card_figures(tp: TouchpointMeasure) -> list[tuple[str, str]]:
    """(label, value) pairs for a touchpoint's card, the ones the log could measure."""
    figures = [("Reached", reach_text(tp))]
    if tp.median_from_previous_s is not None:
        figures.append(
            (
                "Time from the step before",
                f"median {duration(tp.median_from_previous_s)},"
                f" p90 {duration(tp.p90_from_previous_s)}",
            )
        )
    if tp.within_target is not None:
        figures.append(("Within target", share(tp.within_target)))
    if tp.dropped or tp.in_progress:
        figures.append(
            ("Last seen here", f"{tp.dropped:,} dropped, {tp.in_progress:,} in progress")
        )
    return figures


def log_text(measured: Measured) -> str:
    """One sentence on the log and how well the journey fits it."""
    m = measured.measures
    log = m.log
    return (
        f"{m.started:,} of {counted(log.customers, 'customer')} in the log started the journey;"
        f" {m.mapped_events:,} events mapped to touchpoints, {m.unmapped_events:,} unmapped,"
        f" {counted(log.skipped_rows, 'row')} skipped."
        f" {period(log, 'judged as of', 'From')}. Fitness {share(m.fitness)}:"
        " the customers whose every step the journey declares."
    )


def stage_text(measured: Measured, stage_id: str) -> str:
    """A stage's customers and time in stage, in words."""
    if not stage_members(measured, stage_id):
        return "not measured: none of its touchpoints has events"
    stage = next(s for s in measured.measures.stages if s.id == stage_id)
    text = counted(stage.customers, "customer")
    if stage.median_in_stage_s is not None:
        text += (
            f", median {duration(stage.median_in_stage_s)} in the stage"
            f" (p90 {duration(stage.p90_in_stage_s)})"
        )
    if stage.within_target is not None:
        text += f", {share(stage.within_target)} within target"
    return text


def stage_members(measured: Measured, stage_id: str) -> Sequence[TouchpointMeasure]:
    """The measured touchpoints of a stage, in flow order."""
    return [
        t
        for t in measured.measures.touchpoints
        if t.stage == stage_id and t.id in measured.measures.measured
    ]
