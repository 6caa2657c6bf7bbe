"""What the composers of answers of more than one sentence share: sentences with their place in
a document, the figure of a clause that best matches a phrase, the period a sentence is about, a
redundancy-aware pick (MMR), and the rendering of lines with numbered citations."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.answerers.extractive.candidates import Candidate
from assistant.answerers.extractive.regions import region_of
from assistant.models import Answer, Citation
from index.analysis import CONCEPT_PREFIX, search_form, search_tokens
from index.figures import Figure, find_figures, gloss
from index.glossary import default_glossary
from index.keyword import KeywordIndex
from index.normalize import to_simplified, to_traditional
from index.search import Hit

YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_CLAUSE = re.compile(r"[，；;、。：:！？!?（）()]|(?<!\d),|,(?!\d)|\s(?:and|with|while)\s|(?<=[^0-9])\.\s")
_TIME_UNITS = frozenset({"年", "月", "日", "天"})
_HEADING_MAX = 24
ANSWER_LIMIT = 600


@dataclass(frozen=True)
class Sentence:
    """A sentence (or line) of a document: offsets into the original text, and the document's
    metadata (title, source, date, language, region)."""

    doc_id: str
    start: int
    end: int
    text: str
    meta: dict[str, Any] = field(compare=False, hash=False)
    score: float = field(default=0.0, compare=False, hash=False)
    para: int = field(default=-1, compare=False, hash=False)  # the line it stands in, in its document
    headline: bool = field(default=False, compare=False, hash=False)  # the title, 原标题 or a heading

    @property
    def published(self) -> str:
        return str(self.meta.get("published") or "")


def of_candidate(cand: Candidate) -> Sentence:
    return Sentence(
        cand.doc_id, cand.start, cand.end, cand.text, cand.meta, cand.score, headline=cand.headline
    )


def of_citation(cit: Citation) -> Sentence:
    meta = {"title": cit.title, "source": cit.source, "published": cit.published, "language": cit.language}
    return Sentence(cit.doc_id, cit.start, cit.end, cit.quote, meta, cit.score)


def document_sentences(hit: Hit, keyword: KeywordIndex) -> list[Sentence]:
    """Every sentence of the document `hit` belongs to, in order (stitched from its chunks)."""
    chunk = int(hit.meta.get("chunk", 0))
    region = region_of(hit, keyword, before=chunk, after=400)
    out: list[Sentence] = []
    line, last = 0, 0
    for span, headline in zip(region.sentences, region.headlines, strict=True):
        line += region.text.count("\n", last, span.start)
        last = span.start
        if not all(region.filled[span.start : span.end]):
            continue
        text = region.text[span.start : span.end]
        out.append(
            Sentence(
                hit.doc_id,
                region.base + span.start,
                region.base + span.end,
                text,
                hit.meta,
                0.0,
                line,
                headline,
            )
        )
    return out


def is_heading(sentence: Sentence, document: str | None = None) -> bool:
    """A short line without a closing stop: it heads the lines under it."""
    text = sentence.text.strip()
    return len(text) <= _HEADING_MAX and not re.search(r"[。！？!?；;.,，]$", text)


def terms(text: str) -> frozenset[str]:
    """Search tokens of `text` (words, character pairs, concepts) that are not numbers."""
    return frozenset(t for t in search_tokens(text) if not any(ch.isdigit() for ch in t))


def overlap(wanted: frozenset[str], text: str) -> float:
    """The share of `wanted` that `text` holds. Across languages (a Chinese question, an English
    sentence) only concepts can match, so the share is of the question's concepts."""
    wanted = reachable(wanted, text)
    return len(wanted & terms(text)) / len(wanted) if wanted else 0.0


def reachable(wanted: frozenset[str], text: str) -> frozenset[str]:
    """The terms of `wanted` that `text` could hold: across languages only concepts."""
    if _cjk(text) != any(_cjk(t) for t in wanted):
        return frozenset(t for t in wanted if t.startswith(CONCEPT_PREFIX))
    return wanted


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def weighted_overlap(wanted: frozenset[str], text: str, idf: Callable[[str], float]) -> float:
    """The share of `wanted` that `text` holds, each term weighed by its rarity in the collection:
    a name (侯向宇) counts for more than a common word (担任). Across languages, of the concepts."""
    wanted = reachable(wanted, text)
    # fsum: exact whatever the order a set of strings iterates in (PYTHONHASHSEED), so a sentence
    # that holds every term scores 1.0 in every process and ties between sentences stay ties.
    total = math.fsum(idf(t) for t in wanted)
    return math.fsum(idf(t) for t in wanted & terms(text)) / total if total else 0.0


def countable(fig: Figure) -> bool:
    """A figure that counts or measures something: not a year, date or duration."""
    if fig.unit in _TIME_UNITS:
        return False
    return not (fig.unit is None and YEAR.fullmatch(fig.text.strip()) is not None)


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of the clauses of `text` (cut at commas, enumeration commas, stops, 'and')."""
    spans, last = [], 0
    for m in _CLAUSE.finditer(text):
        if m.start() > last:
            spans.append((last, m.start()))
        last = m.end()
    if last < len(text):
        spans.append((last, len(text)))
    return spans


@dataclass(frozen=True)
class Match:
    figure: Figure
    sentence: Sentence
    share: float  # how much of the phrase the clause holding the figure covers


def family(fig: Figure) -> str:
    """money, share (%) or count (件, 家, 所, 个 … alike)."""
    return {"元": "money", "usd": "money", "%": "share"}.get(fig.unit or "", "count")


def figure_for(
    wanted: frozenset[str],
    sentence: Sentence,
    taken: Sequence[Figure] = (),
    idf: Callable[[str], float] | None = None,
    kind: str | None = None,
) -> Match | None:
    """The figure of the clause of `sentence` that best matches `wanted` (ties: the earlier);
    with `idf`, rare terms of `wanted` count for more; with `kind`, only figures of that family."""
    figures = [
        f
        for f in find_figures(sentence.text)
        if countable(f) and f not in taken and (kind is None or family(f) == kind)
    ]
    best: Match | None = None
    spans = clauses(sentence.text)
    text = sentence.text

    def share_of(part: str) -> float:
        return weighted_overlap(wanted, part, idf) if idf else overlap(wanted, part)

    for k, (start, end) in enumerate(spans):
        inside = [f for f in figures if start <= f.start < end]
        if not inside:
            continue
        share = share_of(text[start:end])
        # A short clause (质押金额107亿元) leans on the one before it (办理知识产权质押融资…). An
        # English figure's words follow it: a clause before with a figure of its kind keeps its
        # words (46 arbitration cases and / 349 mediation cases: 'arbitration' is 46's), and a
        # clause after with no figure continues them (300 patent and / trademark cases).
        english = not _cjk(text)
        before = spans[k - 1] if k else None
        if before is not None and not (english and _counts_alike(text, before, inside[0])):
            share = max(share, 0.9 * share_of(text[before[0] : end]))
        after = spans[k + 1] if k + 1 < len(spans) and english else None
        if after is not None and not any(countable(f) for f in find_figures(text[after[0] : after[1]])):
            share = max(share, 0.9 * share_of(text[start : after[1]]))
        if best is None or share > best.share:
            best = Match(_own_figure(inside, text, start, end, share_of), sentence, share)
    return best


def _counts_alike(text: str, span: tuple[int, int], fig: Figure) -> bool:
    """Whether a clause holds a figure of the same family as `fig` (its words describe that one)."""
    return any(countable(f) and family(f) == family(fig) for f in find_figures(text[span[0] : span[1]]))


def _own_figure(
    inside: Sequence[Figure], text: str, start: int, end: int, share_of: Callable[[str], float]
) -> Figure:
    """Of several figures in one clause (获1金2银7优秀), the one whose own words hold the most of
    what is asked (ties: the earlier): the words from the figure before it to the figure after."""
    if len(inside) == 1:
        return inside[0]
    bounds = [start, *(f.end for f in inside)]
    nexts = [*(f.start for f in inside[1:]), end]
    scored = [(share_of(text[bounds[i] : nexts[i]]), -i) for i in range(len(inside))]
    return inside[-max(scored)[1]]


def period(sentence: Sentence, around: Sequence[Sentence] = ()) -> str:
    """The year a sentence is about: one it names, else one a heading just above it names (计划到
    2025年 over a list of targets), else its document's publication year."""
    named = YEAR.findall(to_simplified(sentence.text))
    if named:
        return named[0]
    published = sentence.published[:4]
    for word, delta in (("去年", -1), ("上年", -1), ("last year", -1)):
        if published.isdigit() and word in to_simplified(sentence.text).lower():
            return str(int(published) + delta)
    before = [s for s in around if s.doc_id == sentence.doc_id and s.end <= sentence.start]
    for above in reversed(before[-8:]):
        if not is_heading(above):
            break
        found = YEAR.findall(above.text)
        if found:
            return found[0]
    return sentence.published[:4]


def mmr(
    pool: Sequence[Sentence], relevance: Callable[[Sentence], float], k: int, weight: float = 0.7
) -> list[Sentence]:
    """Up to `k` sentences of `pool`, each the most relevant less its likeness to those taken."""
    chosen: list[Sentence] = []
    left = [s for s in pool if relevance(s) > 0]
    grams = {s: terms(s.text) for s in left}
    while left and len(chosen) < k:

        def gain(s: Sentence) -> float:
            like = max((_jaccard(grams[s], grams[c]) for c in chosen), default=0.0)
            return weight * relevance(s) - (1 - weight) * like

        best = max(left, key=gain)
        chosen.append(best)
        left.remove(best)
    return chosen


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def place_name(place: str, language: str) -> str:
    """A glossary place (its id or a Chinese name) as the question's language writes it."""
    glossary = default_glossary()
    ids = [place] if place in glossary.concepts else sorted(glossary.places(search_form(place)))
    if not ids:
        return place
    concept = glossary.concepts[ids[0]]
    if language == "en" and concept.en:
        return concept.en[0].title()
    return concept.zh[0] if concept.zh else place


def shown(text: str, language: str, source_language: str) -> str:
    """A quote as the answer shows it: in the question's script, Simplified or Traditional (the
    citation keeps the original), on one line."""
    body = " ".join(text.split())
    if language == "zh-Hans" and source_language == "zh-Hant":
        body = to_simplified(body)
    elif language == "zh-Hant" and source_language == "zh-Hans":
        body = to_traditional(body)
    return body


def _outermost(sentences: Sequence[Sentence]) -> list[Sentence]:
    """The sentences less those another one of them holds (a clause quoted again in its sentence)."""
    return [
        s
        for s in sentences
        if not any(
            o.doc_id == s.doc_id
            and o.start <= s.start
            and s.end <= o.end
            and (o.start, o.end) != (s.start, s.end)
            for o in sentences
        )
    ]


def render(
    question: str,
    searched: str,
    language: str,
    lead: Sequence[str],
    sentences: Sequence[Sentence],
    notes: Sequence[str] = (),
    limit: int = ANSWER_LIMIT,
) -> Answer:
    """An answer of `lead` lines, then each sentence quoted once with its citation number; a
    headline line (the title, a 原标题 line, a heading) is no sentence's evidence and is not quoted."""
    citations: list[Citation] = []
    lines = [line for line in lead if line]
    seen: set[tuple[str, int, int]] = set()
    for s in _outermost([s for s in sentences if not s.headline]):
        key = (s.doc_id, s.start, s.end)
        if key in seen:
            continue
        seen.add(key)
        source_language = str(s.meta.get("language", ""))
        glosses = []
        if language == "en" and source_language != "en":
            glosses = [g for f in find_figures(s.text) if (g := gloss(f))]
        n = len(citations) + 1
        body = shown(s.text, language, source_language)
        if glosses:
            body += f" ({'; '.join(glosses)})"
        line = f"{body} [{n}]"
        if sum(len(x) + 1 for x in lines) + len(line) > limit and citations:
            continue  # a shorter sentence after it may still fit
        lines.append(line)
        citations.append(Citation.of_chunk(n, s.doc_id, s.meta, s.text, s.start, s.score, glosses))
    return Answer(
        question=question,
        searched_question=searched,
        answer="\n".join(lines),
        answerable=True,
        language=language,
        citations=citations,
        notes=list(notes),
    )
