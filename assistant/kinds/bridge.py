"""Multi-hop with one bridge: the place a description points to (the city whose bureau director is
X), read from the passage that matches the description, then the question asked for that place."""

from __future__ import annotations

import re

from assistant.answerers.extractive.candidates import Candidate
from assistant.kinds.kit import Kit
from assistant.kinds.parts import of_candidate, of_citation, place_name, terms, weighted_overlap
from assistant.models import Answer
from assistant.names import resolved
from assistant.question import analyse
from index.analysis import BIGRAM_PREFIX, bigrams
from index.normalize import to_simplified

_ZH = re.compile(r"(?P<desc>.+?)(?:所在|的)(?:城市|地方|地区|省份)[,，]?(?:的)?(?P<rest>.*)")
_EN = re.compile(
    r"(?P<lead>.*?)(?P<clause>\b(?:the )?(?:city|place|region) (?:whose|that|which|where)\b(?P<desc>[^,?]*))"
    r"(?P<tail>.*)",
    re.I,
)


def compose(kit: Kit) -> Answer | None:
    split = _split(kit.searched, kit.english)
    if split is None:
        return None
    description, ask = split
    placed = [c for c in kit.search(description)[:10] if not c.reasons and c.meta.get("region")]
    if not placed:
        return None  # no passage the description reaches names its place: not a bridge to follow
    bridge = _resolve(kit, description, placed)
    if bridge is None:
        return kit.refuse()
    cand, place = bridge
    name = place_name(place, kit.language)
    answer = kit.single(ask.format(place=name))
    if not answer.answerable:
        return kit.refuse()
    lead = f"{' '.join(description.split())} → {name}"
    sentences = [of_candidate(cand)] + [of_citation(c) for c in answer.citations]
    return kit.render([lead], sentences)


def _split(text: str, english: bool) -> tuple[str, str] | None:
    """(the description of the bridge, the question for the place: a template with {place})."""
    if english:
        m = _EN.search(text)
        if m is None:
            return None
        tail = m.group("tail")
        if tail.startswith(","):
            return m.group("desc"), f"{tail.lstrip(', ')} in {{place}}"
        return m.group("desc"), f"{m.group('lead')}{{place}}{tail}"
    m = _ZH.match(to_simplified(text))
    if m is None or not m.group("rest").strip():
        return None
    return m.group("desc"), "{place}" + m.group("rest")


def _resolve(kit: Kit, description: str, found: list[Candidate]) -> tuple[Candidate, str] | None:
    """The best sentence for the description and the place of its document."""
    wanted = terms(description) | _spelled(description, kit)
    best = max(found, key=lambda c: weighted_overlap(wanted, c.text, kit.keyword.idf))
    if weighted_overlap(wanted, best.text, kit.keyword.idf) < kit.min_support:
        return None
    return best, str(best.meta["region"])


def _spelled(description: str, kit: Kit) -> frozenset[str]:
    """Character pairs of the Chinese names an English description spells in pinyin (Hou Xiangyu)."""
    q = analyse(description)
    known = resolved(q.spelled, lambda pair: kit.keyword.idf(BIGRAM_PREFIX + pair) > 0)
    return frozenset(pair for _, names in known for name in names for pair in bigrams(name))
