"""Whether, and how well, a figure row's measure names what is asked, across languages and scripts.

One matcher for two callers: the figures table's filter (`counts_asked`, a yes/no for the API and
the figures tab) and the series of a change over time (`cross_fit`, a score for an English
question over Chinese rows). Both read a measure as the glossary's concepts (places left out) and
the words they leave (`figure_records.measure_key`), and agree on when a row holds a concept asked:
the row names it, a narrower one (有效发明专利 names 发明专利; valid_invention_patent narrows
invention_patent), or one its English forms' words name (ip → intellectual_property). They differ
only in what they demand:

- `counts_asked`: every concept asked, the row's concept the same or narrower; words the glossary
  does not know are not compared across languages (no dictionary in the index);
- `cross_fit`: the share of the asked parts the row holds, a broader row concept counting too (a
  per-10,000 figure is of valid patents), and an English word the glossary does not know held where
  a dictionary (`Lexicon`, the assistant's CC-CEDICT) translates it into a word of the row
  (navigation → 导航).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any, Protocol

import jieba

from index.analysis import stem
from index.figure_records import measure_key
from index.glossary import default_glossary, on_change
from index.normalize import to_simplified

# English words of a question that name no measure: what any figure is (a number, an amount), a
# month that dates a report, and the level a title carries (municipal-level).
_GENERIC = re.compile(
    r"^(?:number|amount|count|quantiti|quantity|figur|figure|level|"
    r"januari|februari|march|april|may|june|juli|august|septemb|octob|novemb|decemb)$"
)
TRANSLATIONS = 30  # the dictionary's first translations of a word that count


class Lexicon(Protocol):
    """A bilingual dictionary: English stems of a Chinese word, Chinese words for English ones."""

    def english(self, word: str) -> tuple[str, ...]: ...

    def chinese(self, words: tuple[str, ...], limit: int = 8) -> tuple[str, ...]: ...


def is_concept(part: str) -> bool:
    """Whether a measure-key part is a glossary concept (else a word the glossary leaves)."""
    return part in default_glossary().concepts


def narrows(narrower: str, broader: str) -> bool:
    """Whether one concept is the other or a narrower kind of it (valid_invention_patent of
    invention_patent), by the glossary's ids."""
    return narrower == broader or narrower.endswith("_" + broader)


def _mentions(measure: str) -> list[tuple[int, int, str]]:
    # The glossary's English forms match word by word where a hyphen does not join the words
    # (high-value invention patents)
    form = to_simplified(measure).lower().strip().replace("-", " ")
    return [
        (m.start, m.end, m.concept.id) for m in default_glossary().mentions(form) if m.concept.kind != "place"
    ]


@functools.lru_cache(maxsize=4096)
def asked_concepts(measure: str) -> tuple[frozenset[str], ...]:
    """The concepts a measure names: per span, the concepts its words may be (grant: a patent's or
    a subsidy), a span inside a longer one left to it (valid invention patents: only
    valid_invention_patent is asked, not invention_patent or patent)."""
    spans: dict[tuple[int, int], set[str]] = {}
    for start, end, cid in _mentions(measure):
        spans.setdefault((start, end), set()).add(cid)
    kept = [
        (span, ids)
        for span, ids in spans.items()
        if not any(other != span and other[0] <= span[0] and span[1] <= other[1] for other in spans)
    ]
    return tuple(frozenset(ids) for _, ids in sorted(kept, key=lambda item: item[0]))


@functools.lru_cache(maxsize=16384)
def named_concepts(measure: str) -> frozenset[str]:
    """Every concept a row's measure names, the ones inside longer ones included."""
    return frozenset(cid for _, _, cid in _mentions(measure))


def holds_concept(asked: str, own: frozenset[str], said: frozenset[str], broader: bool) -> bool:
    """Whether a row holds a concept asked: one of its concepts (`own`) is it or narrower (or,
    where `broader`, a broader one), or its English forms' words name it (`said`)."""
    if asked in said:
        return True
    return any(narrows(o, asked) or (broader and narrows(asked, o)) for o in own if is_concept(o))


def counts_asked(asked: str, row_measure: str) -> bool:
    """Whether a row's measure names every concept the measure asked names (at least one)."""
    wanted = asked_concepts(asked)
    own = named_concepts(row_measure)
    said = frozenset(own)
    return bool(wanted) and all(
        any(holds_concept(c, own, said, broader=False) for c in alternatives) for alternatives in wanted
    )


def asked_parts(measure_text: str) -> list[str]:
    """The parts of an English question's measure key that name the measure."""
    key = measure_key(measure_text) if measure_text else ""
    parts = [w if is_concept(w) else stem(w) for p in key.split("+") for w in p.split("-") if w]
    return [p for p in dict.fromkeys(parts) if not _GENERIC.match(p) and p.isascii()]


@functools.lru_cache(maxsize=4096)
def _concept_words(part: str) -> frozenset[str]:
    """What a concept says in English: its id, the stems of its English forms' words and the
    concepts those words name (ip → intellectual_property)."""
    glossary = default_glossary()
    out = {part}
    for form in glossary.concepts[part].en:
        for word in re.findall(r"[a-z]+", form.lower()):
            out.add(stem(word))
            out.update(m.concept.id for m in glossary.mentions(word) if m.concept.kind != "place")
    return frozenset(out)


def _words(part: str, lexicon: Lexicon) -> frozenset[str]:
    """What a key part says in English: a concept's words; a Chinese word, the stems of its
    dictionary glosses (导航基地 → navig, base); an English stem, itself."""
    if is_concept(part):
        return _concept_words(part)
    if part.isascii():
        return frozenset({part})
    return frozenset({part, *(g for w in _cut(part) for g in lexicon.english(w))})


@functools.lru_cache(maxsize=4096)
def _cut(part: str) -> tuple[str, ...]:
    return tuple(jieba.cut(part))


def cross_fit(asked: list[str], row: Mapping[str, Any], lexicon: Lexicon) -> float:
    """The share of the question's parts the row's measure holds, and a little for the share of
    the row's parts the question names (as series.fit weighs a match in one script). Concepts by
    `holds_concept` (a broader row concept too); other words by what they say in English, or by a
    dictionary translation the row's words hold."""
    own = [p for p in str(row.get("measure_key") or "").split("+") if p]
    if len(asked) < 2 or not own:
        return 0.0  # one concept (知识产权) tells no measure from another
    text = to_simplified(str(row.get("measure") or ""))
    said = frozenset().union(*(_words(o, lexicon) for o in own))
    meant = frozenset().union(*(_words(a, lexicon) for a in asked))
    own_set = frozenset(own)

    def holds(part: str) -> bool:
        if is_concept(part):
            return holds_concept(part, own_set, said, broader=True)
        translations = lexicon.chinese((part,), limit=TRANSLATIONS)
        return part in said or any(t in text for t in translations)

    def named(part: str) -> bool:
        if is_concept(part):
            return holds_concept(part, frozenset(asked), frozenset(asked), broader=True) or bool(
                _words(part, lexicon) & set(asked)
            )
        return bool(_words(part, lexicon) & meant)

    held = sum(holds(p) for p in asked) / len(asked)
    return held + 0.3 * sum(named(o) for o in own) / len(own)


on_change(asked_concepts.cache_clear)  # all three hold concepts of the glossary in use
on_change(named_concepts.cache_clear)
on_change(_concept_words.cache_clear)
