"""Every sentence of the retrieved passages as a scored candidate answer.

Every sentence of the retrieved chunks is scored against the question: how much of the question's
key terms (IDF-weighted groups) it covers itself, through its neighbouring sentences, or through
its passage; whether it holds a figure when a figure is asked for; the rank of its chunk. A
sentence is ruled out when the place or year the question names is not what it is about. The
question is refused when no sentence that is left covers enough of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from assistant.answerers.extractive.regions import Analysed, Region, RegionCache
from assistant.answerers.extractive.rules import (
    _PLAN_TOKENS,
    _beside,
    _covers,
    _elsewhere,
    _has_person,
    _holds_post,
    _is_heading,
    _qualified,
    _years,
    role_groups,
)
from assistant.answerers.extractive.terms import _credit, _weights, joined_groups, named_groups
from assistant.deadline import checkpoint
from assistant.question import BROAD_PLACES, YEAR, Question
from assistant.question.answer_types import fits
from index.analysis import CONCEPT_PREFIX, places, search_form, search_tokens
from index.figures import Figure
from index.keyword import KeywordIndex
from index.search import Hit

# A group's credit through the sentences around a sentence (NEAR_BEFORE, NEAR_AFTER) and through
# the rest of its passage or title, as a share of what the sentence itself would earn.
NEAR_CREDIT, FAR_CREDIT = 0.6, 0.3
NEAR_BEFORE, NEAR_AFTER = 2, 1  # the sentences around a sentence
# Sentences this far before (list headings scope far) and after a sentence say which years it is about.
YEAR_SCOPE_BEFORE, YEAR_SCOPE_AFTER = 8, 1
# Score adjustments, each added to a sentence's coverage (its share of the question's weight).
OUTSIDE_CHUNK = 0.05  # taken off a sentence of a neighbouring chunk rather than the hit itself
FIGURE_HELD = 0.15  # a figure asked for and the sentence holds one
FIGURE_MISSING = 0.25  # taken off when a figure is asked for and the sentence holds none
FIGURE_BESIDE_TERM = 0.1  # a figure right beside a key term counts what was asked
FIGURE_QUALIFIED = 0.1  # taken off when every figure measures something narrower (per 10,000 people)
PERSON_NAMED = 0.1  # added, or taken off, as a "who" question's sentence names a person or not
TOO_SHORT_CHARS = 6  # a sentence shorter than this (search form) is a fragment ...
TOO_SHORT = 0.3  # ... and loses this
PLANNED_FIGURE = 0.15  # taken off a target or plan's figure when what was achieved is asked
# Taken off a sentence that does not name what a "what kind of X" question asks to describe.
DESCRIBED_MISSING = 0.25
# Frames that ask for a sum of money (金额, amount): a sentence stating one holds them.
_MONEY_FRAMES = frozenset({CONCEPT_PREFIX + "amount"})
_WORD = re.compile(r"[^\W_]")  # a letter, digit or CJK character: a sentence without one says nothing


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
    # Share of the question's weight of the heaviest key term the sentence itself lacks, and of
    # the heaviest that neither it, its neighbours nor the title hold: what the answer would not say.
    lacked: float = 0.0
    lacked_near: float = 0.0
    figures: list[Figure] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def meta(self) -> dict[str, Any]:
        return self.hit.meta

    @property
    def headline(self) -> bool:
        """The sentence is a headline line: the title, a 原标题 line or a heading over its paragraph."""
        return self.region.headlines[self.index]


@dataclass
class _Scoring:
    """What every sentence of a question is scored with."""

    question: Question
    groups: list[tuple[str, ...]]
    weights: dict[str, float]
    group_weights: list[float]
    total: float
    retrieval_weight: float
    top_score: float
    type_weight: float
    named: list[int]
    asked: set[str]
    asks_plan: bool
    roles: list[int]
    role_orgs: list[int]
    described: list[int]


def _scoring(
    question: Question,
    hits: list[Hit],
    keyword: KeywordIndex,
    retrieval_weight: float,
    mixed_retrieval_weight: float,
    type_weight: float,
) -> _Scoring:
    groups = joined_groups(question, keyword)
    weights, own_weights, any_weights = _weights(groups, keyword, question)
    # The default fusion's scale whatever the embedder (Hit.base_score): the weights were set on it.
    top_score = max((h.base_score for h in hits), default=1.0) or 1.0
    # One scale for every candidate of a question, so that their coverages compare: where passages
    # in the other language compete, translations count at what the collection knows of them;
    # where all are in the question's language, a word weighs what its own forms weigh.
    english_question = question.language == "en"
    mixed = any((h.meta.get("language") == "en") != english_question for h in hits)
    group_weights = any_weights if mixed else own_weights
    asked = {t for group in groups for t in group}
    roles, role_orgs = role_groups(question)
    return _Scoring(
        question=question,
        groups=groups,
        weights=weights,
        group_weights=group_weights,
        total=sum(group_weights) or 1.0,
        retrieval_weight=mixed_retrieval_weight if mixed else retrieval_weight,
        top_score=top_score,
        type_weight=type_weight,
        named=named_groups(question),
        asked=asked,
        asks_plan=bool(asked & _PLAN_TOKENS),
        roles=roles,
        role_orgs=role_orgs,
        described=[g for g, group in enumerate(groups) if group[0] == question.described],
    )


@dataclass
class _Passage:
    """One retrieved hit's region, with what each of its sentences and its title hold of the question."""

    hit: Hit
    rank: int
    a: Analysed
    title_form: str
    published: str
    doc_places: frozenset[str]
    chunk_lo: int
    chunk_hi: int
    credit: list[list[float]]  # credit[i][g]: how much of group g sentence i holds itself
    title_credit: list[float]
    far: list[float]  # the best credit of each group anywhere in the passage or its title
    absent: float


def _passage(sc: _Scoring, hit: Hit, rank: int, a: Analysed) -> _Passage:
    question, groups, weights, group_weights = sc.question, sc.groups, sc.weights, sc.group_weights
    title = str(hit.meta.get("title", ""))
    published = str(hit.meta.get("published", ""))
    title_form = search_form(title)
    title_tokens = frozenset(search_tokens(title))
    asked = frozenset(t for grp in groups for t in grp if t.startswith(CONCEPT_PREFIX))
    credit = [
        [
            _credit(grp, a.tokens[i], a.forms[i], weights, group_weights[g], question.borrowed, asked)
            for g, grp in enumerate(groups)
        ]
        for i in range(len(a.region.sentences))
    ]
    title_credit = [
        _credit(grp, title_tokens, title_form, weights, group_weights[g], question.borrowed, asked)
        for g, grp in enumerate(groups)
    ]
    for g, grp in enumerate(groups):
        if _MONEY_FRAMES & set(grp):  # 金额 asked: a sum of money is the amount (质押贷款实现14.95亿元)
            for i, found in enumerate(a.figures):
                if any(f.unit == "元" for f in found):
                    credit[i][g] = group_weights[g]
    if question.dateline and len(published) >= 10:
        for i, f in enumerate(a.forms):
            if published[:10] in f:  # the date line says when the titled article came out
                credit[i] = [
                    group_weights[g] if grp[0] in question.dateline else max(credit[i][g], title_credit[g])
                    for g, grp in enumerate(groups)
                ]
    far = [max(max(row[g] for row in credit), title_credit[g]) for g in range(len(groups))]
    # The heaviest key term the passage (its sentences and title) lacks, as a share of the question.
    absent = max((group_weights[g] for g in range(len(groups)) if far[g] == 0), default=0.0) / sc.total
    return _Passage(
        hit=hit,
        rank=rank,
        a=a,
        title_form=title_form,
        published=published,
        doc_places=places(search_form(f"{hit.meta.get('region', '')} {title}")) - BROAD_PLACES,
        chunk_lo=int(hit.meta.get("start", 0)) - a.region.base,
        chunk_hi=int(hit.meta.get("end", 0)) - a.region.base,
        credit=credit,
        title_credit=title_credit,
        far=far,
        absent=absent,
    )


def candidates(
    question: Question,
    hits: list[Hit],
    keyword: KeywordIndex,
    retrieval_weight: float = 0.3,
    mixed_retrieval_weight: float = 0.15,
    type_weight: float = 0.1,
    regions: RegionCache | None = None,
) -> list[Candidate]:
    """Every sentence of the hits' regions (each once), scored and with the rules it breaks, best first."""
    regions = regions or RegionCache()
    sc = _scoring(question, hits, keyword, retrieval_weight, mixed_retrieval_weight, type_weight)
    seen: set[tuple[str, int]] = set()
    out: list[Candidate] = []
    for rank, hit in enumerate(hits):
        checkpoint()  # a passage takes milliseconds; a deadline or a gone asker stops here
        a = regions.get(hit, keyword)
        region, sentences = a.region, a.region.sentences
        if not sentences:
            continue
        passage = _passage(sc, hit, rank, a)
        for i, span in enumerate(sentences):
            key = (hit.doc_id, region.base + span.start)
            if key in seen or not all(region.filled[span.start : span.end]):
                continue
            if not _WORD.search(region.text[span.start : span.end]):
                continue  # punctuation or markup left between two sentences ("!" of "![img](…)")
            seen.add(key)
            out.append(_candidate(sc, passage, i))
    out.sort(key=lambda c: -c.score)
    return out


def _candidate(sc: _Scoring, p: _Passage, i: int) -> Candidate:
    """Sentence `i` of a passage: its coverage of the question, its score, and the rules it breaks."""
    a, region, credit = p.a, p.a.region, p.credit
    span = region.sentences[i]
    near = range(max(0, i - NEAR_BEFORE), min(len(region.sentences), i + 1 + NEAR_AFTER))
    gained = lacked = lacked_near = 0.0
    own: dict[int, float] = {}
    for g in range(len(sc.groups)):
        mine = credit[i][g]
        own[g] = mine
        close = max(max(credit[j][g] for j in near), p.title_credit[g])
        gained += max(mine, NEAR_CREDIT * close, FAR_CREDIT * p.far[g])
        if mine == 0:
            lacked = max(lacked, sc.group_weights[g])
            if close == 0:
                lacked_near = max(lacked_near, sc.group_weights[g])
    text = region.text[span.start : span.end]
    cand = Candidate(
        p.hit.doc_id,
        region.base + span.start,
        region.base + span.end,
        text,
        p.hit,
        p.rank,
        region,
        i,
        coverage=gained / sc.total,
        own=own,
        absent=p.absent,
        held=sum(own.values()) / sc.total,
        lacked=lacked / sc.total,
        lacked_near=lacked_near / sc.total,
    )
    cand.figures = a.figures[i]
    outside = span.start < p.chunk_lo or span.end > p.chunk_hi  # a neighbouring chunk's sentence
    score = (
        cand.coverage
        + sc.retrieval_weight * p.hit.base_score / sc.top_score
        - (OUTSIDE_CHUNK if outside else 0.0)
    )
    score = _score_asked(sc, a, i, cand, score)
    _rule_out(sc, p, i, cand, near)
    cand.score = _score_plans(sc, a, i, cand, score)
    return cand


def _score_asked(sc: _Scoring, a: Analysed, i: int, cand: Candidate, score: float) -> float:
    """The score for holding what kind of answer was asked: a figure, a person, a described thing,
    an answer type; a fragment loses."""
    question, form = sc.question, a.forms[i]
    if question.wants_figure:
        score += FIGURE_HELD if cand.figures else -FIGURE_MISSING
        if any(_beside(form, f, sc.asked) for f in cand.figures):
            score += FIGURE_BESIDE_TERM  # the figure counts what was asked (联盟13家, "13 ... alliances")
        if cand.figures and all(_qualified(form, f, question) for f in cand.figures):
            score -= FIGURE_QUALIFIED  # every figure measures something narrower ("per 10,000 people")
    if any(cand.own[g] == 0 for g in sc.described):
        score -= DESCRIBED_MISSING  # "what kind of 态势": a sentence not naming it describes something else
    person = question.wants_person and (_has_person(cand.text) or _has_person(form))
    if question.wants_person:
        score += PERSON_NAMED if person else -PERSON_NAMED
    if sc.roles and not (
        person
        and _holds_post(question, sc.roles, a.tokens[i], "role")
        and _holds_post(question, sc.role_orgs, a.tokens[i], "org")
    ):
        # "Who heads X": the sentence must name a person with that post at that organisation.
        cand.reasons.append("role")
    if question.kind is not None:
        level = fits(question.kind, form)
        if level:
            cand.fit += sc.type_weight * level  # holds the kind of answer asked (a birthplace, a year)
        elif question.kind.strict:
            cand.fit -= sc.type_weight
        if question.kind.lead and cand.start == 0:
            cand.fit += sc.type_weight  # a document's first sentence says who or what it is about
        score += cand.fit
    if len(form) < TOO_SHORT_CHARS:
        score -= TOO_SHORT
    return score


def _rule_out(sc: _Scoring, p: _Passage, i: int, cand: Candidate, near: range) -> None:
    """The places and named things the question asks about that the sentence is not about."""
    question, a = sc.question, p.a
    if question.places:
        sentence_places = a.places[i]
        context_places = frozenset().union(*(a.places[j] for j in near))
        # The sentence names the place, or the passage around it is about it (a sentence
        # may name partner cities of the place the article is about); but in an article
        # about another place, a neighbouring line naming it (沈阳代办处大连工作站) is not
        # what the sentence's figures are about.
        ok = all(
            _covers(place, sentence_places)
            or _covers(place, p.doc_places)
            or (not _elsewhere(place, p.doc_places) and _covers(place, context_places))
            for place in question.places
        )
        if not ok:
            cand.reasons.append("place")
    if question.other_places and not any(
        place in p.title_form or any(place in f for f in a.forms) for place in question.other_places
    ):
        cand.reasons.append("place")
    _rule_out_years(sc, p, i, cand)
    if any(p.far[g] == 0 for g in sc.named):
        cand.reasons.append("entity")


def _rule_out_years(sc: _Scoring, p: _Passage, i: int, cand: Candidate) -> None:
    question, region = sc.question, p.a.region
    if not question.years:
        return
    sentences = region.sentences
    wide = range(max(0, i - YEAR_SCOPE_BEFORE), min(len(sentences), i + 1 + YEAR_SCOPE_AFTER))
    # A sentence naming a year of its own is about that year, not the one it was published in.
    years = _years(cand.text, p.published, dated=False) if YEAR.search(cand.text) else set()
    if not years:
        # A sentence naming no year is about the years those around it name (a report on
        # 2021 published in 2022), or, where they name none, its publication year.
        around = " ".join(region.text[sentences[j].start : sentences[j].end] for j in wide)
        title = str(p.hit.meta.get("title", ""))
        years = _years(f"{around} {title}", p.published, dated=not YEAR.search(around))
    if not question.years & years:
        cand.reasons.append("year")


def _score_plans(sc: _Scoring, a: Analysed, i: int, cand: Candidate, score: float) -> float:
    """A target (under "计划到2025年": "…达到50亿元") is not an achieved figure."""
    sentences, region = a.region.sentences, a.region
    if (
        sc.question.wants_figure
        and cand.figures
        and not sc.asks_plan
        and (
            a.tokens[i] & _PLAN_TOKENS
            or any(
                a.tokens[j] & _PLAN_TOKENS and _is_heading(region.text[sentences[j].start : sentences[j].end])
                for j in range(max(0, i - YEAR_SCOPE_BEFORE), i)
            )
        )
    ):
        score -= PLANNED_FIGURE
    return score
