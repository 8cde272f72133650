"""Which rules run on which file, at which severity: the resolved form of the config's rule keys.

Globs (`exclude`, `per-file-ignores`) are matched against the file's path relative to `root` (the
directory of the config file, or the working directory), with `/` separators: `*` and `?` stay
inside one directory, `**` spans directories, and a pattern without `/` also matches the file name.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from cljourney.findings import Severity


@functools.lru_cache(maxsize=256)
def glob_regex(pattern: str) -> re.Pattern[str]:
    """A compiled regex for a path glob (see the module docstring)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?\\Z")


def glob_match(pattern: str, relative: str) -> bool:
    """Whether a `/`-separated relative path (or, for a pattern without `/`, its name) matches."""
    pattern = pattern.removeprefix("./")
    if glob_regex(pattern).match(relative):
        return True
    return (
        "/" not in pattern.rstrip("/")
        and glob_regex(pattern).match(relative.rsplit("/", 1)[-1]) is not None
    )


@dataclass(frozen=True)
class RuleSelection:
    """Enabled rules, severity overrides, excluded files and per-file ignores, resolved."""

    enabled: frozenset[str]
    severity: Mapping[str, Severity] = field(default_factory=lambda: MappingProxyType({}))
    exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    root: Path = field(default_factory=Path.cwd)

    def relative(self, path: Path) -> str:
        resolved = Path(os.path.realpath(path))  # never raises, a link that loops included
        try:
            return resolved.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return resolved.as_posix()

    def excluded(self, path: Path) -> bool:
        if not self.exclude:
            return False  # no path resolution on the common path
        relative = self.relative(path)
        return any(glob_match(pattern, relative) for pattern in self.exclude)

    def rules_for(self, path: Path) -> frozenset[str]:
        """The rule ids enabled for `path` once per-file ignores are applied."""
        if not self.per_file_ignores:
            return self.enabled
        relative = self.relative(path)
        ignored: set[str] = set()
        for pattern, rules in self.per_file_ignores:
            if glob_match(pattern, relative):
                ignored |= rules
        return self.enabled - ignored

    def severity_of(self, rule: str, default: Severity) -> Severity:
        return self.severity.get(rule, default)
