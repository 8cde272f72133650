"""The markdown map prints no column that would be empty, read through cmark-gfm (GitHub's
markdown): each stage table has the optional columns its own touchpoints use, and the roles and
handoffs tables drop their optional columns when nothing fills them."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from cljourney.graph import build_flow
from cljourney.load.journey import load_bytes
from cljourney.render import get_renderer
from engines import cmark_gfm, require_engines

# Drives a real engine (Chromium + mermaid, cmark-gfm or pre-commit): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

JOURNEY = b"""\
cljourney: 1
journey: {id: shop, name: Shop, owner: ops}
roles:
  - {id: ae, name: Account executive}
  - {id: csm, name: Success manager}
stages:
  - id: buy
    name: Buy
    owner: ae
    why: The customer gets what they came for.
    touchpoints:
      - id: demo
        name: Demo
        channel: video
        why: The customer sees their own use case.
        pain_points: [Too long]
  - id: use
    name: Use
    owner: csm
    why: The customer gets value from what they bought.
    touchpoints:
      - id: kickoff
        name: Kick-off
        why: The customer agrees goals in one call.
handoffs:
  - {from: ae, to: csm, why: The customer never repeats their goals to a new person.}
"""


class Tables(HTMLParser):
    """The header row of every table, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.headers: list[list[str]] = []
        self._in_head = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "thead":
            self._in_head = True
            self.headers.append([])
        elif tag == "th" and self._in_head:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag == "th" and self._cell is not None:
            self.headers[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


@pytest.fixture(scope="module")
def headers() -> list[list[str]]:
    require_engines()
    loaded = load_bytes(JOURNEY, "shop.yaml")
    assert loaded is not None and loaded.journey is not None
    journey = loaded.journey
    parser = Tables()
    parser.feed(cmark_gfm(get_renderer("markdown").render(journey, build_flow(journey), [])))
    return parser.headers


def test_each_stage_table_has_only_the_columns_its_touchpoints_use(
    headers: list[list[str]],
) -> None:
    buy, use, *_ = headers
    assert buy == ["#", "Touchpoint", "Owner", "Channel", "Customer why", "Pain points"]
    assert use == ["#", "Touchpoint", "Owner", "Customer why"]


def test_roles_without_descriptions_have_no_description_column(
    headers: list[list[str]],
) -> None:
    assert headers[2] == ["Role"]


def test_handoffs_without_place_or_cargo_have_no_such_columns(headers: list[list[str]]) -> None:
    assert headers[3] == ["From", "To", "Why"]
    assert len(headers) == 4  # no findings table either
