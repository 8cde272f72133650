"""Certain fixes for findings: `validate --fix` applies them, and an editor can offer them as
quick fixes (`plan_fixes` needs a parsed file and its findings, nothing of the CLI).

Only mechanical fixes whose outcome is certain are planned:
- `unknown-reference` whose did-you-mean has exactly one candidate: the id is replaced by it;
- `schema` for an unknown key with exactly one close known key (`ownr:` -> `owner:`), when the
  mapping does not have that key already: the key is renamed;
- `unused-suppression` for a rule that silences nothing: the rule is taken out of its directive,
  the whole comment when it was the directive's only rule.
Never a judgement fix (a why, an owner to choose): those stay findings for a person. The planner
reads the positioned tree, not the messages, to tell what a finding is about (an unused
directive's rule excepted: the finding names it, and the comment holds several).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from cljourney.edit.rename import IdKind, items, plain_span, references
from cljourney.edit.source import JourneyText
from cljourney.findings import Finding
from cljourney.load.journey import allowed_keys_at, key_candidates
from cljourney.load.tree import YMap, YSeq
from cljourney.rules.structure import reference_candidates

UNKNOWN_REFERENCE = "unknown-reference"
UNKNOWN_KEY = "schema"
UNUSED_SUPPRESSION = "unused-suppression"
FIXABLE = frozenset({UNKNOWN_REFERENCE, UNKNOWN_KEY, UNUSED_SUPPRESSION})


@dataclass(frozen=True)
class TextEdit:
    """Replace the text from line:column up to end_line:end_column (1-based, end excluded,
    columns in characters) with `text`. `title` says what it does; `rule` is the finding's."""

    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    title: str
    rule: str


def plan_fixes(source: JourneyText, findings: Iterable[Finding]) -> list[TextEdit]:
    """The certain fixes for `findings` of the file `source`, in file order, none overlapping."""
    found = list(findings)
    edits = [
        *_reference_fixes(source, [f for f in found if f.rule == UNKNOWN_REFERENCE]),
        *_key_fixes(source, [f for f in found if f.rule == UNKNOWN_KEY]),
        *_suppression_fixes(source, [f for f in found if f.rule == UNUSED_SUPPRESSION]),
    ]
    edits.sort(key=lambda e: (e.line, e.column))
    kept: list[TextEdit] = []
    for edit in edits:
        if not kept or (kept[-1].end_line, kept[-1].end_column) <= (edit.line, edit.column):
            kept.append(edit)
    return kept


def apply_edits(source: JourneyText, edits: Sequence[TextEdit]) -> str:
    """`source.text` with `edits` (not overlapping) made."""
    text = source.text
    for edit in sorted(edits, key=lambda e: (e.line, e.column), reverse=True):
        start = source.offset(edit.line, edit.column)
        end = source.offset(edit.end_line, edit.end_column)
        text = text[:start] + edit.text + text[end:]
    return text


def _at(finding: Finding) -> tuple[int, int]:
    return finding.location.line, finding.location.column


def _replace(
    source: JourneyText, line: int, column: int, old: str, new: str, title: str, rule: str
) -> TextEdit | None:
    span = plain_span(source, line, column, old)
    if span is None:
        return None
    start_column = column + span[0] - source.offset(line, column)
    return TextEdit(line, start_column, line, start_column + len(old), new, title, rule)


def _known(root: Any) -> tuple[dict[IdKind, set[str]], set[str]]:
    """Ids defined per kind, and the ids of parallel stages (which `during` may not name)."""
    known: dict[IdKind, set[str]] = {kind: set() for kind in IdKind}
    for spot, value in references(root):
        if spot.defines and isinstance(value, str):
            known[spot.kind].add(value)
    parallel = {
        str(stage.get("id")) for stage in items(root, "stages") if stage.get("during") is not None
    }
    return known, parallel


def _reference_fixes(source: JourneyText, findings: list[Finding]) -> Iterator[TextEdit]:
    if not findings:
        return
    wanted = {_at(f) for f in findings}
    known, parallel = _known(source.root)
    for spot, value in references(source.root):
        if spot.defines or (spot.line, spot.column) not in wanted or not isinstance(value, str):
            continue
        if value in known[spot.kind]:
            continue  # a known id in the wrong place (`during` naming a parallel stage): judgement
        targets = known[spot.kind] - parallel if spot.kind is IdKind.stage else known[spot.kind]
        candidates = reference_candidates(value, targets)
        if len(candidates) != 1:
            continue
        title = f"replace unknown {spot.kind.value} '{value}' with '{candidates[0]}'"
        edit = _replace(
            source, spot.line, spot.column, value, candidates[0], title, UNKNOWN_REFERENCE
        )
        if edit is not None:
            yield edit


def _mappings(
    node: Any, loc: tuple[str | int, ...]
) -> Iterator[tuple[YMap, tuple[str | int, ...]]]:
    if isinstance(node, YMap):
        yield node, loc
        for key, value in node.items():
            yield from _mappings(value, (*loc, key))
    elif isinstance(node, YSeq):
        for index, value in enumerate(node):
            yield from _mappings(value, (*loc, index))


def _key_fixes(source: JourneyText, findings: list[Finding]) -> Iterator[TextEdit]:
    if not findings:
        return
    wanted = {_at(f) for f in findings}
    for mapping, loc in _mappings(source.root, ()):
        for key, (line, column, _, _) in mapping.keys_pos.items():
            if (line, column) not in wanted or not isinstance(key, str):
                continue
            allowed = allowed_keys_at(loc)
            if allowed is None or key in allowed:
                continue
            candidates = key_candidates(key, allowed)
            if len(candidates) != 1 or candidates[0] in mapping:
                continue
            title = f"rename unknown key `{key}` to `{candidates[0]}`"
            edit = _replace(source, line, column, key, candidates[0], title, UNKNOWN_KEY)
            if edit is not None:
                yield edit


def _suppression_fixes(source: JourneyText, findings: list[Finding]) -> Iterator[TextEdit]:
    from cljourney.check.suppress import scan, unused_rule

    unused: dict[tuple[int, int], set[str]] = {}
    for finding in findings:
        rule = unused_rule(finding)
        if rule is not None:
            unused.setdefault(_at(finding), set()).add(rule)
    if not unused:
        return

    names: dict[tuple[int, int], list[str]] = {}
    for directive in scan(source.text):
        names.setdefault((directive.line, directive.column), []).append(directive.rule)
    lines = source.text.splitlines()
    for (line, column), rules in sorted(unused.items()):
        listed = names.get((line, column), [])
        kept = [name for name in listed if name not in rules]
        removed = ", ".join(name for name in listed if name in rules)
        if not removed or line > len(lines):
            continue
        content = lines[line - 1]
        if kept:
            start = content.index("[", column - 1) + 1
            end = content.index("]", start)
            title = f"remove unused `{removed}` from the suppression"
            yield TextEdit(
                line, start + 1, line, end + 1, ", ".join(kept), title, UNUSED_SUPPRESSION
            )
            continue
        title = f"remove the unused suppression `{removed}`"
        before = content[: column - 1]
        if before.strip():  # after a value: the comment and the blanks before it go
            start = len(before.rstrip(" \t")) + 1
            yield TextEdit(line, start, line, len(content) + 1, "", title, UNUSED_SUPPRESSION)
        else:  # a comment line of its own: the whole line goes
            end_line, end_column = (line + 1, 1) if line < len(lines) else (line, len(content) + 1)
            yield TextEdit(line, 1, end_line, end_column, "", title, UNUSED_SUPPRESSION)
