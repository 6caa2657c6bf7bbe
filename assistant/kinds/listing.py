"""Lists ("which measures"): the lines under the heading that matches the question, or else the
paragraphs of the best distinct sentences (MMR), each cited."""

from __future__ import annotations

from assistant.kinds.kit import Kit
from assistant.kinds.parts import Sentence, document_sentences, is_heading, mmr, of_candidate, terms
from assistant.kinds.sections import heading_above, locate, paragraph, under
from assistant.models import Answer

MOST = 8
PARAGRAPHS = 3  # paragraphs quoted at most where no heading matches
CLOSE = 0.15  # how far below the best a sentence may score and still lead a paragraph


def compose(kit: Kit) -> Answer | None:
    base = kit.answered(kit.searched)
    valid = kit.valid(10)
    if base is None or not valid:
        return kit.refuse()
    best = kit.best_in_language(valid)
    doc = document_sentences(best.hit, kit.keyword)
    chosen = _section(doc, base[0], of_candidate(best), terms(kit.searched))
    if not chosen:
        close = [of_candidate(c) for c in valid if c.score >= best.score - CLOSE]
        scores = {(s.doc_id, s.start): s.score for s in close}
        leaders = mmr(close, lambda s: scores[(s.doc_id, s.start)] + 1.0, PARAGRAPHS)
        chosen = []
        for lead in leaders:
            same_doc = lead.doc_id == best.doc_id
            more = paragraph(doc, lead) if same_doc else [lead]
            chosen += [s for s in more if s not in chosen]
    # The single-fact answer's sentence leads: where no heading matches, a paragraph taken whole
    # may not reach it within MOST lines (a one-paragraph article).
    first = base[:1]
    rest = [s for s in chosen if s not in first]
    ordered = sorted(rest, key=lambda s: (s.doc_id != best.doc_id, s.doc_id, s.start))[: MOST - len(first)]
    return kit.render([], first + ordered)


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
