"""What a question asks: its language, key terms, the places and years it names, and whether it
wants a figure or a person.

Key terms come as groups: the alternatives that stand for one span of the question (a glossary
concept and the concepts overlapping it, or a word and its sub-words), so overlapping matches are
weighed once and a passage in the other language matches through the concept.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import jieba

from assistant.expansion import names_thing, phrase_translations, translations
from index.analysis import CONCEPT_PREFIX, PUNCT, STOPWORDS, search_form, stem
from index.glossary import default_glossary
from index.metadata import detect_language

YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")  # a year of four digits
_QUANTITY = re.compile(
    r"多少|几|多大|多高|多长|数量|金额|总额|比例|排名|第几|how many|how much|what amount|number of|"
    r"what percentage|what share|what rank|what position|how large|how big|what was the total|what is the total",
    re.I,
)
# "What is the <measure> of …": English asks for a figure without "how many" (rate, period, target).
_MEASURE = re.compile(
    r"\bwhat(?:'s| is| was| are| were| will be)(?: [\w'.-]+){0,8}? (?:rate|ratio|percentage|proportion|period|"
    r"duration|amount|value|volume|area|size|growth|target|figure|count|sum|budget)s?\b|\bhow (?:long|fast|big|large)\b"
)
_WHO = re.compile(r"谁|哪位|何人|who\b|whom\b", re.I)
# A word holding an interrogative asks; it names nothing the passage must contain (哪支, 几层, 什么样).
_INTERROGATIVE = re.compile(r"哪|什么|几|谁|怎|多少|如何|为何|何时|何处|是否|吗|呢")
_GENERIC = frozenset(
    [
        "一个",
        "现在",
        "以前",
        "以后",
        "有过",
        "主要",
        "具体",
        "一些",
        "哪些",
        "这个",
        "那个",
        "目前",
        "当时",
        "曾经",
        "已经",
        "可以",
        "分别",
        "之前",
        "之后",
    ]
)
# English words that name the kind of answer (which organisation, which one), not what the
# passage must hold: the passage names the organisation itself.
_GENERIC_EN = frozenset(
    [
        "one",
        "ones",
        "among",
        "organisation",
        "organisations",
        "organization",
        "organizations",
        "initiative",
        "initiatives",
        "entity",
        "entities",
        "thing",
        "things",
        "name",
        "names",
        "type",
        "types",
        "item",
        "items",
    ]
)
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]+")
_PLACE_SUFFIX = re.compile(r"(?:市|省|县|自治区|自治州|特别行政区)$")
_GENERIC_PLACES = frozenset(
    [
        "城市",
        "地区",
        "全国",
        "全市",
        "本市",
        "国家",
        "省份",
        "各地",
        "地方",
        "国内",
        "国外",
        "海外",
        "区域",
        "中国",
        "全省",
        "东北",
    ]
)
BROAD_PLACES = frozenset({"china", "northeast"})


@dataclass
class Question:
    text: str
    language: str
    form: str
    groups: list[tuple[str, ...]] = field(default_factory=list)
    places: set[str] = field(default_factory=set)  # glossary place ids
    other_places: set[str] = field(default_factory=set)  # place names jieba knows, not in the glossary
    years: set[str] = field(default_factory=set)
    wants_figure: bool = False
    wants_person: bool = False
    # Alternatives taken from the general dictionary (weaker than the word itself), and the words
    # it knows as nouns: a thing no passage holds counts more against an answer.
    borrowed: set[str] = field(default_factory=set)
    things: set[str] = field(default_factory=set)


def question_language(text: str) -> str:
    return detect_language(text) if text.strip() else "zh-Hans"


def _concept_groups(form: str, covered: list[bool]) -> list[tuple[str, ...]]:
    spans: list[tuple[int, int, str]] = []
    glossary = default_glossary()
    for mention in glossary.mentions(form):
        if mention.concept.kind == "place" or mention.concept.id.startswith("year_"):
            continue
        spans.append((mention.start, mention.end, CONCEPT_PREFIX + mention.concept.id))
        for i in range(mention.start, mention.end):
            covered[i] = True
    spans.sort()
    groups: list[tuple[int, list[str]]] = []  # (end of the merged span, alternatives)
    for start, end, token in spans:
        if groups and start < groups[-1][0]:
            last_end, alternatives = groups[-1]
            if token not in alternatives:
                alternatives.append(token)
            groups[-1] = (max(last_end, end), alternatives)
        else:
            groups.append((end, [token]))
    return [tuple(alternatives) for _, alternatives in groups]


@functools.lru_cache(maxsize=4096)
def analyse(text: str) -> Question:
    form = search_form(text)
    glossary = default_glossary()
    q = Question(text=text, language=question_language(text), form=form)
    q.places = glossary.places(form) - BROAD_PLACES
    covered = [False] * len(form)
    for mention in glossary.mentions(form):  # place names are checked apart, not key terms
        if mention.concept.kind == "place":
            for i in range(mention.start, mention.end):
                covered[i] = True
    q.groups = _concept_groups(form, covered)
    q.years = set(YEAR.findall(q.form))
    seen: set[str] = set()
    phrases = phrase_translations(form)
    for word, start, end in jieba.tokenize(form):
        word = word.strip()
        if not word or word in STOPWORDS or PUNCT.match(word) or YEAR.fullmatch(word):
            continue
        if sum(covered[start:end]) * 2 >= end - start:
            continue  # a concept stands for it (and matches across languages)
        if word.isascii():
            if not word.isalpha():
                continue
            token = stem(word)
            if token in STOPWORDS or len(token) < 2 or word in _GENERIC_EN:
                continue
            alternatives: tuple[str, ...] = (token,)
            borrowed = phrases.get(start) or translations(word)
            if names_thing(word):
                q.things.add(token)
        else:
            if len(word) < 2 or _INTERROGATIVE.search(word) or word in _GENERIC:
                continue
            subwords = [
                w for w in jieba.cut_for_search(word) if len(w) >= 2 and w != word and w not in STOPWORDS
            ]
            alternatives = (word, *subwords)
            borrowed = translations(word)
        if alternatives[0] not in seen:
            seen.add(alternatives[0])
            fresh = tuple(t for t in borrowed if t not in alternatives)
            q.borrowed.update(fresh)
            q.groups.append(alternatives + fresh)
    words = jieba.lcut(q.form)
    for k, word in enumerate(words):
        # A place the glossary does not know, named with its administrative suffix (巴彦淖尔市),
        # which jieba may or may not cut off.
        name = word + words[k + 1] if k + 1 < len(words) and _PLACE_SUFFIX.fullmatch(words[k + 1]) else word
        if (
            len(name) >= 3
            and _PLACE_SUFFIX.search(name)
            and name not in _GENERIC_PLACES
            and _CJK_NAME.fullmatch(name)
            and not glossary.places(name)
        ):
            q.other_places.add(name)
    q.wants_figure = bool(_QUANTITY.search(q.form) or _MEASURE.search(q.form))
    q.wants_person = bool(_WHO.search(q.form))
    return q
