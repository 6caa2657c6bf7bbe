"""The bilingual IP-policy glossary (`index/data/glossary.tsv`) and concept matching.

Every glossary line is one concept with Chinese and English forms. Text in either language is
mapped to the concepts it mentions, so an English question and a Chinese passage share search
features. Places are also what refusal checks a question against.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import ahocorasick

from index.normalize import normalize

_ENDINGS = ("ing", "es", "ed", "s", "d")
KINDS = ("term", "org", "programme", "place", "unit")


@dataclass(frozen=True)
class Concept:
    id: str
    kind: str
    zh: tuple[str, ...]
    en: tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    concept: Concept
    start: int  # offsets in the normalised text
    end: int


class GlossaryError(ValueError):
    pass


def parse_glossary(text: str) -> list[Concept]:
    concepts: list[Concept] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            raise GlossaryError(f"glossary line {number}: expected 4 tab-separated fields")
        cid, kind, zh, en = (f.strip() for f in fields)
        if kind not in KINDS:
            raise GlossaryError(f"glossary line {number}: unknown kind {kind!r}")
        if cid in seen:
            raise GlossaryError(f"glossary line {number}: duplicate id {cid!r}")
        seen.add(cid)
        zh_forms = tuple(normalize(f) for f in zh.split("|") if f.strip())
        en_forms = tuple(normalize(f) for f in en.split("|") if f.strip())
        if not zh_forms or not en_forms:
            raise GlossaryError(f"glossary line {number}: {cid!r} needs Chinese and English forms")
        concepts.append(Concept(cid, kind, zh_forms, en_forms))
    return concepts


class Glossary:
    def __init__(self, concepts: list[Concept]) -> None:
        self.concepts = {c.id: c for c in concepts}
        self._automaton = ahocorasick.Automaton()
        patterns: list[str] = []
        forms: dict[str, list[Concept]] = {}
        for concept in concepts:
            for form in concept.zh + concept.en:
                if form.startswith("re:"):
                    patterns.append(f"(?P<{concept.id}>{form[3:]})")
                else:
                    forms.setdefault(form, []).append(concept)
        for form, owners in forms.items():
            self._automaton.add_word(form, (form, tuple(owners)))
        if forms:
            self._automaton.make_automaton()
        self._patterns = re.compile("|".join(patterns)) if patterns else None

    def mentions(self, normalised: str) -> list[Mention]:
        """Every concept mention in already normalised text, overlapping ones included."""
        found: list[Mention] = []
        if len(self._automaton):
            for last, (form, owners) in self._automaton.iter(normalised):
                start = last - len(form) + 1
                end = last + 1
                if form.isascii() and form[0].isalnum():
                    # English forms match whole words, with an optional plural ending.
                    if start > 0 and normalised[start - 1].isalnum():
                        continue
                    for ending in _ENDINGS:  # plural and verb endings: deals, hosted, licensing
                        stop = end + len(ending)
                        if normalised.startswith(ending, end) and not normalised[stop : stop + 1].isalnum():
                            end = stop
                            break
                    if end < len(normalised) and normalised[end].isalnum():
                        continue
                found.extend(Mention(c, start, end) for c in owners)
        if self._patterns is not None:
            for match in self._patterns.finditer(normalised):
                cid = match.lastgroup
                if cid:
                    found.append(Mention(self.concepts[cid], match.start(), match.end()))
        return found

    def concept_ids(self, normalised: str) -> list[str]:
        return [m.concept.id for m in self.mentions(normalised)]

    def places(self, normalised: str) -> set[str]:
        return {m.concept.id for m in self.mentions(normalised) if m.concept.kind == "place"}


@functools.cache
def default_glossary() -> Glossary:
    text = resources.files("index").joinpath("data/glossary.tsv").read_text(encoding="utf-8")
    return Glossary(parse_glossary(text))
