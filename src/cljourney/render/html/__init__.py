"""Journey -> one self-contained HTML journey map (and an index page over several maps).

Pure functions returning text: no I/O, no clock, no randomness, so the output is byte-identical
across runs and can be committed and checked with `render --check`. The page has no script and
loads nothing: one inline stylesheet allowed by its hash in a strict Content-Security-Policy.
"""

from __future__ import annotations

from collections.abc import Sequence

from cljourney.findings import Finding
from cljourney.graph import Flow
from cljourney.model import JourneyFile
from cljourney.render import DEFAULT_OPTIONS, IndexEntry, RenderOptions
from cljourney.render.html._curve import curve_css
from cljourney.render.html._index import index_body
from cljourney.render.html._map import body, lane_css, stage_css
from cljourney.render.html._measured import measured_css
from cljourney.render.html._page import GENERATOR, document


def render(
    journey: JourneyFile,
    flow: Flow,
    findings: Sequence[Finding],
    options: RenderOptions = DEFAULT_OPTIONS,
) -> str:
    """The journey map of one journey as a complete HTML document (it draws no flowchart, so
    only `options.measured` changes it, the event log's figures, and `options.review`, the
    review state as of `--today`)."""
    title = f"{journey.journey.name} \u2014 journey map"
    css = stage_css(flow) + lane_css(flow) + curve_css(flow) + measured_css(options.measured)
    page = body(journey, flow, findings, options.measured, options.why_findings, options.review)
    return document(title, page, css)


def is_generated(head: str, tail: str) -> bool:
    """A page this module wrote: a whole document naming cljourney as its generator."""
    return (
        head.startswith("<!DOCTYPE html>\n")
        and f"\n{GENERATOR}\n" in head
        and tail.endswith("</html>\n")
    )


def render_index(entries: Sequence[IndexEntry]) -> str:
    """An index page linking the maps of several journeys, with their summary counts."""
    return document("Journey maps", index_body(entries))


__all__ = ["IndexEntry", "is_generated", "render", "render_index"]
