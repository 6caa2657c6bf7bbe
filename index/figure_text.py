"""Where a figure stands in its text: sentence and clause spans, jieba's words with their tags,
and the key of a place (what a figure counts is read in index.figure_measures).

Everything works on the search form's characters one for one (Traditional is read as Simplified,
full-width as half-width), so every offset found here slices the original text too. Chinese is
segmented and tagged by jieba; English by words and a short list of function words.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass

import jieba
import jieba.posseg as pseg

from index.glossary import default_glossary
from index.normalize import to_simplified

jieba.setLogLevel(logging.WARNING)

_SENTENCE_END = re.compile(r"[。！？!?；;\n]+|\.(?=\s)|\.$")
# A space between Chinese words separates the parts of a headline (審查員現有29名 2030年目標百人).
# A comma between digits groups thousands (1,227,000; 1萬9,634件): it ends no clause.
_CLAUSE_END = re.compile(
    r"[，、：:（）()“”\"]|(?<!\d),|,(?!\d{3}(?!\d))|\s[-–—]\s|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff\d])"
)
# Chinese parts of speech (jieba's tags) that make up a noun phrase naming what is counted.


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def form_of(text: str) -> str:
    """The text as it is read here: Simplified, half-width; same length as the original."""
    simple = to_simplified(text)
    out = []
    for ch in simple:
        n = unicodedata.normalize("NFKC", ch)
        out.append(n if len(n) == 1 else ch)
    return "".join(out)


def sentence_spans(form: str) -> list[Span]:
    return _split(form, _SENTENCE_END, 0, len(form))


def clause_spans(form: str, sentence: Span) -> list[Span]:
    return _split(form, _CLAUSE_END, sentence.start, sentence.end)


def _split(form: str, pattern: re.Pattern[str], start: int, end: int) -> list[Span]:
    spans, at = [], start
    for m in pattern.finditer(form, start, end):
        if m.start() > at:
            spans.append(Span(at, m.start()))
        at = m.end()
    if at < end:
        spans.append(Span(at, end))
    return [s for s in spans if form[s.start : s.end].strip()]


def containing(spans: list[Span], offset: int) -> Span | None:
    return next((s for s in spans if s.start <= offset < s.end), None)


# ---------------------------------------------------------------------------------- tokens


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    word: str
    tag: str


@functools.lru_cache(maxsize=4096)
def _tagged(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((w, f) for w, f in pseg.cut(text))


def tokens(form: str, start: int, end: int) -> list[Token]:
    """jieba words with their tags over form[start:end], with offsets into form."""
    out, at = [], start
    for word, tag in _tagged(form[start:end]):
        out.append(Token(at, at + len(word), word, tag))
        at += len(word)
    return out


def in_dictionary(word: str) -> bool:
    """Whether jieba's dictionary holds the word (功能, 许可), as against one its model guessed
    from characters it glued together (额超 in 年运营额超千万元)."""
    jieba.dt.check_initialized()
    return bool(jieba.dt.FREQ.get(word))


def tag_of(tok: Token) -> str:
    """jieba's tag, except that a word it calls a place (ns) without an administrative ending is
    taken for a noun (满意度, 海洋)."""
    return "n" if tok.tag == "ns" and not ADMIN_ENDING.search(tok.word) else tok.tag


# ---------------------------------------------------------------------------------- places


ADMIN_ENDING = re.compile(r"(?:市|省|区|县|州|镇|乡|村|自治区|新区)$")


def place_key(name: str) -> str:
    """A key that one place has in every script and language: the glossary's id, else the
    Simplified name without its administrative suffix."""
    form = to_simplified(name).strip().lower()
    for mention in default_glossary().mentions(form):
        if mention.concept.kind == "place" and mention.end - mention.start >= len(form) - 1:
            return mention.concept.id
    return re.sub(r"(?<=..)(?:市|省|区|县)$", "", form)
