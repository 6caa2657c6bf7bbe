"""Sentence-aware chunking that keeps exact character offsets into the original text.

A chunk is a span `(start, end)` of the document's original text: `text[start:end]` is exactly the
chunk. Sentences end at 。！？；…, at . ! ? ; followed by a space, and at line breaks. Chunks are whole
sentences packed up to a token budget, with whole sentences of overlap; a sentence longer than the
budget is cut into windows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from index.tokens import count_tokens

# A sentence ends after CJK terminal punctuation (plus closing quotes/brackets), after Latin
# terminal punctuation followed by white space, or at a line break.
_SENTENCE_END = re.compile(
    r"""(?:[。！？!?；;]|…+|\.{3,})[”’」』）)\]"'》]*"""  # CJK / any terminal mark
    r"""|(?=\.)(?<![0-9A-Z])(?<!\bNo)(?<!\bno)(?<!\bMr)(?<!\bDr)(?<!\bMs)(?<!\bSt)(?<!\bvs)(?<!\bArt)(?<!\bFig)"""
    r"""(?<!\bMrs)(?<!\bVol)(?<!\be\.g)(?<!\bi\.e)\.(?=\s)[”’"')\]]*"""  # a full stop before white space,
    # not after an abbreviation ("No. 5", "Mr. Li", "e.g. this") or a capital ("U.S."); the
    # lookahead first, so that the lookbehinds run at full stops only (5x faster over CJK text)
    r"""|\n"""
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if end > start else None


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Sentences of `text[start:end]` as trimmed spans of `text`."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    pos = start
    for match in _SENTENCE_END.finditer(text, start, end):
        if span := _trimmed(text, pos, match.end()):
            spans.append(span)
        pos = match.end()
    if span := _trimmed(text, pos, end):
        spans.append(span)
    return spans


# A line that names its article's headline (原标题: …) or that a full sentence closes.
_HEADLINE_LABEL = re.compile(r"\s*(?:原标题|原標題|标题|標題|title)\s*[:：]", re.I)
_CLOSED = re.compile(r"""(?:[。！？!?；;.…:：]|\.{3})[”’」』）)\]"'》]*\s*$""")
HEADLINE_MAX_CHARS = 40  # a longer line without a stop is a body sentence cut short, not a heading


def headline_flags(text: str, spans: list[Span], title: str = "") -> list[bool]:
    """For each sentence span: whether it is a headline line, quoted as nothing's evidence: the
    article's headline (the title, a line repeating it, a 原标题: line) or a heading, a short
    whole line without a closing stop over a paragraph that has one (全市有效发明专利拥有量7.61万件
    over the paragraph stating it). Lines of a list (items without stops, one under another) are
    not headings."""
    flat_title = "".join(title.split()).lower()
    out = []
    for span in spans:
        line = text[span.start : span.end]
        flat = "".join(line.split()).lower()
        if _HEADLINE_LABEL.match(line) or (flat_title and len(flat) >= 6 and flat in flat_title):
            out.append(True)
            continue
        whole = (
            not text[text.rfind("\n", 0, span.start) + 1 : span.start].strip()
            and not text[span.end : _line_end(text, span.end)].strip()
        )
        out.append(
            whole
            and len(line) <= HEADLINE_MAX_CHARS
            and not _CLOSED.search(line)
            and bool(_CLOSED.search(_next_line(text, span.end)))
        )
    return out


def _line_end(text: str, at: int) -> int:
    end = text.find("\n", at)
    return len(text) if end < 0 else end


def _next_line(text: str, at: int) -> str:
    """The next non-blank line after the line holding `at` ('' at the end of the text)."""
    pos = _line_end(text, at)
    while pos < len(text):
        end = _line_end(text, pos + 1)
        if text[pos + 1 : end].strip():
            return text[pos + 1 : end]
        pos = end
    return ""


def _windows(text: str, span: Span, max_tokens: int) -> Iterable[Span]:
    """Cut an over-long sentence into pieces of at most `max_tokens` tokens."""
    pos = span.start
    while pos < span.end:
        lo, hi = pos + 1, span.end
        while lo < hi:  # the longest piece that fits
            mid = (lo + hi + 1) // 2
            if count_tokens(text[pos:mid]) <= max_tokens:
                lo = mid
            else:
                hi = mid - 1
        if piece := _trimmed(text, pos, lo):
            yield piece
        pos = lo


def chunk_spans(
    text: str,
    segments: Iterable[Span] | None = None,
    max_tokens: int = 160,
    overlap_tokens: int = 40,
) -> list[Span]:
    """Chunks of `text`, never crossing a segment boundary (segments: the kept parts of a page)."""
    if max_tokens < 1 or overlap_tokens < 0 or overlap_tokens >= max_tokens:
        raise ValueError("need max_tokens >= 1 and 0 <= overlap_tokens < max_tokens")
    chunks: list[Span] = []
    for segment in segments if segments is not None else [Span(0, len(text))]:
        pieces: list[tuple[Span, int]] = []
        for sentence in split_sentences(text, segment.start, segment.end):
            n = count_tokens(text[sentence.start : sentence.end])
            if n <= max_tokens:
                pieces.append((sentence, n))
            else:
                pieces.extend(
                    (w, count_tokens(text[w.start : w.end])) for w in _windows(text, sentence, max_tokens)
                )
        chunks.extend(_pack(text, pieces, max_tokens, overlap_tokens))
    return chunks


def _pack(text: str, pieces: list[tuple[Span, int]], max_tokens: int, overlap_tokens: int) -> list[Span]:
    """Sentences joined into chunks of at most `max_tokens` tokens. A sentence costs its own tokens
    plus what joining it adds: the white space before it (a paragraph break and indent are tokens
    of their own) and BPE merges across the join."""
    chunks: list[Span] = []
    i = 0
    while i < len(pieces):
        j, used = i + 1, pieces[i][1]
        while j < len(pieces):
            (before, before_tokens), (piece, _) = pieces[j - 1], pieces[j]
            cost = count_tokens(text[before.start : piece.end]) - before_tokens
            if used + cost > max_tokens:
                break
            used += cost
            j += 1
        # Costs are counted pairwise, so merges across three or more pieces ("。" "。" "。" is one
        # token per pair, two together) can still overrun: count the chunk whole and shrink it.
        while j > i + 1 and count_tokens(text[pieces[i][0].start : pieces[j - 1][0].end]) > max_tokens:
            j -= 1
        chunks.append(Span(pieces[i][0].start, pieces[j - 1][0].end))
        if j >= len(pieces):
            break
        # Start the next chunk a few whole sentences back, always moving forward.
        k, back = j, 0
        while k - 1 > i and back + pieces[k - 1][1] <= overlap_tokens:
            k -= 1
            back += pieces[k][1]
        i = k
    return chunks


def _inside_word(text: str, i: int) -> bool:
    """Whether position `i` falls between two letters or digits of one Latin word or number."""
    return (
        0 < i < len(text)
        and text[i - 1].isascii()
        and text[i].isascii()
        and (text[i - 1] + text[i]).isalnum()
    )


def context_span(text: str, start: int, end: int, max_chars: int, max_sentences: int) -> Span:
    """What to show around `text[start:end]`: up to `max_sentences` sentences (a line is one) either
    side, within `max_chars` characters either side, never starting or ending inside a word."""
    before = split_sentences(text, max(0, start - max_chars), start)
    lo = (
        before[-max_sentences].start
        if len(before) >= max_sentences
        else (before[0].start if before else start)
    )
    after = split_sentences(text, end, min(len(text), end + max_chars))
    hi = after[max_sentences - 1].end if len(after) >= max_sentences else (after[-1].end if after else end)
    while lo < start and _inside_word(text, lo):
        lo += 1
    while hi > end and _inside_word(text, hi):
        hi -= 1
    return Span(lo, hi)
