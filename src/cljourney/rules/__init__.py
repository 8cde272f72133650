"""The explicit registry of every rule, keyed by rule id. Rule ids are part of the contract."""

from __future__ import annotations

from cljourney.findings import Severity
from cljourney.rules import conform, events, flow, structure, why
from cljourney.rules.base import Rule, RuleContext, RuleOptions

YAML_SYNTAX = Rule(
    id="yaml-syntax",
    severity=Severity.ERROR,
    summary="the file is not valid YAML (includes duplicate keys, aliases and tags)",
    finds="Text that does not parse as one YAML document, duplicate keys, aliases (`*name`),"
    " explicit tags (`!!python/...`, `!custom`, every tag but `!!str` on text), invalid UTF-8,"
    " and files over the size limits.",
    matters="A file that does not parse describes no journey at all; duplicate keys silently"
    " drop one of the two values in most tools.",
    bad="- id: kickoff\n  name: Kick-off\n  name: Kick-off call",
    good="- id: kickoff\n  name: Kick-off call",
)
READ_ERROR = Rule(
    id="read-error",
    severity=Severity.ERROR,
    summary="the file cannot be read (permissions, a broken symbolic link, an I/O error)",
    finds="A journey file named on the command line or found in a directory that the operating"
    " system refuses to read: no read permission, a symbolic link whose target is gone, or an"
    " I/O error. The message gives the system's reason.",
    matters="A journey nobody can read is never checked, so its problems reach customers"
    " unnoticed; failing the run says so instead of skipping the file quietly.",
    bad="$ ls -l journeys/\nlrwxrwxrwx  onboarding.yaml -> old/onboarding.yaml   (old/ was deleted)",
    good="$ ls -l journeys/\n-rw-r--r--  onboarding.yaml",
)
SCHEMA = Rule(
    id="schema",
    severity=Severity.ERROR,
    summary="a field is missing, of the wrong type, or unknown",
    finds="Keys the format does not know (with a did-you-mean), missing required keys, values of"
    " the wrong type, invalid ids, an unsupported `cljourney` version, and files named on the"
    " command line that are not journeys.",
    matters="A typo such as `ownr:` would otherwise leave a step without an owner without anyone"
    " noticing.",
    bad="- id: kickoff\n  name: Kick-off call\n  ownr: csm",
    good="- id: kickoff\n  name: Kick-off call\n  owner: csm",
)

UNUSED_SUPPRESSION = Rule(
    id="unused-suppression",
    severity=Severity.WARNING,
    summary="a `# cljourney: ignore[...]` comment that silences nothing",
    finds="An `ignore[...]` or `ignore-file[...]` comment naming a rule that reports nothing on"
    " that line, element or file, naming a rule id that does not exist (with a did-you-mean),"
    " or malformed so it silences nothing: `ignore weak-why`, `ignore[]`, a bare `ignore`."
    " `ignore-file[unused-suppression]` silences this rule for a file; a comment naming it is"
    " never reported itself.",
    matters="Stale suppressions hide the next real problem at that spot: when the step changes,"
    " nobody rechecks whether the customer is still served.",
    bad="- id: kickoff  # cljourney: ignore[weak-why] fixed since\n  why: Customers meet their CSM"
    " and agree on the first goal.",
    good="- id: kickoff\n  why: Customers meet their CSM and agree on the first goal.",
)

DUPLICATE_JOURNEY_ID = Rule(
    id="duplicate-journey-id",
    severity=Severity.ERROR,
    summary="two journey files declare the same `journey.id`",
    finds="A journey whose `journey.id` was already used by another file in the same run; it is"
    " reported on the second file, naming the first.",
    matters="Maps are named after the journey id and `diff` pairs journeys by it, so one of the"
    " two journeys would overwrite or be compared with the other.",
    bad="# onboarding.yaml\njourney:\n  id: onboarding\n# renewal.yaml (copied from it)\n"
    "journey:\n  id: onboarding",
    good="# onboarding.yaml\njourney:\n  id: onboarding\n# renewal.yaml\njourney:\n  id: renewal",
)

REGISTRY: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        READ_ERROR,
        YAML_SYNTAX,
        SCHEMA,
        *structure.RULES,
        *flow.RULES,
        *why.RULES,
        *events.RULES,
        *conform.RULES,
        UNUSED_SUPPRESSION,
        DUPLICATE_JOURNEY_ID,
    )
}

# Rules only `conform` runs (they need an event log): `validate` leaves them out, so it never
# judges a suppression of them unused.
CONFORM_ONLY: frozenset[str] = conform.IDS

__all__ = ["CONFORM_ONLY", "REGISTRY", "Rule", "RuleContext", "RuleOptions"]
