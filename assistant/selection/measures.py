"""Whether a sentence speaks of the measure a question asks, character by character.

A question and a passage often name one measure in different words (质押融资金额, 质押贷款额), and a
passage of the same place names several measures side by side (有效发明专利拥有量 7.61万件、
高价值发明专利拥有量 2.97万件). Words and concepts miss both: the first differ, the second share
the broader concept. Character pairs see what is shared, and the clause that holds a sentence's
figure tells which of the measures side by side the figure belongs to.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from index.glossary import default_glossary

# Characters that frame a question rather than name what it asks (question words, particles).
_FRAME_CHARS = frozenset("多少几什么哪谁吗呢吧啊的了是为怎样如何否")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_YEARS = re.compile(r"\d{4}\s*年?")
# Where a sentence's clauses end: each measure of a list usually has its own clause.
_CLAUSE_END = re.compile(r"[,，、;；:：()（）]")
_DIGIT = re.compile(r"\d")
# The measure a Chinese question asks ends its noun phrase: the last pairs of that phrase.
HEAD_PAIRS = 2


def _pairs(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


@dataclass(frozen=True)
class Measure:
    """The character pairs of a question's words, and those of the noun phrase it asks about."""

    pairs: frozenset[str]
    head: frozenset[str]

    @classmethod
    def of(cls, form: str) -> Measure:
        """From a question's search form (Simplified, lower case), without its years and the places
        it names (the passage's context says those); empty for a question without Chinese words."""
        chars = list(_YEARS.sub(lambda m: " " * len(m.group()), form))
        for m in default_glossary().mentions(form):
            if m.concept.kind == "place":
                chars[m.start : m.end] = " " * (m.end - m.start)
        runs: list[str] = []
        for run in _CJK_RUN.findall("".join(chars)):
            piece = ""
            for ch in run + " ":
                if ch in _FRAME_CHARS or ch == " ":
                    if len(piece) >= 2:
                        runs.append(piece)
                    piece = ""
                else:
                    piece += ch
        pairs = frozenset(p for r in runs for p in _pairs(r))
        longest = max(runs, key=len, default="")
        return cls(pairs, frozenset(_pairs(longest)[-HEAD_PAIRS:]))


def _share(wanted: frozenset[str], text: str) -> float:
    return sum(1 for p in wanted if p in text) / len(wanted)


def measure_features(measure: Measure, form: str, figure_clauses: bool) -> tuple[float, float, float]:
    """For one sentence's search form: the share of the question's pairs the sentence holds, and
    the best clause's share of them and of the head's pairs (clauses holding a figure only, when a
    figure is asked; NaN when none does or the question has no Chinese words)."""
    if not measure.pairs:
        return math.nan, math.nan, math.nan
    clauses = [c for c in _CLAUSE_END.split(form) if c and (not figure_clauses or _DIGIT.search(c))]
    if not clauses:
        return _share(measure.pairs, form), math.nan, math.nan
    best = max(
        clauses, key=lambda c: (_share(measure.pairs, c), _share(measure.head, c) if measure.head else 0)
    )
    head = _share(measure.head, best) if measure.head else math.nan
    return _share(measure.pairs, form), _share(measure.pairs, best), head
