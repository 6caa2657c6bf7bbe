"""Answers built from retrieved sentences, without an LLM.

Every sentence of the retrieved chunks is scored against the question: how much of the question's
key terms (IDF-weighted groups) it covers itself, through its neighbouring sentences, or through
its passage; whether it holds a figure when a figure is asked for; the rank of its chunk. A
sentence is ruled out when the place or year the question names is not what it is about. The
question is refused when no sentence that is left covers enough of it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from assistant.answer_types import fits
from assistant.deadline import checkpoint
from assistant.expansion import ABSENT_THING_WEIGHT, BORROWED_WEIGHT
from assistant.names import resolved
from assistant.question import BROAD_PLACES, YEAR, Question
from index.analysis import (
    BIGRAM_PREFIX,
    CONCEPT_PREFIX,
    FUNCTION_CHARS,
    bigrams,
    places,
    search_form,
    search_tokens,
)
from index.chunking import Span, split_sentences
from index.figures import Figure, find_figures, same_amount
from index.glossary import default_glossary
from index.keyword import KeywordIndex
from index.search import Hit

_RELATIVE_YEARS = {"去年": -1, "今年": 0, "上年": -1, "明年": 1, "last year": -1, "this year": 0}
_CONTINUATION = re.compile(
    r"^(?:也|并|且|还|同时|其中|此外|另外|这|该|此|其|并且|而且|but\b|and\b|it\b|this\b)", re.I
)
_LABEL_TRIM = re.compile(
    r"(?:为|达到|达|实现|增至|增长|突破|约|共计|共|总计|累计|是|超过|超|近|了|有|至|到)+$"
)
_OWN, _NEAR, _FAR = 1.0, 0.6, 0.3
# A question with this many key terms may be answered below the coverage bar (`_paraphrased`).
PARAPHRASE_TERMS = 4
# Taken off a sentence that does not name what a "what kind of X" question asks to describe.
DESCRIBED_MISSING = 0.25
# An answer shorter than this (characters of quoted sentences) gets a neighbour of its best sentence.
SHORT_ANSWER = 100
# Any number at all: a year, 1比3, 兩小時, 第二大 (looser than the figures parsed for checking).
_WORD = re.compile(r"[^\W_]")  # a letter, digit or CJK character: a sentence without one says nothing
_NUMBER = re.compile(r"[0-9０-９]|[一二两兩三四五六七八九十百千万萬亿億]")
_AMOUNT = r"[0-9０-９.,]*[0-9０-９一二两兩三四五六七八九十百千万萬亿億]"
# Units that count the same kind of thing: 多少个 is answered by 13家 or 20项, 多少名 by 306人.
_UNIT_CLASSES = tuple(
    frozenset(units.split("|"))
    for units in (
        "个|件|家|项|所|名|位|人|座|条|篇|种|批|户|场|届|台|套|次|笔|只|支|本|部|间|张",
        "元|亿元|万元|美元",
        "天|年|个月|月|日|周",
        "倍",
        "公里|千米|km|米|m",
        "平方米|平方公里|亩|公顷",
    )
)
_COUNTED_AMOUNT = re.compile(
    _AMOUNT + r"\s*(?:余|多)?(" + "|".join(sorted(set().union(*_UNIT_CLASSES), key=len, reverse=True)) + ")?"
)
# Words holding a numeral character that count nothing (一站式 one-stop, 进一步 further).
_NOT_NUMBERS = re.compile(
    r"一站式|一体化|一揽子|一系列|进一步|统一|唯一|同一|一批|一些|一般|一起|一直|一切|一致|一同|万一|一流|之一"
)
# Named things weigh more than generic terms; words that only frame a question weigh less.
_KIND_WEIGHT = {"org": 1.5, "programme": 1.5, "term": 1.0, "unit": 0.8, "frame": 0.4}
_NAMED_KINDS = ("org", "programme")
# Concepts that make a figure a target or a plan rather than something achieved.
_PLAN_TOKENS = frozenset({CONCEPT_PREFIX + "target", CONCEPT_PREFIX + "future", CONCEPT_PREFIX + "plan"})
_PERSON = re.compile(
    r"(?:局长|书记|主任|市长|部长|院长|厅长|处长|会长|董事长|总经理|主席|理事长|记者|负责人)"
    r"\s?(?!单位|等|和|与|及|的|在|为|是|对)[\u4e00-\u9fff]{2,3}"  # a byline may space the name off
    r"|[\u4e00-\u9fff]{2,3}(?:表示|介绍|指出|强调|说|在致辞|致辞)"
    r"|\b(?:Mr|Ms|Mrs|Dr)\.? [A-Z][a-z]+|\b[A-Z][a-z]+ [A-Z][a-z]+ (?:said|says|stated|noted)"
)


@dataclass
class Region:
    """A stretch of one document around a hit, stitched from neighbouring chunks."""

    doc_id: str
    base: int  # offset of text[0] in the original document
    text: str
    filled: list[bool]  # False where no chunk covered the document (page chrome)
    meta: dict[str, Any]
    sentences: list[Span]


@dataclass
class Candidate:
    doc_id: str
    start: int  # offsets in the original document
    end: int
    text: str
    hit: Hit
    rank: int
    region: Region
    index: int  # sentence number in the region
    coverage: float = 0.0
    own: dict[int, float] = field(default_factory=dict)  # group -> credit from the sentence itself
    score: float = 0.0
    fit: float = 0.0  # part of the score for the kind of answer asked (not for covering the question)
    absent: float = 0.0  # share of the question's weight of the heaviest key term the passage lacks
    held: float = 0.0  # share of the question's weight the sentence itself holds
    figures: list[Figure] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def meta(self) -> dict[str, Any]:
        return self.hit.meta


def region_of(hit: Hit, keyword: KeywordIndex, before: int = 2, after: int = 1) -> Region:
    chunk = int(hit.meta.get("chunk", 0))
    parts = []
    for i in range(chunk - before, chunk + after + 1):
        pos = keyword.position.get(f"{hit.doc_id}#{i}")
        if pos is not None:
            meta = keyword.metas[pos]
            parts.append((int(meta["start"]), keyword.texts[pos]))
    if not parts:
        parts = [(int(hit.meta.get("start", 0)), hit.text)]
    base = min(p[0] for p in parts)
    end = max(p[0] + len(p[1]) for p in parts)
    chars = ["\n"] * (end - base)
    filled = [False] * (end - base)
    for start, text in parts:
        offset = start - base
        chars[offset : offset + len(text)] = text
        filled[offset : offset + len(text)] = [True] * len(text)
    text = "".join(chars)
    return Region(hit.doc_id, base, text, filled, hit.meta, split_sentences(text))


def _kind(token: str) -> str | None:
    if not token.startswith(CONCEPT_PREFIX):
        return None
    concept = default_glossary().concepts.get(token[len(CONCEPT_PREFIX) :])
    return concept.kind if concept else None


def named_groups(question: Question) -> list[int]:
    """Groups that name an organisation or a programme: a passage must be about them."""
    return [g for g, group in enumerate(question.groups) if any(_kind(t) in _NAMED_KINDS for t in group)]


def joined_groups(question: Question, keyword: KeywordIndex) -> list[tuple[str, ...]]:
    """The question's groups, with each lone character jieba cut off a word joined to the word
    after or before it where the collection holds the two together (their bigram is indexed):
    班卡雀 + 鲷, 麦 + 银汉鱼, but not 陈荣捷 + 卒. The joined name alone stands for its group, so a
    passage about another 银汉鱼 earns only partial credit."""
    groups = list(question.groups)
    for tokens, names in resolved(question.spelled, lambda pair: keyword.idf(BIGRAM_PREFIX + pair) > 0):
        groups = [g for g in groups if g[0] not in tokens] + [names]  # Wang Ju: 王聚
    for char, before, after in question.joins:
        if not before and not after:
            # A run of single characters: the stretches of it the collection holds together are names.
            piece = char[0]
            for c in char[1:] + " ":
                if c != " " and keyword.idf(BIGRAM_PREFIX + piece[-1] + c) > 0:
                    piece += c
                    continue
                if len(piece) >= 2:
                    groups.append((piece,))
                piece = c
            continue
        for word, joined, pair in (
            (after, char + after, char + after[:1]),
            (before, before + char, before[-1:] + char),
        ):
            g = next((g for g, group in enumerate(groups) if word and group[0] == word), None)
            if g is not None and keyword.idf(BIGRAM_PREFIX + pair) > 0:
                groups[g] = (joined,)
                break
    return groups


def _weights(
    groups: list[tuple[str, ...]], keyword: KeywordIndex, question: Question
) -> tuple[dict[str, float], list[float], list[float]]:
    """Weight of every alternative and two weights of every group: from the question's own forms
    (a rare translation, an English gloss of a Chinese word, must not make the word weigh more than
    it does in its language), and from the best alternative the collection knows, for when passages
    in the other language, which only translations reach, compete.
    Category words (哪一国家) weigh as frames, dictionary translations less than the word itself."""
    n = max(len(keyword), 1)
    unknown = 0.75 * math.log(1 + (n + 0.5) / 0.5)
    weights: dict[str, float] = {}
    known: set[str] = set()  # alternatives the collection or the glossary knows
    for group in groups:
        for token in group:
            idf, kind = keyword.idf(token), _kind(token)
            if idf > 0 or kind is not None:
                known.add(token)
            kind = "frame" if token in question.categories else kind or "term"
            weights[token] = (idf if idf > 0 else unknown) * _KIND_WEIGHT.get(kind, 1.0)
            if token in question.borrowed:
                weights[token] *= BORROWED_WEIGHT
    own_weights, any_weights = [], []
    for group in groups:
        found = [weights[t] for t in group if t in known]
        own = [weights[t] for t in group if t in known and t not in question.borrowed]
        fallback = [weights[group[0]]]  # nothing known: the first form, at the unknown-term weight
        scale = 1.0
        if group[0] in question.things and not any(_in_collection(t, keyword) for t in group):
            scale = ABSENT_THING_WEIGHT  # a thing no article names, in either language (hospitals)
        own_weights.append(scale * max(own or found or fallback))
        any_weights.append(scale * max(found or fallback))
    return weights, own_weights, any_weights


def _in_collection(token: str, keyword: KeywordIndex) -> bool:
    """Some chunk holds the token (a Chinese word: as a word or as all its character pairs)."""
    if keyword.idf(token) > 0:
        return True
    pairs = [] if token.isascii() else bigrams(token)
    return bool(pairs) and all(keyword.idf(p) > 0 for p in pairs)


# 现 too: jieba glues it to a name before it (白岳峰现在效力于…).
_NO_CREDIT_CHARS = FUNCTION_CHARS | {"现"}


def _credit(
    group: tuple[str, ...],
    tokens: frozenset[str],
    form: str,
    weights: dict[str, float],
    cap: float,
    borrowed: AbstractSet[str] = frozenset(),
) -> float:
    """Credit a passage earns for one group: the weight of the best alternative it contains, or
    for a Chinese word it does not contain, half of it times the share of the word's characters it
    does contain, when that is most of them (names jieba cut with a neighbour, 白岳峰现). A
    dictionary translation (`borrowed`) counts only whole: 市长 is not 市…局长."""
    best = 0.0
    for token in group:
        weight = min(weights[token], cap)
        if token in tokens or (not token.isascii() and len(token) >= 2 and token in form):
            best = max(best, weight)
        elif not token.isascii() and token[0] not in "~#_" and token not in borrowed:
            chars = [c for c in token if c not in _NO_CREDIT_CHARS]
            if chars:
                share = sum(1 for c in chars if c in form) / len(chars)
                if share >= 0.5:  # most of the word: a name cut with a neighbour, 儿子 / 之子
                    best = max(best, weight * (share if share == 1.0 else 0.5 * share))
    return best


def _years(text: str, published: str, dated: bool = True) -> set[str]:
    """The years a text is about: those it names, those its relative words (去年) point to from
    the publication year, and (`dated`) the publication year itself."""
    years = set(YEAR.findall(text))
    if published[:4].isdigit():
        base = int(published[:4])
        if dated:
            years.add(str(base))
        form = search_form(text)
        for phrase, delta in _RELATIVE_YEARS.items():
            if phrase in form:
                years.add(str(base + delta))
    return years


def _covers(place: str, about: AbstractSet[str]) -> bool:
    glossary = default_glossary()
    return place in about or any(place in glossary.ancestors(p) for p in about)


def _elsewhere(place: str, doc_places: AbstractSet[str]) -> bool:
    """The article is about places that neither hold `place` nor lie within it."""
    glossary = default_glossary()
    return bool(doc_places) and not any(
        place in glossary.ancestors(d) or d in glossary.ancestors(place) for d in doc_places
    )


def _beside(form: str, figure: Figure, asked: set[str]) -> bool:
    """A key term of the question stands right before or after the figure."""
    around = form[max(0, figure.start - 10) : figure.start] + " " + form[figure.end : figure.end + 30]
    return any(t in asked and _kind(t) != "frame" for t in search_tokens(around))


def _is_heading(text: str) -> bool:
    """A short line without a full stop: it heads the lines below it."""
    return len(text) <= 20 and not re.search(r"[。！？!?；;.]$", text)


def _qualified(form: str, figure: Figure, question: Question) -> bool:
    """The figure carries a unit qualifier (a glossary concept of kind unit, such as "per 10,000
    people") right before it that the question does not ask for."""
    head = form[max(0, figure.start - 14) : figure.start]
    asked = {t for group in question.groups for t in group}
    return any(_kind(token) == "unit" and token not in asked for token in search_tokens(head))


def _has_person(text: str) -> bool:
    return _PERSON.search(text) is not None


def role_groups(question: Question) -> tuple[list[int], list[int]]:
    """For a question asking who holds a post (局长, director): the groups naming the post and the
    groups naming an organisation. Empty when the question asks no such thing."""
    if not question.wants_person:
        return [], []
    roles = [g for g, group in enumerate(question.groups) if any(_kind(t) == "role" for t in group)]
    if not roles:
        return [], []
    orgs = [g for g, group in enumerate(question.groups) if any(_kind(t) == "org" for t in group)]
    return roles, orgs


def _holds_post(question: Question, group_ids: list[int], tokens: frozenset[str], kind: str) -> bool:
    return all(any(t in tokens for t in question.groups[g] if _kind(t) == kind) for g in group_ids)


@dataclass
class _Analysed:
    """Per-sentence analysis of a region, reused across questions."""

    region: Region
    forms: list[str]
    tokens: list[frozenset[str]]
    places: list[frozenset[str]]
    figures: list[list[Figure]]


_REGIONS_MAX = 4096


def _analysed(hit: Hit, keyword: KeywordIndex) -> _Analysed:
    # The cache lives on the keyword index, so it goes when the collection changes.
    cache: dict[tuple[str, int], _Analysed] = keyword.__dict__.setdefault("_analysed_regions", {})
    key = (hit.doc_id, int(hit.meta.get("chunk", 0)))
    found = cache.get(key)
    if found is not None:
        return found
    region = region_of(hit, keyword)
    texts = [region.text[s.start : s.end] for s in region.sentences]
    forms = [search_form(t) for t in texts]
    found = _Analysed(
        region,
        forms,
        [frozenset(search_tokens(t)) for t in texts],
        [places(f) - BROAD_PLACES for f in forms],
        [[f for f in find_figures(t) if not YEAR.fullmatch(f.text.rstrip("年"))] for t in texts],
    )
    if len(cache) >= _REGIONS_MAX:
        cache.clear()
    cache[key] = found
    return found


def candidates(
    question: Question,
    hits: list[Hit],
    keyword: KeywordIndex,
    retrieval_weight: float = 0.3,
    mixed_retrieval_weight: float = 0.15,
    type_weight: float = 0.1,
) -> list[Candidate]:
    groups = joined_groups(question, keyword)
    weights, own_weights, any_weights = _weights(groups, keyword, question)
    top_score = max((h.score for h in hits), default=1.0) or 1.0
    # One scale for every candidate of a question, so that their coverages compare: where passages
    # in the other language compete, translations count at what the collection knows of them;
    # where all are in the question's language, a word weighs what its own forms weigh.
    english_question = question.language == "en"
    mixed = any((h.meta.get("language") == "en") != english_question for h in hits)
    group_weights = any_weights if mixed else own_weights
    retrieval_weight = mixed_retrieval_weight if mixed else retrieval_weight
    total = sum(group_weights) or 1.0
    named = named_groups(question)
    asked = {t for group in groups for t in group}
    asks_plan = bool(asked & _PLAN_TOKENS)
    roles, role_orgs = role_groups(question)
    described = [g for g, group in enumerate(groups) if group[0] == question.described]
    seen: set[tuple[str, int]] = set()
    out: list[Candidate] = []
    for rank, hit in enumerate(hits):
        checkpoint()  # a passage takes milliseconds; a deadline or a gone asker stops here
        a = _analysed(hit, keyword)
        region, sentences = a.region, a.region.sentences
        if not sentences:
            continue
        title = str(hit.meta.get("title", ""))
        published = str(hit.meta.get("published", ""))
        title_form = search_form(title)
        title_tokens = frozenset(search_tokens(title))
        doc_places = places(search_form(f"{hit.meta.get('region', '')} {title}")) - BROAD_PLACES
        chunk_lo = int(hit.meta.get("start", 0)) - region.base
        chunk_hi = int(hit.meta.get("end", 0)) - region.base
        # credit[i][g]: how much of group g sentence i holds itself
        credit = [
            [
                _credit(grp, a.tokens[i], a.forms[i], weights, group_weights[g], question.borrowed)
                for g, grp in enumerate(groups)
            ]
            for i in range(len(sentences))
        ]
        title_credit = [
            _credit(grp, title_tokens, title_form, weights, group_weights[g], question.borrowed)
            for g, grp in enumerate(groups)
        ]
        if question.dateline and len(published) >= 10:
            for i, f in enumerate(a.forms):
                if published[:10] in f:  # the date line says when the titled article came out
                    credit[i] = [
                        group_weights[g]
                        if grp[0] in question.dateline
                        else max(credit[i][g], title_credit[g])
                        for g, grp in enumerate(groups)
                    ]
        far = [max(max(row[g] for row in credit), title_credit[g]) for g in range(len(groups))]
        # The heaviest key term the passage (its sentences and title) lacks, as a share of the question.
        absent = max((group_weights[g] for g in range(len(groups)) if far[g] == 0), default=0.0) / total
        for i, span in enumerate(sentences):
            key = (hit.doc_id, region.base + span.start)
            if key in seen or not all(region.filled[span.start : span.end]):
                continue
            text = region.text[span.start : span.end]
            if not _WORD.search(text):
                continue  # punctuation or markup left between two sentences ("!" of "![img](…)")
            seen.add(key)
            outside = span.start < chunk_lo or span.end > chunk_hi  # a neighbouring chunk's sentence
            near = range(max(0, i - 2), min(len(sentences), i + 2))
            gained = 0.0
            own: dict[int, float] = {}
            for g in range(len(groups)):
                mine = credit[i][g]
                own[g] = mine
                close = max(max(credit[j][g] for j in near), title_credit[g])
                gained += max(mine, _NEAR * close, _FAR * far[g])
            cand = Candidate(
                hit.doc_id,
                region.base + span.start,
                region.base + span.end,
                text,
                hit,
                rank,
                region,
                i,
                coverage=gained / total,
                own=own,
                absent=absent,
                held=sum(own.values()) / total,
            )
            cand.figures = a.figures[i]
            score = cand.coverage + retrieval_weight * hit.score / top_score - (0.05 if outside else 0.0)
            if question.wants_figure:
                score += 0.15 if cand.figures else -0.25
                if any(_beside(a.forms[i], f, asked) for f in cand.figures):
                    score += 0.1  # the figure counts what was asked (联盟13家, "13 ... alliances")
                if cand.figures and all(_qualified(a.forms[i], f, question) for f in cand.figures):
                    score -= 0.1  # every figure measures something narrower ("per 10,000 people")
            if any(own[g] == 0 for g in described):
                score -= DESCRIBED_MISSING  # "what kind of 态势": a sentence not naming it describes something else
            person = question.wants_person and (_has_person(text) or _has_person(a.forms[i]))
            if question.wants_person:
                score += 0.1 if person else -0.1
            if roles and not (
                person
                and _holds_post(question, roles, a.tokens[i], "role")
                and _holds_post(question, role_orgs, a.tokens[i], "org")
            ):
                # "Who heads X": the sentence must name a person with that post at that organisation.
                cand.reasons.append("role")
            if question.kind is not None:
                level = fits(question.kind, a.forms[i])
                if level:
                    cand.fit += type_weight * level  # holds the kind of answer asked (a birthplace, a year)
                elif question.kind.strict:
                    cand.fit -= type_weight
                if question.kind.lead and cand.start == 0:
                    cand.fit += type_weight  # a document's first sentence says who or what it is about
                score += cand.fit
            if len(a.forms[i]) < 6:
                score -= 0.3
            if question.places:
                sentence_places = a.places[i]
                context_places = frozenset().union(*(a.places[j] for j in near))
                # The sentence names the place, or the passage around it is about it (a sentence
                # may name partner cities of the place the article is about); but in an article
                # about another place, a neighbouring line naming it (沈阳代办处大连工作站) is not
                # what the sentence's figures are about.
                ok = all(
                    _covers(p, sentence_places)
                    or _covers(p, doc_places)
                    or (not _elsewhere(p, doc_places) and _covers(p, context_places))
                    for p in question.places
                )
                if not ok:
                    cand.reasons.append("place")
            if question.other_places and not any(
                p in title_form or any(p in f for f in a.forms) for p in question.other_places
            ):
                cand.reasons.append("place")
            wide = range(max(0, i - 8), min(len(sentences), i + 2))  # list headings scope far
            if (
                question.wants_figure
                and cand.figures
                and not asks_plan
                and (
                    a.tokens[i] & _PLAN_TOKENS
                    or any(
                        a.tokens[j] & _PLAN_TOKENS
                        and _is_heading(region.text[sentences[j].start : sentences[j].end])
                        for j in range(max(0, i - 8), i)
                    )
                )
            ):
                score -= 0.15  # a target (under "计划到2025年": "…达到50亿元") is not an achieved figure
            if question.years:
                # A sentence naming a year of its own is about that year, not the one it was published in.
                years = _years(text, published, dated=False) if YEAR.search(text) else set()
                if not years:
                    # A sentence naming no year is about the years those around it name (a report on
                    # 2021 published in 2022), or, where they name none, its publication year.
                    around = " ".join(region.text[sentences[j].start : sentences[j].end] for j in wide)
                    years = _years(f"{around} {title}", published, dated=not YEAR.search(around))
                if not question.years & years:
                    cand.reasons.append("year")
            if any(far[g] == 0 for g in named):
                cand.reasons.append("entity")
            cand.score = score
            out.append(cand)
    out.sort(key=lambda c: -c.score)
    return out


# ---------------------------------------------------------------------- choosing sentences


def _extend_fragment(cand: Candidate) -> tuple[int, int, str]:
    """A sentence that leans on the one before gets that one too; a heading (a short line
    without a full stop) gets the sentence after it, which is what it heads."""
    region, i = cand.region, cand.index
    span = region.sentences[i]
    start, end = span.start, span.end
    short = len(search_form(cand.text)) < 14
    heading = short and not re.search(r"[。！？!?；;.:：]$", cand.text) and not cand.figures
    if heading and i + 1 < len(region.sentences):
        following = region.sentences[i + 1]
        if all(region.filled[span.start : following.end]) and following.start - span.end <= 2:
            end = following.end
    elif i > 0 and (short or _CONTINUATION.match(cand.text)):
        previous = region.sentences[i - 1]
        if all(region.filled[previous.start : span.end]) and span.start - previous.end <= 2:
            start = previous.start
    return region.base + start, region.base + end, region.text[start:end]


def _label(text: str, figure: Figure) -> str:
    """The few characters before a figure that say what it measures ('专利拥有量')."""
    head = search_form(text[: figure.start])[-10:]
    head = re.sub(r"[\W\d_]+$", "", head)
    return _LABEL_TRIM.sub("", head)[-5:]


def _same_measure(a: Candidate, b: Candidate) -> bool:
    """Both sentences give a figure for the same measure (with different values)."""
    if (a.meta.get("language") == "en") != (b.meta.get("language") == "en"):
        return False
    for fa in a.figures:
        for fb in b.figures:
            if (fa.unit or "") != (fb.unit or ""):
                continue
            la, lb = _label(a.text, fa), _label(b.text, fb)
            if len(la) >= 3 and len(lb) >= 3 and la[-3:] == lb[-3:] and not same_amount(fa, fb):
                return True
    return False


def _neighbour(
    best: Candidate,
    valid: list[Candidate],
    picked: list[tuple[Candidate, int, int, str]],
    after_only: bool = False,
) -> Candidate | None:
    """The better scoring of the sentences right before and after the best one, not yet picked:
    an answer often runs on into the next sentence, or is introduced by the one before."""
    around = [
        c
        for c in valid
        if c.doc_id == best.doc_id
        and c.region is best.region
        and (c.index - best.index == 1 or (c.index - best.index == -1 and not after_only))
        and not _is_heading(c.text)  # a title line adds nothing to the answer
        and not any(p[1] <= c.start < p[2] or c.start <= p[1] < c.end for p in picked)
    ]
    return max(around, key=lambda c: c.score) if around else None


@dataclass
class Choice:
    sentences: list[tuple[Candidate, int, int, str]]  # candidate, start, end, quote
    differing: bool = False


def choose(
    question: Question,
    ranked: list[Candidate],
    min_support: float,
    max_sentences: int,
    second_sentence: float = 0.0,
    short_answer: int = SHORT_ANSWER,
) -> Choice | None:
    valid = [c for c in ranked if not c.reasons]
    if not valid:
        return None
    # The best sentence, or one close to it in score that covers enough of the question. How well
    # a sentence fits the kind of answer asked orders them, but does not make a sentence that
    # covers too little of the question outscore, and so refuse, one that covers enough.
    top = max(c.score - c.fit for c in valid)
    eligible = [
        c
        for c in valid
        if (c.coverage >= min_support or (not question.wants_figure and _paraphrased(c, min_support)))
        and c.score - c.fit >= top - 0.1
        and (not question.wants_figure or _counts(question, c))
        and not _yearless(question, c)
    ]
    if not eligible:
        return None
    best = eligible[0]
    valid = [best] + [c for c in valid if c is not best]
    picked = [(best, *_extend_fragment(best))]
    # A neighbouring sentence that covers what the best one leaves out.
    missing = {g for g, v in best.own.items() if v == 0}
    if missing and len(picked) < max_sentences:
        for other in valid[1:]:
            if other.doc_id != best.doc_id or other.start > best.end + 300 or other.end < best.start - 300:
                continue
            adds = sum(other.own.get(g, 0) for g in missing)
            if adds > 0 and other.coverage >= min_support * 0.6 and other.score >= best.score - 0.3:
                picked.append((other, *_extend_fragment(other)))
                picked.sort(key=lambda p: p[1])
                break
    if second_sentence > 0 and len(picked) == 1 and len(picked) < max_sentences:
        for other in valid[1:]:
            own_share = sum(other.own.values()) / (sum(best.own.values()) or 1.0)
            if (
                other.doc_id == best.doc_id
                and other.score >= best.score - second_sentence
                and own_share >= 0.3
                and not (other.start < picked[0][2] and other.end > picked[0][1])
            ):
                picked.append((other, *_extend_fragment(other)))
                picked.sort(key=lambda p: p[1])
                break
    differing = False
    if question.wants_figure and best.figures:
        for other in valid[1:]:
            if len(picked) >= max_sentences:
                break
            if any(other.doc_id == p[0].doc_id for p in picked):
                continue
            if (
                other.score >= best.score - 0.15
                and other.coverage >= min_support
                and _same_measure(best, other)
            ):
                picked.append((other, *_extend_fragment(other)))
                differing = True
        if differing:
            picked.sort(key=lambda p: str(p[0].meta.get("published") or ""), reverse=True)
    if sum(len(p[3]) for p in picked) < short_answer and len(picked) < max_sentences:
        # A sentence giving the figure asked for leads the answer: only what follows it is added.
        neighbour = _neighbour(best, valid, picked, after_only=question.wants_figure and bool(best.figures))
        if neighbour is not None:
            start, end, quote = _extend_fragment(neighbour)
            if any(start < p[2] and p[1] < end for p in picked):  # it leans on a sentence already quoted
                start, end, quote = neighbour.start, neighbour.end, neighbour.text
            picked.append((neighbour, start, end, quote))
            picked.sort(key=lambda p: p[1])
    return Choice(picked, differing)


def _counts(question: Question, cand: Candidate) -> bool:
    """A sentence answering "how many" names some of what is counted and holds a number (not a
    year, not the 一 of 一站式), in the unit asked where the question names one (多少件: …件)."""
    if cand.held <= 0:
        return False
    text = YEAR.sub("", _NOT_NUMBERS.sub("", search_form(cand.text)))
    if not _NUMBER.search(text):
        return False
    asked = _unit_class(question.counted)
    if asked is None or cand.meta.get("language") == "en":
        return True  # an English sentence counts in words of its own (10 times, 306 experts)
    # Refused only where every number is plainly of another kind (连续五年 for 多少件).
    found = [_unit_class(m.group(1)) for m in _COUNTED_AMOUNT.finditer(text)]
    return not found or any(c is None or c == asked for c in found)


def _unit_class(unit: str | None) -> int | None:
    return next((k for k, units in enumerate(_UNIT_CLASSES) if unit in units), None) if unit else None


def _yearless(question: Question, cand: Candidate) -> bool:
    """ "Which year": neither the sentence nor those beside it (which the answer may quote) name a
    year or an era's year."""
    if question.kind is None or question.kind.name != "year" or cand.fit >= 0:
        return False
    spans = cand.region.sentences[max(0, cand.index - 1) : cand.index + 2]
    return not any(fits(question.kind, search_form(cand.region.text[s.start : s.end])) for s in spans)


def _paraphrased(cand: Candidate, min_support: float) -> bool:
    """A question of many key terms, asked in other words than the passage's (最多只能当多久 for
    任期为四年): less coverage is enough where the sentence itself holds a fair share of the terms
    and the passage lacks none that weighs much. Not for figures: a number must answer what was
    asked, not something near it."""
    return (
        len(cand.own) >= PARAPHRASE_TERMS  # one entry per key term of the question
        and cand.coverage >= min_support * 0.7
        and cand.held >= 0.25
        and cand.absent < 0.3
    )


def fitting(
    sentences: list[tuple[Candidate, int, int, str]], limit: int
) -> list[tuple[Candidate, int, int, str]]:
    """The chosen sentences whose quotes fit in `limit` characters, strongest first: they are quoted in
    document order, so a long weaker one before the best would otherwise push the best out."""
    kept: list[tuple[Candidate, int, int, str]] = []
    used = 0
    for p in sorted(sentences, key=lambda p: -p[0].score):
        if not kept or used + len(p[3]) + 8 <= limit:
            kept.append(p)
            used += len(p[3]) + 8
    return [p for p in sentences if any(p is k for k in kept)]
