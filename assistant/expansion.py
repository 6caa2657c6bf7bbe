"""Question words the glossary does not know, carried into the other language by the general
dictionary (`assistant.dictionary`): an English word becomes the Chinese words glossed as it, a
Chinese word the stems of its one-word English glosses.

They are weaker alternatives than the glossary's concepts: a passage holding a translation earns
`BORROWED_WEIGHT` of the word's weight, and search gives them `SEARCH_WEIGHT` of a plain token.
"""

from __future__ import annotations

import itertools
import re

from assistant.dictionary import default_dictionary, lemma
from index.analysis import CONCEPT_PREFIX, STOPWORDS, bigrams, search_form, search_tokens, stem, words

BORROWED_WEIGHT = 0.7
SEARCH_WEIGHT = 0.4
# A noun no article holds in either language weighs this much more in the share of the question an
# answer must cover: "which hospitals…" is about hospitals.
ABSENT_THING_WEIGHT = 1.5


def translations(word: str) -> tuple[str, ...]:
    """The other language's forms of one question word (English: lower case; Chinese: Simplified)."""
    dictionary = default_dictionary()
    if word.isascii():
        return dictionary.chinese((word,))
    return tuple(s for s in dictionary.english(word) if s not in STOPWORDS and s != stem(word))


_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")


def phrase_translations(form: str) -> dict[int, tuple[str, ...]]:
    """For English words of a question (by offset) that stand in a two- or three-word phrase the
    dictionary knows ("market share", "china daily"): the phrase's Chinese words. The phrase's
    translation replaces those of its words (份额 alone is any share)."""
    dictionary = default_dictionary()
    spans = [m for m in _WORD.finditer(form) if m.group() not in STOPWORDS]
    out: dict[int, tuple[str, ...]] = {}
    for n in (3, 2):
        for i in range(len(spans) - n + 1):
            run = spans[i : i + n]
            if any(form[a.end() : b.start()] != " " for a, b in itertools.pairwise(run)):
                continue  # not adjacent
            if any(m.start() in out for m in run):
                continue  # part of a longer phrase already
            found = dictionary.en_zh.get(" ".join(lemma(m.group()) for m in run))
            if found:
                for m in run:
                    out[m.start()] = found[:8]
    return out


# Nouns that name the source or the shape of an answer, not its topic: "the article", "the rate".
_FRAME_NOUNS = frozenset(
    ["article", "report", "news", "document", "text", "source", "story", "rate", "number", "figure", "time"]
)


def names_thing(word: str) -> bool:
    """An English word the dictionary knows first as a noun (a hospital, a court)."""
    return word.isascii() and lemma(word) not in _FRAME_NOUNS and default_dictionary().names_thing((word,))


# Chunks of the other language a question gets beside its own search: reached only through weaker
# translations, they would otherwise lose every slot to passages that repeat the question's words.
CROSSING_HITS = 3


def crossing_terms(form: str, borrowed: set[str]) -> tuple[str, ...]:
    """Search tokens that reach the other language's passages: the question's glossary concepts
    and its dictionary translations, all at full weight (no word of the question itself)."""
    found = [t for t in search_tokens(form) if t.startswith(CONCEPT_PREFIX)]
    return tuple(dict.fromkeys([*found, *search_terms(borrowed)]))


def search_terms(borrowed: set[str]) -> dict[str, float]:
    """Search tokens for borrowed alternatives, with their weight: a Chinese word as the index cuts
    it (jieba words and character bigrams), an English stem as it is."""
    out: dict[str, float] = {}
    for token in sorted(borrowed):
        if token.isascii():
            out[token] = SEARCH_WEIGHT
            continue
        form = search_form(token)
        for t in (*words(form), *bigrams(form)):
            out.setdefault(t, SEARCH_WEIGHT)
    return out
