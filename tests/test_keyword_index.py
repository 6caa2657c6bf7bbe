"""The keyword index's compact representation scores exactly as bm25s over the same tokens."""

from __future__ import annotations

import json
from pathlib import Path

import bm25s
import numpy as np
import pytest

import index.keyword as keyword
from assistant import Settings
from index.analysis import chunk_tokens, search_tokens
from index.ingest import ingest_records
from index.store import STATUS_READY, Store

ROOT = Path(__file__).resolve().parents[1]


def _reference(store: Store) -> tuple[list[str], dict[str, int], bm25s.BM25, list[tuple[str, ...]]]:
    """The index as it was built before: token tuples, a vocabulary in order of first use, and
    bm25s over one int32 array a chunk (a chunk without tokens holds the empty token)."""
    ready = {d for d, m in store.document_records().items() if m.get("status") == STATUS_READY}
    chunks = [c for c in store.all_chunks() if c.meta.get("doc_id") in ready]
    token_lists = [search_tokens(c.text) for c in chunks]
    vocab: dict[str, int] = {}
    for tokens in token_lists:
        for t in tokens:
            vocab.setdefault(t, len(vocab))
    empty = np.array([vocab.setdefault("\0", len(vocab))], dtype=np.int32)
    corpus = [
        np.array([vocab[t] for t in tokens], dtype=np.int32) if tokens else empty for tokens in token_lists
    ]
    retriever = bm25s.BM25(k1=1.2, b=0.75)
    retriever.index(bm25s.tokenization.Tokenized(ids=corpus, vocab=vocab), show_progress=False)
    # bm25s then adds "" to the vocabulary, beyond the matrix's columns; analysis never makes it.
    del vocab[""]
    return [c.id for c in chunks], vocab, retriever, token_lists


def _reference_search(
    retriever: bm25s.BM25, vocab: dict[str, int], n: int, tokens: tuple[str, ...], weights: dict[str, float]
) -> np.ndarray:
    scores = np.zeros(n, dtype=np.float32)
    for token in [t for t in dict.fromkeys(tokens) if t in vocab]:
        scores += np.asarray(retriever.get_scores([token]), dtype=np.float32) * float(weights.get(token, 1.0))
    return scores


def _questions() -> list[str]:
    lines = (ROOT / "tests" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()]


def test_scores_and_idf_equal_bm25s_over_the_same_tokens(bundled_settings: Settings):
    store = Store(bundled_settings)
    ids, vocab, retriever, token_lists = _reference(store)
    index = keyword.build_from_store(store)
    assert index.ids == ids and index.vocab == vocab
    # The same matrix, to the bit.
    assert np.array_equal(index.matrix.data, retriever.scores["data"])
    assert np.array_equal(index.matrix.indices, retriever.scores["indices"])
    assert np.array_equal(index.matrix.indptr, retriever.scores["indptr"])

    rng = np.random.default_rng(3)
    for question in _questions():
        tokens = search_tokens(question)
        weights = {t: float(rng.uniform(0.2, 3.0)) for t in tokens if rng.random() < 0.5}
        expected = _reference_search(retriever, vocab, len(ids), tokens, weights)
        got = index.search(tokens, 20, weights)
        top = np.argsort(-expected, kind="stable")[: len(got)]
        assert [s for _, s in got] == [float(expected[i]) for i in top]
        assert {p for p, _ in got} == {int(i) for i in top if expected[i] > 0} or len(got) == 20

    df: dict[str, int] = {}
    for tokens in token_lists:
        for t in set(tokens):
            df[t] = df.get(t, 0) + 1
    n = len(ids)
    for token in [*list(vocab)[:500], "\0", "不在词表里"]:
        old = (
            0.0
            if token not in vocab
            else float(np.log(1 + (n - df.get(token, 0) + 0.5) / (df.get(token, 0) + 0.5)))
        )
        assert index.idf(token) == old


def test_matrix_equals_bm25s_on_random_ids_with_empty_chunks():
    rng = np.random.default_rng(5)
    n_vocab = 300
    corpus = [rng.integers(0, n_vocab, int(rng.integers(0, 40))).astype(np.int32) for _ in range(9000)]
    offsets = np.concatenate([[0], np.cumsum([len(c) for c in corpus])]).astype(np.int64)
    tokens = np.concatenate(corpus).astype(np.int32)
    empty = n_vocab
    matrix = keyword.bm25_matrix(tokens, offsets, n_vocab + 1, empty)

    vocab = {str(i): i for i in range(n_vocab + 1)}
    padded = [c if len(c) else np.array([empty], dtype=np.int32) for c in corpus]
    retriever = bm25s.BM25(k1=1.2, b=0.75)
    retriever.index(bm25s.tokenization.Tokenized(ids=padded, vocab=vocab), show_progress=False)
    assert np.array_equal(matrix.data, retriever.scores["data"])
    assert np.array_equal(matrix.indices, retriever.scores["indices"])
    assert np.array_equal(matrix.indptr, retriever.scores["indptr"])


def test_persisted_index_is_memory_mapped_and_equal(bundled_settings: Settings, tmp_path: Path):
    store = Store(bundled_settings)
    built = keyword.build_from_store(store)
    keyword.save(built, tmp_path / "kw")
    loaded = keyword.load(tmp_path / "kw")
    assert loaded is not None
    assert isinstance(loaded.matrix.data, np.memmap) and isinstance(loaded.tokens, np.memmap)
    assert loaded.ids == built.ids and loaded.vocab == built.vocab and loaded.state == built.state
    assert list(loaded.texts) == list(built.texts) == [c.text for c in store.all_chunks()]
    assert list(loaded.metas) == list(built.metas)
    for question in _questions()[:10]:
        tokens = search_tokens(question)
        assert loaded.search(tokens, 10) == built.search(tokens, 10)


def test_incremental_refresh_equals_a_cold_build(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data")
    docs = [
        ("a", "青岛市2023年专利授权量达到两万件。青岛知识产权保护中心负责快速预审。", {"title": "青岛"}),
        ("b", "杭州市推进数据知识产权登记，全年登记数据产品三百余件。", {}),
        ("c", "。。。", {}),  # a chunk without search tokens
    ]
    ingest_records(docs, settings)
    store = Store(settings)
    first = keyword.open_keyword_index(store)
    ingest_records(
        [
            ("d", "苏州市2024年商标质押融资金额为三十亿元。", {}),
            ("b", "杭州市数据知识产权登记全年五百件。", {}),
        ],
        settings,
    )
    refreshed = keyword.open_keyword_index(store, first)
    cold = keyword.build_from_store(store)
    assert refreshed.ids == cold.ids and refreshed.vocab == cold.vocab
    assert np.array_equal(refreshed.tokens, cold.tokens)
    assert np.array_equal(refreshed.matrix.data, cold.matrix.data)
    assert np.array_equal(refreshed.matrix.indices, cold.matrix.indices)
    assert list(refreshed.metas) == list(cold.metas)


def test_a_cache_of_an_older_format_is_rebuilt(tmp_path: Path):
    settings = Settings(data_dir=tmp_path / "data")
    ingest_records([("a", "青岛市2023年专利授权量达到两万件。", {})], settings)
    store = Store(settings)
    folder = keyword._folder(store)
    keyword.open_keyword_index(store)
    (folder / "index.json").write_text(json.dumps({"format": 2}))
    assert keyword.load(folder) is None
    (folder / "tokens.npy").write_bytes(b"truncated")
    rebuilt = keyword.open_keyword_index(store)
    assert len(rebuilt) == 1 and keyword.load(folder) is not None


@pytest.mark.parametrize(
    "text",
    [
        "青岛市2023年专利授权量达到2,000件，增长12.5%。",
        "臺灣專利申請量為三萬件",
        "Patent pledge financing reached 1.2 billion yuan",
        "",
    ],
)
def test_chunk_tokens_are_search_tokens(text: str):
    assert chunk_tokens(text) == search_tokens(text)
