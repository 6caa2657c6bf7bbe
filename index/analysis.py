"""Search features of text: jieba words, glossary concepts and figure values, on normalised text.

The same analysis runs over indexed chunks and over questions, so a Traditional question meets a
Simplified passage, and `pledge financing` meets `质押融资` through the shared concept token.
"""

from __future__ import annotations

import functools
import logging
import re

import jieba

from index.figures import find_figures
from index.glossary import Mention, default_glossary, english_stemmer, on_change
from index.normalize import normalize
from index.wordlists import word_list

jieba.setLogLevel(logging.WARNING)

# Bump when the analysis changes, so persisted keyword indexes are rebuilt.
ANALYSIS_VERSION = 8  # 8: 800余万元 is 8 million (余 before the scale)
CONCEPT_PREFIX = "~"
FIGURE_PREFIX = "#"
BIGRAM_PREFIX = "_"

STOPWORDS = word_list("stopwords")
PUNCT = re.compile(r"^[\W_]+$")  # a token of punctuation only
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_LATIN = re.compile(r"^[a-z][a-z'\-]*$")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of an English word."""
    return str(english_stemmer().stemWord(word))


def _search_form(text: str) -> str:
    return _THOUSANDS.sub("", normalize(text))


search_form = functools.lru_cache(maxsize=65536)(_search_form)


@functools.lru_cache(maxsize=8192)
def _mentions(form: str) -> tuple[Mention, ...]:
    """Glossary mentions in text already in search form: a sentence's concept tokens and its places
    are read from one pass of the glossary (an answer asks for both)."""
    return tuple(default_glossary().mentions(form))


@functools.lru_cache(maxsize=65536)
def places(form: str) -> frozenset[str]:
    """Glossary places named in text already in search form."""
    return frozenset(m.concept.id for m in _mentions(form) if m.concept.kind == "place")


def _words(form: str) -> tuple[str, ...]:
    """jieba words (search mode) of text already in search form, stop words and punctuation out."""
    out: list[str] = []
    for token in jieba.cut_for_search(form):
        token = token.strip()
        if not token or token in STOPWORDS or PUNCT.match(token):
            continue
        if _LATIN.match(token):
            token = stem(token)
            if token in STOPWORDS:
                continue
        out.append(token)
    return tuple(out)


words = functools.lru_cache(maxsize=65536)(_words)


def concepts(form: str) -> list[str]:
    return [CONCEPT_PREFIX + m.concept.id for m in _mentions(form)]


def _chunk_concepts(form: str) -> list[str]:
    """`concepts` without the cache: indexing reads each chunk once."""
    return [CONCEPT_PREFIX + cid for cid in default_glossary().concept_ids(form)]


def figures(form: str) -> list[str]:
    return [FIGURE_PREFIX + f.key for f in find_figures(form) if f.value >= 10 or f.unit]


def fingerprint() -> str:
    """Identifies the analysis: its version and the glossary it uses."""
    return f"{ANALYSIS_VERSION}-{default_glossary().digest}"


_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
# Characters too common to tell anything: no bigram is made with them, and a passage earns no
# credit for holding them.
FUNCTION_CHARS = frozenset("的了是在和与及等也都为对将把被从向以于之其并或而又这那有个中上下呀吗呢吧啊")


def bigrams(form: str) -> list[str]:
    """CJK character bigrams: they match names and terms that jieba segments differently in a
    question and in a passage (白岳峰, 司马晏是)."""
    out = []
    for run in _CJK_RUN.findall(form):
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if pair[0] not in FUNCTION_CHARS and pair[1] not in FUNCTION_CHARS:
                out.append(BIGRAM_PREFIX + pair)
    return out


@functools.lru_cache(maxsize=65536)
def search_tokens(text: str) -> tuple[str, ...]:
    """All search tokens of `text`: words, character bigrams, concept tokens and figure tokens."""
    form = search_form(text)
    return words(form) + tuple(bigrams(form)) + tuple(concepts(form)) + tuple(figures(form))


on_change(_mentions.cache_clear)  # these hold concepts of the glossary in use
on_change(places.cache_clear)
on_change(search_tokens.cache_clear)


def chunk_tokens(text: str) -> tuple[str, ...]:
    """`search_tokens` without its caches, for indexing: each chunk is analysed once, and keeping
    65,536 chunks' texts, forms and token tuples in the caches held about 750 MB at 100k chunks."""
    form = _search_form(text)
    return _words(form) + tuple(bigrams(form)) + tuple(_chunk_concepts(form)) + tuple(figures(form))
