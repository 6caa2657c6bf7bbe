"""The bilingual IP-policy glossary (`index/data/glossary.tsv`) and concept matching.

Every glossary line is one concept with Chinese and English forms. Text in either language is
mapped to the concepts it mentions, so an English question and a Chinese passage share search
features. Places are also what refusal checks a question against.

The code's glossary holds the domain: IP-policy terms, programmes, national bodies, provinces and
cities. What only one collection names (its districts, universities, companies, its own phrases)
comes with that collection, as a `glossary.tsv` beside its articles in the same format; ingest
keeps it in the data folder (`collection-glossary.tsv`) and it is in use wherever that data
folder's index is opened. A concept whose id holds `{}` is a family matched by pattern: its forms
are regular expressions whose group `k` completes the id (`year_{}`: year_2021, year_1998).
"""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import ahocorasick
import snowballstemmer

from index.normalize import normalize

_KEY = "(?P<k>"  # the group of a family's pattern that completes the concept id

_ENDINGS = ("ing", "es", "ed", "s", "d")
# An English word standing alone (CJK characters count as word characters, as in the exact match).
_WORD = re.compile(r"(?<!\w)[a-z0-9]+(?!\w)")
_LOCAL = threading.local()


def english_stemmer() -> Any:
    """This thread's Snowball English stemmer: one instance keeps the word being stemmed in its
    own fields, so threads sharing one got IndexErrors and each other's stems under load."""
    found = getattr(_LOCAL, "stemmer", None)
    if found is None:
        found = _LOCAL.stemmer = snowballstemmer.stemmer("english")
    return found


_AGENT = re.compile(r"[a-z]{3,}(?:er|or)s?")


def _stem(word: str, stemmed: str) -> str:
    if word.endswith("ly"):
        return word  # an adverb: patently is not about patents
    if _AGENT.fullmatch(word) and not stemmed.endswith(("er", "or")):
        return word.removesuffix("s")  # a person: a reporter is not a report
    return stemmed


def _stems(words: list[str]) -> list[str]:
    """Snowball stems, except for adverbs and agent nouns, which keep their endings."""
    return [_stem(w, s) for w, s in zip(words, english_stemmer().stemWords(words), strict=True)]


def _latin_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


KINDS = ("term", "org", "programme", "place", "unit", "frame", "role")


@dataclass(frozen=True)
class Concept:
    id: str
    kind: str
    zh: tuple[str, ...]
    en: tuple[str, ...]
    within: str | None = None  # for places: the larger place this one lies in

    @property
    def family(self) -> bool:
        return "{}" in self.id


@dataclass(frozen=True)
class Mention:
    concept: Concept
    start: int  # offsets in the normalised text
    end: int


class GlossaryError(ValueError):
    pass


def split_forms(field: str) -> list[str]:
    """Forms separated by |, except inside parentheses (regular-expression forms use them)."""
    forms: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in field:
        if ch == "|" and depth == 0:
            forms.append("".join(current))
            current = []
            continue
        depth += {"(": 1, ")": -1}.get(ch, 0)
        current.append(ch)
    forms.append("".join(current))
    return [f.strip() for f in forms if f.strip()]


def _check_forms(number: int, cid: str, forms: tuple[str, ...]) -> None:
    for form in forms:
        if form.startswith("re:"):
            try:
                re.compile(form[3:])
            except re.error as exc:
                raise GlossaryError(f"glossary line {number}: bad pattern {form!r}: {exc}") from None
        if "{}" in cid and not (form.startswith("re:") and _KEY in form):
            raise GlossaryError(
                f"glossary line {number}: every form of the family {cid!r} is a pattern with (?P<k>...)"
            )


def parse_glossary(text: str, known: Iterable[Concept] = ()) -> list[Concept]:
    """The concepts of glossary `text`. `known`: concepts already in use (the code's glossary, for a
    collection's): their ids may not come again, and places may lie within theirs."""
    concepts: list[Concept] = []
    seen: set[str] = {c.id for c in known}
    places = {c.id for c in known if c.kind == "place"}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = [f.strip() for f in line.split("\t")]
        if len(fields) not in (4, 5):
            raise GlossaryError(f"glossary line {number}: expected 4 or 5 tab-separated fields")
        cid, kind, zh, en = fields[:4]
        within = fields[4] if len(fields) == 5 and fields[4] else None
        if within and kind != "place":
            raise GlossaryError(f"glossary line {number}: only places lie within another place")
        if kind not in KINDS:
            raise GlossaryError(f"glossary line {number}: unknown kind {kind!r}")
        if cid in seen:
            raise GlossaryError(f"glossary line {number}: duplicate id {cid!r}")
        seen.add(cid)
        zh_forms = tuple(f if f.startswith("re:") else normalize(f) for f in split_forms(zh))
        en_forms = tuple(f if f.startswith("re:") else normalize(f) for f in split_forms(en))
        _check_forms(number, cid, zh_forms + en_forms)
        if not zh_forms or not en_forms:
            raise GlossaryError(f"glossary line {number}: {cid!r} needs Chinese and English forms")
        concepts.append(Concept(cid, kind, zh_forms, en_forms, within))
    places |= {c.id for c in concepts if c.kind == "place"}
    for c in concepts:
        if c.within and c.within not in places:
            raise GlossaryError(f"glossary: {c.id!r} lies within unknown place {c.within!r}")
    return concepts


class Glossary:
    def __init__(self, concepts: list[Concept], digest: str = "") -> None:
        self.digest = digest
        self.concepts = {c.id: c for c in concepts}
        self._automaton = ahocorasick.Automaton()
        patterns: list[str] = []
        self._pattern_owner: dict[str, Concept] = {}
        forms: dict[str, list[Concept]] = {}
        # Each pattern of a family on its own, as each plain form is: 2021年 is met by the Chinese
        # form and by the English one, as "2021年" and "2021" were.
        self._families = [
            (re.compile(form[3:]), concept)
            for concept in concepts
            if concept.family
            for form in concept.zh + concept.en
        ]
        self._members: dict[str, Concept] = {}
        for concept in concepts:
            if concept.family:
                continue
            for form in concept.zh + concept.en:
                if form.startswith("re:"):
                    group = f"g{len(patterns)}"
                    patterns.append(f"(?P<{group}>{form[3:]})")
                    self._pattern_owner[group] = concept
                else:
                    forms.setdefault(form, []).append(concept)
        # English forms also match word by word on stems: legislating meets legislation,
        # cultivation meets cultivate.
        self._stemmed: dict[tuple[str, ...], list[Concept]] = {}
        for form, owners in forms.items():
            self._automaton.add_word(form, (form, tuple(owners)))
            if form.isascii() and form[0].isalnum():
                key = tuple(_stems(_WORD.findall(form)))
                if key:
                    self._stemmed.setdefault(key, []).extend(
                        c for c in owners if c not in self._stemmed.get(key, [])
                    )
        self._longest = max((len(k) for k in self._stemmed), default=0)
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
                    # English forms match whole words, with an optional plural ending. A Chinese
                    # character is no part of an English word: TISC中心, 通过ISO认证.
                    if start > 0 and _latin_alnum(normalised[start - 1]):
                        continue
                    # Plural and verb endings: deals, hosted, licensing. An acronym takes a
                    # plural s only: "cas" + "es" is "cases", not the Academy of Sciences.
                    for ending in _ENDINGS if len(form) > 3 else ("s",):
                        stop = end + len(ending)
                        if normalised.startswith(ending, end) and not _latin_alnum(
                            normalised[stop : stop + 1]
                        ):
                            end = stop
                            break
                    if end < len(normalised) and _latin_alnum(normalised[end]):
                        continue
                found.extend(Mention(c, start, end) for c in owners)
        if self._families:
            members = [
                Mention(self._member(family, match["k"]), match.start(), match.end())
                for pattern, family in self._families
                for match in pattern.finditer(normalised)
            ]
            found = sorted(found + members, key=lambda m: m.end)  # in text order, as plain forms come
        if self._stemmed and _WORD.search(normalised):
            found.extend(self._stem_mentions(normalised, {(m.concept.id, m.start) for m in found}))
        if self._patterns is not None:
            for match in self._patterns.finditer(normalised):
                if match.lastgroup:
                    found.append(Mention(self._pattern_owner[match.lastgroup], match.start(), match.end()))
        return found

    def _member(self, family: Concept, key: str) -> Concept:
        cid = family.id.replace("{}", key)
        member = self._members.get(cid)
        if member is None:
            member = self._members.setdefault(cid, Concept(cid, family.kind, family.zh, family.en))
        return member

    def _stem_mentions(self, normalised: str, seen: set[tuple[str, int]]) -> list[Mention]:
        spans = [(m.start(), m.end()) for m in _WORD.finditer(normalised)]
        stems = _stems([normalised[a:b] for a, b in spans])
        out: list[Mention] = []
        for i in range(len(spans)):
            for n in range(1, min(self._longest, len(spans) - i) + 1):
                if n > 1 and normalised[spans[i + n - 2][1] : spans[i + n - 1][0]].strip(" '"):
                    break  # the words are not adjacent (punctuation between them)
                for concept in self._stemmed.get(tuple(stems[i : i + n]), ()):
                    if (concept.id, spans[i][0]) not in seen:
                        seen.add((concept.id, spans[i][0]))
                        out.append(Mention(concept, spans[i][0], spans[i + n - 1][1]))
        return out

    def concept_ids(self, normalised: str) -> list[str]:
        return [m.concept.id for m in self.mentions(normalised)]

    def ancestors(self, place: str) -> set[str]:
        """The larger places `place` lies in (Dalian -> Liaoning -> Northeast)."""
        out: set[str] = set()
        current = self.concepts.get(place)
        while current is not None and current.within and current.within not in out:
            out.add(current.within)
            current = self.concepts.get(current.within)
        return out

    def places(self, normalised: str) -> set[str]:
        return {m.concept.id for m in self.mentions(normalised) if m.concept.kind == "place"}


# Concept lines the collections in use brought, by id (process-wide: what one collection brought
# stays known while the process lives, so two indexes open in one process do not undo each other).
_collection: dict[str, str] = {}
_listeners: list[Callable[[], None]] = []


def on_change(listener: Callable[[], None]) -> None:
    """Call `listener` (a cache's cache_clear) whenever a collection changes the glossary."""
    _listeners.append(listener)


@functools.cache
def _base_text() -> str:
    return resources.files("index").joinpath("data/glossary.tsv").read_text(encoding="utf-8")


@functools.cache
def base_concepts() -> tuple[Concept, ...]:
    return tuple(parse_glossary(_base_text()))


def concept_lines(text: str) -> dict[str, str]:
    return {
        line.split("\t", 1)[0].strip(): line
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    }


def collection_text() -> str:
    return "\n".join(_collection[cid] for cid in sorted(_collection))


@functools.cache
def default_glossary() -> Glossary:
    """The code's glossary and the concepts the collections in use brought."""
    base = base_concepts()
    extra = parse_glossary(collection_text(), base)
    text = _base_text() + (collection_text() and "\n" + collection_text())
    return Glossary([*base, *extra], hashlib.sha256(text.encode()).hexdigest()[:16])


def changed() -> None:
    """The concepts in use changed: drop what was worked out with the others."""
    default_glossary.cache_clear()
    for listener in _listeners:
        listener()


def use_collection_glossary(text: str) -> None:
    """Bring a collection's concepts into use (GlossaryError if `text` is not a glossary that can
    stand beside the code's and the others in use)."""
    lines = concept_lines(text)
    merged = {**_collection, **lines}
    parse_glossary("\n".join(merged.values()), base_concepts())
    if merged == _collection:
        return
    _collection.update(lines)
    changed()
