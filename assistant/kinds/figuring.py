"""Figures for one side of a comparison or one item of a sum, and how a computed figure is written."""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet

from assistant.kinds.kit import Kit
from assistant.kinds.parts import Match, clauses, family, figure_for, terms, weighted_overlap
from assistant.kinds.sides import Sides, context_words
from index.analysis import search_form
from index.figures import Figure, english_amount, find_figures, gloss, same_amount
from index.glossary import default_glossary
from index.normalize import to_simplified

POOL_SHARE = 0.75  # how much of a side a clause of the retrieved sentences must hold
ANSWER_SHARE = 0.3  # … of a sentence the extractive answerer chose for that side alone
CLOSE_SHARE = 0.1  # a match this close to the best is as good (one in the question's language wins)
REPEATS = 8  # the most figures a side passes over for repeating another side's


def core_terms(side: str) -> frozenset[str]:
    """The terms of a side without its place and period (those the sides share), nor the
    character pairs across them (连学 of 大连学校)."""
    words = context_words(side)
    rest = to_simplified(side)
    for word in sorted(words, key=len, reverse=True):
        rest = re.sub(re.escape(word) + r"(?:['’]s)?", " ", rest)  # Dalian's: no stray 's
    core = terms(rest) - terms(" ".join(words))
    return core or terms(side)


def side_figure(
    kit: Kit,
    side: str,
    measure: str,
    places: bool,
    taken: Sequence[Figure] = (),
    kind: str | None = None,
) -> Match | None:
    """The figure for one side: from the sentences retrieved for the whole question where a clause
    holds enough of the side, else from the extractive answer to the side asked alone. With `kind`
    (a count, money: what the question asks for), only figures of that family (培育年运营额超千万元
    骨干…中心5家 gives 5家 for a count)."""
    wanted = core_terms(measure if places else _own(side, measure))
    idf = kit.keyword.idf
    if not places:
        found = [
            m
            for s in kit.pool(12)
            if (m := figure_for(wanted, s, taken, idf, kind)) and m.share >= POOL_SHARE
        ]
        found = [m for m in found if same_units(m, side)]
        if found:
            return _preferred(found, kit)
    sub = _sub_question(side, measure, places, kit.english)
    sentences = kit.answered(sub)
    if not sentences:
        return None
    found = [
        m for s in sentences if (m := figure_for(wanted, s, taken, idf, kind)) and m.share >= ANSWER_SHARE
    ]
    found = [m for m in found if same_units(m, measure if places else side)]
    found = [m for m in found if not places or holds_concepts(m, measure)]
    return _preferred(found, kit) if found else None


def same_units(match: Match, asked: str) -> bool:
    """Whether the clause holding the figure names the units (每万人口, per 10,000 people: a
    per-capita base) the side asks, no more and no fewer: 每万人口高价值发明专利拥有量12.5件 is no
    count of 高价值发明专利拥有量. A figure's own unit (44笔) is no base: figures are left out."""
    return _named(_unworded(_clause(match)), {"unit"}) == _named(_unworded(asked), {"unit"})


def _unworded(text: str) -> str:
    """`text` without its figures (44笔, 1.9亿元): the words around them."""
    for fig in sorted(find_figures(text), key=lambda f: -f.start):
        text = text[: fig.start] + " " + text[fig.end :]
    return text


def holds_concepts(match: Match, measure: str) -> bool:
    """Whether the clause holding the figure names every concept of the measure asked, or a
    narrower one (有效发明专利 for 发明专利): 有效发明专利拥有量2.03万件 is no 高价值发明专利拥有量."""
    held = _named(_clause(match), _NAMING)
    return all(any(c == a or c.endswith("_" + a) for c in held) for a in _named(measure, _NAMING))


_NAMING = frozenset({"term", "org", "programme"})  # concepts that name what is counted


def _clause(match: Match) -> str:
    """The clause holding the figure, with the clause before it (a short one leans on it)."""
    text = match.sentence.text
    spans = clauses(text) or [(0, len(text))]
    at = next((k for k, (a, b) in enumerate(spans) if a <= match.figure.start < b), 0)
    return text[spans[max(at - 1, 0)][0] : match.figure.end]


def _named(text: str, kinds: AbstractSet[str]) -> frozenset[str]:
    form = search_form(text)
    return frozenset(m.concept.id for m in default_glossary().mentions(form) if m.concept.kind in kinds)


def _own(side: str, measure: str) -> str:
    """A side's own words: an English side carries the question's verb and context after it
    ('arbitration cases Dalian settle'), which would match another item's clause ('… cases
    have been settled') as well as its own."""
    if measure and side.endswith(measure) and len(side) > len(measure):
        return side[: -len(measure)].strip()
    return side


def _preferred(found: Sequence[Match], kit: Kit) -> Match:
    """The best match, or one about as good from an article in the question's language (the
    answer is in the question's language where the passages allow); between those, the one whose
    sentence holds more of the whole question (the items of a sum are listed together: 5家学校代表
    in the sentence of who took part, not 56所 schools of another paragraph)."""
    best = max(found, key=lambda m: m.share)
    close = [m for m in found if m.share >= best.share - CLOSE_SHARE]
    wanted = terms(kit.searched)
    idf = kit.keyword.idf

    def rank(m: Match) -> tuple[bool, float]:
        whole = weighted_overlap(wanted, m.sentence.text, idf)
        return (str(m.sentence.meta.get("language")) == "en") == kit.english, m.share + whole

    return max(close, key=rank)


def side_figures(kit: Kit, sides: Sides, kind: str | None = None) -> list[Match] | None:
    """A figure for each side (distinct ones, of family `kind` where given), None where a side has
    none; a side whose only figure is another side's (one item named in two words) is left out."""
    matches: list[Match] = []
    named: list[str] = []
    for side in sides.sides:
        taken = [m.figure for m in matches]
        found = side_figure(kit, side, sides.measure, sides.places, taken, kind)
        repeated = False
        while found is not None and any(_repeats(found, m) for m in matches) and len(taken) < REPEATS:
            repeated = True
            taken.append(found.figure)  # another article's copy of a side already found
            found = side_figure(kit, side, sides.measure, sides.places, taken, kind)
        if found is None and (repeated or _named_with(kit, side, matches)):
            continue  # no figure but that side's: one item named twice (创新创业基地和创客空间6家)
        if found is None:
            return None
        matches.append(found)
        named.append(side)
    return matches if sides.places else _listed_together(kit, named, matches, kind)


def _listed_together(kit: Kit, sides: list[str], matches: list[Match], kind: str | None) -> list[Match]:
    """The items of one sum or comparison are listed together: a side found in another sentence
    takes instead a figure of a sentence another side was found in, where one there holds as much
    of it (5家学校代表 beside 3家品牌指导站 in the list of who took part, not 56所 schools of
    another paragraph)."""
    out = list(matches)
    for k, (side, match) in enumerate(zip(sides, matches, strict=True)):
        others = {(m.sentence.doc_id, m.sentence.start): m.sentence for j, m in enumerate(out) if j != k}
        if (match.sentence.doc_id, match.sentence.start) in others:
            continue
        taken = [m.figure for j, m in enumerate(out) if j != k]
        wanted = core_terms(_own(side, ""))
        near = [
            m
            for sentence in others.values()
            if (m := figure_for(wanted, sentence, taken, kit.keyword.idf, kind))
            and m.share >= max(POOL_SHARE, match.share - CLOSE_SHARE)
            and same_units(m, side)
        ]
        if near:
            out[k] = max(near, key=lambda m: m.share)
    return out


def _named_with(kit: Kit, side: str, matches: list[Match]) -> bool:
    """Whether a side found before counts this side too: its clause holds this side (创客空间 in
    知识产权创新创业基地和创客空间6家), so the two name one item."""
    wanted = core_terms(side)
    return any(
        (m := figure_for(wanted, found.sentence, (), kit.keyword.idf)) is not None
        and m.figure == found.figure
        and m.share >= POOL_SHARE
        for found in matches
    )


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
