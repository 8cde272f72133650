"""Counts agree with their nouns wherever a number is shown ("1 stage", "2 touchpoints")."""

from __future__ import annotations

from cljourney.diff.pairing import compare, source_text
from cljourney.graph import build_flow
from cljourney.load.journey import load_bytes
from cljourney.render import IndexEntry, get_renderer, summarize
from cljourney.text.words import noun, plural

ONE = b"""\
cljourney: 1
journey: {id: one, name: One, owner: ops}
stages:
  - id: only
    name: Only
    why: The customer gets one thing done.
    touchpoints:
      - {id: a, name: A, why: The customer starts.}
"""


def test_plural_and_noun() -> None:
    assert plural(1, "stage") == "1 stage"
    assert plural(0, "stage") == "0 stages"
    assert plural(2, "person", "people") == "2 people"
    assert noun(1, "touchpoint") == "touchpoint" and noun(3, "touchpoint") == "touchpoints"


def test_an_added_one_stage_journey_is_counted_in_the_singular() -> None:
    result = compare([], [source_text("one.yaml", ONE, "one.yaml")], old_label="a", new_label="b")
    messages = [change.message for change in result.changes]
    assert "journey 'one' added (1 stage, 1 touchpoint)" in messages


def test_maps_and_indexes_count_in_the_singular() -> None:
    loaded = load_bytes(ONE, "one.yaml")
    assert loaded is not None and loaded.journey is not None
    journey = loaded.journey
    entry = IndexEntry("one", "One", "one.html", "one.yaml", summarize(journey, []))
    html = get_renderer("html").render(journey, build_flow(journey), [])
    assert '<span class="v">1</span> <span class="t">stage</span>' in html
    assert "1 of 1 touchpoint scored" not in html  # no score: no curve at all
    index = get_renderer("html").render_index([entry])
    assert "<li>1 stage</li><li>1 touchpoint</li><li>0 handoffs</li>" in index
    assert "customer why on 2 of 2 steps" in get_renderer("markdown").render(
        journey, build_flow(journey), []
    )
    mermaid = get_renderer("mermaid").render_index([entry])
    assert "1 stage, 1 touchpoint, 0 errors, 0 warnings" in mermaid
