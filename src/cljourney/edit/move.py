"""Move a touchpoint to another place (another stage, or another place in its stage).

The edit is made in the text: the touchpoint's lines, with the comments above it (suppressions
included) and its end-of-line comments, are cut and pasted at the new place, re-indented to the
target list's indentation. Nothing else in the file changes, so the review diff shows the move
alone. The new text is loaded again and must equal the old model with the touchpoint moved;
anything else is refused (a bug, never a silently different journey).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cljourney.edit.blocks import Lines, block, is_block, refuse_flow, shifted
from cljourney.edit.source import EditError, JourneyText, check_edited, id_hint
from cljourney.load.tree import YMap, YSeq

_KEY = "touchpoints"


@dataclass(frozen=True)
class Where:
    """A touchpoint in a file: stage index and its index in the stage, and its `id` position."""

    source: JourneyText
    stage: int
    index: int
    line: int
    column: int

    @property
    def at(self) -> str:
        return f"{self.source.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Moved:
    """The file's new text, where the touchpoint was and which stage and position it went to
    (the text unchanged when the touchpoint is already there)."""

    source: JourneyText
    text: str
    touchpoint: str
    from_stage: str
    to_stage: str
    position: int

    @property
    def unchanged(self) -> bool:
        return self.text == self.source.text


def _stages(root: Any) -> list[YMap]:
    stages = root.get("stages") if isinstance(root, YMap) else None
    return (
        [s if isinstance(s, YMap) else YMap(0, 0) for s in stages]
        if isinstance(stages, YSeq)
        else []
    )


def _touchpoints(stage: YMap) -> YSeq | None:
    value = stage.get(_KEY)
    return value if isinstance(value, YSeq) else None


def _id_at(node: Any) -> tuple[int, int] | None:
    if isinstance(node, YMap) and "id" in node:
        return node.keys_pos["id"][2:]
    return None


def _ids(stages: Sequence[YMap]) -> list[str]:
    """The touchpoint ids of `stages`, to suggest one for a mistyped id."""
    return [
        item["id"]
        for stage in stages
        for item in _touchpoints(stage) or []
        if isinstance(item, YMap) and isinstance(item.get("id"), str)
    ]


def find_touchpoint(files: Sequence[JourneyText], tid: str) -> Where:
    """The one touchpoint `tid` in `files`; EditError when there is none or more than one."""
    found: list[Where] = []
    for source in files:
        for s, stage in enumerate(_stages(source.root)):
            for i, item in enumerate(_touchpoints(stage) or []):
                at = _id_at(item)
                if at and isinstance(item, YMap) and item.get("id") == tid:
                    found.append(Where(source, s, i, *at))
    if not found:
        known = [other for source in files for other in _ids(_stages(source.root))]
        raise EditError(f"no touchpoint has the id '{tid}' in the given files{id_hint(tid, known)}")
    if len(found) > 1:
        places = ", ".join(where.at for where in found)
        raise EditError(
            f"the id '{tid}' names {len(found)} touchpoints ({places}); give only the file to"
            " edit, or fix the duplicate id first"
        )
    return found[0]


def _find_stage(source: JourneyText, sid: str) -> int:
    stages = _stages(source.root)
    matches = [i for i, stage in enumerate(stages) if stage.get("id") == sid]
    if not matches:
        known = ", ".join(str(s.get("id")) for s in stages if isinstance(s.get("id"), str))
        raise EditError(f"{source.path}: no stage has the id '{sid}' (its stages: {known})")
    if len(matches) > 1:
        places = ", ".join(
            f"{source.path}:{line}:{column}"
            for line, column in (stages[i].keys_pos["id"][2:] for i in matches)
        )
        raise EditError(f"the id '{sid}' names {len(matches)} stages ({places}); fix it first")
    return matches[0]


def _after_index(source: JourneyText, stage: YMap, sid: str, after: str, tid: str) -> int:
    """The index in the target stage of the touchpoint `after`; EditError when it is not there."""
    if after == tid:
        raise EditError(f"--after names the touchpoint being moved ('{tid}'); name another one")
    for i, item in enumerate(_touchpoints(stage) or []):
        if isinstance(item, YMap) and item.get("id") == after:
            return i
    for other in _stages(source.root):
        for item in _touchpoints(other) or []:
            if isinstance(item, YMap) and item.get("id") == after:
                line, column = item.keys_pos["id"][2:]
                raise EditError(
                    f"{source.path}:{line}:{column}: touchpoint '{after}' is in stage"
                    f" '{other.get('id')}', not in '{sid}'; --after names a touchpoint of the"
                    " target stage"
                )
    known = _ids([stage])
    raise EditError(
        f"{source.path}: no touchpoint has the id '{after}' (--after){id_hint(after, known)}"
    )


def move(
    files: Sequence[JourneyText], tid: str, sid: str, after: str | None = None, first: bool = False
) -> Moved:
    """Move touchpoint `tid` into stage `sid` of its file: after `after`, first, or last."""
    if after is not None and first:
        raise EditError("give --after ID or --first, not both")
    where = find_touchpoint(files, tid)
    source = where.source
    target = _find_stage(source, sid)
    stages = _stages(source.root)
    origin = stages[where.stage]
    dest = stages[target]
    if after is not None:
        position = _after_index(source, dest, sid, after, tid) + 1
    elif first:
        position = 0
    else:
        position = len(_touchpoints(dest) or [])
    if target == where.stage and position > where.index:
        position -= 1  # the index once the touchpoint is out of the list
    if target == where.stage and position == where.index:
        return Moved(source, source.text, tid, sid, sid, position + 1)
    text = _edit(source, where, origin, dest, position, after is not None)
    check_edited(source, text)
    _verify(source, text, where, target, position)
    return Moved(source, text, tid, str(origin.get("id")), sid, position + 1)


def _edit(
    source: JourneyText, where: Where, origin: YMap, dest: YMap, position: int, after: bool
) -> str:
    """The text with the touchpoint's lines cut and pasted (see the module docstring)."""
    lines = Lines.of(source.text)
    seq = _touchpoints(origin)
    assert seq is not None
    refuse_flow(source, seq, f"the touchpoints of stage '{origin.get('id')}'")
    out = _split(source.text)
    cut = block(source, lines, seq, where.index)
    chunk = out[cut.first - 1 : cut.last]
    if origin is not dest and len(seq) == 1:
        out = _append_empty(out, origin)
    out = _clear_empty_flow(out, dest)
    insert, dash, head = _insertion(source, lines, dest, origin, where.index, position, after)
    chunk = head + shifted(chunk, dash - cut.dash)
    first = where.index == 0
    if insert <= cut.first - 1:
        new = out[:insert] + chunk + _join(out[insert : cut.first - 1], out[cut.last :], first)
    else:
        new = _join(out[: cut.first - 1], out[cut.last : insert], first) + chunk + out[insert:]
    text = "".join(new)
    return text if source.text.endswith(("\n", "\r")) or not text else text.rstrip("\r\n")


def _join(left: list[str], right: list[str], first: bool) -> list[str]:
    """`left + right` where the cut was: a blank line that would follow another, or that would
    open the list (the cut item was its first), is dropped."""
    if left and right and not right[0].strip() and (first or not left[-1].strip()):
        return left + right[1:]
    return left + right


def _split(text: str) -> list[str]:
    """Lines with their line ends; the last one gets one, should the file lack it."""
    out = text.splitlines(keepends=True)
    if out and not out[-1].endswith(("\n", "\r")):
        out[-1] += _newline(text)
    return out


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _insertion(
    source: JourneyText,
    lines: Lines,
    dest: YMap,
    origin: YMap,
    moving: int,
    position: int,
    after: bool,
) -> tuple[int, int, list[str]]:
    """(0-based line index to insert before, the dash column there, lines to put first)."""
    seq = _touchpoints(dest)
    others = [i for i in range(len(seq or [])) if dest is not origin or i != moving]
    if seq is not None and others:
        refuse_flow(source, seq, f"the touchpoints of stage '{dest.get('id')}'")
        assert isinstance(seq, YSeq) and is_block(source, seq)
        if position < len(others) and not after:
            return block(source, lines, seq, others[position]).first - 1, seq.column - 1, []
        return block(source, lines, seq, others[position - 1]).last, seq.column - 1, []
    return _into_empty(source, lines, dest)


def _into_empty(source: JourneyText, lines: Lines, dest: YMap) -> tuple[int, int, list[str]]:
    """Into a stage with no touchpoints: after its `touchpoints:` key (whose `[]` goes), or a new
    `touchpoints:` key after the stage's last line."""
    key_line, key_column = dest.keys_pos[_KEY][:2] if _KEY in dest else dest.keys_pos["id"][:2]
    dash = key_column - 1 + 2
    if source.text[source.offset(dest.line, dest.column)] == "{":
        raise EditError(
            f"{source.path}:{dest.line}:{dest.column}: stage '{dest.get('id')}' is written as a"
            " flow mapping (`{...}`); write it in block style to move touchpoints into it"
        )
    if _KEY in dest:
        return key_line, dash, []  # `[]` is taken off by _clear_empty_flow
    stage_lines = _stage_last(source, lines, dest)
    return stage_lines, dash, [" " * (key_column - 1) + f"{_KEY}:" + _newline(source.text)]


def _stage_last(source: JourneyText, lines: Lines, dest: YMap) -> int:
    stages = source.root["stages"]
    refuse_flow(source, stages, "the stages")
    index = next(i for i, stage in enumerate(stages) if stage is dest)
    return block(source, lines, stages, index).last


_EMPTY_FLOW = re.compile(r"(:)[ \t]*\[[ \t]*\]")


def _clear_empty_flow(out: list[str], dest: YMap) -> list[str]:
    """`touchpoints: []` of `dest` made `touchpoints:`, before items are pasted under it."""
    if _KEY not in dest or not isinstance(dest[_KEY], YSeq) or dest[_KEY]:
        return out
    line = dest.keys_pos[_KEY][0]
    out = list(out)
    out[line - 1] = _EMPTY_FLOW.sub(r"\1", out[line - 1], count=1)
    return out


def _append_empty(out: list[str], origin: YMap) -> list[str]:
    """The stage losing its last touchpoint keeps `touchpoints: []`, not an empty key."""
    line = origin.keys_pos[_KEY][0]
    content = out[line - 1]
    match = re.search(r":(?=[ \t]*(#|\r?\n|\r|$))", content)
    if match is None:  # a key written in an unusual way: leave it empty (it loads the same)
        return out
    out = list(out)
    out[line - 1] = content[: match.end()] + " []" + content[match.end() :]
    return out


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value) for value in node]
    return node


def _verify(source: JourneyText, text: str, where: Where, target: int, position: int) -> None:
    """The new text must hold the old data with the touchpoint moved, and nothing else changed."""
    from cljourney.load.tree import Tree, parse_tree

    expected = _plain(source.root)
    stages = expected["stages"]
    moved = stages[where.stage][_KEY].pop(where.index)
    if not stages[where.stage][_KEY] and where.stage != target:
        stages[where.stage][_KEY] = []
    if not isinstance(stages[target].get(_KEY), list):
        stages[target][_KEY] = []
    stages[target][_KEY].insert(position, moved)
    parsed = parse_tree(source.encoded(text))
    if not isinstance(parsed, Tree) or _plain(parsed.root) != expected:
        raise EditError(
            f"{where.at}: moving this touchpoint would change more than its place; nothing was"
            " written. This is a bug in cljourney: please report it"
        )
