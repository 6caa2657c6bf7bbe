"""Questions of the bundled sets asked in other words, as training examples for the judge.

The bundled sets asked without their articles teach the judge that an answer sharing few words
with the question is often another measure of the same place; a question asked in other words
shares as few, and its answer is right. Rewording follows no rule about any one wording: each
glossary term the question names (not a place or a year) becomes another form of the same concept
(another Chinese form, else the English one), and each other Chinese word a synonym the general
dictionary gives (a Chinese word glossed as one of the word's English glosses, sharing a character
with it: 数量 → 数目). Whether the answer given to the reworded question is right is measured
against the gold answers, as for any question, so a rewording that changes the meaning is no
wrong label.
"""

from __future__ import annotations

import re

import jieba

from assistant.dictionary import default_dictionary
from assistant.expansion import translations
from index.analysis import STOPWORDS, search_form
from index.glossary import Mention, default_glossary

# Bump when rewording changes, so cached examples of the reworded questions are rebuilt.
REWORDING_VERSION = 1
_ASKS = re.compile(r"哪|什么|几|谁|怎|多少|如何|为何|何时|何处|是否|吗|呢|多久")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


def _terms(form: str) -> list[Mention]:
    """The glossary terms of a question that can be said otherwise, longest first, none overlapping."""
    taken: list[Mention] = []
    mentions = default_glossary().mentions(form)
    for m in sorted(mentions, key=lambda m: (m.start - m.end, m.start)):
        if m.concept.kind == "place" or m.concept.family:
            continue
        if all(m.end <= t.start or m.start >= t.end for t in taken):
            taken.append(m)
    return taken


def _other_form(m: Mention, said: str) -> str | None:
    plain = [f for f in m.concept.zh if not f.startswith("re:") and f != said and f not in said]
    english = [f for f in m.concept.en if not f.startswith("re:")]
    if plain:
        return plain[0]
    return f" {english[0]} " if english and not said.isascii() else None


def synonym(word: str, form: str) -> str | None:
    """A Chinese word the dictionary glosses as the word does, sharing a character with it and not
    already in the question."""
    dictionary = default_dictionary()
    for gloss in translations(word):
        for other in dictionary.chinese((gloss,)):
            if other != word and len(other) >= 2 and set(other) & set(word) and other not in form:
                return other
    return None


def reworded(question: str) -> str | None:
    """The question in other words (in search form), or None when nothing in it can be said otherwise."""
    form = search_form(question)
    pieces: list[tuple[int, int, str]] = []
    for m in _terms(form):
        other = _other_form(m, form[m.start : m.end])
        if other is not None:
            pieces.append((m.start, m.end, other))
    for word, start, end in jieba.tokenize(form, HMM=False):
        if any(start < b and end > a for a, b, _ in pieces):
            continue
        if not _CJK_WORD.fullmatch(word) or word in STOPWORDS or _ASKS.search(word):
            continue
        if default_glossary().places(word):
            continue
        other = synonym(word, form)
        if other is not None:
            pieces.append((start, end, other))
    if not pieces:
        return None
    out, at = [], 0
    for start, end, other in sorted(pieces):
        out += [form[at:start], other]
        at = end
    return " ".join("".join([*out, form[at:]]).split())
