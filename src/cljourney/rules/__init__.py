"""The explicit registry of every rule, keyed by rule id. Rule ids are part of the contract.

Every rule is declared in this package, whatever checks it: a `Rule` checks one journey, a
`ProjectRule` every journey of the run, a `FileRule` is reported by the pipeline step that reads
or loads the file or matches its suppression comments, a `LogRule` holds a journey against an
event log in `cljourney conform` (see `base`).
"""

from __future__ import annotations

from cljourney.rules import conform, events, files, flow, governance, project, structure, why
from cljourney.rules.base import (
    AnyRule,
    FileRule,
    JourneyEntry,
    LogRule,
    Option,
    ProjectRule,
    Rule,
    RuleContext,
    RuleOptions,
)

REGISTRY: dict[str, AnyRule] = {
    rule.id: rule
    for rule in (
        files.READ_ERROR,
        files.YAML_SYNTAX,
        files.SCHEMA,
        *structure.RULES,
        *flow.RULES,
        *why.RULES,
        *governance.RULES,
        *events.RULES,
        *conform.RULES,
        files.UNUSED_SUPPRESSION,
        *project.RULES,
    )
}

# The registry by kind, for the pipeline: which rules run on each journey, which on the whole set.
JOURNEY_RULES: tuple[Rule, ...] = tuple(r for r in REGISTRY.values() if isinstance(r, Rule))
PROJECT_RULES: tuple[ProjectRule, ...] = tuple(
    r for r in REGISTRY.values() if isinstance(r, ProjectRule)
)
FILE_RULES: tuple[FileRule, ...] = tuple(r for r in REGISTRY.values() if isinstance(r, FileRule))
LOG_RULES: tuple[LogRule, ...] = tuple(r for r in REGISTRY.values() if isinstance(r, LogRule))
# Rules only `conform` runs (they need an event log): `validate` leaves them out, so it never
# judges a suppression of them unused.
CONFORM_ONLY: frozenset[str] = frozenset(rule.id for rule in LOG_RULES)

# Every config option (`[tool.cljourney.options]`), by key, in registry order: what the rules
# declare they read. The config model is built from it.
OPTIONS: dict[str, Option] = {
    option.key: option for rule in REGISTRY.values() for option in rule.options
}

__all__ = [
    "CONFORM_ONLY",
    "FILE_RULES",
    "JOURNEY_RULES",
    "LOG_RULES",
    "OPTIONS",
    "PROJECT_RULES",
    "REGISTRY",
    "AnyRule",
    "FileRule",
    "JourneyEntry",
    "LogRule",
    "Option",
    "ProjectRule",
    "Rule",
    "RuleContext",
    "RuleOptions",
]
