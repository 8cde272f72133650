"""The HTML journey map: self-contained, safe, deterministic, and complete in a real Chromium.

Browser checks open the generated file from disk in headless Chromium (tests/engines.py) with every
request blocked and recorded, so a stray font, image or script shows up as a request.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cljourney.check.discover import Target
from cljourney.check.pipeline import check_loaded, load_target
from cljourney.cli.app import app
from cljourney.findings import Finding
from cljourney.graph import build_flow
from cljourney.model import JourneyFile
from cljourney.render import IndexEntry, Summary
from cljourney.render.html import render, render_index
from cljourney.rules import RuleOptions
from conftest import EXAMPLES, ROOT, stale_committed
from engines import open_page, require_engines

# Drives a real engine (Chromium + mermaid, cmark-gfm or pre-commit): `-m 'not engines'` skips it.
pytestmark = pytest.mark.engines

DATA = ROOT / "tests" / "data"
HOSTILE = DATA / "hostile-html.yaml"
BROKEN = DATA / "broken.yaml"
DOCS = ROOT / "docs" / "journeys"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
runner = CliRunner()

# Evaluated in the page after load; JSON comes back to Python.
PAGE_FACTS = """({
  pwned: typeof window.__pwned,
  points: document.querySelectorAll('svg.curve circle.point').length,
  articles: document.querySelectorAll('article.tp').length,
  active: document.querySelectorAll('script, img, iframe, object, embed, form, base, link, meta[http-equiv="refresh"]').length,
  handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
  jsLinks: [...document.querySelectorAll('[href], [src]')].filter(e => /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || '')).length,
  flagged: document.querySelectorAll('.card.has-error, .card.has-warning').length,
  pageWidth: document.documentElement.scrollWidth,
  viewWidth: window.innerWidth,
  mapScrolls: (() => { const m = document.querySelector('.map'); return m.scrollWidth > m.clientWidth; })(),
})"""


def load(path: Path) -> tuple[JourneyFile, list[Finding]]:
    loaded = load_target(Target(path, explicit=True))
    assert loaded is not None and loaded.journey is not None, path
    return loaded.journey, check_loaded(loaded, RuleOptions())


def html_of(path: Path) -> str:
    journey, findings = load(path)
    return render(journey, build_flow(journey), findings)


def scored(journey: JourneyFile) -> int:
    """Points on the curve: the scored touchpoints of the ordinary stages (parallel stages run
    beside the lifecycle; their scores are in their lanes)."""
    return sum(
        1
        for s in journey.stages
        if s.during is None
        for t in s.touchpoints
        if t.customer and t.customer.score
    )


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- without a browser


@pytest.mark.parametrize("path", [*EXAMPLE_FILES, HOSTILE, BROKEN], ids=lambda p: p.stem)
def test_output_is_byte_identical_across_runs(path: Path) -> None:
    assert html_of(path) == html_of(path)


class _GenericLabels(HTMLParser):
    """Every generic element carrying an aria-label: screen readers ignore a name there."""

    GENERIC = frozenset({"span", "div", "p", "b", "i", "em", "strong", "small"})

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag in self.GENERIC and "aria-label" in named and "role" not in named:
            self.found.append(f"<{tag} aria-label={named['aria-label']!r}>")


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_handoff_notes_read_source_to_target_and_no_label_is_ignored(path: Path) -> None:
    html = html_of(path)
    labels = _GenericLabels()
    labels.feed(html)
    assert labels.found == []
    # Each handoff's owner change, "<b>AE</b> → <b>CSM</b>", read aloud: the arrow is hidden.
    whos = re.findall(r'<div class="handoff[^"]*">.*?</p><p>(.*?)</p>', html)
    assert whos, path
    read = [_read_aloud(who) for who in whos]
    assert all(re.fullmatch(r"\S.* to \S.*", text) for text in read), read


def _read_aloud(fragment: str) -> str:
    """The text of an HTML fragment without its aria-hidden parts, spaces collapsed."""
    text = re.sub(r'<span aria-hidden="true">[^<]*</span>', "", fragment)
    return " ".join(re.sub(r"<[^>]+>", "", text).split())


@pytest.mark.parametrize("path", [*EXAMPLE_FILES, HOSTILE], ids=lambda p: p.stem)
def test_one_style_block_allowed_by_its_hash_and_no_script(path: Path) -> None:
    page = html_of(path)
    styles = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    assert len(styles) == 1
    digest = base64.b64encode(hashlib.sha256(styles[0].encode()).digest()).decode()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    assert policy.group(1) == (
        f"default-src &#x27;none&#x27;; style-src &#x27;sha256-{digest}&#x27;; "
        "base-uri &#x27;none&#x27;; form-action &#x27;none&#x27;"
    )
    assert "<script" not in page.lower()
    assert " style=" not in page


def test_hostile_strings_are_escaped_in_the_source() -> None:
    page = html_of(HOSTILE)
    assert "&lt;script&gt;window.__pwned = 10&lt;/script&gt;Demo" in page
    assert "&lt;/style&gt;&lt;script&gt;window.__pwned = 4&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;window.__pwned = 12&quot;&gt;" in page
    assert "javascript:" not in re.sub(r">[^<]*<", "><", page)  # only ever inside text nodes


def test_index_links_cannot_carry_a_scheme_or_markup() -> None:
    summary = Summary(1, 2, 3, 4, 5, 5, 0, 1, 0)
    entries = [
        IndexEntry("a", "<b>A</b>", "javascript:alert(1)", '"><script>x</script>.yaml', summary),
        IndexEntry("b", "B", "maps/b-map.html", "../examples/b.yaml", summary),
    ]
    page = render_index(entries)
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs == [
        "javascript%3Aalert%281%29",
        "%22%3E%3Cscript%3Ex%3C/script%3E.yaml",
        "maps/b-map.html",
        "../examples/b.yaml",
    ]
    assert "&lt;b&gt;A&lt;/b&gt;" in page and "<script" not in page
    assert render_index(entries) == page


def test_render_command_writes_html_and_check_sees_staleness(tmp_path: Path) -> None:
    out = tmp_path / "maps"
    out.mkdir()
    args = ["render", str(EXAMPLES), "--format", "html", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([*(p.stem + ".html" for p in EXAMPLE_FILES), "index.html"])
    assert runner.invoke(app, [*args, "--check"]).exit_code == 0
    (out / "b2b-saas.html").write_text("old", encoding="utf-8")
    stale = runner.invoke(app, [*args, "--check"])
    assert stale.exit_code == 1 and "b2b-saas.html" in stale.output


def test_committed_html_maps_are_fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """docs/journeys/*.html are regenerated with `cljourney render examples/ --format html -o
    docs/journeys`; CI fails when they drift."""
    monkeypatch.chdir(ROOT)
    assert stale_committed([Path("examples/")], Path("docs/journeys"), "html") == []


# ---------------------------------------------------------------- in Chromium


@pytest.fixture(scope="module")
def engines() -> None:
    require_engines()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_map_in_chromium(engines: None, tmp_path: Path, path: Path) -> None:
    journey, _ = load(path)
    page = open_page(write(tmp_path, "map.html", html_of(path)), eval_js=PAGE_FACTS)
    assert page.requests == ()
    assert page.console_errors == () and page.page_errors == ()
    facts = page.eval_result
    assert facts["points"] == scored(journey) > 0
    assert facts["articles"] == sum(len(s.touchpoints) for s in journey.stages)
    assert facts["pageWidth"] <= facts["viewWidth"], "the map must scroll, not the page"
    for stage in journey.stages:
        for tp in stage.touchpoints:
            assert tp.name in page.text
            assert tp.why is not None and tp.why in page.text
    assert page.title == f"{journey.journey.name} \u2014 journey map"


def test_hostile_journey_runs_nothing_and_shows_its_strings(engines: None, tmp_path: Path) -> None:
    journey, _ = load(HOSTILE)
    page = open_page(write(tmp_path, "hostile.html", html_of(HOSTILE)), eval_js=PAGE_FACTS)
    facts = page.eval_result
    assert facts["pwned"] == "undefined"
    assert (facts["active"], facts["handlers"], facts["jsLinks"]) == (0, 0, 0)
    assert page.requests == () and page.console_errors == () and page.page_errors == ()
    assert facts["points"] == scored(journey) == 2
    shown = [
        journey.journey.name,
        journey.journey.owner,
        journey.journey.persona,
        journey.journey.outcome,
        journey.journey.description,
        *(r.name for r in journey.roles),
        *(h.why for h in journey.handoffs),
        *(c for h in journey.handoffs for c in h.carries),
    ]
    for stage in journey.stages:
        shown += [stage.name, stage.why, *stage.exit]
        for tp in stage.touchpoints:
            moment = tp.customer
            assert moment is not None
            shown += [tp.name, tp.why, tp.how, tp.channel, moment.does, moment.thinks, moment.feels]
            shown += [*tp.pain_points, *tp.opportunities]
    assert len([t for t in shown if t]) >= 25
    for text in filter(None, shown):
        assert " ".join(text.split()) in " ".join(page.text.split()), text
    assert page.title == f"{journey.journey.name} \u2014 journey map"


def test_broken_journey_is_visibly_broken(engines: None, tmp_path: Path) -> None:
    _, findings = load(BROKEN)
    page = open_page(write(tmp_path, "broken.html", html_of(BROKEN)), eval_js=PAGE_FACTS)
    assert page.requests == () and page.console_errors == () and page.page_errors == ()
    assert page.eval_result["flagged"] > 0
    assert "Validation findings" in page.text
    for finding in findings:  # `spans` of a message are drawn as code, without backticks
        assert re.sub(r"`([^`]+)`", r"\1", finding.message) in page.text


def test_hundreds_of_touchpoints_stay_usable(engines: None, tmp_path: Path) -> None:
    stages = []
    for s in range(6):
        lines = [
            f"  - id: s{s}\n    name: Stage {s}\n    owner: r{s % 2}\n"
            f"    why: The customer moves on to stage {s} with what they need.\n    touchpoints:\n"
        ]
        for t in range(50):
            score = f"\n        customer: {{score: {1 + (s + t) % 5}}}" if t % 7 else ""
            lines.append(
                f"      - id: t{s}-{t}\n        name: Step {s}.{t}\n"
                f"        why: The customer gets step {s}.{t} done without waiting on anyone.{score}\n"
            )
        stages.append("".join(lines))
    source = (
        "cljourney: 1\njourney: {id: big, name: Big journey, owner: ops}\n"
        "roles: [{id: r0, name: Role zero}, {id: r1, name: Role one}]\nstages:\n"
        + "".join(stages)
        + "handoffs:\n  - {from: r0, to: r1, why: The customer keeps one story across teams.}\n"
        "  - {from: r1, to: r0, why: The customer keeps one story across teams.}\n"
    )
    big = write(tmp_path, "big.yaml", source)
    journey, _ = load(big)
    page = open_page(write(tmp_path, "big.html", html_of(big)), eval_js=PAGE_FACTS)
    facts = page.eval_result
    assert page.console_errors == () and page.page_errors == () and page.requests == ()
    assert facts["articles"] == 300 and facts["points"] == scored(journey)
    assert facts["mapScrolls"] and facts["pageWidth"] <= facts["viewWidth"]
