"""How well a Chinese figure row's measure names what an English question asks: its measure key
(glossary concepts and the words they leave, index/figure_records.measure_key) against the
question's, where a concept matches the same or a narrower concept (valid_invention_patent is an
invention_patent) and an English word the glossary does not know matches a Chinese word of the
row that the general dictionary gives as its translation (navigation → 导航)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jieba

from assistant.dictionary import default_dictionary
from index.analysis import stem
from index.figure_records import measure_key
from index.glossary import default_glossary
from index.normalize import to_simplified

# English words of a question that name no measure: what any figure is (a number, an amount), a
# month that dates a report, and the level a title carries (municipal-level).
_GENERIC = re.compile(
    r"^(?:number|amount|count|quantiti|quantity|figur|figure|level|"
    r"januari|februari|march|april|may|june|juli|august|septemb|octob|novemb|decemb)$"
)
_TRANSLATIONS = 30  # the dictionary's first translations of a word that count


def asked_parts(measure_text: str) -> list[str]:
    """The parts of an English question's measure key that name the measure."""
    key = measure_key(measure_text) if measure_text else ""
    parts = [w if _concept(w) else stem(w) for p in key.split("+") for w in p.split("-") if w]
    return [p for p in dict.fromkeys(parts) if not _GENERIC.match(p) and p.isascii()]


def _concept(part: str) -> bool:
    return part in default_glossary().concepts


def _narrows(a: str, b: str) -> bool:
    return a == b or a.endswith("_" + b) or b.endswith("_" + a)


@lru_cache(maxsize=4096)
def _words(part: str) -> frozenset[str]:
    """What a key part says in English: a concept, its id, the stems of its English forms' words
    and the concepts those words name (ip → intellectual_property); a Chinese word, the stems of
    its dictionary glosses (导航基地 → navig, base); an English stem, itself."""
    glossary = default_glossary()
    if part in glossary.concepts:
        out = {part}
        for form in glossary.concepts[part].en:
            for word in re.findall(r"[a-z]+", form.lower()):
                out.add(stem(word))
                out.update(m.concept.id for m in glossary.mentions(word) if m.concept.kind != "place")
        return frozenset(out)
    if part.isascii():
        return frozenset({part})
    glosses = default_dictionary().english
    return frozenset({part, *(g for w in jieba.cut(part) for g in glosses(w))})


def cross_fit(asked: list[str], row: Mapping[str, Any]) -> float:
    """The share of the question's parts the row's measure holds, and a little for the share of
    the row's parts the question names (as series.fit weighs a match in one script). Two
    concepts match where one is the other or narrows it; other words by what they say in English,
    or by a dictionary translation the row's words hold."""
    own = [p for p in str(row.get("measure_key") or "").split("+") if p]
    if len(asked) < 2 or not own:
        return 0.0  # one concept (知识产权) tells no measure from another
    text = to_simplified(str(row.get("measure") or ""))
    said = frozenset().union(*(_words(o) for o in own))
    meant = frozenset().union(*(_words(a) for a in asked))

    def holds(part: str) -> bool:
        if _concept(part):
            return any(_narrows(part, o) for o in own if _concept(o)) or part in said
        return part in said or any(t in text for t in _translations(part))

    def named(part: str) -> bool:
        if _concept(part):
            return any(_narrows(part, a) for a in asked if _concept(a)) or bool(_words(part) & set(asked))
        return bool(_words(part) & meant)

    held = sum(holds(p) for p in asked) / len(asked)
    return held + 0.3 * sum(named(o) for o in own) / len(own)


def _translations(part: str) -> tuple[str, ...]:
    return default_dictionary().chinese((part,), limit=_TRANSLATIONS)
