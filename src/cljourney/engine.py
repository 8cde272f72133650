"""Find journey files, load them, run the registered rules, and collect findings per file."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cljourney.findings import Finding, Location, Severity
from cljourney.graph import build_flow
from cljourney.loader import Loaded, load_bytes
from cljourney.rules import REGISTRY, RuleContext, RuleOptions
from cljourney.parallel import plan_jobs
from cljourney.yamltree import DEFAULT_LIMITS, Limits, oversize_message

SKIP_DIRS = frozenset(
    {".git", ".hg", ".svn", ".bzr", "node_modules", "__pycache__", ".venv", "venv", ".tox",
     ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", "site-packages"}
)
YAML_SUFFIXES = (".yaml", ".yml")


class UsageError(Exception):
    """A problem with how the command was called (missing path...): exit status 2."""


@dataclass(frozen=True)
class Target:
    """A file to check, and whether the user named it (then it must be a journey)."""

    path: Path
    explicit: bool


@dataclass(frozen=True)
class FileReport:
    path: str
    journey: str
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Report:
    """The outcome of a validate run: one entry per journey file checked."""

    files: tuple[FileReport, ...]

    @property
    def findings(self) -> list[Finding]:
        return [f for report in self.files for f in report.findings]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)


@dataclass(frozen=True)
class ValidateOptions:
    """How to validate. `jobs`: worker processes; 0 picks by the amount of work (see `plan_jobs`)."""

    rules: RuleOptions = field(default_factory=RuleOptions)
    limits: Limits = DEFAULT_LIMITS
    jobs: int = 0


def _is_virtualenv(directory: Path) -> bool:
    return (directory / "pyvenv.cfg").is_file()


def discover(paths: Iterable[Path]) -> list[Target]:
    """Expand files and directories into targets; directories are searched recursively."""
    targets: list[Target] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
        if path.is_dir():
            found = _walk(path)
        else:
            found = [Target(path, explicit=True)]
        for target in found:
            resolved = target.path.resolve()
            if resolved not in seen:
                seen.add(resolved)
                targets.append(target)
    return targets


def _walk(root: Path) -> list[Target]:
    found: list[Target] = []
    for directory, dirnames, filenames in os.walk(root):
        base = Path(directory)
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIP_DIRS and not _is_virtualenv(base / d)
        )
        found.extend(
            Target(base / name, explicit=False)
            for name in sorted(filenames)
            if name.endswith(YAML_SUFFIXES)
        )
    return found


def display_path(path: Path) -> str:
    """Paths as users wrote them, relative to the working directory when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_target(target: Target, limits: Limits = DEFAULT_LIMITS) -> Loaded | None:
    """Read and load one target; unreadable files become findings, non-journeys None."""
    shown = display_path(target.path)
    try:
        # Never read more than the cap: a 50 GB file costs one read of max_bytes + 1, not 50 GB.
        with target.path.open("rb") as stream:
            data = stream.read(limits.max_bytes + 1)
            if len(data) > limits.max_bytes:
                size = os.fstat(stream.fileno()).st_size
                message = oversize_message(size, limits)
                finding = Finding("yaml-syntax", Severity.ERROR, message, shown, Location(1, 1))
                return Loaded(shown, None, None, (finding,))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        finding = Finding("yaml-syntax", Severity.ERROR, f"cannot read the file: {reason}", shown, Location(1, 1))
        return Loaded(shown, None, None, (finding,))
    return load_bytes(data, shown, explicit=target.explicit, limits=limits)


def check_loaded(loaded: Loaded, options: RuleOptions) -> FileReport:
    """Run every rule on a loaded journey (loader findings only when it did not load)."""
    findings = list(loaded.findings)
    if loaded.journey is not None and loaded.source is not None:
        context = RuleContext(loaded.journey, loaded.source, build_flow(loaded.journey), options)
        for rule in REGISTRY.values():
            if rule.check is not None:
                findings.extend(rule.check(context))
    findings.sort(key=Finding.sort_key)
    return FileReport(loaded.path, loaded.journey_id, tuple(findings))


def check_target(target: Target, options: ValidateOptions) -> FileReport | None:
    """Load and check one file (None for a non-journey found in a directory). Runs in workers."""
    loaded = load_target(target, options.limits)
    return None if loaded is None else check_loaded(loaded, options.rules)


def iter_reports(targets: Sequence[Target], options: ValidateOptions) -> Iterator[FileReport]:
    """Reports in the order of `targets`, whether checked here or in worker processes."""
    jobs = plan_jobs(targets, options.jobs)
    if jobs <= 1:
        for target in targets:
            report = check_target(target, options)
            if report is not None:
                yield report
        return
    from cljourney.parallel import map_ordered

    for report in map_ordered(check_target, targets, options, jobs):
        if report is not None:
            yield report


def validate(paths: Iterable[Path], options: ValidateOptions | None = None) -> Report:
    """Check every journey file under `paths`. Raises UsageError for paths that do not exist."""
    options = options or ValidateOptions()
    targets = discover(paths)
    return Report(tuple(iter_reports(targets, options)))
