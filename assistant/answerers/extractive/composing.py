"""An answer composed from chosen sentences: each quoted with its citation; or the refusal, with
the closest passages."""

from __future__ import annotations

from assistant.answerers.extractive.candidates import Candidate
from assistant.answerers.extractive.choosing import Choice, fitting
from assistant.constants import CANNOT_ANSWER
from assistant.kinds.parts import shown
from assistant.models import Answer, Citation
from assistant.question import Question
from assistant.settings import AnswerSettings
from index.chunking import split_sentences
from index.figures import find_figures, gloss
from index.search import Hit

ELLIPSIS_ROOM = 5  # characters kept free for "… [" when one quote alone is over the answer's limit


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


def compose(question: Question, choice: Choice, limits: AnswerSettings) -> Answer:
    """The answer quoting the chosen sentences, each with its citation [n]."""
    language = question.asked_language
    citations: list[Citation] = []
    parts: list[str] = []
    for cand, start, end, quote in fitting(choice.sentences, limits.max_answer_chars):
        n = len(citations) + 1
        cited = citation(n, cand, with_gloss=language == "en", span=(start, end, quote))
        body = shown(quote, language, cited.language)  # Simplified for a Simplified question
        if cited.figures:
            body += f" ({'; '.join(cited.figures)})"
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
