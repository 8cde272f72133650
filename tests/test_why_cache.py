"""The why rules remember what they worked out, per why text and per journey vocabulary: journeys
whose roles and persona give the same words share one lexicon (and so the analyses of their
repeated whys), and a journey with other words never gets another journey's verdict."""

from __future__ import annotations

import json
from pathlib import Path

from cljourney.check.options import ValidateOptions
from cljourney.check.pipeline import validate
from cljourney.rules import RuleOptions
from cljourney.rules.why import clear_caches
from cljourney.rules.whytext import lexicon

ROLES = (("ae", "Account executive"), ("csm", "Customer success manager"))
OPTIONS = RuleOptions()


def _lexicon(roles: tuple[tuple[str, str], ...], persona: str) -> object:
    return lexicon(OPTIONS.customer_words, OPTIONS.inward_words, roles, persona)


def test_journeys_whose_persona_gives_the_same_words_share_one_lexicon() -> None:
    small = _lexicon(ROLES, "Head of operations at a 20-person company")
    large = _lexicon(ROLES, "Head of operations at a 683-person company")
    assert small is large  # the persona's words are "head of operations" in both


def test_other_roles_or_another_persona_make_another_lexicon() -> None:
    first = _lexicon(ROLES, "Head of operations at a 20-person company")
    assert _lexicon(ROLES, "Finance director at a 20-person company") is not first
    assert _lexicon((*ROLES, ("crew", "Onboarding crew")), "Head of operations") is not first


JOURNEY = """\
cljourney: 1
journey: {{id: {name}, name: Demo, owner: cs-ops, persona: {persona}}}
roles:
  - {{id: ae, name: Account executive}}
  - {{id: {role}, name: {role_name}}}
stages:
  - id: adoption
    name: Adoption
    owner: ae
    why: The customer sees their first report built on their own data.
    touchpoints:
      - id: review
        name: Usage review
        why: {why}
"""
WHY = json.dumps("So the onboarding crew can close the ticket faster.")


def _write(folder: Path, name: str, role: str, role_name: str, persona: str) -> None:
    text = JOURNEY.format(name=name, persona=persona, role=role, role_name=role_name, why=WHY)
    (folder / f"{name}.yaml").write_text(text, encoding="utf-8")


def test_each_journey_judges_a_repeated_why_with_its_own_roles(tmp_path: Path) -> None:
    """One run, one why in three journeys: the crew is the company side only where a role
    declares it, whichever journey was judged first."""
    clear_caches()
    _write(tmp_path, "a-crew", "crew", "Onboarding crew", "Head of operations at a 20-person firm")
    _write(tmp_path, "b-none", "support", "Support team", "Head of operations at a 20-person firm")
    _write(tmp_path, "c-crew", "crew", "Onboarding crew", "Head of operations at a 90-person firm")
    report = validate([tmp_path], ValidateOptions(jobs=1))
    found = {
        Path(r.path).stem: [(f.rule, f.location.line, f.element) for f in r.findings]
        for r in report.files
    }
    assert found == {
        "a-crew": [("inward-why", 14, "review")],
        "b-none": [],
        "c-crew": [("inward-why", 14, "review")],
    }
