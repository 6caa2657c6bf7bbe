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
from index.keyword import KeywordIndex
from index.normalize import has_cjk, to_simplified

_ZH = re.compile(
    r"(?P<desc>.+?)(?:所在的|所在|的)(?:(?:那|这)(?:个|座))?(?:城市|地方|地区|省份)[,，]?(?:的)?(?P<rest>.*)"
)
_EN = re.compile(
    r"(?P<lead>.*?)(?P<clause>\b(?:the )?(?:city|place|region) "
    # a quoted name may hold a comma ('one platform online, a three-level network offline')
    r"(?:(?:whose|that|which|where)\b|(?=\w+(?:ing|ed)\b))(?P<desc>(?:(?<![A-Za-z])'[^']*'|\"[^\"]*\"|“[^”]*”|[^,?])*))"
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
    asked = ask.format(place=name)
    answer = kit.single(asked)
    if not answer.answerable or not _about(kit, answer, place, asked):
        return kit.refuse()
    lead = f"{' '.join(description.split())} → {name}"
    sentences = [of_candidate(cand)] + [of_citation(c) for c in answer.citations]
    return kit.render([lead], sentences, long=True)  # two passages: the bridge's and the answer's


def _about(kit: Kit, answer: Answer, place: str, asked: str) -> bool:
    """Whether the second hop's answer is about the bridge's place: each cited document is of
    that place (its region) where its region is known. Another city's figure is no answer for
    the place the description points to."""
    regions = {h.doc_id: h.meta.get("region") for h in kit.hits}
    regions.update({c.doc_id: c.meta.get("region") for c in kit.search(asked)})
    home = place_name(place, "zh")
    return all(
        not regions.get(c.doc_id) or place_name(str(regions[c.doc_id]), "zh") == home
        for c in answer.citations
    )


def _split(text: str, english: bool) -> tuple[str, str] | None:
    """(the description of the bridge, the question for the place: a template with {place})."""
    if english:
        m = _EN.search(text)
        if m is None:
            return None
        tail = m.group("tail")
        if tail.startswith(","):
            # the place goes inside the question, before its mark: "how many …  in Dalian?"
            asked = tail.lstrip(", ").rstrip()
            mark = asked[-1] if asked.endswith(("?", ".")) else ""
            return m.group("desc"), f"{asked.rstrip('?.').rstrip()} in {{place}}{mark}"
        return m.group("desc"), f"{m.group('lead')}{{place}}{tail}"
    m = _ZH.match(to_simplified(text))
    if m is None or not m.group("rest").strip():
        return None
    return m.group("desc"), "{place}" + m.group("rest")


def _resolve(kit: Kit, description: str, found: list[Candidate]) -> tuple[Candidate, str] | None:
    """The best sentence for the description and the place of its document."""
    names = _names(description, kit)
    if names:  # a description naming a person (Hou Xiangyu) points where that name stands
        found = [c for c in found if any(n in to_simplified(c.text) for n in names)]
        if not found:
            return None
    wanted = terms(description) | frozenset(pair for name in names for pair in bigrams(name))
    best = max(found, key=lambda c: weighted_overlap(wanted, c.text, kit.keyword.idf))
    if weighted_overlap(wanted, best.text, kit.keyword.idf) < kit.min_support:
        return None
    return best, str(best.meta["region"])


def _names(description: str, kit: Kit) -> list[str]:
    """The Chinese names an English description spells in pinyin (Hou Xiangyu: 侯向宇)."""
    q = analyse(description)
    inside = _pairs_in_words(kit.keyword)
    known = resolved(q.spelled, lambda pair: kit.keyword.idf(BIGRAM_PREFIX + pair) > 0 or pair in inside)
    return [name for _, names in known for name in names]


_PAIRS: dict[int, tuple[KeywordIndex, frozenset[str]]] = {}  # per keyword index (it changes on ingest)


def _pairs_in_words(keyword: KeywordIndex) -> frozenset[str]:
    """Character pairs inside the collection's Chinese words: a name the segmenter keeps whole
    (侯向宇) is indexed as one word, not as its pairs."""
    held = _PAIRS.get(id(keyword))
    if held is not None and held[0] is keyword:
        return held[1]
    words = [w for w in keyword.vocab if len(w) > 2 and has_cjk(w)]
    pairs = frozenset(w[k : k + 2] for w in words for k in range(len(w) - 1))
    _PAIRS.clear()  # one index at a time: the current one
    _PAIRS[id(keyword)] = (keyword, pairs)
    return pairs
