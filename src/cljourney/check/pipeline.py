"""Find journey files, load them, run the registered rules, and collect findings per file."""

from __future__ import annotations

import errno
import functools
import os
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ParamSpec, TypeVar

from cljourney.check import suppress
from cljourney.check.discover import Discovery, Target, display_path, find_targets
from cljourney.check.options import ALL_RULES, ValidateOptions
from cljourney.check.parallel import plan_jobs
from cljourney.findings import FileReport, Finding, Location, Report, cap_per_rule
from cljourney.graph import Flow, build_flow
from cljourney.load.journey import Loaded, load_bytes
from cljourney.load.tree import DEFAULT_LIMITS, Limits, oversize_message
from cljourney.rules import (
    CONFORM_ONLY,
    JOURNEY_RULES,
    PROJECT_RULES,
    JourneyEntry,
    RuleContext,
    RuleOptions,
)
from cljourney.rules.files import READ_ERROR, YAML_SYNTAX
from cljourney.text.words import file_kind

_CHUNK = 1024 * 1024


def read_target(target: Target, limits: Limits = DEFAULT_LIMITS) -> bytes | Finding:
    """The bytes of a target, or a finding saying why it cannot be read (`read-error`) or is
    refused (`yaml-syntax`, over the size limit).

    A file found by a directory search is read only when it is a regular file: a FIFO named
    `*.yaml` would block the run forever. A file named on the command line may be a pipe
    (`validate <(...)`). The file is read in chunks, never more than the limit plus one byte, so a
    huge `--max-file-size` costs no memory up front.
    """
    shown = display_path(target.path)
    try:
        flags = os.O_RDONLY | (0 if target.explicit else getattr(os, "O_NONBLOCK", 0))
        handle = os.open(target.path, flags)
    except OSError as exc:
        return READ_ERROR.finding(_read_failure(target.path, exc), shown, Location(1, 1))
    with os.fdopen(handle, "rb", buffering=0) as stream:
        info = os.fstat(handle)
        kind = stat.S_IFMT(info.st_mode)
        if not target.explicit and kind != stat.S_IFREG:
            return READ_ERROR.finding(_not_regular(kind), shown, Location(1, 1))
        if kind == stat.S_IFREG and info.st_size > limits.max_bytes:
            message = oversize_message(info.st_size, limits)
            return YAML_SYNTAX.finding(message, shown, Location(1, 1))
        chunks: list[bytes] = []
        size = 0
        try:
            while size <= limits.max_bytes:
                chunk = stream.read(min(_CHUNK, limits.max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as exc:
            return READ_ERROR.finding(_read_failure(target.path, exc), shown, Location(1, 1))
        if size > limits.max_bytes:
            message = oversize_message(max(size, info.st_size), limits)
            return YAML_SYNTAX.finding(message, shown, Location(1, 1))
        return b"".join(chunks)


def _not_regular(kind: int) -> str:
    what = file_kind(kind)
    return f"cannot read the file: it is {what}, not a regular file; only regular files are read (rename or exclude it)"


def _read_failure(path: Path, exc: OSError) -> str:
    """Why a file cannot be read, with what to do about it."""
    if exc.errno == errno.ELOOP:
        return "cannot read the file: it is a symbolic link that loops back on itself; fix or remove the link"
    if exc.errno == errno.ENXIO:  # open() refuses a socket before fstat() can say what it is
        try:
            kind = stat.S_IFMT(path.stat().st_mode)
        except OSError:
            kind = 0
        if kind != stat.S_IFREG:
            return _not_regular(kind)
    if path.is_symlink() and not path.exists():
        return (
            f"cannot read the file: it is a symbolic link to {os.readlink(path)}, which does not"
            " exist; fix or remove the link"
        )
    reason = exc.strerror or str(exc)
    if isinstance(exc, PermissionError):
        return f"cannot read the file: {reason}; make it readable (chmod a+r) or exclude it"
    return f"cannot read the file: {reason}"


@dataclass(frozen=True)
class RawFile:
    """One file as read, before loading: its bytes (or the finding saying why it cannot be read),
    the path shown in findings, the path config globs match, and whether the user named it."""

    data: bytes | Finding
    shown: str
    path: Path
    explicit: bool


def read_raw(target: Target, limits: Limits = DEFAULT_LIMITS) -> RawFile:
    """Step 1 of the pipeline: read a target from disk."""
    return RawFile(
        read_target(target, limits), display_path(target.path), target.path, target.explicit
    )


def load_raw(raw: RawFile, limits: Limits = DEFAULT_LIMITS) -> Loaded | None:
    """Step 2: load what was read; unreadable files become findings, non-journeys None."""
    if isinstance(raw.data, Finding):
        return Loaded(raw.data.path, None, None, (raw.data,))
    return load_bytes(raw.data, raw.shown, explicit=raw.explicit, limits=limits)


_PROJECT_IDS = frozenset(rule.id for rule in PROJECT_RULES)

P = ParamSpec("P")
R = TypeVar("R")


def _freeing_memory(function: Callable[P, R]) -> Callable[P, R]:
    """Run one file's step so that running out of memory frees that file's data first.

    The MemoryError leaves its handler here, which drops the frames holding the file, and a fresh
    one goes up: handlers above (typer's, ours in `entry`) then have memory to run in, instead of
    failing again inside CPython (abort 134, segfault 139).
    """

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except MemoryError:
            pass
        raise MemoryError

    return run


@_freeing_memory
def load_target(target: Target, limits: Limits = DEFAULT_LIMITS) -> Loaded | None:
    """Read and load one target; unreadable files become findings, non-journeys None."""
    return load_raw(read_raw(target, limits), limits)


def check_loaded(
    loaded: Loaded,
    options: RuleOptions,
    enabled: frozenset[str] = ALL_RULES.enabled,
    flow: Flow | None = None,
) -> list[Finding]:
    """Step 3 (flow and rules) alone: the enabled rules on a loaded journey, loader findings only
    when it did not load. What a user is shown also goes through suppressions, severities and
    the baseline: `check_raw` runs every step. `flow`: the journey's flow, when already built."""
    findings = [f for f in loaded.findings if f.rule in enabled]
    if loaded.journey is not None and loaded.source is not None:
        if flow is None:
            flow = build_flow(loaded.journey)
        context = RuleContext(loaded.journey, loaded.source, flow, options)
        for rule in JOURNEY_RULES:
            if rule.id in enabled:
                findings.extend(rule.check(context))
    return findings


def _suppressed(
    loaded: Loaded, data: bytes, findings: list[Finding], enabled: frozenset[str]
) -> list[Finding]:
    if loaded.source is None:
        return findings  # a file that does not parse has no trustworthy comments
    text = data.decode("utf-8-sig", errors="replace")
    suppressions = suppress.scan(text)
    if not suppressions:
        return findings
    where = suppress.elements(loaded.source)
    return suppress.apply(findings, suppressions, where, enabled, loaded.path, loaded.journey_id)


@_freeing_memory
def check_raw(raw: RawFile, options: ValidateOptions) -> tuple[Loaded, FileReport] | None:
    """THE per-file pipeline, from read bytes on: load, flow, rules, suppressions, severities,
    baseline. `validate`, `render` and `diff` (either side, from disk or git) all report what it
    returns, so they never disagree about a file. None for a non-journey met in a directory.

    Pure, so it can run in any order or in another process.
    """
    loaded = load_raw(raw, options.limits)
    if loaded is None:
        return None
    selection = options.selection
    enabled = selection.rules_for(raw.path) - CONFORM_ONLY
    data = raw.data if isinstance(raw.data, bytes) else b""
    findings = _suppressed(loaded, data, check_loaded(loaded, options.rules, enabled), enabled)
    if selection.severity:
        findings = [
            replace(f, severity=selection.severity_of(f.rule, f.severity)) for f in findings
        ]
    found = len(findings)
    if options.baseline is not None:
        findings = options.baseline.filter(findings)
    baselined = found - len(findings)
    if options.max_per_rule is not None:
        findings = cap_per_rule(findings, options.max_per_rule)
    findings.sort(key=Finding.sort_key)
    id_at = None
    if loaded.source is not None and loaded.journey_id and _PROJECT_IDS & enabled:
        id_at = loaded.source.find(("journey", "id"))
    report = FileReport(loaded.path, loaded.journey_id, tuple(findings), id_at, baselined)
    return loaded, report


@_freeing_memory
def check_target(target: Target, options: ValidateOptions) -> tuple[Loaded, FileReport] | None:
    """Read a target from disk and run the pipeline on it (`render` also draws the journey)."""
    return check_raw(read_raw(target, options.limits), options)


def check_file(target: Target, options: ValidateOptions) -> FileReport | None:
    """`check_target`'s report alone: what worker processes send back."""
    checked = check_target(target, options)
    return None if checked is None else checked[1]


def iter_reports(targets: Sequence[Target], options: ValidateOptions) -> Iterator[FileReport]:
    """Reports in the order of `targets`, whether checked here or in worker processes."""
    return (report for report in _each_report(targets, options) if report is not None)


def _each_report(
    targets: Sequence[Target], options: ValidateOptions
) -> Iterator[FileReport | None]:
    """One entry per target, in order: its report, or None for a file that is not a journey."""
    jobs = plan_jobs(targets, options.jobs)
    if jobs <= 1:
        for target in targets:
            yield check_file(target, options)
        return
    import networkx  # noqa: F401  (once, here: forked workers inherit it, not each import it)

    from cljourney.check.parallel import map_ordered

    note = options.note or (lambda text: None)
    yield from map_ordered(check_file, targets, options, jobs, note)


def select_targets(paths: Iterable[Path], options: ValidateOptions) -> list[Target]:
    """Discovered targets minus excluded files; named non-journeys made optional on request."""
    return _select(find_targets(paths), options)


def _select(found: Discovery, options: ValidateOptions) -> list[Target]:
    targets = [t for t in found.targets if not options.selection.excluded(t.path)]
    if options.skip_non_journeys:
        targets = [Target(t.path, explicit=False) for t in targets]
    return targets


def validate(paths: Iterable[Path], options: ValidateOptions | None = None) -> Report:
    """Check every journey file under `paths`. Raises UsageError for paths that do not exist."""
    options = options or ValidateOptions()
    found = find_targets(paths)
    targets = _select(found, options)
    skipped = 0

    def journeys() -> Iterator[FileReport]:
        nonlocal skipped
        for report in _each_report(targets, options):
            if report is None:
                skipped += 1
            else:
                yield report

    return Report(tuple(run_project_rules(journeys(), options)), skipped, found.notes)


def run_project_rules(reports: Iterable[FileReport], options: ValidateOptions) -> list[FileReport]:
    """The last step: the project rules (duplicate-journey-id) over the finished reports, whatever
    process made them; one report out per report in, in order, with their findings added at the
    configured severity and through the baseline."""
    reports = list(reports)
    entries = [JourneyEntry(r.path, r.journey, r.id_at) for r in reports if r.journey]
    added: dict[str, list[Finding]] = {}
    for rule in PROJECT_RULES:
        for finding in rule.check_project(entries):
            severity = options.selection.severity_of(rule.id, finding.severity)
            added.setdefault(finding.path, []).append(replace(finding, severity=severity))
    return [_with_project(report, added.get(report.path, []), options) for report in reports]


def _with_project(report: FileReport, added: list[Finding], options: ValidateOptions) -> FileReport:
    if not added:
        return report
    kept = added if options.baseline is None else options.baseline.filter(added)
    findings = sorted((*report.findings, *kept), key=Finding.sort_key)
    silenced = len(added) - len(kept)
    return replace(report, findings=tuple(findings), baselined=report.baselined + silenced)
