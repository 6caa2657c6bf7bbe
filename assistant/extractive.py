"""Answers built from retrieved sentences, without an LLM.

Every sentence of the retrieved chunks is scored against the question: how much of the question's
key terms (IDF-weighted) it covers itself or through its immediate context, whether it holds a
figure when a figure is asked for, and the rank of its chunk. The question is refused when no
sentence covers enough of it, or when the place or year it names is not what the passage is about.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from assistant.question import Question
from index.analysis import CONCEPT_PREFIX, search_tokens
from index.chunking import split_sentences
from index.figures import find_figures
from index.glossary import default_glossary
from index.keyword import KeywordIndex
from index.normalize import normalize
from index.search import Hit

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_RELATIVE_YEARS = {"去年": -1, "今年": 0, "上年": -1, "last year": -1, "this year": 0}


@dataclass
class Candidate:
    doc_id: str
    start: int  # offsets in the original document
    end: int
    text: str
    hit: Hit
    rank: int
    context: str  # the chunk around it, for places and years
    coverage: float = 0.0
    score: float = 0.0
    figures: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def meta(self) -> dict:
        return self.hit.meta


def unit_weights(question: Question, keyword: KeywordIndex) -> dict[str, float]:
    """IDF of each key term; a term found nowhere in the collection weighs the most."""
    n = max(len(keyword), 1)
    ceiling = math.log(1 + (n + 0.5) / 0.5)
    weights = {}
    for unit in question.units:
        idf = keyword.idf(unit)
        weights[unit] = idf if idf > 0 else ceiling
        if unit.startswith(CONCEPT_PREFIX):
            weights[unit] *= 0.8
    return weights


def _doc_places(meta: dict, title: str) -> set[str]:
    glossary = default_glossary()
    return glossary.places(normalize(f"{meta.get('region', '')} {title}"))


def _years_of(text: str, published: str) -> set[str]:
    years = set(_YEAR.findall(text))
    if published[:4].isdigit():
        base = int(published[:4])
        form = normalize(text)
        for phrase, delta in _RELATIVE_YEARS.items():
            if phrase in form:
                years.add(str(base + delta))
    return years


def candidates(question: Question, hits: list[Hit], keyword: KeywordIndex) -> list[Candidate]:
    weights = unit_weights(question, keyword)
    total = sum(weights.values()) or 1.0
    glossary = default_glossary()
    seen: set[tuple[str, int]] = set()
    out: list[Candidate] = []
    for rank, hit in enumerate(hits):
        base = int(hit.meta.get("start", 0))
        chunk_tokens = set(search_tokens(hit.text))
        title = str(hit.meta.get("title", ""))
        title_tokens = set(search_tokens(title))
        doc_places = _doc_places(hit.meta, title)
        sentences = split_sentences(hit.text)
        for i, span in enumerate(sentences):
            key = (hit.doc_id, base + span.start)
            if key in seen:
                continue
            seen.add(key)
            text = hit.text[span.start : span.end]
            tokens = set(search_tokens(text))
            window = sentences[max(0, i - 2) : i + 2]
            near = set()
            for other in window:
                near.update(search_tokens(hit.text[other.start : other.end]))
            own = sum(w for u, w in weights.items() if u in tokens)
            ctx = sum(w for u, w in weights.items() if u not in tokens and (u in near or u in title_tokens))
            far = sum(w for u, w in weights.items()
                      if u not in tokens and u not in near and u not in title_tokens and u in chunk_tokens)
            coverage = (own + 0.6 * ctx + 0.3 * far) / total
            cand = Candidate(hit.doc_id, base + span.start, base + span.end, text, hit, rank,
                             hit.text, coverage=coverage)
            figures = [f for f in find_figures(text) if not _YEAR.fullmatch(f.text.rstrip("年"))]
            cand.figures = [f.text for f in figures]
            score = coverage
            if question.wants_figure:
                score += 0.15 if figures else -0.25
            if question.wants_person and not re.search(r"[\u4e00-\u9fff]{2,3}(?:在|表示|介绍|说|强调|致辞)|局长|书记|主任|[A-Z][a-z]+ [A-Z][a-z]+", text):
                score -= 0.1
            score -= 0.01 * rank
            if len(normalize(text)) < 6:
                score -= 0.3
            # Places: a place the question names must be what the passage is about.
            if question.places:
                sentence_places = glossary.places(normalize(text))
                context_places = glossary.places(normalize(" ".join(
                    hit.text[o.start : o.end] for o in window)))
                about = sentence_places | (doc_places if not (sentence_places - question.places) else set())
                if not question.places & (about | (context_places if not sentence_places else set())):
                    cand.reasons.append("place")
            if question.other_places:
                form = normalize(hit.text + title)
                if not any(p in form for p in question.other_places):
                    cand.reasons.append("place")
            if question.years:
                years = _years_of(" ".join(hit.text[o.start : o.end] for o in window) + " " + title,
                                  str(hit.meta.get("published", "")))
                if not question.years & years:
                    if question.years & _years_of(hit.text, str(hit.meta.get("published", ""))):
                        score -= 0.1
                    else:
                        cand.reasons.append("year")
            cand.score = score
            out.append(cand)
    out.sort(key=lambda c: -c.score)
    return out
