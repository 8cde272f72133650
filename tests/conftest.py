"""Shared helpers for the test suite."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
RULE_CASES = Path(__file__).resolve().parent / "rules"

# The day review and evidence dates are judged by (`review-overdue`, `stale-evidence`): fixed, so
# no test depends on the clock; tests about the date pass `--today` or their own value.
os.environ["CLJOURNEY_TODAY"] = "2026-12-01"

# Every property test is deterministic in the default suite (same inputs on every run, so CI is
# red only when the code changed); CLJOURNEY_FUZZ_EXAMPLES=N explores fresh random inputs instead.
settings.register_profile("default-suite", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False, database=None)
settings.load_profile("explore" if os.environ.get("CLJOURNEY_FUZZ_EXAMPLES") else "default-suite")

_EXPECT = re.compile(r"#\s*expect:\s*([a-z, -]+)$")


def expectations(path: Path) -> set[tuple[str, int]]:
    """(rule, line) pairs from `# expect: rule-a, rule-b` comments in a data file.

    A case that cannot be read (read-error's: a symbolic link to a missing file) carries no
    comments; it expects its one finding at the top of the file.
    """
    if path.is_symlink() and not path.exists():
        return {("read-error", 1)}
    found: set[tuple[str, int]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = _EXPECT.search(line)
        if match:
            for rule in match.group(1).split(","):
                found.add((rule.strip(), number))
    return found


@pytest.fixture
def chdir_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def undated(monkeypatch: pytest.MonkeyPatch) -> None:
    """No CLJOURNEY_TODAY: `render` then states reviews as written, as the committed maps do
    (with it, the maps state the review as of that day: `render --today`)."""
    monkeypatch.delenv("CLJOURNEY_TODAY")


def stale_committed(
    paths: list[Path], output: Path, fmt: str, events: tuple[str, ...] = ()
) -> list[str]:
    """What `cljourney render PATHS -o OUTPUT/ --format FMT [--events LOG] --check` finds stale
    or extra among the committed maps, run in-process from the current directory. The maps state
    reviews as written (no `--today`: as committed), while the rules judge dates by the suite's
    fixed day above, so the check never turns stale with the calendar."""
    from cljourney.check.config import build_validate_options
    from cljourney.cli import maps
    from cljourney.cli.options import loaded_config

    loaded = loaded_config(None, False)
    options = build_validate_options(loaded)
    measured = None
    if events:
        from cljourney.cli.eventlog import LogOptions, measure_maps

        measured = measure_maps(paths, LogOptions(events), loaded)
    planned = maps.plan(paths, fmt, output, options, into_directory=True, measured=measured)
    found = [f"stale: {path}" for path in maps.stale(planned.outputs)]
    return found + [f"extra: {path}" for path in planned.extras]
