"""Which sentences the selector considers, and what it quotes for the one it chooses."""

from __future__ import annotations

from collections.abc import Sequence

from assistant.answerers.extractive.candidates import Candidate
from assistant.answerers.extractive.choosing import SHORT_ANSWER, _extend_fragment
from assistant.answerers.extractive.rules import _is_heading

# Candidates kept per question, those covering most of its key terms (with their neighbours and
# title) first: the ranker orders these. More costs time and adds almost no right answers.
SHORTLIST = 48


def shortlist(cands: Sequence[Candidate], size: int = SHORTLIST) -> list[Candidate]:
    return sorted(cands, key=lambda c: (-c.coverage, c.rank, c.start))[:size]


def quote(best: Candidate, cands: Sequence[Candidate]) -> tuple[int, int, str]:
    """Offsets and text quoted for `best`: the sentence (with the line it leans on or the sentence
    a heading heads), and, when that is short, the neighbour holding more of the question (the one
    after, for a figure: the sentence giving it leads)."""
    start, end, text = _extend_fragment(best)
    if len(text) >= SHORT_ANSWER:
        return start, end, text
    region = best.region
    held = {c.index: c.held for c in cands if c.region is region}
    options = []
    for j in (best.index + 1, best.index - 1):
        if 0 <= j < len(region.sentences):
            span = region.sentences[j]
            piece = region.text[span.start : span.end]
            if _is_heading(piece) or not all(region.filled[span.start : span.end]):
                continue
            if j < best.index and best.figures:
                continue
            options.append((held.get(j, 0.0), j > best.index, j))
    if not options:
        return start, end, text
    j = max(options)[2]
    span = region.sentences[j]
    lo = min(start, region.base + span.start)
    hi = max(end, region.base + span.end)
    return lo, hi, region.text[lo - region.base : hi - region.base]
