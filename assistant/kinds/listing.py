"""Lists ("which measures"): the lines under the heading that matches the question, or else the
paragraphs of the best distinct sentences (MMR), each cited. A list is composed only where the
evidence holds one: a matching section, or distinct sentences beyond the single-fact answer that
each answer; otherwise the single-fact answer stands."""

from __future__ import annotations

from assistant.kinds import table
from assistant.kinds.kit import Kit
from assistant.kinds.parts import Sentence, document_sentences, is_heading, mmr, of_candidate, terms
from assistant.kinds.sections import heading_above, locate, paragraph, under
from assistant.models import Answer

MOST = 8
PARAGRAPHS = 3  # paragraphs quoted at most where no heading matches
CLOSE = 0.15  # how far below the best a sentence may score and still lead a paragraph
SHORT_PARAGRAPH = 5  # sentences: a longer paragraph is prose, not a list; its leader is quoted alone


def compose(kit: Kit) -> Answer | None:
    rows = table.listed(kit)
    if rows is not None:
        return rows
    base = kit.answered(kit.searched)
    valid = kit.valid(10)
    if base is None or not valid:
        return kit.refuse()
    best = kit.best_in_language(valid)
    doc = document_sentences(best.hit, kit.keyword)
    chosen = _section(doc, base[0], of_candidate(best), terms(kit.searched))
    if not chosen:
        close = [
            of_candidate(c) for c in valid if c.score >= best.score - CLOSE and c.coverage >= kit.min_support
        ]
        scores = {(s.doc_id, s.start): s.score for s in close}
        leaders = mmr(close, lambda s: scores[(s.doc_id, s.start)] + 1.0, PARAGRAPHS)
        chosen = []
        for lead in leaders:
            more = paragraph(doc, lead) if lead.doc_id == best.doc_id else [lead]
            more = more if len(more) <= SHORT_PARAGRAPH else [lead]
            chosen += [s for s in more if s not in chosen]
        if not [s for s in chosen if not _within(s, base)]:
            return None  # nothing beyond the single-fact answer: one fact, not a list
    # The single-fact answer leads: where no heading matches, a paragraph taken whole may not
    # reach it within MOST lines.
    first = base
    rest = [s for s in chosen if not _within(s, first)]
    ordered = sorted(rest, key=lambda s: (s.doc_id != best.doc_id, s.doc_id, s.start))[: MOST - len(first)]
    return kit.render([], first + ordered)


def _within(sentence: Sentence, quoted: list[Sentence]) -> bool:
    """Whether `sentence` overlaps one of `quoted` (a citation may quote part of a sentence)."""
    return any(
        q.doc_id == sentence.doc_id and q.start < sentence.end and sentence.start < q.end for q in quoted
    )


def _section(doc: list[Sentence], quoted: Sentence, best: Sentence, wanted: frozenset[str]) -> list[Sentence]:
    """The lines under the heading the answerer quoted, or under one that holds the question."""
    at = locate(doc, quoted)
    if at is not None and is_heading(doc[at]):
        lines = under(doc, at)
        if lines:
            return lines
    for sentence in (quoted, best):
        head = heading_above(doc, sentence, wanted)
        if head is not None and under(doc, head):
            return under(doc, head)
    return []
