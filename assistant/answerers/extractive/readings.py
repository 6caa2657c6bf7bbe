"""English readings of what a Chinese quote names, for an English question asking a name (issue
12): the places and organisations the glossary names in English (大连 = Dalian), listed with the
quote's citation, and persons' names in pinyin (杨丽芸 = Yang Liyun), beside the answer. Figures
have theirs (`index.figures.gloss`)."""

from __future__ import annotations

from index.glossary import Concept, default_glossary
from index.normalize import has_cjk, normalize

MAX_NAMES = 3  # readings beside one quote: more would bury the answer
_LOWER = frozenset({"of", "and", "the", "for", "in", "on", "at", "to", "a", "an"})
ACRONYM_CHARS = 5  # a one-word English form this short is an acronym (tisc, dicp)


def english_name(form: str) -> str:
    """A glossary English form as a name is written: dalian institute of chemical physics ->
    Dalian Institute of Chemical Physics; tisc -> TISC."""
    words = form.split()
    if len(words) == 1 and len(form) <= ACRONYM_CHARS and form.isalpha():
        return form.upper() if not _vowelled(form) else form.capitalize()
    return " ".join(
        w if k and w in _LOWER else w.upper() if len(w) <= 2 else w[:1].upper() + w[1:]  # IP, AI
        for k, w in enumerate(words)
    )


def _vowelled(word: str) -> bool:
    """A short word that reads as a word (Jinan, Wuhan) rather than letters (TISC, DICP)."""
    return sum(c in "aeiou" for c in word) * 2 >= len(word) - 1


def name_readings(text: str) -> list[str]:
    """'原文 = English' for the places and organisations `text` names (the longest mention where
    they overlap), at most MAX_NAMES."""
    form = normalize(text)
    aligned = len(form) == len(text)
    mentions = [m for m in default_glossary().mentions(form) if _proper(m.concept, form[m.start : m.end])]
    mentions.sort(key=lambda m: (m.start, -(m.end - m.start)))
    out: list[str] = []
    covered = 0
    for m in mentions:
        if m.start < covered:
            continue  # inside a longer name already read (大连 in 大连市知识产权局)
        covered = m.end
        shown = text[m.start : m.end] if aligned else form[m.start : m.end]
        reading = f"{shown} = {english_name(m.concept.en[0])}"
        if has_cjk(shown) and reading not in out:
            out.append(reading)
    return out[:MAX_NAMES]


def _proper(concept: Concept, said: str) -> bool:
    """A name the glossary reads in English: a place by its own name (大连, 大连市; not 全国 for China), an
    organisation whose English name is more than a word (not 中心, center)."""
    if not concept.en or concept.family:
        return False
    if concept.kind == "place":
        return bool(concept.zh) and said.startswith(concept.zh[0])
    return concept.kind == "org" and " " in concept.en[0]


def person_readings(text: str) -> list[str]:
    """Persons' names jieba tags in `text`, in pinyin: surname, then the given name as one word."""
    import jieba.posseg
    from pypinyin import lazy_pinyin

    out = []
    for word, flag in jieba.posseg.cut(text):
        if flag == "nr" and 2 <= len(word) <= 4 and has_cjk(word):
            sounds = lazy_pinyin(word)
            out.append(f"{word} = {sounds[0].capitalize()} {''.join(sounds[1:]).capitalize()}")
    return out
