"""Bytes -> a plain tree of dicts, lists and scalars that remembers where every key and item sits.

Parser choice (measured with bench/run.py; figures in README "Performance"): libyaml's event
parser through PyYAML's C binding, with the tree built here from the event stream. On 1,000
typical journey files (21 MB) this loader runs at 0.8-1.4x PyYAML's own C composer (the bare
libyaml event loop is about 0.5x), and on one 10,000-touchpoint journey at about 0.4x of it;
ruamel.yaml's C-backed composer is 4-5x slower and its round-trip loader 20x slower (issue 6).
Building the tree ourselves gives us, at no extra cost:

* positions (1-based line and column) for every key, value and sequence item;
* YAML 1.2 core-schema scalars whatever the `%YAML` directive says (`no`, `on`, `12:30` stay text);
* duplicate keys, aliases and explicit tags (all but `!!str` on text) reported as errors rather
  than silently accepted;
* a depth bound enforced while reading events: libyaml itself keeps its stacks on the heap, but
  any recursive composer (PyYAML's C one included) overflows the C stack on deep input.

Failures are values: `parse_tree` returns a `Tree` or a list of `YamlProblem`s, never raises for
bad input.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml import events as ev

from cljourney.findings import Location, Related
from cljourney.load.errors import (
    YamlProblem,
    control_message,
    odd_line_break,
    position,
    syntax_problem,
    tag_message,
)
from cljourney.load.scalars import (
    PLAIN_SPECIAL,
    Scalar,
    TooLong,
    resolve_plain,
    too_long_message,
)


class YMap(dict[str, Any]):
    """A mapping with positions: `pos` of the mapping, `keys[k]` = (key line, key col, value line, value col)."""

    __slots__ = ("column", "keys_pos", "line")

    def __init__(self, line: int, column: int) -> None:  # no super().__init__(): nothing to copy
        self.line = line
        self.column = column
        self.keys_pos: dict[str, tuple[int, int, int, int]] = {}


class YSeq(list[Any]):
    """A sequence with positions: `items_pos[i]` = (line, col) of item i."""

    __slots__ = ("column", "items_pos", "line")

    def __init__(self, line: int, column: int) -> None:  # no super().__init__(): nothing to copy
        self.line = line
        self.column = column
        self.items_pos: list[tuple[int, int]] = []


@dataclass(frozen=True)
class Limits:
    """Hard bounds that keep hostile input from exhausting time or memory."""

    max_bytes: int = 16 * 1024 * 1024
    max_depth: int = 64
    # A 10,000-touchpoint journey (5.7 MB) has about 360,000 nodes; a million leaves room.
    max_nodes: int = 1_000_000


DEFAULT_LIMITS = Limits()

_SIZE = re.compile(r"\s*([0-9]+)\s*([kmg]?)i?b?\s*\Z", re.IGNORECASE)


def parse_size(text: str) -> int | None:
    """`--max-file-size` values: bytes, or a whole number with K, M or G (powers of 1024)."""
    match = _SIZE.match(text)
    if match is None or int(match.group(1)) <= 0:
        return None
    factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[match.group(2).lower()]
    return int(match.group(1)) * factor


@dataclass(frozen=True)
class Tree:
    """The single document of a file (None for an empty file)."""

    root: Any


_STR_TAG = "tag:yaml.org,2002:str"


def decode(data: bytes) -> str | YamlProblem:
    """Bytes -> text: UTF-8 (BOM allowed) or UTF-16 with a BOM; a bad byte is located by line."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            return YamlProblem(f"the file is not valid UTF-16: {exc.reason}", 1, 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Everything before the first bad byte decodes; count its lines as editors do (CR too).
        before = data[: exc.start].decode("utf-8")
        line, column = position(before, len(before))
        return YamlProblem(
            f"invalid UTF-8 byte 0x{data[exc.start]:02x}; save the file as UTF-8", line, column
        )


class _Composer:
    """Builds YMap/YSeq/scalars from parser events, iteratively, collecting problems."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.problems: list[YamlProblem] = []
        self.nodes = 0

    def problem(self, message: str, mark: Any, related: tuple[Related, ...] = ()) -> None:
        self.problems.append(YamlProblem(message, mark.line + 1, mark.column + 1, related))

    def scalar(self, event: ev.ScalarEvent) -> Scalar:
        tag = event.tag
        if tag is not None:
            if tag == _STR_TAG:
                return self.text(event)
            self.problem(tag_message(tag, "text"), event.start_mark)
            return None
        if not event.style:  # plain: None from the Python parser, '' from libyaml
            return self.plain(event)
        return self.text(event)

    def plain(self, event: ev.ScalarEvent) -> Scalar:
        value = resolve_plain(event.value)
        if isinstance(value, TooLong):
            self.problem(too_long_message(event.value), event.start_mark)
            return None
        return value

    def text(self, event: ev.ScalarEvent) -> str:
        """A quoted or block scalar; only double quotes can smuggle in a control character."""
        value = str(event.value)
        if event.style == '"':
            refused = control_message(value)
            if refused is not None:
                self.problem(refused, event.start_mark)
        return value

    def compose(self, parser: Any) -> Any:
        """Build the tree from `parser`'s events. This loop is the hot path of `validate`.

        It is written flat on purpose (locals instead of attributes, no helper call per node, a
        fast path for plain untagged scalars, which are most nodes, and for new text keys): that
        brought the composer from about 1.8x to about 1.3x the bare libyaml event loop; see
        bench/run.py. Plain text with a space skips resolving: no number, boolean or null has one.
        """
        stack: list[Any] = []  # open containers
        keys: list[Any] = []  # per open mapping: pending (key, line, col) or None
        root: Any = None
        have_root = False
        documents = 0
        nodes = 0
        get_event = parser.get_event
        max_depth = self.limits.max_depth
        max_nodes = self.limits.max_nodes
        scalar_event = ev.ScalarEvent
        mapping_start = ev.MappingStartEvent
        sequence_start = ev.SequenceStartEvent
        container_end = (ev.MappingEndEvent, ev.SequenceEndEvent)
        skipped = (ev.DocumentEndEvent, ev.StreamStartEvent)
        yseq = YSeq
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:
                if event.tag is None and not event.style:
                    value = event.value
                    node: Any = (
                        value
                        if value and (value[0] not in PLAIN_SPECIAL or " " in value)
                        else self.plain(event)
                    )
                else:
                    node = self.scalar(event)
                container: YMap | YSeq | None = None
            elif kind in container_end:
                stack.pop()
                keys.pop()
                continue
            elif kind is mapping_start or kind is sequence_start:
                if len(stack) >= max_depth:
                    self.problem(too_deep_message(max_depth), event.start_mark)
                    return None
                tag = event.tag
                if tag is not None:  # only !!str is allowed, and only on text
                    node_kind = "a mapping" if kind is mapping_start else "a list"
                    self.problem(tag_message(tag, node_kind), event.start_mark)
                mark = event.start_mark
                container = (
                    YMap(mark.line + 1, mark.column + 1)
                    if kind is mapping_start
                    else yseq(mark.line + 1, mark.column + 1)
                )
                node = container
            elif kind is ev.StreamEndEvent or event is None:
                self.nodes = nodes
                return root
            elif kind is ev.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.problem(
                        "a second YAML document ('---'); a journey file holds exactly one journey",
                        event.start_mark,
                    )
                    return root
                continue
            elif kind in skipped:
                continue
            else:  # AliasEvent
                self.problem(
                    f"aliases (*{event.anchor}) are not allowed in journey files; write the value out",
                    event.start_mark,
                )
                node = None
                container = None
            nodes += 1
            if nodes > max_nodes:
                self.problem(
                    f"the file has more than {max_nodes:,} YAML nodes; split it into smaller journeys",
                    event.start_mark,
                )
                return None
            if stack:
                parent = stack[-1]
                mark = event.start_mark
                if type(parent) is yseq:
                    parent.append(node)
                    parent.items_pos.append((mark.line + 1, mark.column + 1))
                else:
                    pending = keys[-1]
                    if pending is None:
                        if type(node) is str and node not in parent.keys_pos:
                            keys[-1] = (node, mark.line + 1, mark.column + 1)  # the usual key
                        else:  # not text, or a duplicate: `key` says so
                            raw = event.value if kind is scalar_event else ""
                            keys[-1] = self.key(parent, node, raw, mark)
                    else:
                        keys[-1] = None
                        key = pending[0]
                        if key not in parent.keys_pos:
                            parent[key] = node
                            parent.keys_pos[key] = (
                                pending[1],
                                pending[2],
                                mark.line + 1,
                                mark.column + 1,
                            )
            elif not have_root:
                root = node
                have_root = True
            if container is not None:
                stack.append(container)
                keys.append(None)

    def key(self, parent: YMap, node: Any, raw: str, mark: Any) -> tuple[str, int, int]:
        """A mapping key read: (text as written, line, column); reports non-text and duplicate keys.

        Keys are names as written: `true:` is the key 'true', not True.
        """
        line, column = mark.line + 1, mark.column + 1
        if isinstance(node, (YMap, YSeq)):
            self.problem("a mapping key must be plain text, not a list or a mapping", mark)
            return ("", line, column)
        key = raw
        if key in parent.keys_pos:
            first = parent.keys_pos[key]
            here = Related(Location(first[0], first[1]), f"key '{key}' first defined here")
            self.problem(f"duplicate key '{key}'; remove one of them", mark, (here,))
        return (key, line, column)


def too_deep_message(max_depth: int) -> str:
    return f"nesting deeper than {max_depth} levels; journey files need far fewer"


def oversize_message(size: int, limits: Limits) -> str:
    return (
        f"the file is {size:,} bytes, over the {limits.max_bytes:,}-byte limit; split it into"
        " smaller journeys (or raise the limit with --max-file-size or CLJOURNEY_MAX_FILE_SIZE)"
    )


def parse_tree(data: bytes, limits: Limits = DEFAULT_LIMITS) -> Tree | list[YamlProblem]:
    """Parse one YAML document from bytes into a positioned tree, or explain why not."""
    if len(data) > limits.max_bytes:
        return [YamlProblem(oversize_message(len(data), limits), 1, 1)]
    text = decode(data)
    if isinstance(text, YamlProblem):
        return [text]
    odd = odd_line_break(text)
    if odd is not None:
        return [odd]
    composed = _compose(text, limits)
    if isinstance(composed, _Composer):
        return composed.problems
    return Tree(composed)


def _compose(text: str, limits: Limits) -> Any:
    """The root node, or the composer whose problems say why there is none."""
    composer = _Composer(limits)
    with_libyaml = bool(yaml.__with_libyaml__)
    try:
        parser = (yaml.CSafeLoader if with_libyaml else yaml.SafeLoader)(text)
    except yaml.YAMLError as exc:  # the pure-Python reader checks characters up front
        composer.problems.append(syntax_problem(exc, text, byte_offsets=False))
        return composer
    try:
        root = composer.compose(parser)
    except yaml.YAMLError as exc:
        too_deep_at = None if composer.problems else _libyaml_too_deep(exc)
        if too_deep_at is not None:
            return _compose_before(text[:too_deep_at], limits)
        composer.problems.append(syntax_problem(exc, text, byte_offsets=with_libyaml))
        return composer
    finally:
        parser.dispose()
    return composer if composer.problems else root


def _libyaml_too_deep(exc: yaml.YAMLError) -> int | None:
    """libyaml 0.2.6 (bundled from PyYAML 6.0.3 on) refuses 1,000 levels of nesting on its own.

    Its scanner reads ahead through a run of `[`, so that error can come before our composer sees
    level 65. Users get one message for nesting whatever the libyaml version. Returns the
    character offset of libyaml's error, or None for any other error.
    """
    index = getattr(getattr(exc, "problem_mark", None), "index", None)
    if getattr(exc, "problem", None) != "exceeded maximum nesting depth":
        return None
    return index if isinstance(index, int) else None


def _compose_before(prefix: str, limits: Limits) -> _Composer:
    """Compose the text before libyaml's nesting error, where our own depth limit speaks first."""
    composer = _Composer(limits)
    parser = yaml.CSafeLoader(prefix)
    try:
        composer.compose(parser)
    except yaml.YAMLError:
        pass  # the cut-off end of the prefix; the depth problem was recorded before it
    finally:
        parser.dispose()
    if not composer.problems:  # libyaml's limit below ours: not expected, but never lose the error
        composer.problems.append(YamlProblem(too_deep_message(limits.max_depth), 1, 1))
    return composer
