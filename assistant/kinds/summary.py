"""Summaries of an article or a topic: 3–6 sentences chosen for the question and for covering
different parts (MMR, one per paragraph), quoted in the order of the source, each cited."""

from __future__ import annotations

import re

from assistant.kinds.kit import Kit
from assistant.kinds.parts import (
    Sentence,
    countable,
    document_sentences,
    is_heading,
    mmr,
    overlap,
    render,
    terms,
)
from assistant.kinds.sections import heading_above, under
from assistant.models import Answer
from index.figures import find_figures
from index.normalize import to_simplified

MOST = 5
_ASKING = re.compile(
    r"总结一下|总结|概括|概述|归纳|主要内容|一文的?|summari[sz]e|give a summary of|summary|the article about",
    re.I,
)


def compose(kit: Kit) -> Answer | None:
    valid = [c for c in kit.valid(10) if c.coverage >= kit.min_support * 0.8]
    if not valid:
        return kit.refuse()
    best = valid[0]
    doc = document_sentences(best.hit, kit.keyword)
    if not doc:
        return None
    wanted = terms(_ASKING.sub(" ", to_simplified(kit.searched)))
    head = heading_above(doc, Sentence(best.doc_id, best.start, best.end, best.text, best.meta), wanted)
    if head is not None and len(under(doc, head)) >= 2:
        section = under(doc, head)
        chosen = mmr(section, lambda s: 0.2 + overlap(wanted, s.text), MOST + 1)
        return _answer(kit, chosen)
    near = {(c.doc_id, c.start) for c in valid}
    body = [s for s in doc if not is_heading(s) and len(s.text) >= 12]

    def relevance(s: Sentence) -> float:
        figures = any(countable(f) for f in find_figures(s.text))
        return overlap(wanted, s.text) + 0.3 * ((s.doc_id, s.start) in near) + 0.15 * figures

    picked: list[Sentence] = []
    for s in mmr(body, relevance, len(body), weight=0.75):
        if len(picked) >= MOST:
            break
        if any(p.para == s.para for p in picked):
            continue  # one sentence per paragraph: the summary covers the article's parts
        picked.append(s)
    return _answer(kit, picked)


def _answer(kit: Kit, chosen: list[Sentence]) -> Answer | None:
    if not chosen:
        return None
    ordered = sorted(chosen, key=lambda s: s.start)
    return render(kit.question, kit.searched, kit.language, [], ordered)
