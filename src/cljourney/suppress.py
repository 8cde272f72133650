"""Inline suppressions: `# cljourney: ignore[rule-id] reason` and `# cljourney: ignore-file[rule-id]`.

Comments are not in libyaml's event stream, so the raw text is scanned. A `#` is a comment only
when it starts a line or follows a blank and lies outside every scalar; scalar spans come from
libyaml's token scanner, so a `#` inside a quoted string or a block scalar is never taken for a
comment. The scan runs only on files whose text mentions `cljourney: ignore` at all.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

import yaml

from cljourney.findings import Finding, Location
from cljourney.hints import did_you_mean
from cljourney.loader import Source
from cljourney.rules import REGISTRY

UNUSED = REGISTRY["unused-suppression"]
_DIRECTIVE = re.compile(r"#\s*cljourney:\s*(ignore-file|ignore)\[([^\]]*)\][ \t]*(.*)")
_PRECHECK = re.compile(r"cljourney:\s*ignore")
_LOOSE = re.compile(r"#\s*cljourney:\s*(ignore-file|ignore)\b[ \t]*(.*)")


@dataclass(frozen=True)
class Suppression:
    """One rule id named in one directive comment, at the comment's 1-based line and column."""

    line: int
    column: int
    rule: str
    whole_file: bool
    reason: str
    # Why the comment is not a valid directive ("" when it is); such a comment silences nothing.
    malformed: str = ""


def _scalar_spans(text: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    loader = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    try:
        while loader.check_token():
            token = loader.get_token()
            if isinstance(token, yaml.ScalarToken):
                start, end = token.start_mark, token.end_mark
                spans.append(((start.line, start.column), (end.line, end.column)))
    except yaml.YAMLError:
        pass  # the loader reports the syntax error; comments before it are still read
    finally:
        loader.dispose()
    return spans


def _inside(
    spans: list[tuple[tuple[int, int], tuple[int, int]]],
    starts: list[tuple[int, int]],
    at: tuple[int, int],
) -> bool:
    index = bisect.bisect_right(starts, at) - 1
    return index >= 0 and spans[index][0] <= at < spans[index][1]


def scan(text: str) -> list[Suppression]:
    """Every suppression directive in `text`, in file order."""
    if not _PRECHECK.search(text):
        return []
    spans = _scalar_spans(text)
    starts = [span[0] for span in spans]
    found: list[Suppression] = []
    for number, line in enumerate(text.splitlines()):
        for hash_at in (m.start() for m in re.finditer("#", line)):
            if hash_at > 0 and line[hash_at - 1] not in " \t":
                continue
            if _inside(spans, starts, (number, hash_at)):
                continue
            found.extend(_directives(line, hash_at, number + 1))
            break  # the first comment runs to the end of the line
    return found


def _directives(line: str, hash_at: int, number: int) -> list[Suppression]:
    """The suppressions in the comment at `hash_at`, or one malformed entry explaining the mistake."""
    match = _DIRECTIVE.match(line, hash_at)
    if match:
        kind, rules, reason = match.groups()
        names = [r.strip() for r in rules.split(",") if r.strip()]
        whole_file = kind == "ignore-file"
        if names:
            return [Suppression(number, hash_at + 1, r, whole_file, reason.strip()) for r in names]
        problem = f"`{kind}[]` names no rule; write `{kind}[rule-id]`"
        return [Suppression(number, hash_at + 1, "", whole_file, "", problem)]
    loose = _LOOSE.match(line, hash_at)
    if loose is None:
        return []
    kind, rest = loose.groups()
    first = rest.split(maxsplit=1)[0].strip(",:") if rest.strip() else ""
    example = first if first in REGISTRY else "rule-id"
    problem = (
        f"`{kind}` needs the rule ids in brackets: write `# cljourney: {kind}[{example}] reason`"
        " (there is no blanket ignore)"
    )
    return [Suppression(number, hash_at + 1, "", kind == "ignore-file", "", problem)]


def element_lines(source: Source) -> dict[str, set[int]]:
    """The first line of every role, stage, touchpoint and handoff, keyed by element id."""
    lines: dict[str, set[int]] = {}

    def add(element: object, loc: tuple[str | int, ...]) -> None:
        if isinstance(element, str) and element:
            lines.setdefault(element, set()).add(source.find(loc).line)

    for section in ("roles", "stages"):
        items = source.get((section,))
        for i in range(len(items) if isinstance(items, list) else 0):
            add(source.get((section, i, "id")), (section, i))
            touchpoints = source.get((section, i, "touchpoints")) if section == "stages" else None
            for j in range(len(touchpoints) if isinstance(touchpoints, list) else 0):
                add(
                    source.get((section, i, "touchpoints", j, "id")), (section, i, "touchpoints", j)
                )
    handoffs = source.get(("handoffs",))
    for i in range(len(handoffs) if isinstance(handoffs, list) else 0):
        pair = f"{source.get(('handoffs', i, 'from'))}>{source.get(('handoffs', i, 'to'))}"
        add(pair, ("handoffs", i))
    return lines


def _covers(suppression: Suppression, finding: Finding, lines: dict[str, set[int]]) -> bool:
    if suppression.rule != finding.rule:
        return False
    if suppression.whole_file or suppression.line == finding.line:
        return True
    return bool(finding.element) and suppression.line in lines.get(finding.element, ())


def apply(
    findings: Iterable[Finding],
    suppressions: list[Suppression],
    lines: dict[str, set[int]],
    enabled: frozenset[str],
    path: str,
    journey: str,
) -> list[Finding]:
    """Drop suppressed findings and add an `unused-suppression` finding per directive that silenced nothing."""
    kept: list[Finding] = []
    used: set[int] = set()
    for finding in findings:
        hits = [i for i, s in enumerate(suppressions) if _covers(s, finding, lines)]
        if hits:
            used.update(hits)
        else:
            kept.append(finding)
    if UNUSED.id not in enabled:
        return kept
    for i, suppression in enumerate(suppressions):
        location = Location(suppression.line, suppression.column)
        if suppression.malformed:
            message = f"invalid suppression comment: {suppression.malformed}"
            kept.append(Finding(UNUSED.id, UNUSED.severity, message, path, location, journey, ""))
            continue
        if i in used:
            continue
        if suppression.rule not in REGISTRY:
            why = f"names unknown rule id '{suppression.rule}'; {_did_you_mean(suppression.rule)}"
        elif suppression.rule in enabled:
            where = "in this file" if suppression.whole_file else "on this line or element"
            why = f"silences nothing: no `{suppression.rule}` finding {where}; remove it"
        else:
            continue  # the rule is off for this file, so the comment cannot be judged
        kind = "ignore-file" if suppression.whole_file else "ignore"
        message = f"suppression `{kind}[{suppression.rule}]` {why}"
        kept.append(Finding(UNUSED.id, UNUSED.severity, message, path, location, journey, ""))
    return kept


def _did_you_mean(rule: str) -> str:
    """A close rule id (case-insensitive), else where to look."""
    close = did_you_mean(rule, REGISTRY, fold_case=True)
    return f"did you mean '{close}'?" if close else "see `cljourney rules`"
