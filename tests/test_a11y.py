"""The HTML maps are readable by everyone: axe-core (WCAG 2.0/2.1 A and AA rules) finds no
violation on any committed map or index, nor on the hostile-text map, in light, dark and compact
mode, at desktop and phone widths. Runs the real axe-core in the real Chromium (tests/js)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from engines import AxeView, axe_violations, require_engines
from test_render_html import HOSTILE, html_of

# Drives a real engine (Chromium + axe-core): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

DOCS = ROOT / "docs" / "journeys"
VIEWS = [
    AxeView(width, dark=dark, compact=compact)
    for width in (1400, 390)
    for dark in (False, True)
    for compact in (False, True)
]
PAGES = sorted(DOCS.glob("*.html"))


def _check(path: Path, views: list[AxeView]) -> None:
    require_engines()
    problems = axe_violations(path, views)
    assert not problems, f"{len(problems)} axe-core violations in {path.name}:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_committed_page_has_no_axe_violations(page: Path) -> None:
    # The index has no compact switch: it is looked at in light and dark at both widths.
    views = [v for v in VIEWS if not v.compact] if page.name == "index.html" else VIEWS
    _check(page, views)


def test_hostile_text_map_has_no_axe_violations(tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(html_of(HOSTILE), "utf-8")
    _check(path, VIEWS)
