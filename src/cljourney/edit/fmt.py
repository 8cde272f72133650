"""`fmt`: a journey file in the canonical layout, with every comment on the element it annotates.

ruamel.yaml's round trip keeps each value's style (flow lists stay flow lists, block scalars stay
block scalars) and quotes only what YAML needs quoted; cljourney sets the indentation (2 spaces,
lists indented under their key), the key order (edit/order.py) and the blank lines (one between
stages and between top-level sections; elsewhere at most one, where the author put one). Comments
are lifted off before the keys are sorted and put back by element (edit/comments.py), since
ruamel ties a comment to the element *before* it and sorting would carry it away.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from cljourney.edit.comments import Path, place, put_back
from cljourney.edit.order import order_for, sort_keys
from cljourney.edit.source import EditError, JourneyText, check_edited
from cljourney.load.tree import Tree, YMap, YSeq, parse_tree


@dataclass(frozen=True)
class Formatted:
    source: JourneyText
    text: str

    @property
    def changed(self) -> bool:
        return self.text != self.source.text


def _yaml() -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.emitter import RoundTripEmitter

    class Emitter(RoundTripEmitter):
        """ruamel writes YAML 1.2, where `[:0]` and `{a: ?x}` are plain scalars; libyaml (our
        reader, and most tools') refuses a flow scalar led by `:` or `?`, so such a scalar is
        quoted inside flow collections."""

        def analyze_scalar(self, scalar: Any) -> Any:
            analysis = super().analyze_scalar(scalar)
            if scalar[:1] in ("?", ":"):
                analysis.allow_flow_plain = False
            return analysis

    yaml = YAML(typ="rt")
    yaml.Emitter = Emitter
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 1_000_000  # long text is kept on its line: wrapping would make diffs noisy
    return yaml


def _clean(node: Any, path: Path) -> None:
    """Drop ruamel's comments (put back by element later) and sort keys, all the way down."""
    from ruamel.yaml.comments import CommentedBase, CommentedMap, CommentedSeq

    if isinstance(node, CommentedBase):
        node.ca.items.clear()
        node.ca.comment = None
        node.ca.end = []
    if isinstance(node, CommentedMap):
        order = order_for(path)
        if order is not None:
            for key in sort_keys([str(key) for key in node], order):
                node.move_to_end(key)
        for key, value in node.items():
            _clean(value, (*path, str(key)))
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            _clean(value, (*path, index))


def _blank_before(root: Any) -> set[Path]:
    """Top-level sections (the version and `journey` header aside), and stages but the first."""
    paths: set[Path] = set()
    if isinstance(root, YMap):
        paths.update((key,) for key in list(root)[1:] if key not in ("cljourney", "journey"))
        stages = root.get("stages")
        if isinstance(stages, YSeq):
            paths.update(("stages", index) for index in range(1, len(stages)))
    return paths


def format_text(source: JourneyText) -> Formatted:
    """The canonical layout of `source`; EditError when ruamel cannot read it."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = _yaml()
    try:
        data = yaml.load(source.text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise EditError(f"{source.path}{where}: cannot format: {exc.problem}") from None
    except YAMLError as exc:
        raise EditError(f"{source.path}: cannot format: {exc}") from None
    except (ValueError, IndexError) as exc:  # ruamel.yaml bugs: `-_` read as an integer
        raise EditError(
            f"{source.path}: cannot format: ruamel.yaml cannot read this file ({exc}); quote"
            " unusual plain values (a lone `-_`, say) and try again"
        ) from None
    _clean(data, ())
    stream = io.StringIO()
    yaml.dump(data, stream)
    bare = stream.getvalue()
    parsed = parse_tree(bare.encode("utf-8"))
    if not isinstance(parsed, Tree):
        check_edited(source, bare)  # raises, with the position
        raise AssertionError("unreachable")
    text = put_back(bare, parsed.root, place(source.text, source.root), _blank_before(parsed.root))
    if text != source.text:  # the source itself parsed already
        check_edited(source, text)
    return Formatted(source, text)


@dataclass(frozen=True)
class Outcome:
    """One file's fmt result: its text before and after, or why it was left alone."""

    path: str
    before: str = ""
    after: str = ""
    error: str = ""
    bom: bool = False

    @property
    def changed(self) -> bool:
        return not self.error and self.before != self.after


def format_file(target: Any, _options: object = None) -> Outcome:
    """fmt one file (a discovery Target); failures are values, so a run goes on past them."""
    from cljourney.edit.source import read_text

    try:
        source = read_text(target.path)
        formatted = format_text(source)
    except EditError as exc:
        return Outcome(str(target.path), error=str(exc))
    return Outcome(str(target.path), source.text, formatted.text, bom=source.bom)


def format_paths(paths: list[Any], jobs: int = 0) -> list[Outcome]:
    """fmt every journey under `paths` (as validate finds them) on `jobs` processes (0: by size)."""
    from cljourney.check.discover import Target
    from cljourney.check.parallel import map_ordered, plan_jobs
    from cljourney.edit.source import journey_paths

    targets = [Target(path, explicit=True) for path in journey_paths(paths)]
    return list(map_ordered(format_file, targets, None, plan_jobs(targets, jobs)))
