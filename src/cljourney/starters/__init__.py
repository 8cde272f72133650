"""`cljourney init`: the starter journeys shipped in the package, with the id and name asked for.

Three starters are copies of the examples (`b2b-saas`, `b2c`, `marketing`); `minimal` is a short
annotated one. The id and name are set by replacing the two lines of the `journey:` block, so
every comment of the starter stays.
"""

from __future__ import annotations

import json
import re
from importlib import resources

from cljourney.load.detect import is_yaml_name
from cljourney.model.fields import SLUG_PATTERN

TEMPLATES = ("b2b-saas", "b2c", "marketing", "minimal")
_SLUG = re.compile(SLUG_PATTERN)
_SLUG_MAX = 100  # as the model's Slug


def template_text(name: str) -> str:
    """The text of the starter journey `name` (one of TEMPLATES)."""
    if name not in TEMPLATES:
        raise ValueError(f"unknown template {name!r}")
    return (
        resources.files("cljourney.starters").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
    )


# The `id:` and `name:` lines of the top-level `journey:` block (its first two keys in every
# starter); group 1 keeps the indentation and key, group 2 is the value (comment excluded).
_JOURNEY_BLOCK = re.compile(r"^journey:\n(?:[ ].*\n)*?", re.M)
_KEY_LINE = r"^([ ]+{key}:[ ]+)([^#\n]*?)([ ]+#.*)?$"


def _journey_value(text: str, key: str) -> re.Match[str]:
    block = _JOURNEY_BLOCK.search(text)
    pattern = re.compile(_KEY_LINE.format(key=key), re.M)
    match = pattern.search(text, block.end() if block else 0)
    if block is None or match is None:
        raise ValueError(f"starter has no journey {key}")
    return match


def template_id(name: str) -> str:
    """The journey id written in template `name`."""
    return _journey_value(template_text(name), "id").group(2)


def default_name(name: str) -> str:
    """The file name `init` uses for template `name`: its journey id, as `render` names the map
    (`b2c` writes `b2c-retail.yaml`, rendered as `b2c-retail.md`)."""
    return f"{template_id(name)}.yaml"


def id_from_file_name(stem: str) -> str | None:
    """A journey id made from a file name (`Onboarding v2` -> `onboarding-v2`), None if the name
    holds no letter or digit to make one from."""
    slug = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")[:_SLUG_MAX].rstrip("-_")
    return slug if slug and _SLUG.match(slug) else None


def check_id(value: str) -> str | None:
    """Why `value` cannot be a journey id (None when it can)."""
    if _SLUG.match(value) and len(value) <= _SLUG_MAX:
        return None
    return (
        f"--id {value!r}: a journey id is lowercase letters, digits, '-' and '_', starting with a"
        f" letter or digit (at most {_SLUG_MAX} characters), e.g. {id_from_file_name(value) or 'onboarding'}"
    )


def check_journey_name(value: str) -> str | None:
    """Why `value` cannot be a journey name (None when it can)."""
    if not value.strip():
        return "--name: give the journey a name, not an empty or blank one"
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        return "--name: a journey name is one line of text, without control characters"
    return None


_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()/'_-]*[A-Za-z0-9.)']|[A-Za-z]")
_KEYWORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})


def _scalar(value: str) -> str:
    """`value` as a YAML scalar that reads back as the same string: plain for words that start
    with a letter and are no YAML keyword, else double-quoted (a JSON string is valid YAML)."""
    if _PLAIN.fullmatch(value) and value.lower() not in _KEYWORDS:
        return value
    return json.dumps(value, ensure_ascii=False)


def starter(name: str, journey_id: str | None = None, journey_name: str | None = None) -> str:
    """Template `name` with its journey id and name replaced (when given)."""
    text = template_text(name)
    for key, value in (("id", journey_id), ("name", journey_name)):
        if value is not None:
            match = _journey_value(text, key)
            new, comment = _scalar(value), match.group(3) or ""
            if comment:  # keep the comment's column where the new value leaves room
                gap = max(
                    1, len(comment) - len(comment.lstrip(" ")) + len(match.group(2)) - len(new)
                )
                comment = " " * gap + comment.lstrip(" ")
            text = text[: match.start(2)] + new + comment + text[match.end(0) :]
    return text


def check_name(path: str) -> str | None:
    """Why `path` is a poor name for a journey file (directory search finds only .yaml/.yml)."""
    if is_yaml_name(path):
        return None
    return (
        f"{path}: journey files end in .yaml or .yml (directory search finds no other file);"
        " choose a name such as journey.yaml"
    )
