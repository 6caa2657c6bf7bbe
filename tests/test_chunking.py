"""Chunks are exact spans of the original text, whole sentences where they fit the token budget."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from index.chunking import Span, chunk_spans, split_sentences
from index.cleaning import content_spans
from index.tokens import count_tokens

# Text built from the pieces that make chunking hard: CJK and Latin words, both kinds of
# terminal punctuation, closing quotes, numbers with dots, odd white space and line breaks.
_PIECES = st.sampled_from(
    [
        "知识产权",
        "质押融资",
        "14.95亿元",
        "。",
        "！",
        "？",
        "；",
        "……",
        "”",
        "」",
        "）",
        "，",
        "Dalian",
        "patent",
        "No. 5",
        "U.S.",
        "1.495",
        ". ",
        "! ",
        "? ",
        "...",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\t",
        "\u3000",
        "e.g.",
        "(",
        ")",
        '"',
        "'",
        "\r",
    ]
)
TEXT = st.one_of(
    st.lists(_PIECES, max_size=120).map("".join),
    st.text(max_size=400),
)


def _check(text: str, chunks: list[Span], max_tokens: int) -> None:
    previous = -1
    for span in chunks:
        piece = text[span.start : span.end]
        assert 0 <= span.start < span.end <= len(text)
        assert piece == piece.strip() and piece  # offsets slice back to a trimmed, non-empty chunk
        assert span.start > previous  # chunks move forward
        previous = span.start
        # Over budget only by what joining sentences adds (BPE merges across the white space
        # between them differ from the sum of the parts), or when one character alone is.
        gaps = sum(1 for a, b in itertools.pairwise(piece) if a.isspace() != b.isspace())
        assert count_tokens(piece) <= max_tokens + gaps or span.end - span.start == 1
    covered = set()
    for span in chunks:
        covered.update(range(span.start, span.end))
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())  # nothing is lost


@settings(max_examples=150, deadline=None)
@given(text=TEXT, max_tokens=st.integers(1, 60), overlap=st.integers(0, 59))
def test_chunk_offsets_slice_back_to_the_chunk_text(text: str, max_tokens: int, overlap: int):
    overlap = min(overlap, max_tokens - 1)
    chunks = chunk_spans(text, None, max_tokens, overlap)
    _check(text, chunks, max_tokens)


def test_the_white_space_between_sentences_counts_against_the_budget():
    # Found by Hypothesis: two one-token sentences across a paragraph break ("\n  ") were joined
    # into one five-token chunk under a budget of two, the break's own tokens left uncounted.
    text = "质押融资\n  知识产权"
    _check(text, chunk_spans(text, None, 2, 1), 2)


def test_merges_across_more_than_two_sentences_count_against_the_budget():
    # Found by Hypothesis: "。" "。" "。" cost one token in each pair but two together, so three
    # one-token sentences were packed into a two-token chunk under a budget of one.
    text = "。。。"
    _check(text, chunk_spans(text, None, 1, 0), 1)


@settings(max_examples=60, deadline=None)
@given(text=TEXT)
def test_chunks_stay_inside_the_cleaned_segments(text: str):
    segments = content_spans(text)
    chunks = chunk_spans(text, segments, 40, 10)
    for span in chunks:
        assert any(s.start <= span.start and span.end <= s.end for s in segments)


def test_sentences_end_at_chinese_and_english_terminals():
    text = "第一句。第二句！“第三句？”Fourth one. No. 5 stays whole. U.S. too.\n最后一行"
    assert [text[s.start : s.end] for s in split_sentences(text)] == [
        "第一句。",
        "第二句！",
        "“第三句？”",
        "Fourth one.",
        "No. 5 stays whole.",
        "U.S. too.",
        "最后一行",
    ]


def test_chunks_pack_whole_sentences_with_overlap():
    sentences = [f"第{i}句话讲的是知识产权质押融资的情况。" for i in range(12)]
    text = "".join(sentences)
    n = count_tokens(sentences[0])
    chunks = chunk_spans(text, None, max_tokens=3 * n + 1, overlap_tokens=n + 1)
    pieces = [text[c.start : c.end] for c in chunks]
    assert len(pieces) > 2
    for piece in pieces:
        assert piece.endswith("。") and count_tokens(piece) <= 3 * n + 1
    for a, b in itertools.pairwise(pieces):
        last_sentence = a[a.rindex("第", 0, len(a) - 1) :]
        assert b.startswith(last_sentence)  # the next chunk repeats whole sentences


def test_over_long_sentence_is_cut_into_windows_within_budget():
    text = "知识产权" * 200
    chunks = chunk_spans(text, None, max_tokens=50, overlap_tokens=10)
    assert "".join(text[c.start : c.end] for c in chunks) == text
    assert all(count_tokens(text[c.start : c.end]) <= 50 for c in chunks)
