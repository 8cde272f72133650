"""A why as words and the terms a journey gives meaning to: the customer side, the company side
(we/us/our, the roles the file declares, a few unmistakable internal teams) and company metrics.

Shared by `beneficiary` (who gains?) and `generic` (does it promise anything?). Pure Python,
one pass over the tokens per why; the lexicon is built once per journey and option set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import NamedTuple


def word_set(text: str) -> frozenset[str]:
    """A word list written as one string."""
    return frozenset(text.split())


class Side(Enum):
    CUSTOMER = "customer"
    COMPANY = "company"
    METRIC = "metric"


class Term(NamedTuple):
    """A phrase of the why the lexicon knows: `words` as written (lowercased), from token
    `start` to `end` (exclusive). A tuple: whys make many, and tuples are cheap to make."""

    side: Side
    words: str
    start: int
    end: int


_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.;:!?,()]")
_CONTRACTIONS = {
    "let's": ("let", "us"),
    "won't": ("will", "not"),
    "can't": ("can", "not"),
    "it's": ("it", "is"),
}
_TAILS = {"re": "are", "ll": "will", "ve": "have", "d": "would", "m": "am"}


def tokens(text: str) -> list[str]:
    """Lowercased words and clause punctuation; hyphens split words ("cross-sell" is two),
    "customer's" is `customer` `'s`, "we're" is `we` `are`."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    if "'" not in text:
        return _TOKEN.findall(text)
    out: list[str] = []
    for token in _TOKEN.findall(text):
        if "'" not in token:
            out.append(token)
        elif token in _CONTRACTIONS:
            out.extend(_CONTRACTIONS[token])
        elif token.endswith("'s"):
            out.extend((token[:-2], "'s"))
        elif token.endswith("n't"):
            out.extend((token[:-3], "not"))
        else:
            head, _, tail = token.partition("'")
            out.extend((head, _TAILS.get(tail, tail)))
    return out


# The company side in every journey, besides the roles a file declares: first-person plural and
# internal teams no customer would be called. The customer's own teams are told apart by their
# possessive ("their sales team", "the customer's marketing team").
COMPANY_PRONOUNS = frozenset(["we", "us", "our", "ours", "ourselves"])
COMPANY_ACTORS: tuple[str, ...] = (
    "we",
    "us",
    "our",
    "ours",
    "ourselves",
    "the company",
    "the business",
    "the vendor",
    "the brand",
    "the board",
    "leadership",
    "leadership team",
    "management",
    "sales",
    "sales team",
    "sales reps",
    "sales rep",
    "marketing",
    "marketing team",
    "account team",
    "account manager",
    "account managers",
    "account executive",
    "account executives",
    "ae",
    "aes",
    "csm",
    "csms",
    "cs team",
    "success team",
    "customer success team",
    "support team",
    "support agents",
    "agents",
    "product team",
    "deal desk",
    "pricing team",
    "store staff",
    "staff",
)
# Pronouns that take the side of the last actor named before them ("the support team ... their
# SLA targets"); with no actor before them, the customer's (when they are customer words).
ANAPHORS = frozenset(["they", "their", "them", "theirs", "themselves"])


@lru_cache(maxsize=256)
def _persona_terms(persona: str | None) -> tuple[str, ...]:
    """The persona's head noun phrase: "Recreational runner in their thirties" gives
    "recreational runner", "runner" and their plurals."""
    if not persona:
        return ()
    head = re.split(r",|;|\(| at | in | who | that | with | for | from ", persona)[0]
    words: list[str] = []
    for index, word in enumerate(tokens(head)):
        if not word.isalpha() or word in ("a", "an", "the") or (index and word.endswith("ing")):
            break
        words.append(word)
    words = words[:3]
    if not words:
        return ()
    found = [" ".join(words)]
    if "of" not in words and len(words) > 1:
        found.append(words[-1])
    return (*found, *(f"{w}s" for w in found))


# Role ids that are everyday words would make every "it" or "a" the company ("it" for an IT team).
_NOT_A_ROLE = word_set("a an the i it me my you your he she they them their and or to of in on at")


@lru_cache(maxsize=256)
def _role_terms(roles: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    found: list[str] = []
    for role_id, name in roles:
        for text in (role_id.replace("-", " ").replace("_", " "), name):
            phrase = " ".join(tokens(text))
            if phrase and phrase not in _NOT_A_ROLE:
                found += [phrase, f"{phrase}s"]
    return tuple(found)


@lru_cache(maxsize=64)
def _phrases(words: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """A word list as token tuples, the lexicon's keys (the option lists are read once per run,
    not once per journey)."""
    return tuple(key for key in map(tuple, map(tokens, words)) if key)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Phrases (as token tuples) and their side; longest match wins, and for the same phrase
    the customer words win over metrics, metrics over company actors (config decides)."""

    phrases: dict[tuple[str, ...], Side]
    anaphors_are_customer: bool
    # Phrases by their first word, longest first: most words start none, one lookup each.
    starting: dict[str, tuple[tuple[int, Side], ...]] = field(default_factory=dict)

    def terms(self, words: list[str]) -> list[Term]:
        found: list[Term] = []
        starting = self.starting
        phrases = self.phrases
        covered_to = 0
        for i in [i for i, word in enumerate(words) if word in starting]:
            if i < covered_to:
                continue
            for size, side in starting[words[i]]:
                if size == 1:
                    found.append(Term(side, words[i], i, i + 1))
                    covered_to = i + 1
                    break
                key = tuple(words[i : i + size])
                if key in phrases:
                    found.append(Term(phrases[key], " ".join(key), i, i + size))
                    covered_to = i + size
                    break
        return found


def lexicon(
    customer_words: tuple[str, ...],
    inward_words: tuple[str, ...],
    roles: tuple[tuple[str, str], ...],
    persona: str | None,
) -> Lexicon:
    """The lexicon of one journey under one option set. Journeys whose roles and persona give
    the same terms share one lexicon, and with it the analyses of their whys (a project's
    journeys mostly declare the same roles, and whys repeat across them)."""
    return build_lexicon(customer_words, inward_words, _role_terms(roles), _persona_terms(persona))


@lru_cache(maxsize=64)
def build_lexicon(
    customer_words: tuple[str, ...],
    inward_words: tuple[str, ...],
    role_terms: tuple[str, ...],
    persona_terms: tuple[str, ...],
) -> Lexicon:
    """The lexicon of these terms (cached: one object per set of terms, which the caches of
    the why analyses key on)."""
    phrases: dict[tuple[str, ...], Side] = {}
    for words, side in (
        (COMPANY_ACTORS, Side.COMPANY),
        (role_terms, Side.COMPANY),
        (inward_words, Side.METRIC),
        (persona_terms, Side.CUSTOMER),
        (customer_words, Side.CUSTOMER),
    ):
        for key in _phrases(words):
            phrases[key] = side
    # A role whose id is a pronoun the config counts as the customer's stays the customer's.
    anaphors = any((a,) in phrases and phrases[(a,)] is Side.CUSTOMER for a in ANAPHORS)
    for anaphor in ANAPHORS:
        phrases.pop((anaphor,), None)
    starting: dict[str, list[tuple[int, Side]]] = {}
    for key, side in phrases.items():
        starting.setdefault(key[0], []).append((len(key), side))
    return Lexicon(
        phrases,
        anaphors,
        {word: tuple(sorted(found, key=lambda c: -c[0])) for word, found in starting.items()},
    )


class Analysis(NamedTuple):
    """A why's tokens and the lexicon's terms in them, computed once for both why rules."""

    words: list[str]
    terms: list[Term]
    company: bool  # whether any company actor or metric is named at all


@lru_cache(maxsize=16384)
def analyse(why: str, lexicon: Lexicon) -> Analysis:
    """The why's words and terms (cached: weak-why and inward-why read the same whys, and a
    lexicon is one object per journey and option set, so identity is the right key)."""
    words = tokens(why)
    terms = lexicon.terms(words)
    return Analysis(words, terms, any(t.side is not Side.CUSTOMER for t in terms))
