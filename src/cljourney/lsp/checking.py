"""An open document's findings: its unsaved text through THE pipeline (`check/pipeline.py`), with
the config found from the document's folder as `validate` finds it from a file's, the baseline and
the project rules over the journeys of its workspace folder. No pygls here: plain values in and
out, so what the editor shows is what `validate` prints for the same text.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from cljourney.check.baseline import Baseline, BaselineError
from cljourney.check.baseline import load as load_baseline
from cljourney.check.config import (
    DEFAULT_CONFIG,
    ConfigError,
    LoadedConfig,
    build_validate_options,
    parse_config,
)
from cljourney.check.configfile import find_config
from cljourney.check.discover import Target, display_path
from cljourney.check.options import ValidateOptions
from cljourney.check.pipeline import RawFile, check_raw, load_target, run_project_rules
from cljourney.check.pipeline import select_targets as pipeline_targets
from cljourney.findings import FileReport, Finding, Location
from cljourney.load.journey import Loaded
from cljourney.load.tree import DEFAULT_LIMITS, Limits, oversize_message, parse_size
from cljourney.rules.files import YAML_SYNTAX
from cljourney.text.hints import did_you_mean


class SetupError(Exception):
    """The config or baseline cannot be read: no findings can be trusted until it is fixed."""


@dataclass(frozen=True)
class Settings:
    """The server's choices, as `validate`'s options: `--config`, `--isolated`, `--baseline`
    (from the client's `initializationOptions`), and `--max-file-size` from the environment."""

    config: Path | None = None
    isolated: bool = False
    baseline: Path | None = None
    limits: Limits = DEFAULT_LIMITS

    @classmethod
    def read(cls, raw: object, root: Path | None) -> Settings:
        """`initializationOptions` -> Settings; relative paths are relative to the workspace."""
        given: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        base = root or Path.cwd()

        def path(key: str) -> Path | None:
            value = given.get(key)
            return base / value if isinstance(value, str) and value else None

        size = parse_size(os.environ.get("CLJOURNEY_MAX_FILE_SIZE", "") or "")
        limits = replace(DEFAULT_LIMITS, max_bytes=size) if size else DEFAULT_LIMITS
        return cls(path("config"), given.get("isolated") is True, path("baseline"), limits)


OPTIONS = {"config": str, "isolated": bool, "baseline": str}


def unknown_options(raw: object) -> list[str]:
    """What is wrong with the client's `initializationOptions` (each is then left unused)."""
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        return ["initializationOptions must be an object"]
    problems = []
    for key, value in raw.items():
        kind = OPTIONS.get(key)
        if kind is None:
            known = ", ".join(OPTIONS)
            hint = did_you_mean(str(key), OPTIONS)
            guess = f" (did you mean '{hint}'?)" if hint else ""
            problems.append(f"unknown option '{key}'{guess}; the options are {known}")
        elif not isinstance(value, kind):
            problems.append(f"option '{key}' must be a {'boolean' if kind is bool else 'string'}")
    return problems


@dataclass(frozen=True)
class Checked:
    """One check of a document: what to publish, and the load (None for a non-journey, an
    excluded file, or one whose config or baseline is broken: `problem` says how)."""

    findings: tuple[Finding, ...]
    loaded: Loaded | None = None
    problem: str | None = None  # why nothing was checked: the config or baseline is broken
    # The workspace folder's journeys are still being read: the project rules did not run yet;
    # check again when this is done.
    waiting: Future[None] | None = None


@dataclass
class _Folder:
    """The journeys of a workspace folder as the project rules see them, in discovery order."""

    entries: dict[Path, FileReport] = field(default_factory=dict)


def _stamp(path: Path | None) -> tuple[str, float]:
    if path is None:
        return ("", 0.0)
    try:
        return (str(path), path.stat().st_mtime)
    except OSError:
        return (str(path), -1.0)


class Checker:
    """Checks documents; caches the options per config file (reloaded when it changes) and the
    workspace folders' journey ids. Thread-safe: checks run off the server's event loop."""

    def __init__(self, settings: Settings, folders: Iterable[Path] = ()) -> None:
        self.settings = settings
        self.folders = [folder.resolve() for folder in folders]
        self._lock = threading.Lock()
        self._options: dict[tuple[tuple[str, float], tuple[str, float]], ValidateOptions] = {}
        self._projects: dict[Path, _Folder] = {}
        self._building: dict[Path, Future[None]] = {}

    def options_for(self, path: Path) -> ValidateOptions:
        """`validate`'s options for `path`: the config named, else the nearest one upwards from
        the file's folder (not the server's working directory). SetupError when it is broken."""
        settings = self.settings
        config = None if settings.isolated else settings.config or find_config(path.parent)
        key = (_stamp(config), _stamp(settings.baseline))
        with self._lock:
            cached = self._options.get(key)
        if cached is not None:
            return cached
        try:
            loaded = parse_config(config) if config is not None else _defaults(path)
            baseline: Baseline | None = None
            if settings.baseline is not None:
                baseline = load_baseline(settings.baseline)
        except (ConfigError, BaselineError, OSError) as exc:
            raise SetupError(str(exc)) from None
        options = replace(build_validate_options(loaded, baseline=baseline), limits=settings.limits)
        with self._lock:
            self._options[key] = options
        return options

    def check(self, path: Path, text: str) -> Checked:
        """The findings `validate` reports for `path` holding `text` (a non-journey YAML file
        and an excluded file get none: they are skipped as a directory search skips them)."""
        options = self.options_for(path)
        if options.selection.excluded(path):
            return Checked(())
        checked = check_raw(_raw(path, text, options.limits), options)
        if checked is None:
            return Checked(())
        loaded, report = checked
        folder = self._folder_of(path)
        if folder is None:
            return Checked(report.findings, loaded)
        with self._lock:
            project = self._projects.get(folder)
            building = self._building.get(folder)
        if project is None:
            if building is None:
                building = self._start(folder, options)
            return Checked(report.findings, loaded, waiting=building)
        return Checked(_with_project(project, path, report, options).findings, loaded)

    def _start(self, folder: Path, options: ValidateOptions) -> Future[None]:
        """Read the folder's journeys in the background: in a big repository that takes seconds,
        and a document's own findings should not wait for it."""
        done: Future[None] = Future()

        def read() -> None:
            try:
                found = {
                    t.path.resolve(): _entry(t.path, options.limits)
                    for t in _targets(folder, options)
                }
                with self._lock:
                    self._projects[folder] = _Folder(found)
                done.set_result(None)
            except BaseException as exc:  # handed to whoever waits: the server logs it
                done.set_exception(exc)
            finally:
                with self._lock:
                    self._building.pop(folder, None)

        with self._lock:
            self._building[folder] = done
        threading.Thread(target=read, name=f"cljourney-read {folder}", daemon=True).start()
        return done

    def saved(self, path: Path) -> None:
        """A file was written: the project rules read its journey id from disk again. A file
        they did not know makes them search the folder again (the order decides which of two
        files with one id is reported, as in `validate`)."""
        folder = self._folder_of(path)
        if folder is None:
            return
        with self._lock:
            project = self._projects.get(folder)
            if project is not None and path.resolve() not in project.entries:
                del self._projects[folder]
                return
        if project is not None:
            entry = _entry(path, self.settings.limits)
            with self._lock:
                project.entries[path.resolve()] = entry

    def _folder_of(self, path: Path) -> Path | None:
        resolved = path.resolve()
        inside = [folder for folder in self.folders if resolved.is_relative_to(folder)]
        return max(inside, key=lambda folder: len(folder.parts), default=None)


def _with_project(
    project: _Folder, path: Path, report: FileReport, options: ValidateOptions
) -> FileReport:
    """The project rules (duplicate-journey-id) over the folder's journeys as `validate FOLDER`
    sees them, this document's report standing for the file on disk."""
    me = path.resolve()
    entries = dict(project.entries)
    entries[me] = report
    reports = run_project_rules(entries.values(), options)
    return next(r for r, key in zip(reports, entries, strict=True) if key == me)


def _defaults(path: Path) -> LoadedConfig:
    """No config file: the defaults (no globs to resolve)."""
    return LoadedConfig(DEFAULT_CONFIG, None, path.parent)


def _targets(folder: Path, options: ValidateOptions) -> list[Target]:
    return pipeline_targets([folder], replace(options, skip_non_journeys=True))


def _entry(path: Path, limits: Limits) -> FileReport:
    """A journey on disk as the project rules see it: its path, id and where the id is written."""
    loaded = load_target(Target(path, explicit=False), limits)
    if loaded is None or loaded.source is None or not loaded.journey_id:
        return FileReport(display_path(path), "", ())
    return FileReport(loaded.path, loaded.journey_id, (), loaded.source.find(("journey", "id")))


def _raw(path: Path, text: str, limits: Limits) -> RawFile:
    """The editor's text as the pipeline's first step would have read it from disk."""
    data = text.encode("utf-8", errors="surrogatepass")
    shown = display_path(path)
    if len(data) > limits.max_bytes:
        refused = YAML_SYNTAX.finding(oversize_message(len(data), limits), shown, Location(1, 1))
        return RawFile(refused, shown, path, False)
    return RawFile(data, shown, path, False)
