"""Who gains from a step, by the words of its why: the customer side or the company side.

A why is cut into clauses (sentences, commas, "and", "when"...; purpose clauses start at "so",
"so that", "in order to"). Each clause names at most one beneficiary: its subject ("the CSM
learns", "we can upsell") or, when it starts with a verb, the one the verb serves ("lets us",
"helps the support team", "for the fulfilment team"). The first clause says what the step is
for, a purpose clause says it again and is believed over it ("We answer within an hour so the
customer is never blocked" is the customer's; "Helps the customer so we can upsell them" is the
company's). Company metrics (churn, pipeline, cost to serve...) count for the company unless the
customer owns them ("their pipeline"); the customer as the object of a company action ("pitch the
customer", "retarget visitors") counts for the company too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from cljourney.rules.whytext import ANAPHORS, Lexicon, Side, Term, analyse, word_set

_SENTENCE = frozenset([".", ";", ":", "!", "?", "(", ")"])
_CLAUSE = frozenset(
    [
        ",",
        "and",
        "but",
        "while",
        "because",
        "when",
        "before",
        "after",
        "once",
        "if",
        "which",
        "who",
        "whose",
        "where",
        "until",
        "whereas",
        "then",
        "that",
        "as",
        "instead",
        "rather",
    ]
)
_NOT_PURPOSE = frozenset(["far", "much", "many", "long", "on", "called", "well"])
# Nominative pronouns always start a clause of their own ("the returns we have to process").
_NOMINATIVE = frozenset(["we", "they", "you"])
# Words that may stand before a clause's subject ("the first customer", "every new user").
_DETERMINERS = word_set(
    "the a an each every all any both some this these those one no new first happy existing"
    " everyday now then also even only just already never"
)
# Verbs whose object is the one served: "lets us", "gives the AE", "helps the customer".
_BENEFACTIVE = word_set(
    "let lets help helps give gives allow allows enable enables save saves show shows offer"
    " offers tell tells teach teaches for"
)
# Company actions whose object is the customer: the customer is worked on, not served.
_COMPANY_ACTIONS = word_set(
    "upsell upsells pitch pitches sell sells convert converts capture captures retain retains"
    " retarget retargets engages push pushes encourage encourages steer steers nudge nudges"
    " persuade persuades qualify qualifies target targets acquire acquires move moves survey"
    " surveys monetise monetises monetize monetizes signs sign talk"
)
# Verbs of a service the company gives: "we answer", "our engineers fix".
_SERVICE = word_set(
    "answer answers reply replies respond responds fix fixes resolve resolves refund refunds"
    " replace replaces explain explains configure configures migrate migrates call calls"
    " introduce introduces check checks hold holds send sends walk walks guide guides train"
    " trains set sets deliver delivers pack packs rewrite rewrites reproduce reproduces owns"
    " tell tells warn warns flag flags keep keeps brings bring shows show measures pause pauses"
    # Doing the step itself ("we run the usage review") is what the step is, no gain: weak-why's.
    " run runs host hosts conduct conducts schedule schedules"
    # Staying with the customer ("our agents stay on the line until the admin confirms").
    " stay stays"
)
_ABILITY = frozenset(["can", "could", "will", "gets", "get", "gains", "learns"])

MAIN, PURPOSE, OTHER = "main", "purpose", "other"
_WEIGHT = {MAIN: 3, PURPOSE: 4, OTHER: 1}


@dataclass
class _Clause:
    kind: str
    start: int
    words: list[str] = field(default_factory=list)
    terms: list[tuple[Side, Term]] = field(default_factory=list)


@dataclass(frozen=True)
class Verdict:
    """Who gains, by how much evidence each side has, and the words that decided it."""

    company: int
    customer: int
    company_words: tuple[str, ...]
    purpose: bool

    @property
    def inward(self) -> bool:
        return self.company >= 2 and self.company > self.customer


def _resolved(words: list[str], found: list[Term], lexicon: Lexicon) -> list[tuple[Side, Term]]:
    """The lexicon's terms plus anaphors, each with the side it speaks for in this why: a
    possessive lends its side to the next few words ("their pipeline", "the customer's revenue
    team", "our targets"), "our customers" are the customer's, "their" is the last actor's."""
    by_start = {t.start: t for t in found}
    out: list[tuple[Side, Term]] = []
    last: Side | None = None
    named_customer = False
    owner: Side | None = None
    owner_until = -1
    i = 0
    while i < len(words):
        term = by_start.get(i)
        if term is None and words[i] in ANAPHORS:
            if last is None and not lexicon.anaphors_are_customer:
                i += 1
                continue
            # "they" prefers a customer named before it: a why is about the customer, so in
            # "a shopper ... gets it from customer service ..., so they never repeat" it is them.
            term = Term(
                Side.CUSTOMER if named_customer else (last or Side.CUSTOMER), words[i], i, i + 1
            )
        if term is None:
            i += 1
            continue
        side = term.side
        if owner is not None and term.start <= owner_until and side is not Side.CUSTOMER:
            side = owner if owner is Side.CUSTOMER or side is Side.COMPANY else side
        elif side is Side.COMPANY and term.words in ("our", "their"):
            ahead = [t for k in (0, 1) if (t := by_start.get(term.end + k)) is not None]
            if ahead and ahead[0].side is Side.CUSTOMER:
                side = Side.CUSTOMER  # "our customers", "their power users"
        genitive = words[term.end - 1] == "'s" or (
            term.end < len(words) and words[term.end] == "'s"
        )
        if (term.words in ("their", "your", "our") or genitive) and side is not Side.METRIC:
            owner, owner_until = side, term.end + (3 if genitive else 2)
        if side is not Side.METRIC and term.words not in _FIRST_PERSON:
            last = side  # "they" is never "we"
        if term.side is Side.CUSTOMER and term.words not in ANAPHORS:
            named_customer = True
        out.append((side, term))
        i = term.end
    return out


def _only_actors(clause: _Clause, terms: list[tuple[Side, Term]]) -> bool:
    """Whether the clause so far is a subject alone ("The CSM" in "The CSM and the customer
    agree ..."): an "and" after it joins subjects, not clauses."""
    covered = {i for _, t in terms for i in range(t.start, t.end)}
    return bool(clause.words) and all(
        w in _DETERMINERS or clause.start + k in covered for k, w in enumerate(clause.words)
    )


def _clauses(words: list[str], terms: list[tuple[Side, Term]]) -> list[_Clause]:
    clauses = [_Clause(MAIN, 0)]
    i = 0
    while i < len(words):
        word = words[i]
        nxt = words[i + 1] if i + 1 < len(words) else ""
        kind: str | None = None
        skip = 1
        joins_subjects = word == "and" and _only_actors(clauses[-1], terms)
        if word in _SENTENCE or (word in _CLAUSE and not joins_subjects):
            kind = OTHER
        elif word == "so" and nxt not in _NOT_PURPOSE:
            kind, skip = PURPOSE, 2 if nxt == "that" else 1
        elif word == "in" and nxt == "order":
            kind, skip = PURPOSE, 3
        elif word in _NOMINATIVE and clauses[-1].words:
            kind, skip = OTHER, 0
        if kind is not None:
            current = clauses[-1]
            if not current.words:
                if kind == PURPOSE:
                    current.kind = PURPOSE
                current.start = i + skip
            else:
                clauses.append(_Clause(kind, i + skip))
            if skip:
                i += skip
                continue
        clauses[-1].words.append(word)
        i += 1
    starts = [c.start for c in clauses]
    for side, term in terms:
        index = max((k for k, s in enumerate(starts) if s <= term.start), default=0)
        clauses[index].terms.append((side, term))
    return clauses


def _verb_like(word: str) -> bool:
    if word in _BENEFACTIVE or word in _COMPANY_ACTIONS or word in _SERVICE:
        return True
    return len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))


def _before_at(words: list[str], position: int) -> int:
    """The index of the word before `position`, skipping determiners (-1: none)."""
    j = position - 1
    while j >= 0 and words[j] in _DETERMINERS:
        j -= 1
    return j


def _before(words: list[str], position: int) -> str:
    """The word before `position`, skipping determiners."""
    j = _before_at(words, position)
    return words[j] if j >= 0 else ""


def _quote(words: list[str], position: int, term: Term) -> str:
    """The words from the one before `term` to its end, as the why says them ("for the support
    team", not "for support team"): what a message quotes."""
    return " ".join(words[max(_before_at(words, position), 0) : position + term.end - term.start])


_FIRST_PERSON = word_set("we us our ours ourselves")
_MODALS = word_set("can could will would already also then re now still")
_GAINS = word_set(
    "get gets gain gains learn learns see sees know knows find finds identify identifies spot"
    " spots hit hits has have track tracks measure measures collect collects"
)


def _done_for_them(
    clause: _Clause, actors: Sequence[tuple[Side, Term, int]], rest: list[str]
) -> bool:
    """Whether a company subject does something to the customer that is no gain of its own and
    no company action: "we can meet them", "our team walks the admin through it"."""
    if clause.kind == PURPOSE:
        return False  # "so the SE only demos to qualified buyers": the purpose is the SE's
    verb = next((w for w in rest if w not in _MODALS and not w.endswith("'s")), "")
    if verb in _GAINS or verb in _COMPANY_ACTIONS or any(s is Side.METRIC for s, _ in clause.terms):
        return False
    subject_end = actors[0][2] + len(actors[0][1].words.split())
    for side, term, position in actors[1:]:
        if position > subject_end:
            if side is Side.CUSTOMER and position > subject_end + 1:
                return True
            subject_end = (
                position + len(term.words.split()) if position == subject_end else subject_end
            )
    return False


def _judge_clause(clause: _Clause) -> tuple[int, int, list[str]]:
    """(company points, customer points, deciding words) of one clause."""
    company = customer = 0
    decided: list[str] = []
    weight = _WEIGHT[clause.kind]
    words = clause.words
    actors = [(s, t, t.start - clause.start) for s, t in clause.terms if s is not Side.METRIC]
    first = actors[0] if actors else None
    credited: Term | None = None
    if first is not None and first[2] <= 4:
        side, term, position = first
        before = words[:position]
        rest = words[position + len(term.words.split()) :]
        if all(w in _DETERMINERS for w in before):
            credited = term
            served = any(w in _SERVICE for w in rest[:2]) or _done_for_them(clause, actors, rest)
            able = any(w in _ABILITY for w in rest[:2])
            if rest[:1] == ["and"] and any(s is Side.CUSTOMER for s, _, _ in actors[1:2]):
                side = Side.CUSTOMER  # "the CSM and the customer agree ..."
            if side is Side.COMPANY and not served:
                company += max(weight, 2) + (2 if able else 0)
                decided.append(" ".join([term.words, *rest[:2]]))
            elif side is Side.CUSTOMER:
                customer += weight + (1 if able else 0)
        elif _verb_like(before[0]) and all(w in _DETERMINERS for w in before[1:]):
            credited = term
            if before[0] in _BENEFACTIVE and side is Side.COMPANY:
                company += weight
                decided.append(_quote(words, position, term))
            elif before[0] in _BENEFACTIVE:
                customer += max(weight - 1, 1)
    for side, term, position in actors:
        verb = _before(words, position)
        if term is credited:
            continue
        if verb == "for" and side is Side.COMPANY:
            company += weight
            decided.append(_quote(words, position, term))
        elif verb == "for":
            customer += max(weight - 1, 1)
    for side, term, position in actors:
        verb = _before(words, position)
        after = words[position + len(term.words.split()) :][:1]
        causes = verb in ("get", "gets") and after in (["to"], ["back"])
        if side is Side.CUSTOMER and (verb in _COMPANY_ACTIONS or causes):
            company += 2
            decided.append(_quote(words, position, term))
    seen: set[str] = set()
    for kind, metric in clause.terms:
        if kind is Side.METRIC and metric.words not in seen:
            seen.add(metric.words)
            company += 2
            decided.append(metric.words)
    return company, customer, decided


@lru_cache(maxsize=16384)
def judge(why: str, lexicon: Lexicon) -> Verdict:
    """Who gains from the step this why describes (cached like `analyse`: whys repeat)."""
    analysis = analyse(why, lexicon)
    words = analysis.words
    if not analysis.company and _WORKED_ON.isdisjoint(words):
        return _NOBODY  # nothing on the company side: most whys, decided without clauses
    terms = _resolved(words, analysis.terms, lexicon)
    company = customer = 0
    decided: list[str] = []
    purpose = False
    for clause in _clauses(words, terms):
        c, k, d = _judge_clause(clause)
        company += c
        customer += k
        decided += d
        purpose = purpose or (clause.kind == PURPOSE and c > 0)
    return Verdict(company, customer, _distinct(decided), purpose)


def _distinct(decided: list[str]) -> tuple[str, ...]:
    """The deciding phrases once each, without one that an earlier phrase already says
    ("we identify expansion", not also "expansion")."""
    kept: list[str] = []
    for phrase in decided:
        if not any(f" {phrase} " in f" {earlier} " for earlier in kept):
            kept.append(phrase)
    return tuple(kept)


_NOBODY = Verdict(0, 0, (), False)
_WORKED_ON = _COMPANY_ACTIONS | {"get", "gets"}  # "Gets the customer to commit ..."
