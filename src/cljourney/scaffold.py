"""`cljourney init`: the starter journeys shipped in the package (copies of the examples)."""

from __future__ import annotations

from importlib import resources

TEMPLATES = ("b2b-saas", "b2c", "marketing")


def template_text(name: str) -> str:
    """The text of the starter journey `name` (one of TEMPLATES)."""
    if name not in TEMPLATES:
        raise ValueError(f"unknown template {name!r}")
    return (
        resources.files("cljourney.templates").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    )
