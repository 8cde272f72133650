"""Is this file a journey? One answer, from the loader's own YAML parser, for every caller.

A file is a journey when the top-level mapping of its first YAML document has the version key
`cljourney`, however it is written: after a BOM, in UTF-16, quoted, as `? cljourney`, in flow or
JSON style, after any number of comment lines. Output safety (`-o` never replaces a journey),
directory discovery and `--skip-non-journeys` all ask `sniff`, so they cannot disagree.

The scan reads parser events only (no tree), stops at the version key, and skips nested values
without looking inside them. A file that breaks before the key is a journey only when the key
was already seen: YAML that never reaches `cljourney` cannot be told from any other YAML.
A file without the key that still looks like a journey (a top-level key close to `cljourney`,
or both `journey` and `stages`) is a near-journey: discovery reports it instead of skipping it.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from enum import Enum

from cljourney.text.hints import close_matches

VERSION_KEY = "cljourney"
YAML_SUFFIXES = (".yaml", ".yml")
# Top-level keys every journey has: a file with both but no version key lost its header.
_JOURNEY_SHAPE = frozenset({"journey", "stages"})
# The format's other top-level keys are not misspellings of the version key (`journey` is close).
_OTHER_KEYS = frozenset({"journey", "channels", "roles", "stages", "handoffs"})
# Enough top-level keys to judge a file; a journey has at most seven.
_MAX_KEYS = 64


class Verdict(Enum):
    JOURNEY = "journey"
    NEAR = "near"  # no version key, but a misspelt one or a journey's shape
    OTHER = "other"


@dataclass(frozen=True)
class Sniffed:
    """What the scan found: the verdict and, for a near-journey, what to tell the user and where."""

    verdict: Verdict
    message: str = ""
    line: int = 1
    column: int = 1


# Characters YAML refuses to read (outside its printable set). libyaml refuses them as it fills its
# buffer, before giving the events in front of them, so the scan reads them as spaces.
_UNREADABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(data: bytes) -> str:
    """Bytes -> text as the loader decodes them; for undecodable bytes, the text before them.

    The loader reports the bad byte or character itself; the scan only needs the structure.
    """
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _UNREADABLE.sub(" ", data.decode("utf-16", errors="ignore"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data[: exc.start].decode("utf-8", errors="ignore")
    return _UNREADABLE.sub(" ", text)


def _top_level_keys(text: str) -> tuple[bool, list[tuple[str, int, int]]]:
    """(was the root a mapping, [(key, line, column)...]) of the first document, up to the version
    key, the end of the root mapping, the first parse error or `_MAX_KEYS` keys."""
    import yaml
    from yaml import events as ev

    loader = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    keys: list[tuple[str, int, int]] = []
    mapping = False
    try:
        parser = loader(text)
    except yaml.YAMLError:
        return False, keys
    try:
        depth = 0  # open containers
        slot = 0  # depth-1 nodes completed in the root mapping: even means a key comes next
        while True:
            event = parser.get_event()
            if event is None or isinstance(event, (ev.StreamEndEvent, ev.DocumentEndEvent)):
                break
            if isinstance(event, (ev.StreamStartEvent, ev.DocumentStartEvent)):
                continue
            if isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
                depth -= 1
                if depth == 0:
                    break
                slot += depth == 1  # a nested key or value just closed
                continue
            starts = isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent))
            if depth == 0:
                mapping = isinstance(event, ev.MappingStartEvent)
                if not mapping:
                    break
                depth = 1
                continue
            if depth == 1 and slot % 2 == 0 and isinstance(event, ev.ScalarEvent):
                mark = event.start_mark
                line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
                keys.append((str(event.value), line, column))
                if event.value == VERSION_KEY or len(keys) >= _MAX_KEYS:
                    break
            if starts:
                depth += 1
            elif depth == 1:
                slot += 1
    except yaml.YAMLError:
        pass  # judged on what came before the error
    finally:
        parser.dispose()
    return mapping, keys


def is_yaml_name(name: str) -> bool:
    """Whether a file name ends in .yaml or .yml in any case (`B2B.YAML` too): the files a
    directory search reads, in the working tree and in a git revision alike."""
    return name.lower().endswith(YAML_SUFFIXES)


def sniff(data: bytes) -> Sniffed:
    """Judge bytes (already bounded by the caller's size limit) as journey, near-journey or other."""
    mapping, keys = _top_level_keys(_text(data))
    names = [name for name, _, _ in keys]
    if VERSION_KEY in names:
        return Sniffed(Verdict.JOURNEY)
    if not mapping:
        return Sniffed(Verdict.OTHER)
    for name, line, column in keys:
        if name in _OTHER_KEYS:
            continue
        if close_matches(name, [VERSION_KEY], cutoff=0.85, fold_case=True):
            return Sniffed(
                Verdict.NEAR,
                f"not a journey file: no top-level `{VERSION_KEY}` key; did you mean"
                f" `{VERSION_KEY}` instead of `{name}`?",
                line,
                column,
            )
    if set(names) >= _JOURNEY_SHAPE:
        line, column = keys[0][1], keys[0][2]
        return Sniffed(
            Verdict.NEAR,
            f"not a journey file: it has `journey` and `stages` but no `{VERSION_KEY}` key; add"
            f" `{VERSION_KEY}: 1` as the first line (the format version)",
            line,
            column,
        )
    return Sniffed(Verdict.OTHER)


def is_journey(data: bytes) -> bool:
    """True when `data` is a journey file (valid or not) by the rule above."""
    return sniff(data).verdict is Verdict.JOURNEY
