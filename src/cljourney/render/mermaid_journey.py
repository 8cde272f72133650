"""The emotion curve as a Mermaid journey diagram: sections are stages, tasks are scored
touchpoints, actors their owner role names.

Label text goes through `mermaid_text.text`, and a task never starts with a word the journey syntax
reads as a statement. A curve too big for Mermaid's text limit is split into runs of consecutive
stages; each stage's section is built once, so the split is linear in the touchpoints.
"""

from __future__ import annotations

from collections.abc import Sequence

from cljourney.findings import Finding
from cljourney.graph import Flow
from cljourney.model import JourneyFile
from cljourney.render.mermaid_text import (
    ROLE_LIMIT,
    TEXT_BUDGET,
    TITLE_LIMIT,
    Diagram,
    accessible,
    name_of,
    role_names,
    size,
    text,
)
from cljourney.text.words import plural

# Words a journey-diagram task line must not start with (they are statements there).
_JOURNEY_KEYWORDS = ("journey", "title", "section", "acctitle", "accdescr")


def _task_name(value: str) -> str:
    escaped = text(value)
    if escaped.lower().startswith(_JOURNEY_KEYWORDS):
        escaped = f"#{ord(escaped[0])};{escaped[1:]}"
    return escaped


def _sections(journey: JourneyFile, flow: Flow) -> dict[int, str]:
    """The section text of every stage with at least one scored touchpoint, in stage order.
    Parallel stages are left out: the curve follows the lifecycle, which they run beside."""
    roles = role_names(journey)
    sections: dict[int, str] = {}
    for index, members in enumerate(flow.members):
        if index in flow.parallel:
            continue
        stage = journey.stages[index]
        lines = [f"    section {text(name_of(stage.name, stage.id))}"]
        for placed in members:
            moment = placed.touchpoint.customer
            if moment is None or moment.score is None:
                continue
            task = f"      {_task_name(name_of(placed.touchpoint.name, placed.id))}: {moment.score}"
            if placed.owner is not None:
                actor = roles.get(placed.owner, placed.owner)
                task += f": {text(actor, limit=ROLE_LIMIT, extra=',')}"
            lines.append(task)
        if len(lines) > 1:
            sections[index] = "\n".join(lines)
    return sections


def _head(journey: JourneyFile, flow: Flow) -> str:
    title = name_of(journey.journey.name, journey.journey.id)
    scores = [
        (p.touchpoint.customer.score, p.order, p)
        for p in flow.placed
        if not flow.in_lane(p) and p.touchpoint.customer and p.touchpoint.customer.score
    ]
    score, _order, low = min(scores, key=lambda item: item[:2])
    description = (
        f"Customer emotion from 1 (frustrated) to 5 (delighted) at {plural(len(scores), 'scored touchpoint')},"
        f" by stage. The low point is {name_of(low.touchpoint.name, low.id)}, {score} of 5."
    )
    acc = "\n".join(accessible(f"Emotion curve of {title}", description))
    return f"journey\n    title {text(title, limit=TITLE_LIMIT)}\n{acc}"


def unscored(flow: Flow) -> int:
    """How many touchpoints have no `customer.score`, and so are not on the curve."""
    return sum(
        1
        for placed in flow.placed
        if placed.touchpoint.customer is None or placed.touchpoint.customer.score is None
    )


def _diagram(head: str, sections: Sequence[str]) -> str:
    return "\n".join([head, *sections]) + "\n"


def journey_diagram(journey: JourneyFile, flow: Flow, findings: Sequence[Finding]) -> str | None:
    """The emotion curve as one Mermaid journey diagram, or None when no touchpoint has a score.

    `findings` is accepted for a uniform signature; the curve does not show them.
    """
    sections = _sections(journey, flow)
    if not sections:
        return None
    head = _head(journey, flow)
    return _diagram(head, list(sections.values()))


def journey_diagrams(
    journey: JourneyFile, flow: Flow, findings: Sequence[Finding]
) -> tuple[Diagram, ...]:
    """The journey diagram, split into runs of consecutive stages when too big for one."""
    sections = list(_sections(journey, flow).values())
    if not sections:
        return ()
    head = _head(journey, flow)
    whole = _diagram(head, sections)
    if size(whole) <= TEXT_BUDGET:
        return (Diagram(whole),)
    runs: list[list[str]] = []
    run: list[str] = []
    used = size(head) + 1  # the head and the final newline
    for section in sections:
        cost = size(section) + 1  # the section and the newline before it
        if run and used + cost > TEXT_BUDGET:
            runs.append(run)
            run, used = [], size(head) + 1
        run.append(section)
        used += cost
    runs.append(run)
    return tuple(
        Diagram(_diagram(head, part), f"Emotion curve, part {n} of {len(runs)}")
        for n, part in enumerate(runs, start=1)
    )
