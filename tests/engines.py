"""Drive the real rendering engines from tests: Mermaid in headless Chromium,
GitHub's cmark-gfm, and Chromium opening a generated HTML file.

No mocks: every function here runs the real program in a subprocess (with a
timeout).  Install the engines with ``scripts/install-test-deps``; tests call
:func:`require_engines` first, which skips locally and fails under ``CI``
when something is missing.

Mermaid and page checks go through ``tests/js/browser.mjs`` (one Chromium
launch per call), so batch diagrams into one :func:`render_mermaid` call.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
JS_DIR = TESTS_DIR / "js"
BROWSER_SCRIPT = JS_DIR / "browser.mjs"
INSTALL_HINT = "run scripts/install-test-deps"

CHROMIUM = os.environ.get("CLJOURNEY_CHROMIUM", "/usr/bin/chromium")

# GitHub's extensions; safe mode (no --unsafe), so raw HTML is omitted.
CMARK_GFM_ARGS: tuple[str, ...] = (
    "-e",
    "table",
    "-e",
    "strikethrough",
    "-e",
    "autolink",
    "-e",
    "tagfilter",
    "-e",
    "tasklist",
)

# Time budgets (seconds) for the subprocesses.  browser.mjs has its own,
# tighter, per-diagram / per-page timeouts; these are the backstop.
MERMAID_BASE_TIMEOUT = 60.0
MERMAID_PER_DIAGRAM_TIMEOUT = 20.0
PAGE_TIMEOUT = 90.0
CMARK_TIMEOUT = 30.0


class EngineError(RuntimeError):
    """The harness itself failed (not: the diagram/page under test is bad)."""


@dataclass(frozen=True)
class MermaidResult:
    """Outcome of ``mermaid.parse`` + ``mermaid.render`` for one diagram."""

    source: str
    ok: bool
    error: str | None
    diagram_type: str | None
    svg: str | None
    text: str
    """Concatenated text nodes of the SVG, excluding ``<style>``/``<script>``."""
    labels: tuple[str, ...]
    """Text per drawn label (foreignObject/text/title/desc), wrapped lines joined by a space."""
    links: int
    """Number of ``<a>`` elements (mermaid wraps ``click`` nodes in ``<a>``)."""
    scripts: int
    """script/iframe/object/embed elements + on* attributes + javascript: URLs."""
    handlers: int
    js_urls: int
    urls: tuple[str, ...]
    """Values of href/xlink:href/src/... attributes other than ``#fragment`` refs."""
    elapsed_ms: int

    @property
    def inert(self) -> bool:
        """True when the SVG has no links, scripts, handlers or external URLs."""
        return self.links == 0 and self.scripts == 0 and not self.urls


@dataclass(frozen=True)
class PageResult:
    """What Chromium saw when opening an HTML file with all network blocked."""

    requests: tuple[str, ...]
    """Every request other than the page's own file and data:/blob:/about: URLs (all aborted)."""
    local_requests: tuple[str, ...]
    """data:/blob:/about: requests (allowed; long URLs shortened)."""
    console_errors: tuple[str, ...]
    page_errors: tuple[str, ...]
    text: str
    """``document.body.innerText``."""
    title: str
    eval_result: Any
    """JSON round-trip of the ``eval_js`` expression's (awaited) value, else None."""
    focused: tuple[dict[str, Any] | None, ...] = ()
    """After each of ``keys``, the focused element (tag, id, href, className), or None (body)."""


def _node() -> str | None:
    return shutil.which("node")


def _installed_version(package: str) -> str | None:
    try:
        data = json.loads((JS_DIR / "node_modules" / package / "package.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    version = data.get("version")
    return version if isinstance(version, str) else None


def engines_available() -> str | None:
    """Return None when every engine is usable, else why not (all reasons)."""
    problems: list[str] = []
    if _node() is None:
        problems.append("node is not on PATH")
    if not os.access(CHROMIUM, os.X_OK):
        problems.append(f"chromium not found at {CHROMIUM}")
    if shutil.which("cmark-gfm") is None:
        problems.append("cmark-gfm is not on PATH")
    try:
        wanted: dict[str, str] = json.loads((JS_DIR / "package.json").read_text("utf-8"))[
            "dependencies"
        ]
    except (OSError, ValueError, KeyError):
        problems.append("tests/js/package.json is missing or unreadable")
        wanted = {}
    for package, version in wanted.items():
        have = _installed_version(package)
        if have is None:
            problems.append(f"tests/js/node_modules/{package} is not installed")
        elif have != version:
            problems.append(
                f"tests/js/node_modules/{package} is {have}, package.json pins {version}"
            )
    return "; ".join(problems) if problems else None


def require_engines() -> None:
    """Skip the calling test when engines are missing; fail instead under CI."""
    reason = engines_available()
    if reason is None:
        return
    message = f"test engines unavailable: {reason} ({INSTALL_HINT})"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def _run_browser(mode: str, request: dict[str, Any], timeout: float) -> dict[str, Any]:
    node = _node()
    if node is None:
        raise EngineError(f"node is not on PATH ({INSTALL_HINT})")
    proc = subprocess.Popen(
        [node, str(BROWSER_SCRIPT), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=JS_DIR,
        text=True,
        encoding="utf-8",
    )
    try:
        stdout, stderr = proc.communicate(json.dumps(request), timeout=timeout)
    except subprocess.TimeoutExpired:
        # SIGTERM first: browser.mjs then kills Chromium and removes its profile.
        proc.terminate()
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
        raise EngineError(f"browser.mjs {mode} timed out after {timeout:.0f}s") from None
    if proc.returncode != 0:
        raise EngineError(
            f"browser.mjs {mode} exited {proc.returncode}: {stderr.strip() or '(no stderr)'}"
        )
    try:
        reply: dict[str, Any] = json.loads(stdout)
    except ValueError as exc:
        raise EngineError(f"browser.mjs {mode} wrote invalid JSON: {stdout[:500]!r}") from exc
    return reply


def render_mermaid(diagrams: list[str]) -> list[MermaidResult]:
    """Parse and render each diagram with the real Mermaid (strict security).

    One Chromium launch for the whole list; results are in input order.
    A diagram that fails to parse/render gives ``ok=False`` with ``error``.
    """
    if not diagrams:
        return []
    timeout = MERMAID_BASE_TIMEOUT + MERMAID_PER_DIAGRAM_TIMEOUT * len(diagrams)
    reply = _run_browser("mermaid", {"diagrams": list(diagrams)}, timeout)
    if reply.get("requests"):
        raise EngineError(f"mermaid tried to fetch: {reply['requests']}")
    raw_results: list[dict[str, Any]] = reply["results"]
    if len(raw_results) != len(diagrams):
        raise EngineError(f"expected {len(diagrams)} results, got {len(raw_results)}")
    return [
        MermaidResult(
            source=source,
            ok=bool(r["ok"]),
            error=r.get("error"),
            diagram_type=r.get("diagramType"),
            svg=r.get("svg"),
            text=r.get("text") or "",
            labels=tuple(r.get("labels") or ()),
            links=int(r.get("links") or 0),
            scripts=int(r.get("scripts") or 0),
            handlers=int(r.get("handlers") or 0),
            js_urls=int(r.get("js_urls") or 0),
            urls=tuple(r.get("urls") or ()),
            elapsed_ms=int(r.get("elapsed_ms") or 0),
        )
        for source, r in zip(diagrams, raw_results, strict=True)
    ]


def open_page(
    path: str | os.PathLike[str],
    *,
    screenshot: str | os.PathLike[str] | None = None,
    eval_js: str | None = None,
    width: int = 1600,
    height: int = 1000,
    keys: Sequence[str] = (),
    print_media: bool = False,
    dark: bool = False,
) -> PageResult:
    """Open an HTML file in Chromium with every non-local request blocked.

    ``eval_js`` is a JS *expression* evaluated in the page after load (a
    promise is awaited); its value must be JSON-serialisable.  If it throws,
    :class:`EngineError` is raised.  ``screenshot`` writes a full-page PNG.
    ``keys`` are pressed (real key events) before ``eval_js``; ``print_media``
    then emulates printing as Chromium does by default (print media, and only
    ``print-color-adjust: exact`` backgrounds kept); ``dark`` emulates
    ``prefers-color-scheme: dark`` from the start.
    """
    request: dict[str, Any] = {
        "path": str(Path(path).resolve()),
        "screenshot": str(Path(screenshot).resolve()) if screenshot is not None else None,
        "width": width,
        "height": height,
        "eval": eval_js,
        "keys": list(keys),
        "print": print_media,
        "dark": dark,
    }
    reply = _run_browser("page", request, PAGE_TIMEOUT)
    if reply.get("eval_error") is not None:
        raise EngineError(
            f"eval_js raised: {reply['eval_error']} "
            f"(console errors: {reply.get('console_errors')}, "
            f"page errors: {reply.get('page_errors')})"
        )
    return PageResult(
        requests=tuple(reply.get("requests") or ()),
        local_requests=tuple(reply.get("local_requests") or ()),
        console_errors=tuple(reply.get("console_errors") or ()),
        page_errors=tuple(reply.get("page_errors") or ()),
        text=reply.get("text") or "",
        title=reply.get("title") or "",
        eval_result=reply.get("eval"),
        focused=tuple(reply.get("focused") or ()),
    )


@dataclass(frozen=True)
class AxeView:
    """One way of looking at a page: viewport width, colour scheme, compact cards, print media."""

    width: int
    dark: bool = False
    compact: bool = False
    print: bool = False

    def __str__(self) -> str:
        scheme = "dark" if self.dark else "light"
        extra = "".join(
            name for name, on in ((" compact", self.compact), (" print", self.print)) if on
        )
        return f"{self.width}px {scheme}{extra}"


def axe_violations(path: str | os.PathLike[str], views: list[AxeView]) -> list[str]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on an HTML file once per view, in Chromium.

    Returns one readable line per violating element (`view: rule (impact) target: why`); an empty
    list means no violation in any view.
    """
    request: dict[str, Any] = {
        "path": str(Path(path).resolve()),
        "views": [
            {"width": v.width, "dark": v.dark, "compact": v.compact, "print": v.print}
            for v in views
        ],
    }
    reply = _run_browser("axe", request, PAGE_TIMEOUT * len(views))
    lines: list[str] = []
    for view, seen in zip(views, reply["views"], strict=True):
        for violation in seen["violations"]:
            for node in violation["nodes"]:
                why = " ".join(str(node["summary"]).split())
                lines.append(
                    f"{view}: {violation['id']} ({violation['impact']}) {node['target']}: {why}"
                )
    return lines


def cmark_gfm(markdown: str) -> str:
    """Render markdown to HTML as GitHub does: GFM extensions, safe mode.

    Safe mode replaces all raw HTML with ``<!-- raw HTML omitted -->`` and
    blanks dangerous link URLs (``javascript:`` etc.).
    """
    exe = shutil.which("cmark-gfm")
    if exe is None:
        raise EngineError(f"cmark-gfm is not on PATH ({INSTALL_HINT})")
    try:
        proc = subprocess.run(
            [exe, *CMARK_GFM_ARGS],
            input=markdown,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=CMARK_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise EngineError(f"cmark-gfm timed out after {CMARK_TIMEOUT:.0f}s") from None
    if proc.returncode != 0:
        raise EngineError(f"cmark-gfm exited {proc.returncode}: {proc.stderr.strip()}")
    return proc.stdout


_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")


def mermaid_blocks(markdown: str) -> list[str]:
    """Bodies of the top-level ```mermaid (or ~~~mermaid) fenced blocks.

    Follows CommonMark fences: the info string's first word must be
    ``mermaid``; the closing fence uses the same character, is at least as
    long and has nothing after it; an unclosed fence runs to the end of the
    document; indentation of the opening fence is removed from body lines.
    Fences nested in lists or block quotes are not looked at.  For what
    GitHub itself sees, compare with :func:`mermaid_blocks_gfm`.
    """
    blocks: list[str] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        match = _FENCE_OPEN.match(lines[i])
        i += 1
        if match is None:
            continue
        indent, fence, info = len(match.group(1)), match.group(2), match.group(3)
        if fence[0] == "`" and "`" in info:
            continue  # not a fence: backtick fences can't have backticks in the info string
        closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
        body: list[str] = []
        while i < len(lines) and not closing.match(lines[i]):
            line = lines[i]
            strip = len(line) - len(line.lstrip(" "))
            body.append(line[min(indent, strip) :])
            i += 1
        i += 1  # skip the closing fence (or run past the end)
        words = info.split()
        if words and words[0] == "mermaid":
            blocks.append("".join(f"{line}\n" for line in body))
    return blocks


_GFM_MERMAID = re.compile(r'<pre><code class="language-mermaid">(.*?)</code></pre>', re.DOTALL)


def mermaid_blocks_gfm(markdown: str) -> list[str]:
    """Bodies of the mermaid code blocks as cmark-gfm (GitHub) parses them."""
    return [html.unescape(body) for body in _GFM_MERMAID.findall(cmark_gfm(markdown))]
