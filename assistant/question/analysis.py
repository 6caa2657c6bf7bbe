"""What a question asks: its language, key terms, the places and years it names, and whether it
wants a figure or a person.

Key terms come as groups: the alternatives that stand for one span of the question (a glossary
concept and the concepts overlapping it, or a word and its sub-words), so overlapping matches are
weighed once and a passage in the other language matches through the concept.
"""

from __future__ import annotations

import re

import jieba

from assistant.expansion import names_thing, phrase_translations, translations
from assistant.names import spelled_names
from assistant.question.answer_types import ANSWER_CUES, answer_type, noun_follows
from assistant.question.model import Question
from index.analysis import CONCEPT_PREFIX, FUNCTION_CHARS, PUNCT, STOPWORDS, search_form, stem
from index.glossary import default_glossary
from index.metadata import detect_language
from index.wordlists import word_list

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
# The unit a Chinese "how many" names (多少件, 几家, 多少亿元): the figure that answers is counted in it.
_COUNTED = re.compile(
    r"(?:多少|(?<![哪几])几(?!几))(亿元|万元|元|件|家|笔|个|项|所|名|位|座|条|篇|种|批|户|场|届|台|套|次|人|只|支|本|部|间|张|"
    r"倍|天|年|个月|月|周|公里|千米|米|平方米|平方公里|亩|公顷)"
)
_WHO = re.compile(r"谁|哪位|何人|who\b|whom\b", re.I)
# A word holding an interrogative asks; it names nothing the passage must contain (哪支, 几层, 什么样).
_INTERROGATIVE = re.compile(r"哪|什么|几|谁|怎|多少|如何|为何|何时|何处|是否|吗|呢")
# Interrogatives that ask which one of a category named by the next word (哪一 国家, 什么 动物).
_ASKS_WHICH = re.compile(r"(?:什么|哪[一个些种类所部位家条座支项门]?|何种|哪一[种个类部项])$")
# Interrogatives that ask what something is like (怎样的态势): the noun ending their phrase is
# what the answer describes, so the answering sentence names it.
_ASKS_QUALITY = re.compile(r"怎样的?|怎么样的?|什么样的?|何种|what kind of|what sort of")
# A question about when an article itself came out: the article's date line answers it, and the
# words that name the article (该文, the article) are answered by its title, not by a passage.
_PUBLISHED = re.compile(r"发布|发表|刊发|刊登|刊出|publish|publication|posted", re.I)
_WHEN = re.compile(r"哪天|哪一天|何时|什么时候|什么时间|日期|when\b|what date|which date|what day", re.I)
# "What position does X hold": a post, not a rank; the answer names the post, not the word.
_ASKS_POST = re.compile(
    r"\bwhat (?:position|post|title|job|office)s? (?:does|did|do|is|was|has|had) .+ (?:hold|held|have|occupy|serve)",
    re.I,
)
_POST_WORDS = frozenset(
    [CONCEPT_PREFIX + "rank", CONCEPT_PREFIX + "hold_event", "post", "titl", "job", "offic"]
)
_CLAUSE_END = re.compile(r"[,，。？?！!；;:：]")
# Word lists (assistant/question/data): words that frame a question rather than name what it is
# about, in Chinese and in English; place-like words naming no place; words naming the article itself.
_GENERIC = word_list("generic_zh", "assistant.question")
_GENERIC_EN = word_list("generic_en", "assistant.question")
_GENERIC_PLACES = word_list("generic_places", "assistant.question")
_ARTICLE_WORDS = word_list("article_words", "assistant.question")
_CJK_NAME = re.compile(r"[\u4e00-\u9fff]+")
# Characters never glued into a name: function characters and pronouns.
_NO_GLUE = FUNCTION_CHARS | frozenset("他她它我你您们谁哪几多每各本该此啥一二三四五六七八九十")
_PLACE_SUFFIX = re.compile(r"(?:市|省|县|自治区|自治州|特别行政区)$")
BROAD_PLACES = frozenset({"china", "northeast"})


def _words(form: str) -> tuple[list[tuple[str, int, int]], list[tuple[str, str, str]]]:
    """jieba's words of a question, and the pieces of names jieba does not know (`Question.joins`):
    runs of single characters, which may be one name (郑倢伃 from 郑/倢/伃, 黇鹿, but 汤/会), and
    each other lone character with the words before and after it (班卡雀 + 鲷, 麦 + 银汉鱼, but
    陈荣捷 + 卒于). The collection tells which are names (`extractive.joined_groups`)."""
    # No HMM guesses: a guessed word glues characters of a name to a neighbour (補身湯會 -> 汤会),
    # and a word no passage holds weighs most; runs of single characters are judged by the collection.
    tokens = list(jieba.tokenize(form, HMM=False))
    out: list[tuple[str, int, int]] = []
    joins: list[tuple[str, str, str]] = []

    def word_at(k: int) -> str:
        if 0 <= k < len(tokens):
            w = tokens[k][0]
            if len(w) >= 2 and _CJK_NAME.fullmatch(w) and not _INTERROGATIVE.search(w):
                return w
        return ""

    k = 0
    while k < len(tokens):
        word, start, end = tokens[k]
        if len(word) == 1 and _CJK_NAME.fullmatch(word) and word not in _NO_GLUE:
            j = k
            while (
                j + 1 < len(tokens) and len(tokens[j + 1][0]) == 1 and _CJK_NAME.fullmatch(tokens[j + 1][0])
            ):
                j += 1
            run = form[start : tokens[j][2]].rstrip("".join(_NO_GLUE))
            if len(run) >= 2 and not _INTERROGATIVE.search(run):
                joins.append((run, "", ""))
                k = j + 1
                continue
            if word_at(k - 1) or word_at(k + 1):
                joins.append((word, word_at(k - 1), word_at(k + 1)))
        out.append((word, start, end))
        k += 1
    return out, joins


def question_language(text: str) -> str:
    return detect_language(text) if text.strip() else "zh-Hans"


def _concept_groups(form: str, covered: list[bool]) -> list[tuple[int, tuple[str, ...]]]:
    """Concept tokens of the question, overlapping mentions merged into one group of alternatives,
    each with where it starts."""
    spans: list[tuple[int, int, str]] = []
    glossary = default_glossary()
    bounds = {b for _, start, end in jieba.tokenize(form, HMM=False) for b in (start, end)}
    for mention in glossary.mentions(form):
        if mention.concept.kind == "place" or mention.concept.id.startswith("year_"):
            continue
        if mention.start not in bounds and mention.end not in bounds:
            continue  # it straddles two words: 资金 in 融资|金额 is no fund
        spans.append((mention.start, mention.end, CONCEPT_PREFIX + mention.concept.id))
        for i in range(mention.start, mention.end):
            covered[i] = True
    spans.sort()
    groups: list[tuple[int, int, list[str]]] = []  # (start, end of the merged span, alternatives)
    for start, end, token in spans:
        if groups and start < groups[-1][1]:
            first, last_end, alternatives = groups[-1]
            if token not in alternatives:
                alternatives.append(token)
            groups[-1] = (first, max(last_end, end), alternatives)
        else:
            groups.append((start, end, [token]))
    return [(start, tuple(alternatives)) for start, _, alternatives in groups]


def analyse(text: str, asked: str | None = None) -> Question:
    """The analysis of `text` (the question searched); `asked` is what was typed, when it differs."""
    form = search_form(text)
    glossary = default_glossary()
    language = question_language(text)
    typed = text if asked is None else asked
    q = Question(
        text=text,
        language=language,
        form=form,
        asked=typed,
        asked_language=language if typed == text else question_language(typed),
    )
    q.places = glossary.places(form) - BROAD_PLACES
    covered = [False] * len(form)
    for mention in glossary.mentions(form):  # place names are checked apart, not key terms
        if mention.concept.kind == "place":
            for i in range(mention.start, mention.end):
                covered[i] = True
    starts: dict[str, int] = {}  # where each group's first alternative stands in the question
    for start, group in _concept_groups(form, covered):
        starts.setdefault(group[0], start)
        q.groups.append(group)
        if _ASKS_WHICH.search(form[:start]):
            q.categories.add(group[0])  # 哪一国家: a concept can name the category too
    q.years = set(YEAR.findall(q.form))
    _add_word_groups(q, covered, starts)
    q.other_places = _other_places(q.form)
    if q.language == "en":
        q.spelled = _spelled(text, q.groups)
    q.described = _described(form, q.groups, starts)
    q.wants_figure = bool(_QUANTITY.search(q.form) or _MEASURE.search(q.form))
    counted = _COUNTED.search(q.form)
    q.counted = counted.group(1) if counted else None
    q.wants_person = bool(_WHO.search(q.form))
    q.kind = answer_type(q.form)
    if _ASKS_POST.search(q.form):
        q.wants_figure, q.kind, q.counted = False, None, None
        q.groups = [g for g in q.groups if not set(g) & _POST_WORDS]
    return q


def _word_alternatives(
    q: Question, form: str, word: str, start: int, end: int, phrases: dict[int, tuple[str, ...]]
):
    """A word's group of alternatives and its dictionary translations; None when it is no key term."""
    if word.isascii():
        if not word.isalnum() or word.isdigit():
            return None
        token = stem(word) if word.isalpha() else word  # Stam1na, mp3: kept whole
        if token in STOPWORDS or len(token) < 2 or word in _GENERIC_EN:
            return None
        if names_thing(word):
            q.things.add(token)
        return (token,), phrases.get(start) or translations(word)
    cue = word in ANSWER_CUES and not noun_follows(form, end)  # 什么地方, not 地方标准
    if len(word) < 2 or _INTERROGATIVE.search(word) or word in _GENERIC or cue:
        return None
    subwords = [w for w in jieba.cut_for_search(word) if len(w) >= 2 and w != word and w not in STOPWORDS]
    return (word, *subwords), translations(word)


def _add_word_groups(q: Question, covered: list[bool], starts: dict[str, int]) -> None:
    """The key terms jieba's words give, past those a concept stands for: a group of each word and
    its sub-words (or its stem), with its dictionary translations (`borrowed`)."""
    form = q.form
    seen: set[str] = set()
    asks_published = bool(_PUBLISHED.search(form) and _WHEN.search(form))
    phrases = phrase_translations(form)
    tokens, q.joins = _words(form)
    for word, start, end in tokens:
        word = word.strip()
        after_interrogative = bool(_ASKS_WHICH.search(form[:start]))
        if not word or word in STOPWORDS or PUNCT.match(word) or YEAR.fullmatch(word):
            continue
        if sum(covered[start:end]) * 2 >= end - start:
            continue  # a concept stands for it (and matches across languages)
        found = _word_alternatives(q, form, word, start, end, phrases)
        if found is None:
            continue
        alternatives, borrowed = found
        if asks_published and alternatives[0] in _ARTICLE_WORDS:
            continue
        if asks_published and _PUBLISHED.search(word):
            q.dateline.add(alternatives[0])
        if alternatives[0] not in seen:
            seen.add(alternatives[0])
            starts.setdefault(alternatives[0], start)
            fresh = tuple(t for t in borrowed if t not in alternatives)
            q.borrowed.update(fresh)
            q.groups.append(alternatives + fresh)
            if after_interrogative:
                q.categories.add(alternatives[0])


def _other_places(form: str) -> set[str]:
    """Places the glossary does not know, named with their administrative suffix (巴彦淖尔市),
    which jieba may or may not cut off."""
    glossary = default_glossary()
    found: set[str] = set()
    words = jieba.lcut(form)
    for k, word in enumerate(words):
        name = word + words[k + 1] if k + 1 < len(words) and _PLACE_SUFFIX.fullmatch(words[k + 1]) else word
        if (
            len(name) >= 3
            and _PLACE_SUFFIX.search(name)
            and name not in _GENERIC_PLACES
            and _CJK_NAME.fullmatch(name)
            and not _INTERROGATIVE.search(name)
            and not glossary.places(name)
        ):
            found.add(name)
    return found


def _spelled(text: str, groups: list[tuple[str, ...]]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Chinese names an English question spells in pinyin, whose words are all key terms."""
    glossary = default_glossary()
    known = {t for group in groups for t in group}
    out = []
    for sounds, spelt in spelled_names(text, lambda w: bool(glossary.mentions(w) or translations(w))):
        stems = tuple(stem(w) for w in spelt)
        if all(t in known for t in stems):
            out.append((sounds, stems))
    return out


def _described(form: str, groups: list[tuple[str, ...]], starts: dict[str, int]) -> str | None:
    """The key term heading the phrase after an interrogative asking what something is like: its
    last word in Chinese (怎样的打击侵权态势), its first in English (what kind of situation)."""
    match = _ASKS_QUALITY.search(form)
    if match is None:
        return None
    end = _CLAUSE_END.search(form, match.end())
    stop = end.start() if end else len(form)
    inside = [g[0] for g in groups if match.end() <= starts.get(g[0], -1) < stop]
    if not inside:
        return None
    return (min if match.group().isascii() else max)(inside, key=lambda t: starts[t])
