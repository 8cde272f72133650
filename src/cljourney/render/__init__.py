"""Journey -> text renderers: a name -> module table that also supplies `render --format`.

Each module exposes two pure functions:

- `render(journey, flow, findings, options) -> str`: the map of one journey (`options`, a
  RenderOptions, may be left out);
- `render_index(entries) -> str`: the page linking several maps;

and may set `SUFFIX` (default: "." + the format name), `INDEX_NAME` (default: "index" +
SUFFIX), `FLOWCHART = True` when it draws the flowchart (so `--direction` applies), and
`is_generated(head, tail) -> bool`, which recognises its own output by the marker it writes (from
the first and last MARKER_BYTES of a file); `render -o DIR` removes only files it recognises. A new format is one table entry plus its module; modules are imported only when chosen.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import datetime

    from cljourney.findings import Finding
    from cljourney.governance import ReviewState
    from cljourney.graph import Flow
    from cljourney.model import JourneyFile
    from cljourney.render.events import Measured

RENDERERS: dict[str, str] = {
    "markdown": "cljourney.render.markdown",
    "mermaid": "cljourney.render.mermaid",
    "json": "cljourney.render.json",
    "html": "cljourney.render.html",
}


# Findings that say a why is no customer why: a summary does not count the why they are on.
WHY_RULES = frozenset({"missing-why", "weak-why"})


@dataclass(frozen=True)
class Summary:
    """The counts a map and an index show for one journey."""

    stages: int
    touchpoints: int
    roles: int
    handoffs: int
    steps: int
    """Stages, touchpoints and handoffs: everything that must carry a customer why."""
    whys: int
    """How many of those steps carry a customer why: not blank, and with no `missing-why` or
    `weak-why` finding on it, silenced or not (`why: TBD` is no customer why)."""
    errors: int
    warnings: int
    infos: int

    @property
    def found(self) -> str:
        """The finding counts as `validate` words them, or "" when there is none at all."""
        if not (self.errors or self.warnings or self.infos):
            return ""
        from cljourney.text.words import tally

        return tally(self.errors, self.warnings, self.infos)


@dataclass(frozen=True)
class IndexEntry:
    """One journey on an index page."""

    journey_id: str
    name: str
    href: str
    """The map's path relative to the index page, with '/' separators."""
    source: str
    """The journey file's path relative to the index page, with '/' separators."""
    summary: Summary
    owner: str = ""
    status: str = ""
    last_review: str = ""
    """`review.last` as written (maps ask neither git nor the clock unless given `--today`:
    then the last review, from git when `review.last` is absent)."""
    next_due: str = ""
    review_state: str = ""
    """With `--today` only: the review against that day, in words (`review overdue by 12
    days (due 2026-12-13)`); empty otherwise, and then left out of the JSON index."""


def summarize(
    journey: JourneyFile, findings: Sequence[Finding], why_findings: Sequence[Finding] = ()
) -> Summary:
    """Count stages, touchpoints, roles, handoffs, whys and findings of one journey.

    A why counts only when no `missing-why` or `weak-why` finding is on its element, among
    `findings` (what the map shows) or `why_findings` (those rules' findings before inline
    ignores and config selection silence them: a silenced placeholder is still no customer why).
    """
    from cljourney.findings import Kind, Severity

    touchpoints = [tp for stage in journey.stages for tp in stage.touchpoints]
    whys = [(Kind.STAGE, stage.id, stage.why) for stage in journey.stages]
    whys += [(Kind.TOUCHPOINT, tp.id, tp.why) for tp in touchpoints]
    whys += [(Kind.HANDOFF, handoff.key, handoff.why) for handoff in journey.handoffs]
    flagged = {(f.kind, f.element) for f in (*findings, *why_findings) if f.rule in WHY_RULES}
    return Summary(
        stages=len(journey.stages),
        touchpoints=len(touchpoints),
        roles=len(journey.roles),
        handoffs=len(journey.handoffs),
        steps=len(whys),
        whys=sum(
            1
            for kind, element, why in whys
            if why is not None and why.strip() and (kind, element) not in flagged
        ),
        errors=sum(1 for f in findings if f.severity is Severity.ERROR),
        warnings=sum(1 for f in findings if f.severity is Severity.WARNING),
        infos=sum(1 for f in findings if f.severity is Severity.INFO),
    )


# Flowchart directions (`render --direction`): left to right, top to bottom.
DIRECTIONS = ("LR", "TB")


@dataclass(frozen=True)
class RenderOptions:
    """How to draw a map, and what an event log adds to it (`render --events`)."""

    direction: str | None = None
    """The flowchart's direction, LR or TB; None chooses by the journey's shape."""
    measured: Measured | None = None
    """The journey measured against an event log, drawn over the map; None: a plain map."""
    why_findings: tuple[Finding, ...] = ()
    """The why rules' findings before suppressions and config selection, which the summary
    counts customer whys by (`summarize`); the findings drawn on the map are passed apart."""
    today: datetime.date | None = None
    """`render --today`: the day the maps state the review against; None (the default): the
    header shows the review as written, reading neither the clock nor git."""
    review: ReviewState | None = None
    """The journey's review state on `today` (None without `--today` or a `review` block)."""


DEFAULT_OPTIONS = RenderOptions()
MARKER_BYTES = 4096


def _never(head: str, tail: str) -> bool:
    return False


class Render(Protocol):
    """A renderer's `render`: the map of one journey; `options` may be left out."""

    def __call__(
        self,
        journey: JourneyFile,
        flow: Flow,
        findings: Sequence[Finding],
        options: RenderOptions = ...,
        /,
    ) -> str: ...


RenderIndex = Callable[[Sequence[IndexEntry]], str]


@dataclass(frozen=True)
class Renderer:
    """A loaded renderer module: its two functions and its file names."""

    name: str
    render: Render
    render_index: RenderIndex
    suffix: str
    index_name: str
    flowchart: bool
    """Whether the format draws the flowchart (`--direction` means something)."""
    is_generated: Callable[[str, str], bool]
    """Whether a file (its first and last MARKER_BYTES, decoded) carries this format's marker."""


def get_renderer(name: str) -> Renderer:
    """The renderer called `name` (one of RENDERERS)."""
    module: ModuleType = importlib.import_module(RENDERERS[name])
    suffix: str = getattr(module, "SUFFIX", f".{name}")
    return Renderer(
        name=name,
        render=module.render,
        render_index=module.render_index,
        suffix=suffix,
        index_name=getattr(module, "INDEX_NAME", f"index{suffix}"),
        flowchart=getattr(module, "FLOWCHART", False),
        is_generated=getattr(module, "is_generated", _never),
    )
