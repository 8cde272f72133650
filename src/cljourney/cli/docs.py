"""The commands that describe the format rather than check files: `rules`, `explain`, `schema`,
and `init` (a starter journey). None of them builds a journey's flow, so none imports networkx."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from cljourney.cli.options import file_output, output_path
from cljourney.cli.params import fail_usage, usage_errors
from cljourney.errors import UsageError


class RulesFormat(str, Enum):
    text = "text"
    markdown = "markdown"
    json = "json"


def rules(
    output_format: Annotated[
        RulesFormat,
        typer.Option("--format", "-f", help="text, markdown (the README table) or json."),
    ] = RulesFormat.text,
) -> None:
    """List every rule: id, default severity and what it finds."""
    from cljourney.rules import docs as ruledocs

    render = {
        "text": ruledocs.text_table,
        "markdown": ruledocs.markdown_table,
        "json": ruledocs.json_list,
    }
    sys.stdout.write(render[output_format.value]())


def explain(
    rule: Annotated[str, typer.Argument(help="A rule id, e.g. weak-why.", metavar="RULE")],
) -> None:
    """Explain a rule: what it finds, why it matters to customers, a failing and a passing example."""
    from cljourney.rules import docs as ruledocs

    found = ruledocs.lookup(rule)
    if isinstance(found, str):
        raise fail_usage(found)
    sys.stdout.write(ruledocs.explain(found))


def schema(
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the schema to FILE (atomically; `-` is stdout) instead of stdout.",
        ),
    ] = None,
) -> None:
    """Print the JSON Schema of the journey format (for editor autocompletion)."""
    import json

    from cljourney.cli.options import write_output
    from cljourney.schema import journey_schema

    text = json.dumps(journey_schema(), indent=2, ensure_ascii=False) + "\n"
    with usage_errors():
        write_output(file_output(output, "the schema"), text)


class Template(str, Enum):
    b2b_saas = "b2b-saas"
    b2c = "b2c"
    marketing = "marketing"
    minimal = "minimal"


def init(
    path: Annotated[
        str | None,
        typer.Argument(
            help="File or directory to write to (default: <journey id>.yaml).",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Template,
        typer.Option(
            "--template",
            "-t",
            help="Which starter: an example (b2b-saas, b2c, marketing) or a short annotated one"
            " (minimal).",
        ),
    ] = Template.b2b_saas,
    journey_id: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="Journey id (default: from the file name when PATH is a file, else the"
            " starter's); the file is named after it unless PATH is a file.",
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", metavar="NAME", help="Journey name (default: the starter's)."),
    ] = None,
) -> None:
    """Write a starter journey that validates cleanly; never overwrites an existing file."""
    import shlex

    from cljourney.cli.atomic import write_text_new
    from cljourney.starters import starter

    with usage_errors():
        target, chosen = init_target(path, template.value, journey_id, name)
        write_text_new(target, starter(template.value, chosen, name))
    shown = shlex.quote(str(target))
    sys.stderr.write(f"cljourney: wrote {target}; check it with `cljourney validate {shown}`\n")


def init_target(
    path: str | None, template: str, journey_id: str | None, name: str | None
) -> tuple[Path, str]:
    """Where `init` writes and the journey id it uses; UsageError for a bad id, name or path."""
    from cljourney.starters import (
        check_id,
        check_journey_name,
        check_name,
        id_from_file_name,
        template_id,
    )

    problem = (check_id(journey_id) if journey_id is not None else None) or (
        check_journey_name(name) if name is not None else None
    )
    if problem:
        raise UsageError(problem)
    parsed = output_path(path, label="") if path else None
    if parsed is None or parsed.directory or parsed.path.is_dir():
        chosen = journey_id or template_id(template)
        folder = parsed.path if parsed else Path(".")
        target = folder / f"{chosen}.yaml" if parsed else Path(f"{chosen}.yaml")
        if target.exists():  # the file is named after the id: another starter needs its own
            raise UsageError(
                f"{target}: already exists; give the new journey its own id with --id ID (the"
                " file is named after it), or remove the file first"
            )
    else:
        target = parsed.path
        chosen = journey_id or id_from_file_name(target.stem) or ""
        if not chosen:
            raise UsageError(
                f"{target.name}: no journey id can be made from this file name; give one with --id"
            )
    problem = check_name(target.name)
    if problem:
        raise UsageError(problem)
    return target, chosen


def register(app: typer.Typer) -> None:
    app.command(short_help="List every rule: id, default severity and what it finds.")(rules)
    app.command(short_help="Explain a rule, with a failing and a passing example.")(explain)
    app.command(short_help="Print the JSON Schema of the journey format.")(schema)
    app.command(short_help="Write a starter journey (never overwrites a file).")(init)
