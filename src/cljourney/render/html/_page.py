"""The HTML document shell: escaping, the stylesheet, and a strict Content-Security-Policy.

The page carries exactly one inline `<style>` block and no script; the CSP allows that block by its
sha256 hash and nothing else (`default-src 'none'`), so even a rendering bug that let user text
become markup could not load or run anything.
"""

from __future__ import annotations

import base64
import hashlib
import html
from functools import lru_cache
from importlib import resources

GENERATOR = '<meta name="generator" content="cljourney">'
"""The marker of a page cljourney wrote (`render -o DIR` removes only such pages)."""


def esc(text: object) -> str:
    """Escape any text for an HTML text node or a quoted attribute value."""
    return html.escape(str(text), quote=True)


@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The shared stylesheet shipped as package data beside this module."""
    return resources.files(__package__).joinpath("style.css").read_text(encoding="utf-8")


def csp(style: str) -> str:
    """A policy that allows only the given inline style block: no scripts, no fetches, no frames."""
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


def document(title: str, body: str, extra_css: str = "") -> str:
    """A complete, self-contained HTML5 document around `body` (already safe markup)."""
    style = stylesheet() + extra_css
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(csp(style))}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"{GENERATOR}\n"
        f"<title>{esc(title)}</title>\n"
        f"<style>{style}</style>\n"
        "</head>\n"
        f"{body}"
        "</html>\n"
    )
