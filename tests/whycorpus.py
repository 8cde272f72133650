"""The labelled why corpus (tests/data/whys): each context's whys in one journey file, checked
by the real pipeline, with precision and recall per rule."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from cljourney.check.pipeline import check_loaded
from cljourney.load.journey import load_bytes
from cljourney.rules import RuleOptions

CORPUS = Path(__file__).resolve().parent / "data" / "whys"
RULE_OF = {"inward": "inward-why", "weak": "weak-why"}


@dataclass(frozen=True)
class Row:
    label: str
    context: str
    name: str
    why: str


@dataclass(frozen=True)
class Judged:
    row: Row
    found: frozenset[str]


def rows(part: str) -> list[Row]:
    with (CORPUS / f"{part}.csv").open(encoding="utf-8", newline="") as f:
        return [Row(r["label"], r["context"], r["name"], r["why"]) for r in csv.DictReader(f)]


def _journey(context: str, spec: dict[str, object], items: list[Row]) -> bytes:
    roles = spec["roles"]
    assert isinstance(roles, list)
    lines = [
        "cljourney: 1",
        "journey:",
        f"  id: corpus-{context}",
        f"  name: Corpus {context}",
        "  owner: cs-ops",
        f"  persona: {json.dumps(spec['persona'])}",
        "roles:",
        *(f"  - {{id: {r['id']}, name: {json.dumps(r['name'])}}}" for r in roles),
        "stages:",
        "  - id: journey",
        "    name: Journey",
        f"    owner: {roles[0]['id']}",
        "    why: The customer reaches the outcome they came for, one step at a time.",
        "    touchpoints:",
    ]
    for number, row in enumerate(items):
        lines += [
            f"      - id: t{number}",
            f"        name: {json.dumps(row.name or f'Step {number}')}",
            f"        why: {json.dumps(row.why)}",
        ]
    return ("\n".join(lines) + "\n").encode()


def judge(part: str, options: RuleOptions | None = None) -> list[Judged]:
    contexts = yaml.safe_load((CORPUS / "contexts.yaml").read_text(encoding="utf-8"))
    judged: list[Judged] = []
    for context, spec in contexts.items():
        items = [r for r in rows(part) if r.context == context]
        loaded = load_bytes(_journey(context, spec, items), f"{context}.yaml", explicit=True)
        assert loaded is not None and loaded.journey is not None, loaded
        findings = check_loaded(loaded, options or RuleOptions())
        by_element: dict[str, set[str]] = {}
        for f in findings:
            by_element.setdefault(f.element, set()).add(f.rule)
        judged += [
            Judged(row, frozenset(by_element.get(f"t{n}", set()))) for n, row in enumerate(items)
        ]
    return judged


def scores(judged: list[Judged], label: str) -> tuple[float, float]:
    """(precision, recall) of the rule for `label` on `judged`."""
    rule = RULE_OF[label]
    flagged = [j for j in judged if rule in j.found]
    wanted = [j for j in judged if j.row.label == label]
    hits = [j for j in flagged if j.row.label == label]
    precision = len(hits) / len(flagged) if flagged else 0.0
    recall = len(hits) / len(wanted) if wanted else 0.0
    return precision, recall
