"""Inline suppressions: `# cljourney: ignore[rule-id] reason` and `# cljourney: ignore-file[rule-id]`.

Comments are not in libyaml's event stream, so the raw text is scanned. A `#` is a comment only
when it starts a line or follows a blank and lies outside every scalar; scalar spans come from
libyaml's token scanner, so a `#` inside a quoted string or a block scalar is never taken for a
comment. The scan runs only on files whose text mentions `cljourney: ignore` at all.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import yaml

from cljourney.findings import Finding, Kind, Location
from cljourney.load.journey import Source
from cljourney.load.tree import YMap, YSeq
from cljourney.rules import REGISTRY
from cljourney.rules.files import UNUSED_SUPPRESSION as UNUSED
from cljourney.text.hints import did_you_mean

OPENING = r"#\s*cljourney:\s*(ignore-file|ignore)\["
"""How a directive starts, up to its `[`: the editor's hover and completion find rule lists by it."""
_DIRECTIVE = re.compile(OPENING + r"([^\]]*)\][ \t]*(.*)")
_PRECHECK = re.compile(r"cljourney:\s*ignore")
_LOOSE = re.compile(r"#\s*cljourney:\s*(ignore-file|ignore)\b[ \t]*(.*)")
# The message of a directive naming a known rule that silences nothing (made in `_unused`).
_SILENCES_NOTHING = re.compile(
    r"suppression `(?:ignore|ignore-file)\[([^\]`]+)\]` silences nothing"
)


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


@dataclass(frozen=True)
class Element:
    """A role, stage, touchpoint or handoff: its kind, its id (`from>to` for a handoff, "" when
    it has none), where its node starts, and where the next thing in the file starts (None: at
    the end of the file). Elements of one kind never nest, so these spans do not overlap."""

    kind: Kind
    id: str
    start: Location
    end: Location | None


class Elements:
    """Every role, stage, touchpoint and handoff of a file, to tell which one a finding is about.

    A stage, a touchpoint and a role may share an id, and so may two handoffs between the same
    roles (or duplicated ids, which `duplicate-id` reports), so an id alone does not say which
    element a finding concerns: its kind and its position do.
    """

    def __init__(self, elements: Iterable[Element]) -> None:
        self._by_kind: dict[Kind, list[Element]] = {}
        self._by_key: dict[tuple[Kind, str], list[Element]] = {}
        for element in elements:
            self._by_kind.setdefault(element.kind, []).append(element)
            self._by_key.setdefault((element.kind, element.id), []).append(element)
        for same in self._by_kind.values():
            same.sort(key=lambda element: element.start)
        self._starts = {kind: [e.start for e in same] for kind, same in self._by_kind.items()}

    def owner(self, finding: Finding) -> Element | None:
        """The element `finding` is about: the one of its kind and id that holds its position,
        else the only one of its kind with that id; None for file-level findings."""
        inside = self._holding(finding.kind, finding.location)
        if inside is not None and inside.id == finding.element:
            return inside
        same = self._by_key.get((finding.kind, finding.element), ())
        return same[0] if finding.element and len(same) == 1 else None

    def _holding(self, kind: Kind, at: Location) -> Element | None:
        starts = self._starts.get(kind)
        if not starts:
            return None
        index = bisect.bisect_right(starts, at) - 1
        if index < 0:
            return None
        element = self._by_kind[kind][index]
        return element if element.end is None or at < element.end else None


def elements(source: Source) -> Elements:
    """The roles, stages, touchpoints and handoffs of a loaded file, with their spans."""
    root = source.tree
    found: list[Element] = []
    for item, start, end in _items(root, "roles", None):
        found.append(Element(Kind.ROLE, _text(item, "id"), start, end))
    for item, start, end in _items(root, "stages", None):
        found.append(Element(Kind.STAGE, _text(item, "id"), start, end))
        for touchpoint, tp_start, tp_end in _items(item, "touchpoints", end):
            found.append(Element(Kind.TOUCHPOINT, _text(touchpoint, "id"), tp_start, tp_end))
    for item, start, end in _items(root, "handoffs", None):
        pair = f"{_shown(item, 'from')}>{_shown(item, 'to')}"
        found.append(Element(Kind.HANDOFF, pair, start, end))
    return Elements(found)


def _items(
    parent: object, key: str, bound: Location | None
) -> Iterator[tuple[object, Location, Location | None]]:
    """(item, start, end) of each item of the list at `parent[key]`; `bound` is where `parent` ends.

    An item ends where the next one starts; the last one where the key after `key` starts.
    """
    if not isinstance(parent, YMap) or not isinstance(parent.get(key), YSeq):
        return
    items: YSeq = parent[key]
    order = list(parent.keys_pos)
    following = order.index(key) + 1
    if following < len(order):
        line, column, _, _ = parent.keys_pos[order[following]]
        bound = Location(line, column)
    positions = [Location(*at) for at in items.items_pos]
    for index, item in enumerate(items):
        end = positions[index + 1] if index + 1 < len(positions) else bound
        yield item, positions[index], end


def _text(node: object, key: str) -> str:
    value = node.get(key) if isinstance(node, YMap) else None
    return value if isinstance(value, str) else ""


def _shown(node: object, key: str) -> str:
    return str(node.get(key)) if isinstance(node, YMap) else "None"


class _Index:
    """Suppressions by rule and line, and whole-file ones by rule, so that matching a finding
    costs a few dictionary look-ups whatever the number of directives."""

    def __init__(self, suppressions: list[Suppression]) -> None:
        self.by_line: dict[tuple[str, int], list[int]] = {}
        self.whole_file: dict[str, list[int]] = {}
        for i, suppression in enumerate(suppressions):
            if suppression.malformed:
                continue
            if suppression.whole_file:
                self.whole_file.setdefault(suppression.rule, []).append(i)
            else:
                self.by_line.setdefault((suppression.rule, suppression.line), []).append(i)
        self.hit: set[tuple[str, int] | str] = set()

    def covers(self, finding: Finding, owner: Element | None) -> bool:
        """Whether a directive silences `finding` (about `owner`); remembers which ones did."""
        keys: list[tuple[str, int] | str] = [finding.rule, (finding.rule, finding.line)]
        if owner is not None:
            keys.append((finding.rule, owner.start.line))
        found = False
        for key in keys:
            present = key in self.whole_file if isinstance(key, str) else key in self.by_line
            if present:
                self.hit.add(key)
                found = True
        return found

    def used(self) -> set[int]:
        """The directives that silenced at least one finding."""
        used: set[int] = set()
        for key in self.hit:
            used.update(self.whole_file[key] if isinstance(key, str) else self.by_line[key])
        return used


def apply(
    findings: Iterable[Finding],
    suppressions: list[Suppression],
    where: Elements,
    enabled: frozenset[str],
    path: str,
    journey: str,
) -> list[Finding]:
    """Drop suppressed findings and add an `unused-suppression` finding per directive that
    silenced nothing. A directive covers a finding of its rule on its own line, and, on the first
    line of a role, stage, touchpoint or handoff, every finding about that very element.

    `unused-suppression` findings can be silenced like any other (`ignore-file[unused-suppression]`,
    or `ignore[..., unused-suppression]` on the directive's line); a directive naming that rule is
    never reported as unused, since the report would be its own finding.
    """
    index = _Index(suppressions)
    kept = [f for f in findings if not index.covers(f, where.owner(f))]
    if UNUSED.id not in enabled:
        return kept
    used = index.used()
    for i, suppression in enumerate(suppressions):
        if i in used or suppression.rule == UNUSED.id:
            continue
        unused = _unused(suppression, enabled, path, journey)
        if unused is not None and not index.covers(unused, None):
            kept.append(unused)
    return kept


def _unused(
    suppression: Suppression, enabled: frozenset[str], path: str, journey: str
) -> Finding | None:
    """The `unused-suppression` finding for a directive that silenced nothing, if it is one."""
    location = Location(suppression.line, suppression.column)
    if suppression.malformed:
        message = f"invalid suppression comment: {suppression.malformed}"
        return Finding(UNUSED.id, UNUSED.severity, message, path, location, journey, "")
    if suppression.rule not in REGISTRY:
        why = f"names unknown rule id '{suppression.rule}'; {_did_you_mean(suppression.rule)}"
    elif suppression.rule in enabled:
        where = "in this file" if suppression.whole_file else "on this line or element"
        why = f"silences nothing: no `{suppression.rule}` finding {where}; remove it"
    else:
        return None  # the rule is off for this file, so the comment cannot be judged
    kind = "ignore-file" if suppression.whole_file else "ignore"
    message = f"suppression `{kind}[{suppression.rule}]` {why}"
    return Finding(UNUSED.id, UNUSED.severity, message, path, location, journey, "")


def unused_rule(finding: Finding) -> str | None:
    """The rule of an `unused-suppression` finding whose directive names a known rule that
    silences nothing (what `validate --fix` may take out), else None."""
    if finding.rule != UNUSED.id:
        return None
    match = _SILENCES_NOTHING.match(finding.message)
    return match.group(1) if match else None


def _did_you_mean(rule: str) -> str:
    """A close rule id (case-insensitive), else where to look."""
    close = did_you_mean(rule, REGISTRY, fold_case=True)
    return f"did you mean '{close}'?" if close else "see `cljourney rules`"
