"""Figures for one side of a comparison or one item of a sum, and how a computed figure is written."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.kinds.kit import Kit
from assistant.kinds.parts import Match, family, figure_for, terms
from assistant.kinds.sides import Sides, context_words
from index.figures import Figure, english_amount, gloss, same_amount

POOL_SHARE = 0.75  # how much of a side a clause of the retrieved sentences must hold
ANSWER_SHARE = 0.3  # … of a sentence the extractive answerer chose for that side alone
CLOSE_SHARE = 0.1  # a match this close to the best is as good (one in the question's language wins)
REPEATS = 8  # the most figures a side passes over for repeating another side's


def core_terms(side: str) -> frozenset[str]:
    """The terms of a side without its place and period (those the sides share)."""
    shared = terms(" ".join(context_words(side)))
    core = terms(side) - shared
    return core or terms(side)


def side_figure(
    kit: Kit, side: str, measure: str, places: bool, taken: Sequence[Figure] = ()
) -> Match | None:
    """The figure for one side: from the sentences retrieved for the whole question where a clause
    holds enough of the side, else from the extractive answer to the side asked alone."""
    wanted = core_terms(measure if places else _own(side, measure))
    idf = kit.keyword.idf
    if not places:
        found = [
            m for s in kit.pool(12) if (m := figure_for(wanted, s, taken, idf)) and m.share >= POOL_SHARE
        ]
        if found:
            return _preferred(found, kit.english)
    sub = _sub_question(side, measure, places, kit.english)
    sentences = kit.answered(sub)
    if not sentences:
        return None
    found = [m for s in sentences if (m := figure_for(wanted, s, taken, idf)) and m.share >= ANSWER_SHARE]
    return _preferred(found, kit.english) if found else None


def _own(side: str, measure: str) -> str:
    """A side's own words: an English side carries the question's verb and context after it
    ('arbitration cases Dalian settle'), which would match another item's clause ('… cases
    have been settled') as well as its own."""
    if measure and side.endswith(measure) and len(side) > len(measure):
        return side[: -len(measure)].strip()
    return side


def _preferred(found: Sequence[Match], english: bool) -> Match:
    """The best match, or one about as good from an article in the question's language (the
    answer is in the question's language where the passages allow)."""
    best = max(found, key=lambda m: m.share)
    close = [m for m in found if m.share >= best.share - CLOSE_SHARE]
    return max(close, key=lambda m: ((str(m.sentence.meta.get("language")) == "en") == english, m.share))


def side_figures(kit: Kit, sides: Sides) -> list[Match] | None:
    """A figure for each side (distinct ones), None where a side has none; a side whose only figure
    is another side's (one item the question names in two words) is left out."""
    matches: list[Match] = []
    for side in sides.sides:
        taken = [m.figure for m in matches]
        found = side_figure(kit, side, sides.measure, sides.places, taken)
        repeated = False
        while found is not None and any(_repeats(found, m) for m in matches) and len(taken) < REPEATS:
            repeated = True
            taken.append(found.figure)  # another article's copy of a side already found
            found = side_figure(kit, side, sides.measure, sides.places, taken)
        if found is None and repeated:
            continue  # no figure but that side's: one item named twice (创新创业基地和创客空间6家)
        if found is None:
            return None
        matches.append(found)
    return matches


def _repeats(match: Match, other: Match) -> bool:
    """The same amount as another side's, quoted from another article: the same fact again."""
    return match.sentence.doc_id != other.sentence.doc_id and same_amount(match.figure, other.figure)


def _sub_question(side: str, measure: str, places: bool, english: bool) -> str:
    if english:
        return f"How many {side}?" if not places else f"How many {measure} in {side}?"
    return f"{side}{measure if places else ''}是多少?"


def shown_figure(fig: Figure, english: bool) -> str:
    """A figure as the answer writes it: as quoted, with its English reading for English questions."""
    reading = gloss(fig) if english else None
    return f"{fig.text} ({reading.split(' = ', 1)[1]})" if reading else fig.text


def comparable(figures: Sequence[Figure]) -> bool:
    """Figures of one family: amounts of money, shares (%), or counts (件, 家, 所, 个 … alike)."""
    return len({family(f) for f in figures}) == 1


def amount_text(value: float, like: Sequence[Figure], english: bool) -> str:
    """A computed value written as the figures it came from are (万/亿 scale, unit)."""
    unit = next((f.unit for f in like if f.unit), None)
    if english:
        word = {"元": " yuan", "%": "%"}.get(unit or "", "")
        return f"{english_amount(value)}{word}"
    texts = "".join(f.text for f in like)
    suffix = {"%": "%"}.get(unit or "", unit or "")
    for mark, scale in (("亿", 1e8), ("万", 1e4)):
        if mark in texts and abs(value) >= scale:
            return f"{_number(value / scale)}{mark}{suffix}"
    return f"{_number(value)}{suffix}"


def _number(value: float) -> str:
    return f"{round(value, 4):g}" if value != int(value) else str(int(value))
