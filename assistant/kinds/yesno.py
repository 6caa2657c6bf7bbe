"""Yes/no: 是/否 (Yes/No) first where the passage decides it, then the evidence; else a refusal.

The extractive answer to the question is the evidence. A question that states a figure with a
comparison (超过15万件, exceed 1 billion yuan, 前30名) is decided by the evidence's figure of the same
kind; one that states a bare figure (达到100亿元, 300项) by whether the evidence holds it; one without
a figure is a yes where the evidence states what it asks (holds most of its topic, rarer words
counting for more) and is not negated. A question naming an edition (第二十六届, the 26th …) is
decided only by evidence of that edition. Where the evidence does not decide it, the question is
refused: the sentences closest to it are no answer to a yes/no question."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.kinds.kit import Kit
from assistant.kinds.parts import Sentence, countable, figure_for, terms, weighted_overlap
from assistant.kinds.sides import context_words
from assistant.models import Answer
from index.figures import Figure, chinese_numeral_value, find_figures, same_amount
from index.normalize import to_simplified

_MORE = re.compile(
    r"超过|超出|多于|高于|大于|突破|以上|exceed|more than|over|above|surpass|greater than", re.I
)
_LESS = re.compile(r"不到|少于|低于|小于|不足|less than|below|under|fewer than", re.I)
_REACH = re.compile(r"达到|达|reach", re.I)
_RANK = re.compile(r"前\s*(\d+)\s*名|top\s*(\d+)", re.I)
_ORDINAL = re.compile(r"第\s*(\d+)\s*[位名]|(\d+)(?:st|nd|rd|th)\b")
_EDITION = re.compile(
    r"第\s*([\d一二三四五六七八九十百零两]+)\s*[届次批]|\b(\d+)(?:st|nd|rd|th)\s+(?!place|position|rank)[a-z]",
    re.I,
)
STATED = 0.6  # the least share of a question's topic (rarer words counting for more) its evidence holds
_NEGATED = re.compile(r"未|尚未|没有|不是|并非|\bnot\b|\bno\b|\bnever\b", re.I)


def compose(kit: Kit) -> Answer | None:
    base = kit.single(kit.searched)
    if not base.answerable:
        # The figure a question compares with (exceed 70,000) is no figure to search for: the
        # measure alone (Changsha's valid invention patents in 2024) finds the one to compare.
        measure = measure_asked(kit.searched)
        if measure is None:
            return base
        base = kit.single(measure)
        if not base.answerable:
            return kit.refuse()
    evidence = [Sentence(c.doc_id, c.start, c.end, c.quote, {"title": c.title}) for c in base.citations]
    verdict = decide(kit.searched, evidence, kit.keyword.idf)
    if verdict is None:
        return kit.refuse()
    word = ("Yes" if verdict else "No") if kit.english else ("是" if verdict else "否")
    base.answer = f"{word}. {base.answer}" if kit.english else f"{word}。{base.answer}"
    return base


def decide(
    question: str, evidence: list[Sentence], idf: Callable[[str], float] = lambda t: 1.0
) -> bool | None:
    """True (yes), False (no) or None (the evidence does not decide it)."""
    form = to_simplified(question)
    named = _editions(form)
    if named and not any(named & _editions(to_simplified(s.text)) for s in evidence):
        return None  # the evidence speaks of another edition (the 25th awards, not the 26th)
    rank = _RANK.search(form)
    if rank:
        limit = int(rank.group(1) or rank.group(2))
        for s in evidence:
            found = _ORDINAL.search(to_simplified(s.text))
            if found:
                return int(found.group(1) or found.group(2)) <= limit
    asked = [f for f in find_figures(form) if countable(f)]
    if not asked:
        wanted = terms(form)
        topic = wanted - terms(" ".join(context_words(form))) or wanted
        # A passage is read with its article's title (宣传周主题日 names the day a list of
        # participants speaks of).
        stated = " ".join(f"{s.meta.get('title', '')} {s.text}" for s in evidence)
        if weighted_overlap(topic, stated, idf) < STATED:
            return None  # the evidence does not state what the question asks
        return not any(_NEGATED.search(to_simplified(s.text)) for s in evidence)
    figure = asked[0]
    wanted = terms(form[: figure.start] + form[figure.end :])
    matches = [m for s in evidence if (m := figure_for(wanted, s)) and _same_kind(m.figure, figure)]
    if not matches:
        return None
    held = max(matches, key=lambda m: m.share).figure
    before = form[max(0, figure.start - 12) : figure.start]
    after = form[figure.end : figure.end + 6]
    if _MORE.search(before) or _MORE.search(after):
        return held.value > figure.value
    if _LESS.search(before):
        return held.value < figure.value
    if _REACH.search(before):
        return held.value >= figure.value
    return any(same_amount(figure, m.figure) for m in matches)


_AUX = re.compile(r"^(?:is|are|was|were|did|does|do|has|have|had)\s+", re.I)
_TO_FIGURE = re.compile(r"[a-z]{0,3}\s*(?:了|的)?\s*", re.I)  # surpass|ed 10 billion, 超过了300
_CLOSING = re.compile(r"(?:了)?(?:吗|嘛)?[?？。]?$")


def measure_asked(question: str) -> str | None:
    """The question without its comparison and the figure compared with (超过300项了吗, exceed
    70,000): what is measured; None where it compares with no figure."""
    form = to_simplified(" ".join(question.split()))
    asked = [f for f in find_figures(form) if countable(f)]
    if not asked:
        return None
    figure = asked[0]
    before = form[: figure.start]
    word = None
    for pattern in (_MORE, _LESS, _REACH):
        word = word or next(
            (m for m in pattern.finditer(before) if _TO_FIGURE.fullmatch(before[m.end() :])), None
        )
    if word is None:
        return None
    rest = (before[: word.start()].rstrip() + " " + form[figure.end :].lstrip()).strip()
    rest = _CLOSING.sub("", _AUX.sub("", rest)).strip(" ,，")
    return rest or None


def _editions(text: str) -> set[int]:
    """The editions a text names: 第二十五届 and the 25th … are both 25."""
    out = set()
    for m in _EDITION.finditer(text):
        digits = m.group(1) or m.group(2)
        value = int(digits) if digits.isdigit() else chinese_numeral_value(digits)
        if value:
            out.add(int(value))
    return out


def _same_kind(a: Figure, b: Figure) -> bool:
    return a.unit == b.unit or (None in (a.unit, b.unit) and "%" not in (a.unit, b.unit))
