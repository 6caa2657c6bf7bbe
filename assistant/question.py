"""What a question asks: its language, key terms, the places and years it names, and whether it
wants a figure or a person."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import jieba
import jieba.posseg

from index.analysis import CONCEPT_PREFIX, STOPWORDS, search_form, stem
from index.glossary import default_glossary
from index.metadata import detect_language

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_QUANTITY = re.compile(
    r"多少|几|多大|多高|多长|数量|金额|总额|比例|排名|第几|how many|how much|what amount|number of|"
    r"what percentage|what share|what rank|what position|how large|how big|total",
    re.I,
)
_WHO = re.compile(r"谁|哪位|何人|who\b|whom\b", re.I)
_PUNCT = re.compile(r"^[\W_]+$")


@dataclass
class Question:
    text: str
    language: str
    form: str
    units: dict[str, float] = field(default_factory=dict)  # search token -> 1 (weights set later)
    places: set[str] = field(default_factory=set)  # glossary place ids
    other_places: set[str] = field(default_factory=set)  # place names jieba knows, not in the glossary
    years: set[str] = field(default_factory=set)
    wants_figure: bool = False
    wants_person: bool = False


def question_language(text: str) -> str:
    return detect_language(text) if text.strip() else "zh-Hans"


@functools.lru_cache(maxsize=4096)
def analyse(text: str) -> Question:
    form = search_form(text)
    glossary = default_glossary()
    q = Question(text=text, language=question_language(text), form=form)
    covered = [False] * len(form)
    for mention in glossary.mentions(form):
        kind = mention.concept.kind
        if kind == "place":
            if mention.concept.id != "china":
                q.places.add(mention.concept.id)
        elif not mention.concept.id.startswith("year_"):
            q.units[CONCEPT_PREFIX + mention.concept.id] = 1.0
        for i in range(mention.start, mention.end):
            covered[i] = True
    q.years = set(_YEAR.findall(form))
    for word, start, end in jieba.tokenize(form, mode="search"):
        word = word.strip()
        if not word or word in STOPWORDS or _PUNCT.match(word) or _YEAR.fullmatch(word):
            continue
        if all(covered[start:end]):
            continue  # the concept stands for it (and matches across languages)
        token = stem(word) if word.isascii() and word.isalpha() else word
        if token in STOPWORDS or len(token) < 2 and word.isascii():
            continue
        q.units.setdefault(token, 1.0)
    for word, flag in jieba.posseg.lcut(form):
        if flag == "ns" and not glossary.places(word) and len(word) >= 2:
            q.other_places.add(word)
    q.wants_figure = bool(_QUANTITY.search(form))
    q.wants_person = bool(_WHO.search(form))
    return q
