"""Progress between reports where there is no figure to compute (筹建 → 投入运营, 获批 → 入选优秀案例):
the sentence of each report that best names the subject, oldest report first, each cited."""

from __future__ import annotations

import re

from assistant.answerers.extractive.candidates import Candidate
from assistant.kinds.kit import Kit
from assistant.kinds.parts import YEAR, of_candidate, terms, weighted_overlap
from assistant.models import Answer
from index.normalize import to_simplified

# How much of the subject (the question less its words of time and change) a sentence must hold,
# weighed by rarity, to speak of it.
SUBJECT_SHARE = 0.6
MOST = 4  # sentences shown
ASKS = re.compile(r"进展|发展|怎么说|如何说|\b(?:develop(?:ed)?|progress(?:ed)?|evolve[ds]?|say)\b", re.I)
_NUMBER = re.compile(r"多少|几|\bhow (?:many|much)\b|\bby what\b", re.I)
_TIME_WORDS = re.compile(
    r"进展|发展|怎么说|如何说|有什么|有何|分别|从|到|的?报道|获批|启动|年|月|变化|取得了?|哪些|"
    r"\b(?:how|did|does|has|have|is|was|the|from|to|between|its|launch|report|article|according|in|of|"
    r"develop(?:ed)?|progress(?:ed)?|evolve[ds]?|say|change[sd]?|what)\b",
    re.I,
)


def asks_progress(question: str) -> bool:
    """The question asks how something went on between reports, not for a number."""
    form = to_simplified(question)
    return bool(ASKS.search(form)) and not asks_number(form)


def asks_number(question: str) -> bool:
    return bool(_NUMBER.search(to_simplified(question)))


def compose(kit: Kit) -> Answer | None:
    """The best sentence on the subject from each report, oldest first; None unless two reports
    of different years speak of it (and every year the question names is among them)."""
    form = to_simplified(kit.searched)
    rest = _TIME_WORDS.sub(" ", YEAR.sub(" ", form))  # the subject: no words of time or change
    subject = terms(rest)
    if not subject:
        return None
    idf = kit.keyword.idf
    best: dict[str, tuple[float, Candidate]] = {}
    # The subject alone reaches a report the whole question's words do not (a later report names
    # no launch, 授牌 or 获批).
    again = [c for c in kit.search(rest) if not c.reasons][:30]
    for cand in [*kit.valid(30), *again]:
        share = weighted_overlap(subject, cand.text, idf)
        if share >= SUBJECT_SHARE and share > best.get(cand.doc_id, (0.0, cand))[0]:
            best[cand.doc_id] = (share, cand)
    chosen = sorted((c for _, c in best.values()), key=lambda c: (_year(c), c.start))
    years = {_year(c) for c in chosen} - {""}
    named = years | {y for c in chosen for y in YEAR.findall(c.text)}
    asked = set(YEAR.findall(form))
    if len(years) < 2 or not asked <= named:
        return None
    return kit.render([], [of_candidate(c) for c in chosen[:MOST]], long=True)


def _year(cand: Candidate) -> str:
    return str(cand.meta.get("published") or "")[:4]
