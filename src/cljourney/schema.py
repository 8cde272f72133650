"""The JSON Schema of the journey format, generated from the pydantic models (for editors and CI).

Generated, never hand-written, so it cannot drift from what `validate` accepts structurally.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, BeforeValidator

from cljourney import model
from cljourney.model import FORMAT_VERSION, JourneyFile, parts
from cljourney.model.fields import none_is_empty

SCHEMA_ID = f"https://cljourney.dev/schema/journey-v{FORMAT_VERSION}.json"


def journey_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a journey file, format version 1."""
    generated = JourneyFile.model_json_schema(by_alias=True, mode="validation")
    _describe_refs(generated, JourneyFile)
    _match_loader(generated, JourneyFile)
    for name, definition in generated.get("$defs", {}).items():
        source = getattr(model, name, None) or getattr(parts, name)
        _describe_refs(definition, source)
        _match_loader(definition, source)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **generated,
        "title": f"cljourney journey file (format version {FORMAT_VERSION})",
    }


def _describe_refs(definition: dict[str, Any], source: type[BaseModel]) -> None:
    """Pydantic drops a field's description next to a `$ref`; put it back (allowed in 2020-12)."""
    fields = {info.alias or name: info for name, info in source.model_fields.items()}
    for key, spec in definition.get("properties", {}).items():
        info = fields.get(key)
        if info is not None and info.description and "description" not in spec:
            spec["description"] = info.description


def _match_loader(definition: dict[str, Any], source: type[BaseModel]) -> None:
    """Accept what the loader accepts: an empty collection field is an empty list; `next:`
    left empty is an error (see `cljourney.model`), and so is `during:`, so null is not allowed there."""
    for name, info in source.model_fields.items():
        spec = definition.get("properties", {}).get(info.alias or name)
        if spec is None:
            continue
        if any(isinstance(m, BeforeValidator) and m.func is none_is_empty for m in info.metadata):
            items = {k: v for k, v in spec.items() if k not in ("description", "default", "title")}
            if "minItems" in items:
                continue  # `stages:` left empty still fails: a journey needs a stage
            for key in items:
                del spec[key]
            spec["anyOf"] = [items, {"type": "null"}]
        elif name in ("next", "during"):
            spec.update(next(s for s in spec.pop("anyOf") if s.get("type") != "null"))
            spec.pop("default", None)
