"""The JSON Schema of the journey format, generated from the pydantic models (for editors and CI).

Generated, never hand-written, so it cannot drift from what `validate` accepts structurally.
"""

from __future__ import annotations

from typing import Any

from cljourney.model import FORMAT_VERSION, JourneyFile

SCHEMA_ID = f"https://cljourney.dev/schema/journey-v{FORMAT_VERSION}.json"


def journey_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a journey file, format version 1."""
    generated = JourneyFile.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **generated,
        "title": f"cljourney journey file (format version {FORMAT_VERSION})",
    }
