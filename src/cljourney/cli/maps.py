"""Plan, check and write the files of a `render` run: paths in, (path, text) pairs out.

One journey renders to stdout, to `-o FILE` or into `-o DIR`; several journeys (several paths or
a directory) need `-o DIR` and get one map each, named after the journey id, plus an index page.
Planning is pure apart from reading the inputs; `stale()` reads the existing outputs and `write()`
replaces them atomically.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from cljourney.check.discover import find_targets
from cljourney.check.options import ValidateOptions
from cljourney.check.pipeline import check_loaded, check_target
from cljourney.cli.atomic import OutputError, check_replaceable
from cljourney.cli.options import write_output
from cljourney.errors import UsageError
from cljourney.findings import Finding
from cljourney.governance import ReviewState, index_order, review_state, written_due
from cljourney.graph import build_flow
from cljourney.model import JourneyFile
from cljourney.render import (
    DEFAULT_OPTIONS,
    MARKER_BYTES,
    WHY_RULES,
    IndexEntry,
    Renderer,
    RenderOptions,
    Summary,
    get_renderer,
    summarize,
)
from cljourney.text.words import file_kind, plural

if TYPE_CHECKING:
    from cljourney.render.events import Measured


@dataclass(frozen=True)
class Output:
    """Text to write at `path`, or to stdout when `path` is None."""

    path: Path | None
    text: str
    only_replaces: Callable[[str, str], bool] | None = None
    """None when the user named this path (`-o FILE`); for a map a run puts into `-o DIR`, the
    format's `is_generated`: an existing file there is replaced only if cljourney wrote it."""

    @property
    def missing(self) -> bool:
        return self.path is not None and not self.path.exists()


@dataclass(frozen=True)
class Plan:
    """What a render run produces: outputs, or the findings of files that could not be loaded."""

    outputs: tuple[Output, ...]
    failures: tuple[Finding, ...]
    inputs: tuple[Path, ...] = ()
    """The paths the run read (files and searched directories): no output may replace one."""
    extras: tuple[Path, ...] = ()
    """Maps in the output directory that cljourney wrote (they carry the format's marker) but
    no journey of this run produces any more: `--check` reports them, a render removes them."""


# `-o FILE` names its format: `render -o map.html` writes HTML without `--format html`.
SUFFIX_FORMATS: dict[str, str] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".json": "json",
    ".html": "html",
    ".htm": "html",
}
DEFAULT_FORMAT = "markdown"


def choose_format(given: str | None, output: Path | None, directory: bool) -> str:
    """The render format: `--format`, else the `-o FILE` extension, else markdown.

    A `--format` that contradicts the file's extension is a usage error, never a .md full of HTML.
    """
    implied = None if output is None or directory else SUFFIX_FORMATS.get(output.suffix.lower())
    if given is None:
        return implied or DEFAULT_FORMAT
    if implied is not None and implied != given:
        raise UsageError(
            f"-o {output} names a {implied} file but --format is {given}; drop --format to"
            f" write {implied}, or give a file name ending in {_suffix_of(given)}"
        )
    return given


def _suffix_of(format_name: str) -> str:
    return next(suffix for suffix, name in SUFFIX_FORMATS.items() if name == format_name)


def _is_multi(paths: Sequence[Path]) -> bool:
    return len(paths) > 1 or any(path.is_dir() for path in paths)


def _require_dir(output: Path | None) -> Path:
    if output is None:
        raise UsageError(
            "rendering several journeys needs -o DIRECTORY (one map per journey plus an index)"
        )
    if output.exists() and not output.is_dir():
        raise UsageError(
            f"-o {output}: is a file, but several journeys need a directory (one map each plus"
            " an index); give a directory"
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
    *,
    into_directory: bool = False,
    drawing: RenderOptions = DEFAULT_OPTIONS,
    measured: Mapping[Path, Measured] | None = None,
) -> Plan:
    """Render every journey under `paths` with the renderer `format_name`.

    `into_directory`: `-o` was written as a directory (`out/`), so maps go into it even for one
    journey. `drawing`: how maps are drawn (`--direction`). Raises UsageError for missing paths,
    no journeys, an `-o` that cannot hold the result, or a `--direction` for a format that draws
    no flowchart. `measured` (`--events`): the figures to draw on each journey file's map.
    """
    renderer = get_renderer(format_name)
    if drawing.direction is not None and not renderer.flowchart:
        raise UsageError(
            f"--direction sets the direction of the flowchart, which the {format_name} format"
            " does not draw; drop it, or use --format markdown or mermaid"
        )
    multi = _is_multi(paths)
    directory = _require_dir(output) if multi or into_directory else None
    rendered: list[tuple[Path, IndexEntry, str]] = []
    failures: list[Finding] = []
    options = options or ValidateOptions()
    found = find_targets(paths)
    for note in found.notes:  # folders the search could not enter
        if options.note is not None:
            options.note(note)
    for target in found.targets:
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
        flow = build_flow(journey)
        # The summary's customer whys: a silenced weak-why still marks a placeholder.
        whys = tuple(check_loaded(loaded, options.rules, WHY_RULES, flow))
        drawing = replace(drawing, why_findings=whys)
        if measured is not None:
            drawing = replace(drawing, measured=measured.get(target.path.resolve()))
        info = journey.journey
        state = None
        if drawing.today is not None and info.review is not None:  # git only with --today
            state = review_state(info.review, str(target.path), drawing.today)
        drawing = replace(drawing, review=state)
        text = renderer.render(journey, flow, findings, drawing)
        href = f"{journey.journey.id}{renderer.suffix}"
        source = _relative(target.path, directory) if directory else target.path.as_posix()
        entry = _index_entry(journey, href, source, summarize(journey, findings, whys), state)
        rendered.append((target.path, entry, text))
    if failures:
        return Plan((), tuple(failures), tuple(paths))
    if not rendered:
        shown = ", ".join(str(path) for path in paths)
        raise UsageError(f"no journey files found in {shown}")
    if directory is None or not multi:
        _, entry, text = rendered[0]
        single = _single_target(output, entry.journey_id, renderer)
        mine = renderer.is_generated if output is not None and single != output else None
        return Plan((Output(single, text, mine),), (), tuple(paths))
    made = _multi_outputs(rendered, directory, renderer)
    extras = _extras(directory, renderer, made, paths)
    if extras and found.notes:  # the maps may belong to journeys the search could not read
        if options.note is not None:
            options.note(
                f"kept {plural(len(extras), 'map')} that no journey found here produces, as the"
                " search was incomplete: they may belong to journeys in the folders it could not"
                " enter"
            )
        extras = ()
    return Plan(made, (), tuple(paths), extras)


def _index_entry(
    journey: JourneyFile, href: str, source: str, summary: Summary, state: ReviewState | None
) -> IndexEntry:
    """The journey's line on the index: its review as written, or as of `--today` (`state`)."""
    info = journey.journey
    last, due, words = (info.review.last or "" if info.review else ""), "", ""
    if state is None:
        due = written_due(info.review)
    else:
        last = state.last.isoformat() if state.last else ""
        last += " (last commit)" if state.from_git else ""
        due, words = (state.due.isoformat() if state.due else ""), state.due_words()
    status = info.status or ""
    return IndexEntry(
        info.id, info.name, href, source, summary, info.owner, status, last, due, words
    )


def _extras(
    directory: Path, renderer: Renderer, outputs: Sequence[Output], inputs: Sequence[Path]
) -> tuple[Path, ...]:
    """Files directly in `directory`, named like this format's maps and carrying its marker,
    that no output of this run replaces (compared without case, as a case-insensitive disk
    would). Only regular files are read (never a link, a FIFO or a device), and inputs are
    never candidates."""
    planned = {output.path.name.lower() for output in outputs if output.path is not None}
    read = {_identity(path) for path in inputs}
    found: list[Path] = []
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return ()
    for entry in entries:
        name = entry.name
        if name.lower() in planned or not name.lower().endswith(renderer.suffix.lower()):
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
        except OSError:
            continue
        path = Path(entry.path)
        if _identity(path) in read:
            continue
        marked = _ends(path)
        if marked is not None and renderer.is_generated(*marked):
            found.append(path)
    return tuple(found)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_dev, status.st_ino)


def _ends(path: Path) -> tuple[str, str] | None:
    """The first and last MARKER_BYTES of a file, decoded leniently; None when unreadable."""
    try:
        with path.open("rb") as handle:
            head = handle.read(MARKER_BYTES)
            size = handle.seek(0, os.SEEK_END)
            handle.seek(max(0, size - MARKER_BYTES))
            tail = handle.read(MARKER_BYTES)
    except OSError:
        return None
    return head.decode("utf-8", "replace"), tail.decode("utf-8", "replace")


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
        outputs.append(Output(directory / entry.href, text, renderer.is_generated))
    # Retired journeys keep their maps but leave the index; the most overdue review comes first.
    listed = [entry for _, entry, _ in rendered if entry.status != "retired"]
    index = renderer.render_index(index_order(listed, lambda entry: entry.next_due))
    outputs.append(Output(directory / renderer.index_name, index, renderer.is_generated))
    return tuple(outputs)


def stale(outputs: Sequence[Output]) -> list[Path]:
    """The output files whose content differs from what would be written (missing ones too)."""
    found: list[Path] = []
    for output in outputs:
        if output.path is None:
            continue
        if not output.path.is_file():  # a device or FIFO is never compared (reading one can hang)
            found.append(output.path)
            continue
        try:
            current = output.path.read_bytes()
        except OSError:
            found.append(output.path)
            continue
        if current != output.text.encode("utf-8"):
            found.append(output.path)
    return found


def check_writable(planned: Plan, *, writing: bool = True) -> None:
    """Raise UsageError if any output would replace an input, a journey or (when `writing`,
    not for `--check`, which only reads) a read-only file.

    Checked for every file before the first is written, so a refused run writes nothing.
    """
    for output in planned.outputs:
        if output.path is not None:
            try:
                check_replaceable(output.path, planned.inputs, writing=writing)
            except OutputError as exc:
                raise UsageError(str(exc)) from None
            if writing and output.only_replaces is not None:
                _check_map_file(output.path, output.only_replaces)


def _check_map_file(path: Path, generated: Callable[[str, str], bool]) -> None:
    """Refuse what is not a map cljourney wrote where a map of `-o DIR` goes: the user named
    DIR, not the file, so a hand-written README.md or index.html there is not ours to replace
    (and writing a FIFO would wait for a reader that never comes)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # absent (or a loop, which check_replaceable has refused)
    if not stat.S_ISREG(mode):
        raise UsageError(
            f"{path}: is {file_kind(mode)}, not a map file; remove it or render"
            " into another directory"
        )
    marked = _ends(path)
    if marked is None or not generated(*marked):
        raise UsageError(
            f"{path}: exists and is not a map cljourney wrote (it has no generated marker), so"
            " render will not replace it; move it away or render into another directory"
        )


def write(planned: Plan) -> None:
    """Write every output (to stdout, or atomically to its file), then remove the extras;
    raises OutputError (and removes nothing when a write fails)."""
    for output in planned.outputs:
        write_output(output.path, output.text, planned.inputs)
    for extra in planned.extras:
        try:
            extra.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise OutputError(
                f"{extra}: cannot remove this map of a journey that is gone: {exc.strerror}"
            ) from None
