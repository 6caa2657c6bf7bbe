"""Multi-hop with one bridge: the place a description points to (the city whose bureau director is
X), read from the passage that matches the description, then the question asked for that place."""

from __future__ import annotations

import re

from assistant.extractive import Candidate
from assistant.kinds.kit import Kit
from assistant.kinds.parts import of_candidate, of_citation, place_name, render
from assistant.models import Answer
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
    bridge = _resolve(kit, description)
    if bridge is None:
        return kit.refuse()
    cand, place = bridge
    name = place_name(place, kit.language)
    answer = kit.single(ask.format(place=name))
    if not answer.answerable:
        return kit.refuse()
    lead = f"{' '.join(description.split())} → {name}"
    sentences = [of_candidate(cand)] + [of_citation(c) for c in answer.citations]
    return render(kit.question, kit.searched, kit.language, [lead], sentences)


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


def _resolve(kit: Kit, description: str) -> tuple[Candidate, str] | None:
    """The best sentence for the description and the place of its document."""
    found = [c for c in kit.search(description) if not c.reasons and c.coverage >= kit.min_support]
    for cand in found[:3]:
        place = str(cand.meta.get("region", ""))
        if place:
            return cand, place
    return None
