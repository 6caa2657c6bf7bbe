"""What the answer selector sees of each candidate sentence and of each question.

Every feature is something the analysis already computes (`assistant.question`,
`assistant.answerers.extractive`, `assistant.question.answer_types`): how much of the question's key terms
the sentence and its neighbours cover, how its passage was retrieved, whether it holds the kind of
answer asked, and its shape. The learned models (`assistant.selection.model`) weigh them; no
weight is set by hand here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answerers.extractive.candidates import Candidate
from assistant.answerers.extractive.choosing import _counts, _paraphrased, _yearless
from assistant.answerers.extractive.regions import RegionCache
from assistant.answerers.extractive.rules import (
    _PLAN_TOKENS,
    _beside,
    _has_person,
    _holds_post,
    _is_heading,
    _qualified,
    role_groups,
)
from assistant.question import YEAR, Question
from assistant.question.answer_types import TYPES, fits
from assistant.selection.measures import Measure, measure_features
from assistant.selection.places import asked_places, named_text, unnamed
from index.analysis import search_form
from index.keyword import KeywordIndex
from index.search import Hit

# Answer kinds as numbers (LightGBM reads them as categories): -1 none, then TYPES in order, then identity.
_KIND_CODES = {t.name: i for i, t in enumerate(TYPES)} | {"identity": len(TYPES)}
_LANGUAGES = {"zh-Hans": 0, "zh-Hant": 1, "en": 2}

SENTENCE_FEATURES: tuple[str, ...] = (
    # the question
    "q_language",
    "q_kind",
    "q_wants_figure",
    "q_wants_person",
    "q_counted",
    "q_terms",
    "q_years",
    "q_places",
    "q_chars",
    "mixed_languages",
    # retrieval of the sentence's passage
    "chunk_rank",
    "doc_rank",
    "fused_score",
    "bm25_share",
    "bm25_rank",
    "dense",
    "dense_rank",
    # coverage of the question's key terms
    "coverage",
    "coverage_gap",
    "held",
    "held_gap",
    "held_before",
    "held_after",
    "absent",
    "terms_missing",
    "lacked",
    "lacked_near",
    # the kind of answer asked
    "kind_fit",
    "kind_fit_near",
    "figures",
    "figure_beside_terms",
    "figures_qualified",
    "counts",
    "plan_figure",
    "person",
    "yearless",
    "paraphrased",
    "described_missing",
    "asked_year_named",
    "other_year_named",
    # what rules out a sentence
    "wrong_place",
    "wrong_year",
    "missing_entity",
    "wrong_role",
    "place_unnamed",
    # shape and position
    "chars",
    "heading",
    "index_in_region",
    "document_start",
    "outside_chunk",
    "same_language",
    "same_script",
    # the measure asked, character by character (`assistant.selection.measures`)
    "pairs_held",
    "clause_pairs",
    "clause_head",
    "clause_pairs_gap",
    "clause_head_gap",
)

QUESTION_FEATURES: tuple[str, ...] = (
    "q_language",
    "q_kind",
    "q_wants_figure",
    "q_wants_person",
    "q_terms",
    "q_years",
    "q_places",
    "q_chars",
    # (not the number of candidates: it grows with the collection, and leaving articles out to
    # make the unanswerable examples shrinks it, so it told how an example was made, not whether
    # the question is answered: a true paraphrase over a one-article collection was judged wrong)
    "top_bm25",
    "top_dense",
    "best_score",
    "margin",
    "margin_other_doc",
    "best_share",
    "best_docs_top5",
    "best_is_top_doc",
    "best_coverage",
    "best_held",
    "best_absent",
    "best_terms_missing",
    "best_lacked",
    "best_lacked_near",
    "best_place_unnamed",
    "best_kind_fit",
    "best_figures",
    "best_counts",
    "best_rules",
    "best_chunk_rank",
    "best_fused_score",
    "best_same_language",
    "answer_chars",
    # the answer judged: the rules' choice (when they answer) or the ranker's
    "by_rules",
    "ranker_gap",
    "ranker_rank",
    "sentences",
    "best_pairs_held",
    "best_clause_pairs",
    "best_clause_head",
    "best_clause_pairs_gap",
    "best_clause_head_gap",
)


@dataclass
class _Context:
    """What every candidate of one question shares."""

    question: Question
    language: int
    mixed: bool
    top_score: float
    top_bm25: float
    doc_ranks: dict[str, int]
    best_coverage: float
    best_held: float
    held_at: dict[tuple[int, int], float]
    asked: set[str]
    described: list[int]
    roles: tuple[list[int], list[int]]
    keyword: KeywordIndex
    regions: RegionCache  # each candidate's region analysed once per question, not once per sentence
    places: list[tuple[str, str]]  # cities and districts the question names: (Chinese, English)
    named: dict[int, str]  # per region: its sentences, title and document place, for place names


def _context(
    question: Question, cands: Sequence[Candidate], hits: Sequence[Hit], keyword: KeywordIndex
) -> _Context:
    english = question.language == "en"
    docs = list(dict.fromkeys(h.doc_id for h in hits))
    return _Context(
        question=question,
        language=_LANGUAGES.get(question.language, 0),
        mixed=any((h.meta.get("language") == "en") != english for h in hits),
        # Trained on the default fusion's scale (Hit.base_score), as base_dense.
        top_score=max((h.base_score for h in hits), default=1.0) or 1.0,
        top_bm25=max((h.bm25 for h in hits), default=1.0) or 1.0,
        doc_ranks={d: i for i, d in enumerate(docs)},
        best_coverage=max((c.coverage for c in cands), default=0.0),
        best_held=max((c.held for c in cands), default=0.0),
        held_at={(id(c.region), c.index): c.held for c in cands},
        asked={t for group in question.groups for t in group},
        described=[g for g, group in enumerate(question.groups) if group[0] == question.described],
        roles=role_groups(question),
        keyword=keyword,
        regions=RegionCache.of(keyword),
        places=asked_places(question.form),
        named={},
    )


def _place_unnamed(ctx: _Context, c: Candidate) -> float:
    """1 where a city the question names is not named around the sentence; NaN where it names none."""
    if ctx.places and id(c.region) not in ctx.named:
        ctx.named[id(c.region)] = named_text(ctx.regions.get(c.hit, ctx.keyword).forms, c.meta)
    return unnamed(ctx.places, ctx.named[id(c.region)]) if ctx.places else math.nan


def question_part(question: Question, mixed: bool) -> list[float]:
    kind = question.kind
    return [
        _LANGUAGES.get(question.language, 0),
        _KIND_CODES.get(kind.name, -1) if kind else -1,
        float(question.wants_figure),
        float(question.wants_person),
        float(question.counted is not None),
        len(question.groups),
        float(bool(question.years)),
        float(bool(question.places or question.other_places)),
        len(question.form),
        float(mixed),
    ]


def _kind_fit(question: Question, form: str) -> float:
    return float(fits(question.kind, form)) if question.kind is not None else math.nan


def sentence_features(
    question: Question, cands: Sequence[Candidate], hits: Sequence[Hit], keyword: KeywordIndex
) -> list[list[float]]:
    """One row of `SENTENCE_FEATURES` per candidate, in the order given. `keyword`: the index the
    candidates were scored over (its per-sentence analysis is reused)."""
    ctx = _context(question, cands, hits, keyword)
    head = question_part(question, ctx.mixed)
    measures = _measures(ctx, cands)
    return [
        head + _retrieval(ctx, c) + _coverage(ctx, c) + _answer_kind(ctx, c) + _shape(ctx, c) + m
        for c, m in zip(cands, measures, strict=True)
    ]


def _measures(ctx: _Context, cands: Sequence[Candidate]) -> list[list[float]]:
    """Each candidate's hold on the measure asked, and how far the best candidate's exceeds it."""
    measure = Measure.of(ctx.question.form)
    figure = ctx.question.wants_figure
    own = [
        measure_features(measure, ctx.regions.get(c.hit, ctx.keyword).forms[c.index], figure) for c in cands
    ]
    best_pairs = max((o[1] for o in own if not math.isnan(o[1])), default=math.nan)
    best_head = max((o[2] for o in own if not math.isnan(o[2])), default=math.nan)
    return [[*o, best_pairs - o[1], best_head - o[2]] for o in own]


def _retrieval(ctx: _Context, c: Candidate) -> list[float]:
    hit = c.hit
    return [
        c.rank,
        ctx.doc_ranks.get(c.doc_id, len(ctx.doc_ranks)),
        hit.base_score / ctx.top_score,
        hit.bm25 / ctx.top_bm25,
        hit.ranks.get("bm25", math.nan),
        hit.base_dense if "dense" in hit.ranks else math.nan,
        hit.ranks.get("dense", math.nan),
    ]


def _coverage(ctx: _Context, c: Candidate) -> list[float]:
    key = id(c.region)
    missing = sum(1 for v in c.own.values() if v == 0)
    return [
        c.coverage,
        ctx.best_coverage - c.coverage,
        c.held,
        ctx.best_held - c.held,
        ctx.held_at.get((key, c.index - 1), math.nan),
        ctx.held_at.get((key, c.index + 1), math.nan),
        c.absent,
        missing / (len(c.own) or 1),
        c.lacked,
        c.lacked_near,
    ]


def _figure_part(ctx: _Context, c: Candidate, form: str, tokens: frozenset[str]) -> list[float]:
    q = ctx.question
    if not q.wants_figure:
        return [math.nan] * 4
    return [
        float(any(_beside(form, f, ctx.asked) for f in c.figures)),
        float(bool(c.figures) and all(_qualified(form, f, q) for f in c.figures)),
        float(_counts(q, c)),
        float(bool(c.figures) and bool(tokens & _PLAN_TOKENS)),
    ]


def _answer_kind(ctx: _Context, c: Candidate) -> list[float]:
    q = ctx.question
    region = ctx.regions.get(c.hit, ctx.keyword)  # the sentences of c.region, analysed once
    form, tokens = region.forms[c.index], region.tokens[c.index]
    near_fit = math.nan
    if q.kind is not None:
        near = region.forms[max(0, c.index - 1) : c.index + 2]
        near_fit = max((_kind_fit(q, f) for f in near), default=0.0)
    person = q.wants_person and (_has_person(c.text) or _has_person(form))
    years = set(YEAR.findall(form))
    roles, orgs = ctx.roles
    wrong_role = bool(roles) and not (
        person and _holds_post(q, roles, tokens, "role") and _holds_post(q, orgs, tokens, "org")
    )
    return [
        _kind_fit(q, form),
        near_fit,
        len(c.figures),
        *_figure_part(ctx, c, form, tokens),
        float(person),
        float(_yearless(q, c)),
        float(_paraphrased(c, 0.5)),
        float(any(c.own.get(g, 0) == 0 for g in ctx.described)),
        float(bool(years & q.years)) if q.years else math.nan,
        float(bool(years - q.years)) if q.years else math.nan,
        float("place" in c.reasons),
        float("year" in c.reasons),
        float("entity" in c.reasons),
        float(wrong_role),
        _place_unnamed(ctx, c),
    ]


def _shape(ctx: _Context, c: Candidate) -> list[float]:
    english_question = ctx.question.language == "en"
    language = str(c.meta.get("language", ""))
    return [
        len(search_form(c.text)),
        float(_is_heading(c.text)),
        c.index,
        float(c.start == 0),
        float(c.start < int(c.meta.get("start", 0)) or c.end > int(c.meta.get("end", 0))),
        float((language == "en") == english_question),
        float(language == ctx.question.language),
    ]


def question_features(
    rows: np.ndarray,
    scores: np.ndarray,
    docs: np.ndarray,
    answer_chars: float,
    retrieval: np.ndarray,
    judged: int | None = None,
    sentences: int = 1,
) -> list[float]:
    """One row of `QUESTION_FEATURES`: the question, the answer judged and how clearly the ranker's
    best sentence stands out. `rows` are the candidates' `SENTENCE_FEATURES`, `scores` the ranker's,
    `docs` a number per candidate's document, `retrieval` the best BM25 score and cosine of the
    question's passages. `judged`: the candidate the rules chose (None: they refused, and the
    ranker's best is judged); `answer_chars` and `sentences`: the length and sentences of its answer."""
    order = np.argsort(-scores, kind="stable")
    best = int(order[0]) if judged is None else judged
    row = rows[best]
    top = float(scores[order[0]])
    second = float(scores[order[1]]) if len(order) > 1 else top - 10.0
    others = scores[docs != docs[best]]
    other_doc = float(others.max()) if len(others) else top - 10.0
    share = float(np.exp(scores[best] - top)) / float(np.exp(scores - top).sum())
    rules = sum(row[_AT[k]] for k in ("wrong_place", "wrong_year", "missing_entity", "wrong_role"))
    return [
        *(float(row[_AT[name]]) for name in QUESTION_FEATURES[:8]),
        float(retrieval[0]),
        float(retrieval[1]),
        float(scores[best]),
        top - second,
        float(scores[best]) - other_doc,
        share,
        float(len(set(docs[order[:5]].tolist()))),
        float(row[_AT["doc_rank"]] == 0),
        *(float(row[_AT[name]]) for name in _BEST_COPIED),
        float(rules),
        float(row[_AT["chunk_rank"]]),
        float(row[_AT["fused_score"]]),
        float(row[_AT["same_language"]]),
        float(answer_chars),
        float(judged is not None),
        top - float(scores[best]),
        float(int(np.flatnonzero(order == best)[0])),
        float(sentences),
        *(float(row[_AT[name]]) for name in _MEASURES),
    ]


_AT = {name: i for i, name in enumerate(SENTENCE_FEATURES)}
_MEASURES = ("pairs_held", "clause_pairs", "clause_head", "clause_pairs_gap", "clause_head_gap")
_BEST_COPIED: tuple[str, ...] = ("coverage", "held", "absent", "terms_missing", "lacked", "lacked_near")
_BEST_COPIED += ("place_unnamed", "kind_fit", "figures", "counts")  # the judged sentence's, as they are
