"""The index page over several journey maps: one card per journey linking to its map.

Links are relative paths the render command computed from file names; they are percent-encoded
so that no scheme (`javascript:`) can survive, and escaped for the attribute.
"""

from __future__ import annotations

from collections.abc import Sequence

from cljourney.findings import Severity
from cljourney.render import IndexEntry
from cljourney.render.html._findings import badge, counted_noun
from cljourney.render.html._page import esc
from cljourney.text.shown import printable, uri_path
from cljourney.text.words import noun, plural


def safe_href(href: str) -> str:
    """A relative link that cannot carry a scheme, a query or markup."""
    return esc(uri_path(href))


def _entry(entry: IndexEntry) -> str:
    s = entry.summary
    problems = []
    counted = ((Severity.ERROR, s.errors), (Severity.WARNING, s.warnings), (Severity.INFO, s.infos))
    for severity, number in counted:
        if severity is Severity.INFO and not number:
            continue  # as `validate` words it: infos only when there are some
        icon = badge(severity)[0]
        cls = severity.value if number else "ok"
        problems.append(
            f'<li class="sev {cls}"><span aria-hidden="true">{icon}</span> {number}'
            f" {counted_noun(number, severity)}</li>"
        )
    return (
        f'<li class="entry"><h2><a href="{safe_href(entry.href)}">{esc(entry.name)}</a></h2>'
        f'<p class="source"><span class="k">From</span> <a href="{safe_href(entry.source)}">'
        f"<code>{esc(printable(entry.source))}</code></a></p>"
        f'<ul class="counts"><li>{plural(s.stages, "stage")}</li>'
        f"<li>{plural(s.touchpoints, 'touchpoint')}</li><li>{plural(s.handoffs, 'handoff')}</li>"
        f"<li>{s.whys}/{s.steps} customer {noun(s.steps, 'why')}</li>"
        f"{''.join(problems)}</ul>{_review(entry)}</li>"
    )


def _review(entry: IndexEntry) -> str:
    """Owner, status, last review and next due date, when the journey has a status or review."""
    if not (entry.status or entry.last_review or entry.next_due):
        return ""
    facts = [
        ("Owner", entry.owner),
        ("Status", entry.status),
        ("Last review", entry.last_review),
        ("Next due", entry.next_due),
        ("Review", entry.review_state),
    ]
    items = "".join(f"<div><dt>{k}</dt><dd>{esc(v)}</dd></div>" for k, v in facts if v)
    return f'<dl class="review">{items}</dl>'


def index_body(entries: Sequence[IndexEntry]) -> str:
    """The body of the index page, entries in the order given."""
    items = "".join(_entry(e) for e in entries) or '<li class="entry">No journeys.</li>'
    return (
        '<body><header class="top"><p class="eyebrow">cljourney</p><h1>Journey maps</h1>'
        f'<p class="desc">{plural(len(entries), "journey")}</p></header>'
        f'<main><ul class="index">{items}</ul></main></body>\n'
    )
