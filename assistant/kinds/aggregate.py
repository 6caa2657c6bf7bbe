"""Sums and counts over figures the articles list, only where the question asks, marked computed."""

from __future__ import annotations

import re

from assistant.kinds import table
from assistant.kinds.change import asked_family
from assistant.kinds.detect import COUNT_LISTED
from assistant.kinds.figuring import amount_text, comparable, side_figures
from assistant.kinds.kit import Kit
from assistant.kinds.parts import YEAR, Match, Sentence, countable, figure_for, terms
from assistant.kinds.sides import read_sides
from assistant.models import Answer
from index.figures import find_figures

_ENUMERATION = re.compile(r"[^、，,。；;：:]{1,16}(?:、[^、，,。；;：:]{1,16})+")
_LAST_JOIN = re.compile(r"及|和|与|以及")
# A count the sentence states itself (分为三个地区, 4 places): quoted, not counted again.
_STATED_COUNT = re.compile(
    r"(?:[一二三四五六七八九十两兩]+|\d+)\s*(?:个|個|种|種|类|類|项|項|家|所|座|处|處)", re.I
)


def compose(kit: Kit) -> Answer | None:
    counted = table.count(kit)
    if counted is not None:
        return counted
    if COUNT_LISTED.search(kit.searched):
        return _count(kit)
    sides = read_sides(kit.searched, kit.english)
    if sides is None:
        return _within_sentence(kit)
    # 合计几家: a count; the clause's other figures (年运营额超千万元) are not items of it
    matches = side_figures(kit, sides, _asked_count(kit.searched))
    return kit.refuse() if matches is None else _total(kit, matches)


def _asked_count(question: str) -> str | None:
    return "count" if asked_family(question) == "count" else None


def _total(kit: Kit, matches: list[Match]) -> Answer | None:
    figures = [m.figure for m in matches]
    if len(figures) < 2 or not comparable(figures):
        return None
    total = amount_text(sum(f.value for f in figures), figures, kit.english)
    parts = " + ".join(f.text for f in figures)
    lead = f"{total} in total (computed: {parts})" if kit.english else f"合计{total}（计算：{parts}）"
    return kit.render([lead], [m.sentence for m in matches])


def _within_sentence(kit: Kit) -> Answer | None:
    """One thing asked in total (awards won: 1金2银7优秀; projects at three levels): the figures of
    the clauses of the best sentence that hold as much of the question as its best clause."""
    years = set(YEAR.findall(kit.searched))
    pool = kit.pool(6)
    if not pool:
        return None
    best = pool[0]
    if len(years) >= 2 and not years <= set(YEAR.findall(best.text)):
        return kit.refuse()  # a sum over years needs a figure for each of them
    wanted = terms(kit.searched)
    matches = _clause_figures(wanted, best)
    if len(matches) < 2:
        return None
    return _total(kit, matches)


def _clause_figures(wanted: frozenset[str], sentence: Sentence) -> list[Match]:
    first = figure_for(wanted, sentence)
    if first is None or first.share <= 0:
        return []
    out: list[Match] = []
    for fig in find_figures(sentence.text):
        if not countable(fig) or fig.unit != first.figure.unit:
            continue
        out.append(Match(fig, sentence, first.share))
    return out


def _count(kit: Kit) -> Answer | None:
    """'With how many places': the items of the enumeration the answer sentence holds, counted."""
    sentences = kit.answered(kit.searched)
    if not sentences:
        return kit.refuse()
    if any(_STATED_COUNT.search(s.text) for s in sentences):
        return None  # the articles state the count: the single-fact answer quotes it
    for s in sentences:
        runs = _ENUMERATION.findall(s.text)
        if not runs:
            continue
        items = max(runs, key=len).split("、")
        tail = _LAST_JOIN.split(items[-1], maxsplit=1)
        items = items[:-1] + tail
        names = "、".join(i.strip() for i in items)
        unit = "个"
        lead = (
            f"{len(items)} in total (computed: counted {names})"
            if kit.english
            else f"共{len(items)}{unit}（计算：{names}）"
        )
        return kit.render([lead], [s])
    return None
