"""Journey file bytes -> JourneyFile model plus the positioned tree, or findings explaining why not.

Failures are values: every problem becomes a `yaml-syntax` or `schema` finding at a file, line
and column, and the caller carries on with the next file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from cljourney.findings import FINDINGS_PER_RULE, Finding, Kind, Location, Severity, overflow
from cljourney.load.detect import Sniffed, Verdict, sniff
from cljourney.load.tree import DEFAULT_LIMITS, Limits, Tree, YMap, YSeq, parse_tree
from cljourney.model import (
    FORMAT_VERSION,
    CustomerMoment,
    Handoff,
    JourneyFile,
    JourneyInfo,
    Role,
    Stage,
    Touchpoint,
)
from cljourney.model.fields import NOT_BLANK, UNION_TAGS
from cljourney.model.parts import Evidence, Metric, Opportunity, PainPoint, Review
from cljourney.text.hints import close_matches

Loc = tuple["str | int", ...]


@dataclass(frozen=True)
class Source:
    """The positioned tree a model was built from; answers "where is this key or item?"."""

    path: str
    tree: YMap

    def find(self, loc: Loc, *, key: bool = False) -> Location:
        """Position of the value at `loc` (or of its key when `key`); the nearest container otherwise.

        For a key that is absent, this is the mapping that lacks it, which is where a user adds it.
        """
        node: Any = self.tree
        line, column = node.line, node.column
        for depth, step in enumerate(loc):
            last = depth == len(loc) - 1
            if isinstance(node, YMap) and isinstance(step, str) and step in node.keys_pos:
                key_line, key_col, val_line, val_col = node.keys_pos[step]
                line, column = (key_line, key_col) if key and last else (val_line, val_col)
                node = node[step]
            elif isinstance(node, YSeq) and isinstance(step, int) and 0 <= step < len(node):
                line, column = node.items_pos[step]
                node = node[step]
            else:
                break
        return Location(line, column)

    def get(self, loc: Loc) -> Any:
        """The raw value at `loc`, or None."""
        node: Any = self.tree
        for step in loc:
            if isinstance(node, YMap) and isinstance(step, str):
                node = node.get(step)
            elif isinstance(node, YSeq) and isinstance(step, int) and 0 <= step < len(node):
                node = node[step]
            else:
                return None
        return node


@dataclass(frozen=True)
class Loaded:
    """The outcome of loading one file: a model when it is valid, findings when it is not."""

    path: str
    journey: JourneyFile | None
    source: Source | None
    findings: tuple[Finding, ...]

    @property
    def journey_id(self) -> str:
        if self.journey is not None:
            return self.journey.journey.id
        if self.source is not None:
            value = self.source.get(("journey", "id"))
            return value if isinstance(value, str) else ""
        return ""


def load_bytes(
    data: bytes, path: str, *, explicit: bool = True, limits: Limits = DEFAULT_LIMITS
) -> Loaded | None:
    """Load one journey file. Returns None when `explicit` is False and the file is not a journey.

    Whether a file is a journey is `detect.sniff`'s answer, the same one output safety uses; a
    near-journey (a misspelt version key, or `journey` and `stages` without it) is reported as a
    `schema` error even when the file was only found by a directory search.
    """
    if not explicit:
        sniffed = sniff(data)
        if sniffed.verdict is Verdict.OTHER:
            return None
        if sniffed.verdict is Verdict.NEAR:
            return Loaded(path, None, None, (_near_journey(sniffed, path),))
    parsed = parse_tree(data, limits)
    if not isinstance(parsed, Tree):
        findings = tuple(
            Finding(
                "yaml-syntax",
                Severity.ERROR,
                p.message,
                path,
                Location(p.line, p.column),
                related=p.related,
            )
            for p in parsed
        )
        return Loaded(path, None, None, findings)
    root = parsed.root
    if not isinstance(root, YMap) or "cljourney" not in root:
        sniffed = sniff(data)
        if sniffed.verdict is Verdict.NEAR:  # named, but the header is misspelt: say so
            return Loaded(path, None, None, (_near_journey(sniffed, path),))
        if not explicit:
            return None
        return Loaded(path, None, None, (_not_a_journey(root, path),))
    source = Source(path, root)
    version = root["cljourney"]
    if type(version) is not int or version != FORMAT_VERSION:
        where = source.find(("cljourney",))
        number = isinstance(version, (int, float)) and not isinstance(version, bool)
        found = f"version {version}" if number else f"version: {_show(version)}"
        message = (
            f"unsupported format {found}; this release of cljourney reads format version"
            f" {FORMAT_VERSION}, written as the whole number `cljourney: {FORMAT_VERSION}`"
        )
        return Loaded(
            path, None, source, (Finding("schema", Severity.ERROR, message, path, where),)
        )
    try:
        model = JourneyFile.model_validate(root)
    except ValidationError as exc:
        journey_id = source.get(("journey", "id"))
        jid = journey_id if isinstance(journey_id, str) else ""
        errors = exc.errors(include_url=False)
        findings = _schema_findings(errors, source, jid, path)
        return Loaded(path, _without_unknown_keys(root, errors), source, findings)
    return Loaded(path, model, source, ())


# Schema findings made per file; the rest are counted in one finding. Ten times what a report
# lists per rule, so suppressions and baselines still find theirs among them.
MAX_SCHEMA_FINDINGS = 10 * FINDINGS_PER_RULE


def _schema_findings(
    errors: list[Any], source: Source, journey_id: str, path: str
) -> tuple[Finding, ...]:
    made = [_schema_finding(err, source, journey_id) for err in errors[:MAX_SCHEMA_FINDINGS]]
    if len(errors) > MAX_SCHEMA_FINDINGS:
        where = source.find(tuple(errors[MAX_SCHEMA_FINDINGS]["loc"]))
        rest = len(errors) - MAX_SCHEMA_FINDINGS
        made.append(overflow("schema", Severity.ERROR, rest, path, where, journey_id))
    return tuple(made)


def _without_unknown_keys(root: YMap, errors: list[Any]) -> JourneyFile | None:
    """The model once unknown keys are set aside, when they were the only problem.

    A typo such as `ownr:` is reported, and the rest of the journey is still checked, so one
    misspelt key does not hide every other finding. The keys are removed from the tree in place;
    their positions stay in `keys_pos` for the findings already made.
    """
    if any(err["type"] != "extra_forbidden" for err in errors):
        return None
    for err in errors:
        parent = Source("", root).get(tuple(err["loc"][:-1]))
        if isinstance(parent, YMap):
            parent.pop(str(err["loc"][-1]), None)
    try:
        return JourneyFile.model_validate(root)
    except ValidationError:
        return None


def _near_journey(sniffed: Sniffed, path: str) -> Finding:
    where = Location(sniffed.line, sniffed.column)
    return Finding("schema", Severity.ERROR, sniffed.message, path, where)


def _not_a_journey(root: Any, path: str) -> Finding:
    if root is None:
        what = "the file is empty"
    elif isinstance(root, YSeq):
        what = "the top level is a list"
    elif isinstance(root, YMap):
        what = "the top-level mapping has no `cljourney` key"
    else:
        what = "the top level is a single value"
    line, column = (root.line, root.column) if isinstance(root, (YMap, YSeq)) else (1, 1)
    message = (
        f"not a journey file: {what}; a journey file is a mapping that starts with"
        f" `cljourney: {FORMAT_VERSION}`"
    )
    return Finding("schema", Severity.ERROR, message, path, Location(line, column))


# Which model lives at which shape of location (ints replaced by "*"), and how to call it.
# The kind is that of the element a finding there concerns (a `customer` block is its touchpoint's).
_SHAPES: dict[tuple[str, ...], tuple[type[BaseModel], str, Kind]] = {
    (): (JourneyFile, "the file", Kind.NONE),
    ("journey",): (JourneyInfo, "`journey`", Kind.JOURNEY),
    ("roles", "*"): (Role, "role", Kind.ROLE),
    ("stages", "*"): (Stage, "stage", Kind.STAGE),
    ("stages", "*", "touchpoints", "*"): (Touchpoint, "touchpoint", Kind.TOUCHPOINT),
    ("stages", "*", "touchpoints", "*", "customer"): (
        CustomerMoment,
        "`customer` of touchpoint",
        Kind.TOUCHPOINT,
    ),
    ("handoffs", "*"): (Handoff, "handoff", Kind.HANDOFF),
    ("journey", "review"): (Review, "`review` of the journey", Kind.JOURNEY),
    ("stages", "*", "touchpoints", "*", "customer", "evidence"): (
        Evidence,
        "`customer.evidence` of touchpoint",
        Kind.TOUCHPOINT,
    ),
    ("stages", "*", "touchpoints", "*", "pain_points", "*"): (
        PainPoint,
        "pain point",
        Kind.TOUCHPOINT,
    ),
    ("stages", "*", "touchpoints", "*", "pain_points", "*", "evidence"): (
        Evidence,
        "`evidence` of a pain point of touchpoint",
        Kind.TOUCHPOINT,
    ),
    ("stages", "*", "touchpoints", "*", "opportunities", "*"): (
        Opportunity,
        "opportunity",
        Kind.TOUCHPOINT,
    ),
    ("stages", "*", "touchpoints", "*", "metrics", "*"): (Metric, "metric", Kind.TOUCHPOINT),
}


def _shape(loc: Loc) -> tuple[str, ...]:
    return tuple("*" if isinstance(step, int) else step for step in loc)


def _allowed_keys(model: type[BaseModel]) -> list[str]:
    return [field.alias or name for name, field in model.model_fields.items()]


def key_candidates(key: str, allowed: list[str]) -> list[str]:
    """The keys an unknown key may have meant (up to 3, best first); the hint names the first,
    `validate --fix` renames a key that has exactly one."""
    return close_matches(key, allowed, n=3)


def allowed_keys_at(loc: Loc) -> list[str] | None:
    """The keys the format allows in the mapping at `loc`, or None when no model is known there."""
    shape = _SHAPES.get(_shape(loc))
    return _allowed_keys(shape[0]) if shape else None


def _owner_of(loc: Loc, source: Source) -> tuple[Loc, str, str, Kind]:
    """The innermost element around `loc`: its location, a readable name, its id and its kind."""
    for cut in range(len(loc), -1, -1):
        prefix = loc[:cut]
        shape = _shape(prefix)
        if shape in _SHAPES:
            _, label, kind = _SHAPES[shape]
            if len(shape) > 4 and shape[:4] == ("stages", "*", "touchpoints", "*"):
                element_id = source.get((*prefix[:4], "id"))
                if isinstance(prefix[-1], int):
                    label = f"{label} #{prefix[-1] + 1} of touchpoint"
            else:
                element_id = source.get((*prefix, "id"))
            if isinstance(element_id, str) and label not in ("the file", "`journey`"):
                return prefix, f"{label} '{element_id}'", element_id, kind
            if shape == ("handoffs", "*"):
                ends = (source.get((*prefix, "from")), source.get((*prefix, "to")))
                return prefix, f"handoff {ends[0]} > {ends[1]}", f"{ends[0]}>{ends[1]}", kind
            if prefix and isinstance(prefix[-1], int):
                return prefix, f"{label} #{int(prefix[-1]) + 1}", "", kind
            return prefix, label, "", kind
    return (), "the file", "", Kind.NONE


def _show(value: Any) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9_-]+", "-", text.lower()).strip("-_") or "my-id"


def _schema_finding(err: Any, source: Source, journey_id: str) -> Finding:
    loc: Loc = tuple(step for step in err["loc"] if step not in UNION_TAGS)
    kind: str = err["type"]
    value = err.get("input")
    field = next((step for step in reversed(loc) if isinstance(step, str)), "")
    parent_loc = loc[:-1] if kind in ("missing", "extra_forbidden") else loc
    _, where_name, element, element_kind = _owner_of(parent_loc, source)
    ctx = err.get("ctx") or {}
    if kind == "missing":
        message = f"{where_name} has no `{field}`; add `{field}: ...`"
        location = source.find(parent_loc)
    elif kind == "extra_forbidden":
        model = _SHAPES.get(_shape(parent_loc), _SHAPES[()])[0]
        allowed = _allowed_keys(model)
        close = next(iter(key_candidates(str(field), allowed)), None)
        hint = f"did you mean `{close}`?" if close else "allowed keys: " + ", ".join(allowed)
        message = f"unknown key `{field}` in {where_name}; {hint}"
        location = source.find(loc, key=True)
    else:
        message = f"`{field}` in {where_name}: {_type_message(kind, value, ctx, field)}"
        location = source.find(loc)
    return Finding(
        "schema", Severity.ERROR, message, source.path, location, journey_id, element, element_kind
    )


def _type_message(kind: str, value: Any, ctx: dict[str, Any], field: str | int) -> str:
    got = _show(value)
    if kind == "string_type" and value is None:
        return "the value is empty; fill it in"
    if kind == "string_type":
        return f"expected text, got {got}; quote it if it is meant as text"
    if kind == "next_empty":
        return (
            "the value is empty; remove `next:` to go on to the following touchpoint in the file,"
            " or write `next: []` to end the journey here"
        )
    if kind == "duration_invalid":
        return (
            f"{got} is not a duration; write a number and a unit (`90m`, `12h`, `5d`, `2w`)"
            " or ISO 8601 (`P5D`, `PT12H`)"
        )
    if kind == "date_invalid":
        return f"{got} is not a date; write it as YYYY-MM-DD (`2026-09-14`)"
    if kind == "literal_error" and field != "cljourney":
        return f"{got} is not valid here; expected {ctx.get('expected')}"
    if kind == "share_invalid":
        return f"{got} is not a share; write a percentage (`90%`) or a fraction from 0 to 1 (`0.9`)"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {got}"
    if kind == "bool_type":
        return f"expected true or false, got {got}; write `{field}: true` or `{field}: false`"
    if field == "during" and kind in ("list_type", "too_short", "during_empty"):
        shown = "an empty list" if value == [] else got
        return (
            f"expected `all` or a list of stage ids, got {shown}; write `during: [onboarding,"
            " renewal]` or `during: all`, or remove `during` to run the stage in lifecycle order"
        )
    if kind == "list_type":
        return f"expected a list, got {got}; write `{field}: [...]` or one `- item` per line"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of keys, got {got}"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == NOT_BLANK:
        return "is blank (only white space); fill it in"
    if kind == "string_pattern_mismatch":
        suggestion = _slugify(value) if isinstance(value, str) else "my-id"
        return (
            f"{got} is not a valid id; use lowercase letters, digits, '-' and '_'"
            f" starting with a letter or digit (e.g. '{suggestion}')"
        )
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters"
    if kind == "too_short":
        return "must hold at least one item"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"must be between 1 and 5, got {got}"
    return f"{got} is not valid here"
