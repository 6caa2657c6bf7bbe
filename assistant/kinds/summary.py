"""Summaries of an article or a topic: 3–6 sentences, quoted in the order of the source, each cited.

A topic that one paragraph or one headed section treats (how a plan is carried out) is summarised
from it; a whole article by the most relevant sentence of each of its parts (sections under
headings, else paragraphs), those holding figures first, chosen with redundancy removed (MMR)."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.kinds.kit import Kit
from assistant.kinds.parts import (
    Sentence,
    countable,
    document_sentences,
    is_heading,
    mmr,
    of_candidate,
    overlap,
    terms,
)
from assistant.kinds.sections import heading_above, paragraph, under
from assistant.models import Answer
from index.figures import find_figures
from index.normalize import to_simplified

MOST = 6
SHORT = 120  # characters: a longer sentence is worth less in a summary of limited length
FEWEST = 3
TOPIC_SHARE = 0.6  # a sentence holding this much of the question makes its paragraph the topic
SUPPORT = 0.6  # of min_support: the least coverage of the best sentence for a summary at all
_ASKING = re.compile(
    r"总结一下|总结|概括|概述|归纳|主要内容|一文的?|summari[sz]e|give a summary of|summary|the article about",
    re.I,
)


def compose(kit: Kit) -> Answer | None:
    valid = [c for c in kit.valid(10) if c.coverage >= kit.min_support * SUPPORT]
    if not valid:
        return kit.refuse()
    best = kit.best_in_language(valid)
    doc = document_sentences(best.hit, kit.keyword)
    if not doc:
        return None
    wanted = terms(_ASKING.sub(" ", to_simplified(kit.searched)))
    whole = overlap(wanted, str(best.meta.get("title", ""))) >= TOPIC_SHARE
    topic = [] if whole else _topic(doc, of_candidate(best), wanted)
    if len(topic) >= FEWEST or (topic and len(topic[0].text) > 120):
        return _answer(kit, mmr(topic, lambda s: 0.2 + overlap(wanted, s.text), MOST))
    top = max(c.score for c in kit.ranked if c.doc_id == best.doc_id)
    scored = {(c.doc_id, c.start): c.score / top for c in kit.ranked if c.doc_id == best.doc_id and top > 0}

    def relevance(s: Sentence) -> float:
        figures = any(countable(f) for f in find_figures(s.text))
        held = max((v for (d, start), v in scored.items() if s.start <= start < s.end), default=0.0)
        return held + 0.5 * overlap(wanted, s.text) + 0.1 * figures

    body = [s for s in doc if not is_heading(s) and len(s.text) >= 12]
    return _answer(kit, spread(body, relevance, MOST))


def spread(body: list[Sentence], relevance: Callable[[Sentence], float], k: int) -> list[Sentence]:
    """The most relevant sentence of each of `k` consecutive stretches of the article, so that the
    summary covers its parts; short sentences are preferred, as the answer has a length limit."""
    if not body:
        return []
    size = max(1, -(-len(body) // k))
    picked = []
    for at in range(0, len(body), size):
        stretch = body[at : at + size]
        best = max(stretch, key=lambda s: relevance(s) * min(1.0, SHORT / len(s.text)))
        if relevance(best) > 0:
            picked.append(best)
    return picked


def _topic(doc: list[Sentence], best: Sentence, wanted: frozenset[str]) -> list[Sentence]:
    head = heading_above(doc, best, wanted)
    if head is not None and len(under(doc, head)) >= 2:
        return under(doc, head)
    lead = next((s.para for s in doc if not is_heading(s)), -1)
    if overlap(wanted, best.text) >= TOPIC_SHARE and not is_heading(best):
        found = paragraph(doc, best)
        # The article's opening paragraph speaks for the whole article, not for one topic.
        return found if found and found[0].para != lead else []
    return []


def _answer(kit: Kit, chosen: list[Sentence]) -> Answer | None:
    if not chosen:
        return None
    return kit.render([], sorted(chosen, key=lambda s: s.start), long=True)
