"""The HTML maps are readable by everyone: axe-core (WCAG 2.0/2.1 A and AA rules) finds no
violation on any committed map or index, nor on the hostile-text map, in light, dark and compact
mode, at desktop and phone widths, and printed. Runs the real axe-core in the real Chromium (tests/js)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from engines import AxeView, axe_violations, open_page, require_engines
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
# Printed (A3): Chromium prints in the light scheme whatever the screen's preference.
PRINT = [AxeView(1400, print=True)]
# The measured maps (`render --events`) too: funnels, figures on the cards.
PAGES = sorted(DOCS.glob("*.html")) + sorted((DOCS / "measured").glob("*.html"))


def _check(path: Path, views: list[AxeView]) -> None:
    require_engines()
    problems = axe_violations(path, views)
    assert not problems, f"{len(problems)} axe-core violations in {path.name}:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_committed_page_has_no_axe_violations(page: Path) -> None:
    # The index has no compact switch: it is looked at in light and dark at both widths.
    views = [v for v in VIEWS if not v.compact] if page.name == "index.html" else VIEWS
    _check(page, views + PRINT)


def test_hostile_text_map_has_no_axe_violations(tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(html_of(HOSTILE), "utf-8")
    _check(path, VIEWS + PRINT)


# Every control a keyboard reaches, focused in turn: its focus style must be drawn (an outline of
# 2 px or more, 3:1 against the page and the panels, WCAG 1.4.11), and the skip link, hidden until
# focused, must come into view.
FOCUS_FACTS = """(() => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).map((v) => v / 255).map((v) => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const probe = document.createElement('div');
  document.body.append(probe);
  const colour = (v) => { probe.style.color = `var(${v})`; return getComputedStyle(probe).color; };
  const grounds = ['--bg', '--surface', '--soft'].map(colour);
  const reachable = [...document.querySelectorAll('a[href], input, button, [tabindex="0"]')];
  const unseen = [];
  for (const el of reachable) {
    el.focus();
    const style = getComputedStyle(el);
    if (document.activeElement !== el || style.outlineStyle === 'none'
        || parseFloat(style.outlineWidth) < 2
        || (!el.closest('.strip') && grounds.some((g) => ratio(style.outlineColor, g) < 3))) unseen.push(el.outerHTML.slice(0, 80));
  }
  const skip = document.querySelector('a.skip');
  skip.focus();
  const box = skip.getBoundingClientRect();
  return {count: reachable.length, unseen, skipVisible: box.left >= 0 && box.width > 0,
          skipTarget: !!document.querySelector(skip.getAttribute('href'))};
})()"""


@pytest.mark.parametrize("page", [p for p in PAGES if p.name != "index.html"], ids=str)
def test_every_control_shows_where_the_keyboard_focus_is(page: Path) -> None:
    require_engines()
    facts = open_page(page, eval_js=FOCUS_FACTS).eval_result
    assert facts["count"] > 10
    assert facts["unseen"] == []
    assert facts["skipVisible"] and facts["skipTarget"]


# Every piece of text reaches 4.5:1 (3:1 when large) against what is under it, on screen in both
# schemes and printed as Chromium prints by default (no background graphics: only
# `print-color-adjust: exact` keeps a background). axe-core leaves one-character text out of
# `color-contrast` (it may be an icon), so a white card number on a badge printing as white paper,
# or a faint dash in an empty cell, passes it; this walks every element holding text instead.
TEXT_CONTRAST = """(() => {
  // Computed colours come as rgb()/rgba(), or color(srgb r g b / a) from color-mix().
  const rgba = (c) => {
    const v = c.match(/[\\d.]+/g).map(Number);
    const scale = c.startsWith('color(') ? 255 : 1;
    return [v[0] * scale, v[1] * scale, v[2] * scale, v.length > 3 ? v[3] : 1];
  };
  const lum = ([r, g, b]) => {
    const [x, y, z] = [r, g, b].map((v) => v / 255).map((v) => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * x + 0.7152 * y + 0.0722 * z;
  };
  // The colour under an element: its own and its ancestors' backgrounds, translucent ones
  // blended, down to the first opaque one or the paper (the canvas).
  const under = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reverse().reduce(
      (bg, [r, g, b, a]) => [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)],
      [255, 255, 255],
    );
  };
  const low = [];
  let checked = 0;
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg') || el.closest('.sr')) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width < 2 || box.height < 2 || style.visibility !== 'visible') continue;
    const bg = under(el);
    const [r, g, b, a] = rgba(style.color);
    const fg = [r * a + bg[0] * (1 - a), g * a + bg[1] * (1 - a), b * a + bg[2] * (1 - a)];
    const [hi, lo] = [lum(fg), lum(bg)].sort((p, q) => q - p);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    checked += 1;
    if (ratio < (large ? 3 : 4.5)) low.push(`${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
  }
  return {checked, low};
})()"""
CONTRAST_VIEWS = {"light": {}, "dark": {"dark": True}, "print": {"print_media": True}}


@pytest.mark.parametrize("view", sorted(CONTRAST_VIEWS))
@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(DOCS).as_posix() for p in PAGES])
def test_every_text_keeps_its_contrast_short_text_and_print_included(page: Path, view: str) -> None:
    require_engines()
    facts = open_page(page, eval_js=TEXT_CONTRAST, **CONTRAST_VIEWS[view]).eval_result  # type: ignore[arg-type]
    assert facts["checked"] > 20
    assert facts["low"] == []


@pytest.mark.parametrize("view", sorted(CONTRAST_VIEWS))
def test_hostile_text_map_keeps_its_contrast(tmp_path: Path, view: str) -> None:
    require_engines()
    path = tmp_path / "hostile.html"
    path.write_text(html_of(HOSTILE), "utf-8")
    facts = open_page(path, eval_js=TEXT_CONTRAST, **CONTRAST_VIEWS[view]).eval_result  # type: ignore[arg-type]
    assert facts["low"] == []


# Real key presses, as a keyboard user moves: Tab reaches the skip link first, then every stage
# link (lanes included), the lane switches and the compact switch; Enter on the skip link moves
# the focus to the stages; Space on a switch works it.
SWITCHES = [f"show-{k}" for k in ("feels", "does", "thinks", "pains", "opps", "metrics")]


def test_keyboard_reaches_and_works_every_control() -> None:
    require_engines()
    page = DOCS / "b2b-saas.html"
    stages = page.read_text("utf-8").count('<a href="#stage-')
    trail = open_page(page, keys=["Tab"] * 80).focused
    assert trail[0] is not None and trail[0]["className"] == "skip"
    # One round: Tab leaves the page after the last control and comes back to the skip link.
    trail = trail[: trail.index(None)] if None in trail else trail
    assert len(trail) < 80, "Tab never left the page: a keyboard trap"
    hrefs = [f["href"] for f in trail if f and f["tag"] == "a"]
    assert {f"#stage-{n}" for n in range(1, stages + 1)} <= set(hrefs)
    assert stages == 5  # four stages and the Support lane
    ids = [f["id"] for f in trail if f]
    assert [i for i in ids if i in SWITCHES or i == "compact"] == [*SWITCHES, "compact"]
    skip = open_page(page, keys=["Tab", "Enter"])
    assert skip.focused[-1] is not None and skip.focused[-1]["id"] == "stages"
    facts = (
        "[document.activeElement.id, document.querySelector('#compact').checked,"
        " getComputedStyle(document.querySelector('.card .why')).display,"
        " getComputedStyle(document.querySelector('.l-feels')).display]"
    )
    for switch, hidden in (("compact", 2), ("show-feels", 3)):
        presses = ["Tab"] * (ids.index(switch) + 1) + ["Space"]
        worked = open_page(page, keys=presses, eval_js=facts).eval_result
        assert worked[0] == switch
        assert worked[hidden] == "none", switch
        assert worked[1] is (switch == "compact")
