"""Which rules run on which file, at which severity: the resolved form of the config's rule keys.

Globs (`exclude`, `per-file-ignores`) are matched against the file's path relative to `root` (the
directory of the config file, or the working directory), with `/` separators: `*` and `?` stay
inside one directory, `**` spans directories, and a pattern without `/` also matches the file name.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from cljourney.findings import Severity

# Tokens of a compiled glob. A glob is run as a set of positions in its token list, advanced one
# path character at a time (Thompson's construction): time is (pattern length) x (path length)
# whatever the pattern, where a backtracking regex takes exponential time on `*a*a*a*a*a*a*ab`
# or ten `**/` in a row. (pathspec's gitwildmatch compiles to such a regex; wcmatch is linear
# through atomic groups, which need Python 3.11.)
_ONE = "?"  # one character but `/`
_STAR = "*"  # any run without `/`
_ANY = "**"  # any run at all


@dataclass(frozen=True)
class _Glob:
    """A compiled glob: tokens (a character, or one of the markers above) and their shortcuts."""

    tokens: tuple[str, ...]
    # For each position, the positions reachable without reading a character (itself included).
    closure: tuple[frozenset[int], ...]
    # For a star, where it may be after reading a character: still there, or past it (a `**/`'s
    # `**` that has read something no longer skips its `/`).
    inside: tuple[frozenset[int], ...]

    def match(self, path: str) -> bool:
        """Whether `path` matches, whole, or as a folder holding it (`drafts` matches
        `drafts/a.yaml`)."""
        tokens = self.tokens
        end = len(tokens)
        states = self.closure[0]
        inside = False  # past a full match and a `/`: anything may follow
        for char in path:
            if end in states and char == "/":
                inside = True
            following: set[int] = set()
            for state in states:
                if state == end:
                    continue
                token = tokens[state]
                if token == _ANY or (token == _STAR and char != "/"):
                    following |= self.inside[state]
                elif token == char or (token == _ONE and char != "/"):
                    following |= self.closure[state + 1]
            if not following and not inside:
                return False
            states = frozenset(following)
        return inside or end in states


@functools.lru_cache(maxsize=256)
def compile_glob(pattern: str) -> _Glob:
    """Compile a path glob (see the module docstring). Runs of stars collapse (`***`, `**/**/`),
    so no pattern makes the set of positions large."""
    tokens: list[str] = []
    skips: dict[int, int] = {}  # optional stretches: `**` + `/` of a `**/` may match nothing
    i = 0
    while i < len(pattern):
        last = tokens[-1] if tokens else ""
        if pattern.startswith("**/", i):
            if tokens[-2:] != [_ANY, "/"]:
                skips[len(tokens)] = len(tokens) + 2
                tokens += [_ANY, "/"]
            i += 3
        elif pattern[i] == "*":
            wide = pattern.startswith("**", i)
            if last == _STAR:
                tokens[-1] = _ANY if wide else _STAR
            elif last != _ANY:
                tokens.append(_ANY if wide else _STAR)
            i += 2 if wide else 1
        else:
            tokens.append(_ONE if pattern[i] == "?" else pattern[i])
            i += 1
    closure = tuple(_closure(start, tokens, skips) for start in range(len(tokens) + 1))
    inside = tuple(frozenset({at}) | closure[at + 1] for at in range(len(tokens)))
    return _Glob(tuple(tokens), closure, inside)


def _closure(start: int, tokens: list[str], skips: dict[int, int]) -> frozenset[int]:
    """Positions reachable from `start` without reading a character."""
    reach: set[int] = set()
    todo = [start]
    while todo:
        position = todo.pop()
        if position in reach:
            continue
        reach.add(position)
        if position < len(tokens):
            if position in skips:
                todo.append(skips[position])
            if tokens[position] in (_STAR, _ANY):
                todo.append(position + 1)
    return frozenset(reach)


def glob_match(pattern: str, relative: str) -> bool:
    """Whether a `/`-separated relative path (or, for a pattern without `/`, its name) matches."""
    pattern = pattern.removeprefix("./")
    compiled = compile_glob(pattern)
    if compiled.match(relative):
        return True
    return "/" not in pattern.rstrip("/") and compiled.match(relative.rsplit("/", 1)[-1])


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
