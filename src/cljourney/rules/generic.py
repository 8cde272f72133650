"""Whys that say nothing: the customer named, but no concrete gain ("Improves the customer
experience.", "Keeps customers engaged."), or only the step's name with a verb of doing."""

from __future__ import annotations

from functools import lru_cache

from cljourney.rules.whytext import Lexicon, Side, analyse, tokens, word_set

# Words that promise nothing by themselves: experience, value, satisfaction, engagement, journey,
# delight... and the verbs and adjectives generic whys are made of.
GENERIC = word_set(
    """
    improve enhance add create deliver provide drive boost increase ensure keep make build offer
    give maximise maximize optimise optimize strengthen support help show meet delight wow love
    feel put be is are am was it its this that there experience value valuable satisfaction
    satisfied satisfy engagement engaged engage journey delightful delighted happy happiness
    relationship partnership success successful loyalty loyal trust trusted seamless smooth
    frictionless great good better best excellent positive memorable amazing overall more
    stronger strong personal personalised personalized centric first valued supported heard
    informed need want care cared moment key important step stage touchpoint process standard
    part phase lifecycle interaction every throughout service brand product onboarding nice
    quick win practice required needed necessary essential end whole always really truly
    special unique world class top notch high quality level everything anything something
    account warm
    """
)
# What a step is, not what it gives: "We send the welcome email", "The CSM holds the call".
DOING = word_set(
    "send sent hold holds run runs do does take takes complete conduct host schedule have attend join get"
    " receive received"
)
STOPWORDS = word_set(
    """
    a an the and or of to for in on at with by from as into onto about after before when while
    so than then our we us they their them you your he she his her who what which whose all
    each any some 's not no very can will would should could may might must also just only
    """
)


@lru_cache(maxsize=16384)
def _stem(word: str) -> tuple[str, ...]:
    """The word and its forms without a suffix (cached: the vocabulary of whys is small)."""
    forms = [word]
    for suffix in ("s", "es", "d", "ed", "ing", "ly", "er"):  # "er": "smoother", "stronger"
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.append(word[: -len(suffix)])
    if word.endswith(("ies", "ier")):
        forms.append(word[:-3] + "y")
    return tuple(forms)


def _is(words: frozenset[str], word: str) -> bool:
    return any(form in words for form in _stem(word))


_SMALL, _GENERIC, _CONCRETE = 0, 1, 2


@lru_cache(maxsize=16384)
def _class(word: str) -> int:
    """Small word (or punctuation, or a number), generic word, or a word that says something;
    the vocabulary of whys is small, so each word is classed once."""
    if not word[0].isalnum() or word in STOPWORDS or word.isdigit():
        return _SMALL
    return _GENERIC if _is(GENERIC, word) else _CONCRETE


@lru_cache(maxsize=16384)
def content_words(why: str, lexicon: Lexicon) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(words that say something concrete, generic words found), once the customer, company
    roles and small words are set aside; metrics always say something (cached like `analyse`)."""
    analysis = analyse(why, lexicon)
    covered = {
        i for t in analysis.terms if t.side is not Side.METRIC for i in range(t.start, t.end)
    }
    concrete: list[str] = []
    generic: list[str] = []
    for index, word in enumerate(analysis.words):
        kind = _class(word)
        if kind == _SMALL or index in covered:
            continue
        (concrete if kind == _CONCRETE else generic).append(word)
    return tuple(concrete), tuple(generic)


@lru_cache(maxsize=4096)
def _named(name: str) -> frozenset[str]:
    return frozenset(form for word in tokens(name) for form in _stem(word))


@lru_cache(maxsize=8192)
def _doing(word: str) -> bool:
    return _is(DOING, word)


def only_the_name(concrete: tuple[str, ...], name: str) -> bool:
    """Whether the concrete words are the step's name and verbs of doing it."""
    named = _named(name)
    if not named or len(concrete) > 2 * len(named) + 3:
        return False  # more to say than the name: no need to look word by word
    return all(_is(named, w) or _doing(w) for w in concrete)
