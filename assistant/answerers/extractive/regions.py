"""The stretch of a document around a retrieved chunk, and its sentences analysed once."""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any, ClassVar

from assistant.question import BROAD_PLACES, YEAR
from index.analysis import places, search_form, search_tokens
from index.chunking import Span, headline_flags, split_sentences
from index.figures import Figure, find_figures
from index.keyword import KeywordIndex
from index.search import Hit

# Chunks stitched before and after a hit's own chunk: an answer's context often starts earlier.
CHUNKS_BEFORE, CHUNKS_AFTER = 2, 1


@dataclass
class Region:
    """A stretch of one document around a hit, stitched from neighbouring chunks."""

    doc_id: str
    base: int  # offset of text[0] in the original document
    text: str
    filled: list[bool]  # False where no chunk covered the document (page chrome)
    meta: dict[str, Any]
    sentences: list[Span]
    headlines: list[bool]  # per sentence: a headline line (index.chunking.headline_flags)


def region_of(
    hit: Hit, keyword: KeywordIndex, before: int = CHUNKS_BEFORE, after: int = CHUNKS_AFTER
) -> Region:
    chunk = int(hit.meta.get("chunk", 0))
    parts = keyword.neighbours(hit.doc_id, chunk, before, after)
    if not parts:
        parts = [(int(hit.meta.get("start", 0)), hit.text)]
    base = min(p[0] for p in parts)
    end = max(p[0] + len(p[1]) for p in parts)
    chars = ["\n"] * (end - base)
    filled = [False] * (end - base)
    for start, text in parts:
        offset = start - base
        chars[offset : offset + len(text)] = text
        filled[offset : offset + len(text)] = [True] * len(text)
    text = "".join(chars)
    sentences = split_sentences(text)
    headlines = headline_flags(text, sentences, str(hit.meta.get("title", "")))
    return Region(hit.doc_id, base, text, filled, hit.meta, sentences, headlines)


@dataclass
class Analysed:
    """Per-sentence analysis of a region, reused across questions."""

    region: Region
    forms: list[str]
    tokens: list[frozenset[str]]
    places: list[frozenset[str]]
    figures: list[list[Figure]]


class RegionCache:
    """Analysed regions by (document, chunk), for as long as the keyword index they came from is
    the current one: a changed collection gets a fresh cache. `RegionCache.of(keyword)` is the one
    cache of an index that the answerer and the judge share, so a region is analysed once."""

    MAX_REGIONS = 4096
    _shared: ClassVar[dict[int, tuple[weakref.ref[KeywordIndex], RegionCache]]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self) -> None:
        self._keyword: weakref.ref[KeywordIndex] | None = None  # not kept alive by its cache
        self._regions: dict[tuple[str, int], Analysed] = {}

    @classmethod
    def of(cls, keyword: KeywordIndex) -> RegionCache:
        """The cache shared by everything that reads regions of `keyword`'s chunks."""
        with cls._lock:
            found = cls._shared.get(id(keyword))
            if found is not None and found[0]() is keyword:
                return found[1]
            for key in [k for k, (ref, _) in cls._shared.items() if ref() is None]:
                del cls._shared[key]  # indexes no longer in use (a refresh replaced them)
            cache = cls()
            cls._shared[id(keyword)] = (weakref.ref(keyword), cache)
            return cache

    def get(self, hit: Hit, keyword: KeywordIndex) -> Analysed:
        if self._keyword is None or self._keyword() is not keyword:
            self._keyword, self._regions = weakref.ref(keyword), {}
        key = (hit.doc_id, int(hit.meta.get("chunk", 0)))
        found = self._regions.get(key)
        if found is not None:
            return found
        found = analysed(hit, keyword)
        if len(self._regions) >= self.MAX_REGIONS:
            self._regions.clear()
        self._regions[key] = found
        return found


def analysed(hit: Hit, keyword: KeywordIndex) -> Analysed:
    """The region around `hit` with each sentence's search form, tokens, places and figures."""
    region = region_of(hit, keyword)
    texts = [region.text[s.start : s.end] for s in region.sentences]
    forms = [search_form(t) for t in texts]
    return Analysed(
        region,
        forms,
        [frozenset(search_tokens(t)) for t in texts],
        [places(f) - BROAD_PLACES for f in forms],
        [[f for f in find_figures(t) if not YEAR.fullmatch(f.text.rstrip("年"))] for t in texts],
    )
