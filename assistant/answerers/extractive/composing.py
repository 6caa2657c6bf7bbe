"""An answer composed from chosen sentences: each quoted with its citation; or the refusal, with
the closest passages.

A question asking for a figure is answered directly: the clause of the best sentence that holds
the figure (with the clause it leans on), at most DIRECT_CHARS long, cited; the whole sentence is
in the citation. Other answers quote the chosen sentences, a headline line only where it holds
something asked that the body sentences lack, and a sentence that repeats figures already quoted
(the same fact again) not at all; where the best sentence holds what was asked (the figure, the
person), another sentence is quoted only if it adds a key term the best one lacks. Quotes are
shown in the question's script where the passages allow; to an English question, a Chinese
quote's figures and names are read in English beside it (`readings`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.answerers.extractive.candidates import Candidate
from assistant.answerers.extractive.choosing import Choice
from assistant.answerers.extractive.readings import name_readings, person_readings
from assistant.answerers.extractive.rules import _has_person
from assistant.constants import CANNOT_ANSWER
from assistant.kinds.parts import Match, Sentence, clauses, countable, figure_for, is_heading, shown, terms
from assistant.kinds.sides import context_words
from assistant.models import Answer, Citation
from assistant.question import Question
from assistant.question.analysis import YEAR
from assistant.settings import AnswerSettings
from index.chunking import split_sentences
from index.figures import find_figures, gloss, same_amount
from index.normalize import has_cjk
from index.search import Hit

ELLIPSIS_ROOM = 5  # characters kept free for "… [" when one quote alone is over the answer's limit
DIRECT_CHARS = 150  # the longest direct answer (the clause holding the figure asked for)
DIRECT_SHARE = 0.3  # how much of the question the clause (with the one before) must hold
DIRECT_MARGIN = 0.1  # … more than the clause of any other figure of the sentence
# Which ones (哪几个部分: names, not a count) or when (幾年, 哪一年: a year, which is no figure here).
_NOT_A_COUNT = re.compile(r"哪几|哪些|几年|哪一?年|何时|什么时候|\bwhich\b|\bwhen\b|\bwhat year\b", re.I)
LEANING = 12  # characters: a shorter clause is read with the one before it (质押金额107亿元)


def citation(
    n: int, cand: Candidate, with_gloss: bool = False, span: tuple[int, int, str] | None = None
) -> Citation:
    meta = cand.hit.meta
    start, _, quote = span or (cand.start, cand.end, cand.text)
    glosses = []
    if with_gloss and meta.get("language") != "en":
        glosses = [g for f in find_figures(quote) if (g := gloss(f))]
    return Citation.of_chunk(n, cand.doc_id, meta, quote, start, cand.score, glosses)


def fit(parts: list[str], limit: int) -> str:
    """The parts, one a line, that fit in `limit` characters; a first part alone over it is cut."""
    out: list[str] = []
    for part in parts:
        if len(part) > limit and not out:
            head, _, marker = part.rpartition(" [")
            return head[: limit - len(marker) - ELLIPSIS_ROOM] + "… [" + marker
        if sum(len(p) + 1 for p in out) + len(part) > limit:
            break
        out.append(part)
    return "\n".join(out)


def compose(
    question: Question, choice: Choice, limits: AnswerSettings, idf: Callable[[str], float] | None = None
) -> Answer:
    """The answer quoting the chosen sentences, each with its citation [n]; for a figure asked,
    the clause that holds it."""
    language = question.asked_language
    chosen = _worth_quoting(choice.fitting(limits.max_answer_chars), choice, question)
    best = max(chosen, key=lambda p: p[0].score)
    clause = direct(question, best[3], idf)
    if clause is not None:  # the direct answer first, then the other sentences chosen
        chosen = [best] + [p for p in chosen if p is not best]
    citations: list[Citation] = []
    parts: list[str] = []
    for cand, start, end, quote in chosen:
        n = len(citations) + 1
        cited = citation(n, cand, with_gloss=language == "en", span=(start, end, quote))
        said = clause if clause is not None and n == 1 else None
        body = shown(said or quote, language, cited.language)
        figures = [g for g in cited.figures if said is None or g.split(" = ")[0] in said]
        if language == "en" and cited.language != "en" and n == 1 and _asks_name(question):
            cited.figures = cited.figures + name_readings(quote)  # beside the quote, in the sources
            if question.wants_person:
                figures += person_readings(said or quote)  # the name asked, in the answer
        if figures:
            body += f" ({'; '.join(figures)})"
        if choice.differing:
            label = ", ".join(x for x in (cited.source or cited.title, cited.published) if x)
            body = f"{label}: {body}" if label else body
        part = f"{body} [{n}]"
        if sum(len(p) + 1 for p in parts) + len(part) > limits.max_answer_chars and parts:
            break
        parts.append(part)
        citations.append(cited)
    return Answer(
        question=question.asked,
        searched_question=question.text,
        answer=fit(parts, limits.max_answer_chars),
        answerable=True,
        language=language,
        citations=citations,
    )


def _asks_name(question: Question) -> bool:
    """Who, or which organisation or place: the answer is a name, read in English beside it."""
    return question.wants_person or (
        question.kind is not None and question.kind.name in ("organisation", "place")
    )


def direct(question: Question, quote: str, idf: Callable[[str], float] | None = None) -> str | None:
    """The clause of `quote` holding the figure the question asks for (with the clause before it
    where it is short), when one clause clearly holds more of the question than any other with a
    figure (rare words counting for more with `idf`) and it is much shorter than the quote."""
    if not question.wants_figure or _NOT_A_COUNT.search(question.form):
        return None
    # The place and period hold for every figure of the sentence: they tell none apart.
    wanted = terms(question.text) - terms(" ".join(context_words(question.text)))
    kind = None if question.counted is None else ("money" if question.counted.endswith("元") else "count")
    sentence = Sentence("", 0, len(quote), quote, {})
    found: list[Match] = []
    for _ in range(len(quote)):
        match = figure_for(wanted, sentence, [m.figure for m in found], idf, kind)
        if match is None:
            break
        found.append(match)
    if has_cjk(quote):  # a Chinese figure names its unit (35项); a bare 1 is a label (“1+N”)
        found = [m for m in found if m.figure.unit]
        if any(m.figure.unit == question.counted for m in found):
            found = [m for m in found if m.figure.unit == question.counted]  # 几家: 7家, not 33项
    spans = clauses(quote)
    if question.years:  # a clause that names only other years speaks of another period
        found = [m for m in found if not _other_period(quote, spans, m.figure.start, question.years)]
    found.sort(key=lambda m: -m.share)
    if not found or found[0].share < DIRECT_SHARE:
        return None
    if len(found) > 1 and found[1].share > found[0].share - DIRECT_MARGIN:
        return None  # two figures answer about equally: the whole sentence says which is which
    at = next(k for k, (a, b) in enumerate(spans) if a <= found[0].figure.start < b)
    start, end = spans[at]
    if "、" in (quote[start - 1 : start] + quote[end : end + 1]):
        return None  # one of parallel items (30位…、47位…、61位…为校友): they share what they count
    if at and end - start < LEANING:
        start = spans[at - 1][0]
    text = quote[start:end].strip(" ,，;；:：")
    if len(text) > DIRECT_CHARS or len(text) > 0.8 * len(quote.strip()):
        return None
    return text


def _other_period(quote: str, spans: list[tuple[int, int]], at: int, asked: set[str]) -> bool:
    """Whether the clause holding position `at` names a year and none of the years asked."""
    start, end = next((a, b) for a, b in spans if a <= at < b)
    named = set(YEAR.findall(quote[start:end]))
    return bool(named) and not named & asked


def _worth_quoting(
    chosen: list[tuple[Candidate, int, int, str]], choice: Choice, question: Question
) -> list[tuple[Candidate, int, int, str]]:
    """The chosen sentences less a quote that another chosen one holds, a sentence whose figures
    all repeat those quoted (the same fact again), a headline line (the title, 原标题, a heading
    over a chosen sentence) that adds nothing asked to the body sentences, and, where the best
    sentence holds what was asked (the figure, the person), any other sentence that adds nothing
    asked (`_adds`): sharing words with the question does not earn a place."""
    held = {id(p): h for p in chosen if (h := _holder(p, chosen)) is not None}
    body = [p for p in chosen if not _headline(p, chosen) and id(p) not in held]
    best = _reference(chosen, choice.best, held, body)
    answered = (question.wants_figure and bool(best.figures)) or (
        question.wants_person and _has_person(best.text)
    )
    kept: list[tuple[Candidate, int, int, str]] = []
    for p in chosen:
        if id(p) in held:
            continue
        figures = [f for f in find_figures(p[3]) if countable(f)]
        quoted = [f for o in kept for f in find_figures(o[3]) if countable(f)]
        if figures and all(any(same_amount(f, g) for g in quoted) for f in figures):
            continue
        extra = p[0] is not best and (answered or (bool(body) and not any(p is b for b in body)))
        if extra and not _adds(p[0], best, choice.differing):
            continue
        kept.append(p)
    return kept or chosen


def _reference(
    chosen: list[tuple[Candidate, int, int, str]],
    best: Candidate | None,
    held: dict[int, tuple[Candidate, int, int, str]],
    body: list[tuple[Candidate, int, int, str]],
) -> Candidate:
    """The body sentence the others must add to: the best one, or the quote holding it, or, where
    the best is a headline line, the best scoring body sentence."""
    holder = next((h[0] for p in chosen if p[0] is best and (h := held.get(id(p)))), best)
    if holder is not None and any(p[0] is holder for p in body):
        return holder
    return max(body or chosen, key=lambda p: p[0].score)[0]


def _headline(p: tuple[Candidate, int, int, str], chosen: list[tuple[Candidate, int, int, str]]) -> bool:
    """A headline line of the article, or a heading line just above another chosen sentence of it."""
    if p[0].headline:
        return True
    after = next((o for o in chosen if o[0].doc_id == p[0].doc_id and o[1] > p[1]), None)
    return _heading(p[3]) and after is not None and not _heading(after[3])


def _holder(
    p: tuple[Candidate, int, int, str], chosen: list[tuple[Candidate, int, int, str]]
) -> tuple[Candidate, int, int, str] | None:
    """Another chosen quote of the same article that holds `p`'s."""
    return next(
        (
            o
            for o in chosen
            if o is not p
            and o[0].doc_id == p[0].doc_id
            and o[1] <= p[1]
            and p[2] <= o[2]
            and (o[1], o[2]) != (p[1], p[2])
        ),
        None,
    )


def _adds(cand: Candidate, best: Candidate, differing: bool) -> bool:
    """A sentence beyond the best one adds what was asked: a key term the best one lacks (what it
    completes), the figure the best one lacks, or another article's figure for the same measure."""
    if differing and cand.doc_id != best.doc_id:
        return True
    if cand.figures and not best.figures:
        return True
    return any(credit > 0 and best.own.get(g, 0) == 0 for g, credit in cand.own.items())


def _heading(text: str) -> bool:
    return is_heading(Sentence("", 0, len(text), text, {}))


def refusal(question: Question, ranked: list[Candidate], hits: list[Hit], related_limit: int) -> Answer:
    """The articles do not answer: say so, and list the closest passages (best sentences first, or
    each hit's first sentence when no sentence was scored)."""
    related: list[Citation] = []
    seen: set[str] = set()
    for cand in ranked:
        if cand.hit.chunk_id in seen:
            continue
        seen.add(cand.hit.chunk_id)
        related.append(citation(len(related) + 1, cand))
        if len(related) >= related_limit:
            break
    if not related:
        for hit in hits[:related_limit]:
            spans = split_sentences(hit.text) or []
            if spans:
                s = spans[0]
                base = int(hit.meta.get("start", 0))
                related.append(
                    Citation.of_chunk(
                        len(related) + 1,
                        hit.doc_id,
                        hit.meta,
                        hit.text[s.start : s.end],
                        base + s.start,
                        hit.score,
                    )
                )
    return Answer(
        question=question.asked,
        searched_question=question.text,
        answer=CANNOT_ANSWER[question.asked_language],
        answerable=False,
        language=question.asked_language,
        related=related,
    )
