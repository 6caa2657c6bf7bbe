"""The section of a document under a heading: the lines a list or a summary of a topic quotes."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from assistant.kinds.parts import Sentence, countable, is_heading, overlap, weighted_overlap
from index.figures import find_figures

HEADING_SHARE = 0.5  # how much of the question a heading must hold to stand for it
SECTION_CHARS = 900
# A paragraph's run-in heading: In terms of X, / 在X方面 / a short first sentence (完善服务体系。).
_RUN_IN = re.compile(
    r"^\s*(?:in terms of|as for|as to|regarding|with regard to)\s+([^,;]{3,80}?)\s*,"
    r"|^\s*在([^,，。；;]{2,24}?)方面|^\s*([^,，。；;:：]{2,12})。",
    re.I,
)


def heading_above(doc: Sequence[Sentence], sentence: Sentence, wanted: frozenset[str]) -> int | None:
    """The index of the heading (within three lines above `sentence`, or the sentence itself)
    that holds enough of the question."""
    at = locate(doc, sentence)
    if at is None:
        return None
    for k in range(at, max(-1, at - 4), -1):
        if is_heading(doc[k]) and overlap(wanted, doc[k].text) >= HEADING_SHARE:
            return k
    return None


def under(doc: Sequence[Sentence], k: int) -> list[Sentence]:
    """The lines under heading `k`: long lines until the next heading; where the first is short
    (a list of targets), the short lines that hold a figure."""
    out: list[Sentence] = []
    rest = list(doc[k + 1 :])
    while rest and is_heading(rest[0]) and not _has_figure(rest[0]):
        rest.pop(0)  # a second heading line (大连定下这些目标 / 计划到2025年)
    if not rest:
        return out
    short = is_heading(rest[0])
    used = 0
    for s in rest:
        if short and not (is_heading(s) and _has_figure(s)):
            break
        if not short and is_heading(s):
            break
        used += len(s.text)
        if used > SECTION_CHARS and out:
            break
        out.append(s)
    return out


def paragraph(doc: Sequence[Sentence], sentence: Sentence) -> list[Sentence]:
    """The sentences of the line (paragraph) `sentence` stands in."""
    at = locate(doc, sentence)
    return [s for s in doc if s.para == doc[at].para] if at is not None else [sentence]


def locate(doc: Sequence[Sentence], sentence: Sentence) -> int | None:
    """The index of the document sentence that holds the start of `sentence`."""
    return next((k for k, s in enumerate(doc) if s.start <= sentence.start < s.end), None)


def _has_figure(s: Sentence) -> bool:
    return any(countable(f) for f in find_figures(s.text))


def run_in(sentence: Sentence) -> str | None:
    """The heading a paragraph's first sentence opens with, if it opens with one."""
    found = _RUN_IN.match(sentence.text)
    return next((g for g in found.groups() if g), None) if found else None


def topic_heading(
    doc: Sequence[Sentence], wanted: frozenset[str], idf: Callable[[str], float]
) -> tuple[float, int, bool] | None:
    """The heading of `doc` that holds most of `wanted` (rare terms counting for more), where it
    holds at least HEADING_SHARE: its share, its index and whether it is a run-in heading (the
    section is then its paragraph). Heading lines and paragraphs' run-in headings compete."""
    best: tuple[float, int, bool] | None = None
    for k, s in enumerate(doc):
        opens = k == 0 or doc[k - 1].para != s.para
        if is_heading(s) and sum(ch.isalpha() for ch in s.text) >= 2:
            label, inline = s.text, False
        elif opens and (found := run_in(s)) is not None:
            label, inline = found, True
        else:
            continue
        share = weighted_overlap(wanted, label, idf)
        if share >= HEADING_SHARE and (best is None or share > best[0]):
            best = (share, k, inline)
    return best
