"""A vs B: each side's figure with its source and date, and the comparison stated."""

from __future__ import annotations

import re

from assistant.kinds.figuring import comparable, shown_figure, side_figures
from assistant.kinds.kit import Kit
from assistant.kinds.parts import YEAR, period, place_name
from assistant.kinds.sides import read_sides
from assistant.models import Answer
from index.normalize import to_simplified


def compose(kit: Kit) -> Answer | None:
    sides = read_sides(kit.searched, kit.english)
    if sides is None or len(sides.sides) != 2:
        return None
    # which grew faster: the rates of growth (同比增长33.2%), not the levels beside them
    matches = side_figures(kit, sides, "share" if _GROWTH.search(kit.searched) else None)
    if matches is None or len(matches) != len(sides.sides):
        return kit.refuse()
    around = kit.around([m.sentence for m in matches])  # a heading above may name the year
    years = [period(m.sentence, around) for m in matches]
    if not _periods_hold(sides.sides, years):
        return kit.refuse()  # a side's year has no figure of its own (2022's is 2021's)
    labels = [_label(s, sides.places, kit.language) for s in sides.sides]
    pairs = list(zip(labels, matches, strict=True))
    stated = [f"{label} {shown_figure(m.figure, kit.english)}" for label, m in pairs]
    if comparable([m.figure for m in matches]):
        pairs.sort(key=lambda p: -p[1].figure.value)
        a, b = pairs
        sign = ">" if a[1].figure.value > b[1].figure.value else "="
        lead = f" {sign} ".join(f"{label} {shown_figure(m.figure, kit.english)}" for label, m in pairs)
    else:
        lead = "; ".join(stated)
    years = [period(m.sentence, around) for _, m in pairs]
    note = ""
    if len(set(years)) > 1:
        said = ", ".join(f"{label} {year}" for (label, _), year in zip(pairs, years, strict=True))
        note = f"(different periods: {said})" if kit.english else f"（时期不同：{said}）"
    return kit.render([lead, note], [m.sentence for _, m in pairs], long=True)


_GROWTH = re.compile(
    r"增速|增幅|增长率|增长得?更快|增长最快|\b(?:grew|grow|growing) faster\b|\bgrowth rate", re.I
)


def _periods_hold(sides: list[str], periods: list[str]) -> bool:
    """Whether each side that names a year of its own (2021年 against 2022年) has a figure of it."""
    years = [set(YEAR.findall(to_simplified(s))) for s in sides]
    common = set.intersection(*years) if years else set()
    return all(not (own - common) or found in own for own, found in zip(years, periods, strict=True))


def _label(side: str, places: bool, language: str) -> str:
    if YEAR.search(side):
        return side if language != "zh-Hans" else to_simplified(side)
    if places:
        return place_name(side, language)
    return side if language != "zh-Hans" else to_simplified(side)
