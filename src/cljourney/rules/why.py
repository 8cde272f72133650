"""Rules about the customer "why" of every stage, touchpoint and handoff."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple

from cljourney.findings import Finding, Kind, Severity
from cljourney.load.journey import Loc
from cljourney.rules.base import Option, Rule, RuleContext
from cljourney.rules.beneficiary import judge
from cljourney.rules.generic import content_words, only_the_name
from cljourney.rules.whytext import Lexicon, analyse, build_lexicon, lexicon


class _Why(NamedTuple):
    kind: Kind
    element: str
    name: str
    why: str | None
    loc: Loc


def _whys(ctx: RuleContext) -> Iterator[_Why]:
    for i, stage in enumerate(ctx.journey.stages):
        yield _Why(Kind.STAGE, stage.id, stage.name, stage.why, ("stages", i))
    for placed in ctx.flow.placed:
        tp = placed.touchpoint
        yield _Why(Kind.TOUCHPOINT, tp.id, tp.name, tp.why, placed.loc)
    for i, handoff in enumerate(ctx.journey.handoffs):
        name = f"{handoff.from_} > {handoff.to}"
        yield _Why(Kind.HANDOFF, handoff.key, name, handoff.why, ("handoffs", i))


def _label(item: _Why) -> str:
    kind = item.kind.value
    return f"{kind} {item.name}" if item.kind is Kind.HANDOFF else f"{kind} '{item.element}'"


def _check_missing_why(ctx: RuleContext) -> Iterator[Finding]:
    for item in _whys(ctx):
        if item.why is None or not item.why.strip():
            yield ctx.finding(
                MISSING_WHY,
                (*item.loc, "why"),
                f"{_label(item)} has no `why`; say why this is valuable to the customer,"
                " or skip the step",
                item.element,
                item.kind,
            )


_WORD = re.compile(r"[\w']+")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "for",
        "in",
        "on",
        "at",
        "with",
        "this",
        "that",
        "is",
        "are",
        "be",
        "it",
        "its",
        "our",
        "we",
    ]
)


def _normal(text: str) -> str:
    return " ".join(_WORD.findall(text.lower())) or text.strip().lower()


class _Placeholders(NamedTuple):
    texts: frozenset[str]  # normalised
    longest: int


@lru_cache(maxsize=16)
def _placeholders(words: tuple[str, ...]) -> _Placeholders:
    """Normalised placeholders, computed once per option set (not once per why: that was
    a third of the rules' time on a 10,000-touchpoint journey)."""
    texts = frozenset(_normal(p) for p in words)
    return _Placeholders(texts, max(map(len, texts), default=0))


def clear_caches() -> None:
    """Forget every why analysed and every lexicon built in this process (benchmarks start
    cold; the answers never depend on what is cached)."""
    for cached in (analyse, judge, content_words, build_lexicon, _weakness):
        cached.cache_clear()


def _lexicon(ctx: RuleContext) -> Lexicon:
    """The words of this journey: its roles and persona, under the configured word lists."""
    return lexicon(
        ctx.options.customer_words,
        ctx.options.inward_words,
        tuple((role.id, role.name) for role in ctx.journey.roles),
        ctx.journey.journey.persona,
    )


def _quoted(words: list[str] | tuple[str, ...], limit: int = 4) -> str:
    return ", ".join(f"'{w}'" for w in list(dict.fromkeys(words))[:limit])


@lru_cache(maxsize=16384)
def _weakness(
    why: str, name: str, kind: str, vocab: Lexicon, placeholders: _Placeholders, min_length: int
) -> str | None:
    """What is weak about a (stripped) why of the `kind` element `name`, or None (cached: whys
    and names repeat, within a journey and across a project's journeys)."""
    first = _WORD.search(why)
    if first and first.group(0).lower() in ("tbd", "todo", "tbc", "fixme", "xxx"):
        return f"is a placeholder ({why!r})"
    # Whole-text comparisons only for whys short enough to match (most whys are not).
    if len(why) <= 2 * placeholders.longest + 16 and _normal(why) in placeholders.texts:
        return f"is a placeholder ({why!r})"
    if len(why) <= 3 * len(name) + 40:
        words = set(_normal(why).split()) - _STOPWORDS
        if words and words <= set(_normal(name).split()):
            return f"only repeats the {kind}'s name"
    concrete, generic = content_words(why, vocab)
    if concrete and only_the_name(concrete, name):
        return f"only says what the {kind} is ({_quoted(concrete)}), not what it gives"
    if len(why) < min_length:
        return (
            f"is too short to say anything ({len(why)} characters, at least {min_length} expected)"
        )
    if not concrete and generic:
        return (
            f"promises nothing concrete ({_quoted(generic)}); say what the customer has, knows"
            " or avoids after this step"
        )
    return None


def _check_weak_why(ctx: RuleContext) -> Iterator[Finding]:
    words = _lexicon(ctx)
    placeholders = _placeholders(ctx.options.placeholders)
    for item in _whys(ctx):
        why = (item.why or "").strip()
        if not why:
            continue
        weakness = _weakness(
            why, item.name, item.kind.value, words, placeholders, ctx.options.min_why_length
        )
        if weakness:
            advice = "" if "say what" in weakness else "; say what the customer gains from it"
            yield ctx.finding(
                WEAK_WHY,
                (*item.loc, "why"),
                f"the why of {_label(item)} {weakness}{advice}, or skip the step",
                item.element,
                item.kind,
            )


def _check_inward_why(ctx: RuleContext) -> Iterator[Finding]:
    words = _lexicon(ctx)
    for item in _whys(ctx):
        if not item.why:
            continue
        verdict = judge(item.why, words)
        if verdict.inward:
            where = " (the purpose it states)" if verdict.purpose else ""
            yield ctx.finding(
                INWARD_WHY,
                (*item.loc, "why"),
                f"the why of {_label(item)} says the company gains, not the customer: decided by"
                f" {_quoted(verdict.company_words)}{where}; say what the customer gains, with the"
                ' customer as the subject and a concrete outcome ("The customer sees ... so they'
                ' can ..."), or reconsider the step',
                item.element,
                item.kind,
            )


MIN_WHY_LENGTH = Option("min-why-length", "Shortest `why` weak-why accepts.", count=True)
PLACEHOLDERS = Option("placeholders", "Whys that count as placeholders.")
EXTEND_PLACEHOLDERS = Option(
    "extend-placeholders",
    "More placeholders, added to `placeholders` (or to its defaults).",
    extends="placeholders",
)
INWARD_WORDS = Option("inward-words", "Words that mark a company-centred why.")
EXTEND_INWARD_WORDS = Option(
    "extend-inward-words",
    "More inward words, added to `inward-words` (or to its defaults).",
    extends="inward-words",
)
CUSTOMER_WORDS = Option("customer-words", "Words that mark a customer-centred why.")
EXTEND_CUSTOMER_WORDS = Option(
    "extend-customer-words",
    "More customer words, added to `customer-words` (or to its defaults).",
    extends="customer-words",
)

MISSING_WHY = Rule(
    id="missing-why",
    severity=Severity.ERROR,
    summary="a stage, touchpoint or handoff without a `why`",
    finds="A stage, touchpoint or handoff with no `why`, or an empty one.",
    matters="A step without a reason to exist for the customer is friction; it should be"
    " improved, skipped or removed.",
    bad="- id: kickoff\n  name: Kick-off call",
    good="- id: kickoff\n  name: Kick-off call\n  why: The customer agrees the plan and the date they go live.",
    check=_check_missing_why,
)
WEAK_WHY = Rule(
    id="weak-why",
    severity=Severity.WARNING,
    summary="a `why` that is a placeholder, too short, only names the step, or promises nothing",
    finds="A why such as TBD, TODO or n/a, one shorter than the minimum length, one that only"
    ' repeats the step\'s name ("We send the welcome email"), or a generic one that names the'
    ' customer but no concrete gain ("Improves the customer experience", "Keeps customers'
    ' engaged": experience, value, satisfaction, engagement, journey, delight with no outcome).',
    matters="A weak why is a missing why in disguise: nobody can tell whether the step still"
    " earns the customer's time. Ask what the customer has, knows or avoids after the step.",
    bad="- id: qbr\n  name: Quarterly business review\n  why: Improves the customer experience.",
    good="- id: qbr\n  name: Quarterly business review\n  why: The customer sees the value delivered and sets next quarter's goals.",
    check=_check_weak_why,
    options=(MIN_WHY_LENGTH, PLACEHOLDERS, EXTEND_PLACEHOLDERS),
)
INWARD_WHY = Rule(
    id="inward-why",
    severity=Severity.WARNING,
    summary="a `why` that speaks only of the company's gain",
    finds="A why whose beneficiary is the company side: we/us/our, the company, a role the"
    ' journey declares (`roles[].id` or `name`: "so the AE can pitch", "for the support'
    ' team"), or a company metric (churn, retention targets, cost to serve, expansion,'
    ' pipeline, ARR...), with the customer absent or only the object ("so we can upsell'
    ' them"). A purpose clause ("so ...", "so that ...") is believed over the first'
    ' clause: "We answer within an hour so the customer is never blocked" passes.',
    matters="Customers feel steps that exist for your quota; a step must earn its place by what"
    " it does for them.",
    bad="why: Helps the customer so we can upsell them more seats.",
    good="why: The customer sees which plan fits the teams they are adding, before they hit a limit.",
    check=_check_inward_why,
    options=(INWARD_WORDS, EXTEND_INWARD_WORDS, CUSTOMER_WORDS, EXTEND_CUSTOMER_WORDS),
)


RULES = (MISSING_WHY, WEAK_WHY, INWARD_WHY)
