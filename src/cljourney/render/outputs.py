"""Plan, check and write the files of a `render` run: paths in, (path, text) pairs out.

One journey renders to stdout, to `-o FILE` or into `-o DIR`; several journeys (several paths or
a directory) need `-o DIR` and get one map each, named after the journey id, plus an index page.
Planning is pure apart from reading the inputs; `stale()` reads the existing outputs and `write()`
replaces them atomically.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cljourney.atomic import write_text_atomic
from cljourney.engine import UsageError, ValidateOptions, check_target, discover
from cljourney.findings import Finding
from cljourney.graph import build_flow
from cljourney.render import IndexEntry, Renderer, get_renderer, summarize


@dataclass(frozen=True)
class Output:
    """Text to write at `path`, or to stdout when `path` is None."""

    path: Path | None
    text: str


@dataclass(frozen=True)
class Plan:
    """What a render run produces: outputs, or the findings of files that could not be loaded."""

    outputs: tuple[Output, ...]
    failures: tuple[Finding, ...]


def _is_multi(paths: Sequence[Path]) -> bool:
    return len(paths) > 1 or any(path.is_dir() for path in paths)


def _require_dir(output: Path | None) -> Path:
    if output is None:
        raise UsageError(
            "rendering several journeys needs -o DIRECTORY (one map per journey plus an index)"
        )
    if not output.is_dir():
        raise UsageError(f"-o {output}: no such directory; create it first (mkdir -p {output})")
    return output


def _single_target(output: Path | None, journey_id: str, renderer: Renderer) -> Path | None:
    if output is None:
        return None
    if output.is_dir():
        return output / f"{journey_id}{renderer.suffix}"
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"-o {output}: the directory {parent} does not exist; create it first")
    return output


def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()


def plan(
    paths: Sequence[Path],
    format_name: str,
    output: Path | None,
    options: ValidateOptions | None = None,
) -> Plan:
    """Render every journey under `paths` with the renderer `format_name`.

    Raises UsageError for missing paths, no journeys, or an `-o` that cannot hold the result.
    """
    renderer = get_renderer(format_name)
    multi = _is_multi(paths)
    directory = _require_dir(output) if multi else None
    rendered: list[tuple[Path, IndexEntry, str]] = []
    failures: list[Finding] = []
    options = options or ValidateOptions()
    for target in discover(paths):
        if options.selection.excluded(target.path):
            continue
        checked = check_target(target, options)
        if checked is None:
            continue
        loaded, report = checked
        if loaded.journey is None:
            failures.extend(loaded.findings)  # why it did not load, whatever the config silences
            continue
        journey = loaded.journey
        findings = list(report.findings)  # as validate reports them: config and suppressions apply
        text = renderer.render(journey, build_flow(journey), findings)
        href = f"{journey.journey.id}{renderer.suffix}"
        source = _relative(target.path, directory) if directory else target.path.as_posix()
        entry = IndexEntry(
            journey.journey.id, journey.journey.name, href, source, summarize(journey, findings)
        )
        rendered.append((target.path, entry, text))
    if failures:
        return Plan((), tuple(failures))
    if not rendered:
        shown = ", ".join(str(path) for path in paths)
        raise UsageError(f"no journey files found in {shown}")
    if directory is None:
        _, entry, text = rendered[0]
        return Plan((Output(_single_target(output, entry.journey_id, renderer), text),), ())
    return Plan(_multi_outputs(rendered, directory, renderer), ())


def _multi_outputs(
    rendered: Sequence[tuple[Path, IndexEntry, str]], directory: Path, renderer: Renderer
) -> tuple[Output, ...]:
    seen: dict[str, Path] = {renderer.index_name.lower(): Path("(the index page)")}
    outputs: list[Output] = []
    for path, entry, text in rendered:
        key = entry.href.lower()
        if key in seen:
            raise UsageError(
                f"{path}: journey id '{entry.journey_id}' would be written to {entry.href},"
                f" which {seen[key]} already uses; journey ids name the maps, so make them unique"
            )
        seen[key] = path
        outputs.append(Output(directory / entry.href, text))
    index = renderer.render_index([entry for _, entry, _ in rendered])
    outputs.append(Output(directory / renderer.index_name, index))
    return tuple(outputs)


def stale(outputs: Sequence[Output]) -> list[Path]:
    """The output files whose content differs from what would be written (missing ones too)."""
    found: list[Path] = []
    for output in outputs:
        if output.path is None:
            continue
        try:
            current = output.path.read_bytes()
        except OSError:
            found.append(output.path)
            continue
        if current != output.text.encode("utf-8"):
            found.append(output.path)
    return found


def write(outputs: Sequence[Output]) -> None:
    """Write every file output atomically; raises cljourney.atomic.OutputError."""
    for output in outputs:
        if output.path is not None:
            write_text_atomic(output.path, output.text)
