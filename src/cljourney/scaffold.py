"""`cljourney init`: the starter journeys shipped in the package (copies of the examples)."""

from __future__ import annotations

import re
from importlib import resources

TEMPLATES = ("b2b-saas", "b2c", "marketing")


def template_text(name: str) -> str:
    """The text of the starter journey `name` (one of TEMPLATES)."""
    if name not in TEMPLATES:
        raise ValueError(f"unknown template {name!r}")
    return (
        resources.files("cljourney.templates").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    )


_JOURNEY_ID = re.compile(r"^journey:\n(?:[ ].*\n)*?[ ]+id: ([a-z0-9][a-z0-9_-]*)$", re.M)


def default_name(name: str) -> str:
    """The file name `init` uses for template `name`: its journey id, as `render` names the map
    (`b2c` writes `b2c-retail.yaml`, rendered as `b2c-retail.md`)."""
    match = _JOURNEY_ID.search(template_text(name))
    if match is None:
        raise ValueError(f"template {name!r} has no journey id")
    return f"{match.group(1)}.yaml"


def check_name(path: str) -> str | None:
    """Why `path` is a poor name for a journey file (directory search finds only .yaml/.yml)."""
    if path.lower().endswith((".yaml", ".yml")):
        return None
    return (
        f"{path}: journey files end in .yaml or .yml (directory search finds no other file);"
        " choose a name such as journey.yaml"
    )
