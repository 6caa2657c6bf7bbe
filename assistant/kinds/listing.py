"""Lists ("which measures"): the lines under the heading that matches the question, or the lines
of the paragraph the best sentence stands in, with other distinct relevant sentences (MMR)."""

from __future__ import annotations

from assistant.kinds.kit import Kit
from assistant.kinds.parts import Sentence, document_sentences, mmr, render, terms
from assistant.kinds.sections import heading_above, paragraph, under
from assistant.models import Answer

MOST = 8


def compose(kit: Kit) -> Answer | None:
    base = kit.answered(kit.searched)
    valid = kit.valid(10)
    if base is None or not valid:
        return kit.refuse()
    best = valid[0]
    doc = document_sentences(best.hit, kit.keyword)
    wanted = terms(kit.searched)
    head = heading_above(doc, base[0], wanted)
    if head is None:
        head = heading_above(doc, Sentence(best.doc_id, best.start, best.end, best.text, best.meta), wanted)
    if head is not None and under(doc, head):
        chosen = under(doc, head)
    else:
        chosen = paragraph(doc, base[0]) if base[0].doc_id == best.doc_id else list(base)
    scores = {(c.doc_id, c.start): c.score for c in valid}
    others = [
        Sentence(c.doc_id, c.start, c.end, c.text, c.meta, c.score)
        for c in valid
        if c.score >= best.score - 0.1 and not any(c.start < s.end and s.start < c.end for s in chosen)
    ]
    extra = mmr(others, lambda s: scores.get((s.doc_id, s.start), 0.0), max(0, MOST - len(chosen)))
    ordered = sorted(chosen[:MOST] + extra[:2], key=lambda s: (s.doc_id != best.doc_id, s.doc_id, s.start))
    first = [s for s in base if s in ordered][:1]
    return render(kit.question, kit.searched, kit.language, [], first + ordered)
