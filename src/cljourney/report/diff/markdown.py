"""`diff --format markdown`: a pull-request comment or job summary.

A summary line with counts per level, then per journey a table of its changes grouped by stage
with before/after for changed text, and a Mermaid flowchart of the journey after the change with
added and changed touchpoints highlighted and removed ones listed. Every user string is escaped
for a GFM table cell, so journey text never becomes markup, links or @mentions (Mermaid labels
are escaped by `cljourney.render.mermaid`). The comment stays under GitHub's 65,536-character
limit: when the full report is too long the flowcharts go first, then it is summarised (counts
per journey, then the most severe changes that fit).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from cljourney.diff.pairing import DiffResult, JourneyDiff
from cljourney.diff.records import LEVELS, Change, Entity, Kind, Level, Value
from cljourney.render.mdtext import code, inline, message
from cljourney.report.diff import DiffReportOptions, review
from cljourney.report.diff.text import show
from cljourney.text import words as wording

_CELL_MAX = 300
_LEVEL_MARK = {Level.BREAKING: "🔴 breaking", Level.RISKY: "🟡 risky", Level.INFO: "🔵 info"}
_HEADER = "| Level | Stage | Element | Change | Before | After |\n|---|---|---|---|---|---|\n"
# The flowchart's palette (`cljourney.render.marks.HIGHLIGHT_STYLES`, REVIEW_FINDING_STYLES).
LEGEND = (
    "Legend: green = added, blue = changed, moved or renamed, amber with a thick border = has a"
    " finding (orange dashed ⚠: a warning, red ⛔: an error; on a changed touchpoint, the border"
    " alone)."
)
_SEVERITY_MARK = {"error": "⛔", "warning": "⚠"}


def _cut(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat[: limit - 1] + "…" if len(flat) > limit else flat


def escape(text: str, limit: int = _CELL_MAX) -> str:
    """Plain text safe in a markdown table cell: one line, shown literally.

    Only what GFM could read as markup there is backslashed (`cljourney.render.mdtext.inline`:
    emphasis, code, links, HTML, entities, `|`, autolinks), so the source stays readable; a word
    joiner after `@` keeps GitHub from notifying people.
    """
    return inline(_cut(text, limit)).replace("@", "@\u2060")


def _message(text: str, limit: int = _CELL_MAX) -> str:
    """A change message: escaped like `escape`, its `field` spans shown as code."""
    return message(_cut(text, limit)).replace("@", "@\u2060")


def summary_line(result: DiffResult) -> str:
    total = len(result.changes)
    where = f"{escape(result.old_label)} → {escape(result.new_label)}"
    if total == 0:
        return f"No journey changes ({where})."
    counts = " · ".join(f"**{result.count(level)} {level.value}**" for level in LEVELS)
    noun = wording.noun(total, "change")
    return f"{counts} — {total} {noun} ({where})"


def _named(name: str, element_id: str) -> str:
    """`Kick-off call (`kickoff`)`: the name a reviewer knows, the id for code search."""
    if not name or name == element_id:
        return code(element_id)
    return f"{escape(name)} ({code(element_id)})"


def _element(change: Change, known: review.Names) -> str:
    if change.entity is Entity.JOURNEY:
        return escape(known.journey) if known.journey else code(change.journey)
    if change.entity is Entity.STAGE:
        return _named(known.stages.get(change.id, ""), change.id)
    if change.entity is Entity.TOUCHPOINT:
        return _named(known.touchpoints.get(change.id, ""), change.id)
    if change.entity is Entity.ROLE:
        return _named(known.roles.get(change.id, ""), change.id)
    if change.entity is Entity.HANDOFF:
        roles, _, at = change.id.partition("@")
        source, _, target = roles.partition(">")
        shown = (
            f"{escape(known.roles.get(source, source))} → {escape(known.roles.get(target, target))}"
        )
        if at:
            shown += f" at {escape(known.touchpoints.get(at, at))}"
        return f"{shown} ({code(change.id)})"
    return code(change.id)


def _describe(change: Change) -> str:
    """What happened, without the element (it has its own column)."""
    if change.entity is Entity.FINDING:
        return _message(change.message)
    if change.kind is Kind.RENAMED:
        return "id renamed: links, `next` and event mappings naming the old id must follow"
    if change.kind is Kind.MOVED:
        return "moved to another stage"
    if change.kind is Kind.REORDERED:
        return "reordered"
    if change.kind in (Kind.ADDED, Kind.REMOVED) and change.entity is not Entity.JOURNEY:
        return str(change.kind.value)
    text = change.message
    for prefix in (f"{change.entity.value} '{change.id}'", change.entity.value):
        if text.startswith(prefix):
            return _message(text[len(prefix) :].lstrip(":").strip())
    return _message(text)


def _role(value: Value, known: review.Names) -> str:
    return _named(known.roles.get(value, ""), value) if isinstance(value, str) else "(none)"


def _place(place: review.Place | None, known: review.Names) -> str:
    if place is None:
        return ""
    stage = _named(known.stages.get(place.stage, ""), place.stage)
    return f"{stage}, position {place.position}"


def _before_after(change: Change, known: review.Names) -> tuple[str, str]:
    if change.entity is Entity.FINDING:
        return "", ""
    if change.kind is Kind.MOVED:
        return (
            _place(known.old_places.get(change.id), known),
            _place(known.new_places.get(change.id), known),
        )
    if change.kind is Kind.ADDED and change.entity is Entity.TOUCHPOINT:
        return "", _place(known.new_places.get(change.id), known)
    if change.kind is Kind.REORDERED:
        return f"position {change.before}", f"position {change.after}"
    if change.kind is Kind.RENAMED:
        return code(show(change.before)), code(show(change.after))
    if change.field == "owner":
        return _role(change.before, known), _role(change.after, known)
    if change.field is None:
        return "", ""
    return escape(show(change.before)), escape(show(change.after))


def _brings(folded: tuple[Change, ...]) -> str:
    """The findings a change brings, each problem once and shared advice once."""
    parts: list[str] = []
    for verb, kind in (("brings", Kind.ADDED), ("fixes", Kind.REMOVED)):
        found = [c for c in folded if c.kind is kind]
        if not found:
            continue
        by_rule: dict[str, list[Change]] = {}
        for change in found:
            by_rule.setdefault(change.id, []).append(change)
        for rule, changes in by_rule.items():
            texts = [c.after if kind is Kind.ADDED else c.before for c in changes]
            split = [review.split_advice(t) if isinstance(t, str) else ("", "") for t in texts]
            severity = changes[0].message.split(" ", 2)[1]
            mark = _SEVERITY_MARK.get(severity, "")
            noun = wording.noun(len(changes), severity if severity != "info" else "finding")
            whats = "; ".join(_cut(what, 200) for what, _ in split)
            advice = {a for _, a in split}
            tail = f" ({_cut(advice.pop(), 200)})" if len(advice) == 1 and "" not in advice else ""
            parts.append(f"{verb} {mark} {len(changes)} `{rule}` {noun}: {whats}{tail}")
    return " — " + " — ".join(message(p).replace("@", "@\u2060") for p in parts) if parts else ""


def _row(row: review.Row, known: review.Names) -> str:
    change = row.change
    before, after = _before_after(change, known)
    stage = escape(known.stages.get(change.stage, change.stage)) if change.stage else "(journey)"
    what = _describe(change) + _brings(row.folded)
    cells = (_LEVEL_MARK[row.level], stage, _element(change, known), what, before, after)
    return "| " + " | ".join(cells) + " |\n"


def _grouped(changes: tuple[Change, ...]) -> list[Change]:
    """Journey-wide changes first, then stage by stage in the order stages first appear."""
    order: dict[str, int] = {"": -1}
    for change in changes:
        order.setdefault(change.stage, len(order))
    return sorted(changes, key=lambda change: order[change.stage])


def _journey_section(journey: JourneyDiff) -> str:
    counts = ", ".join(
        f"{n} {level.value}"
        for level in LEVELS
        if (n := sum(1 for c in journey.changes if c.level is level))
    )
    known = review.names(
        journey.old.journey if journey.old else None, journey.new.journey if journey.new else None
    )
    title = (
        escape(known.journey) + f" ({code(journey.journey)})"
        if known.journey
        else code(journey.journey)
    )
    parts = [f"### Journey {title}\n\n{counts}\n\n", _HEADER]
    parts.extend(_row(row, known) for row in review.rows(_grouped(journey.changes), known))
    return "".join(parts)


def highlights(journey: JourneyDiff) -> tuple[dict[str, str], list[Change]]:
    """Touchpoint id -> "added" or "changed" for the flowchart, and the removed touchpoints."""
    marks: dict[str, str] = {}
    removed: list[Change] = []
    model = journey.new.journey if journey.new else None
    if model is not None and any(
        c.entity is Entity.JOURNEY and c.kind is Kind.ADDED for c in journey.changes
    ):
        marks = {tp.id: "added" for stage in model.stages for tp in stage.touchpoints}
    for change in journey.changes:
        if change.entity is not Entity.TOUCHPOINT:
            continue
        if change.kind is Kind.REMOVED:
            removed.append(change)
        elif change.kind is Kind.ADDED:
            marks[change.id] = "added"
        else:
            marks.setdefault(change.id, "changed")
    return marks, removed


def _flow_section(journey: JourneyDiff) -> str:
    """The new flow as Mermaid, added and changed touchpoints highlighted, removed ones listed."""
    model = journey.new.journey if journey.new else None
    if model is None:
        return ""
    from cljourney.graph import build_flow
    from cljourney.render.mermaid import flowcharts

    marks, removed = highlights(journey)
    diagrams = flowcharts(model, build_flow(model), journey.new_findings, highlight=marks)
    parts = [f"\n#### Flow of {escape(model.journey.name)} after the change\n\n"]
    for diagram in diagrams:
        if diagram.title:
            parts.append(f"{escape(diagram.title)}\n\n")
        parts.append(f"```mermaid\n{diagram.text}```\n\n")
    parts.append(LEGEND)
    if removed:
        known = review.names(journey.old.journey if journey.old else None, model)
        gone = ", ".join(
            f"{_element(c, known)} from {escape(known.stages.get(c.stage, c.stage))}"
            for c in removed
        )
        parts.append(f" Removed: {gone}.")
    parts.append("\n")
    return "".join(parts)


def render_full(result: DiffResult, *, flowcharts: bool = True) -> str:
    parts = ["## Journey changes\n\n", summary_line(result), "\n"]
    for journey in result.journeys:
        if journey.changes:
            parts.append("\n" + _journey_section(journey))
            if flowcharts:
                parts.append(_flow_section(journey))
    return "".join(parts)


def _summary_table(result: DiffResult) -> Iterator[str]:
    yield "| Journey | breaking | risky | info |\n|---|---|---|---|\n"
    for journey in result.journeys:
        if journey.changes:
            counts = [sum(1 for c in journey.changes if c.level is level) for level in LEVELS]
            yield f"| {escape(journey.journey)} | " + " | ".join(map(str, counts)) + " |\n"


def render_summarised(result: DiffResult, max_chars: int) -> str:
    """Counts per journey, then the most severe changes, until `max_chars` is reached."""
    total = len(result.changes)
    head = (
        "## Journey changes\n\n" + summary_line(result) + "\n\n"
        f"This change is too large to list in full here. Below: the changes per journey, then"
        f" changes from the most severe down as far as space allows. Run `cljourney diff` locally"
        f" for all {total}.\n\n"
    )
    reserve = 200  # room for the closing "... more" line
    parts = [head]
    size = len(head)
    for line in _summary_table(result):
        if size + len(line) > max_chars - reserve:
            break
        parts.append(line)
        size += len(line)
    shown = 0
    ranked = sorted(result.changes, key=lambda change: -change.level.rank)
    block = "\n### Most severe changes\n\n| Level | Journey | Stage | Change |\n|---|---|---|---|\n"
    if size + len(block) < max_chars - reserve:
        parts.append(block)
        size += len(block)
        for change in ranked:
            row = (
                f"| {_LEVEL_MARK[change.level]} | {escape(change.journey)} |"
                f" {escape(change.stage)} | {_message(change.message)} |\n"
            )
            if size + len(row) > max_chars - reserve:
                break
            parts.append(row)
            size += len(row)
            shown += 1
    parts.append(f"\n… and {total - shown} more changes not shown.\n")
    return "".join(parts)


def render(result: DiffResult, max_chars: int) -> str:
    """The full report when it fits in `max_chars`, then without flowcharts, then summarised."""
    tables = render_full(result, flowcharts=False)
    if len(tables) > max_chars:
        return render_summarised(result, max_chars)
    full = render_full(result, flowcharts=True)
    return full if len(full) <= max_chars else tables


def write(result: DiffResult, stream: TextIO, options: DiffReportOptions) -> None:
    stream.write(render(result, options.max_chars))
