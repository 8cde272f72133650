"""The JSON Schema of the journey format, generated from the pydantic models (for editors and CI).

Generated, never hand-written, so it cannot drift from what `validate` accepts structurally.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from cljourney import model
from cljourney.model import FORMAT_VERSION, JourneyFile

SCHEMA_ID = f"https://cljourney.dev/schema/journey-v{FORMAT_VERSION}.json"


def journey_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a journey file, format version 1."""
    generated = JourneyFile.model_json_schema(by_alias=True, mode="validation")
    _describe_refs(generated, JourneyFile)
    for name, definition in generated.get("$defs", {}).items():
        _describe_refs(definition, getattr(model, name))
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
