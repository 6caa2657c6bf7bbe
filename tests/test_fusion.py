"""Fusion of BM25 and dense hits (index.search.fuse) on hand-made hit lists: min-max scaled cosines
for neural embedders, and no trust in a dense score alone across languages."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from index.embedders.hashing import HashingEmbedder
from index.search import Searcher, fuse

LANGUAGES = {"zh-a": "zh-Hans", "zh-b": "zh-Hant", "en-a": "en", "en-b": "en"}


def keyword(texts: dict[str, str] | None = None) -> Any:
    """A keyword index of one chunk per document, each a sentence long unless `texts` says."""
    ids = [f"{doc}#0" for doc in LANGUAGES]
    return SimpleNamespace(
        ids=ids,
        texts=[(texts or {}).get(doc, f"the text of {doc}, one sentence long") for doc in LANGUAGES],
        metas=[{"doc_id": doc, "language": lang} for doc, lang in LANGUAGES.items()],
        position={cid: i for i, cid in enumerate(ids)},
    )


def ranked(hits: list[Any]) -> list[str]:
    return [h.doc_id for h in hits]


def test_scaled_fusion_spreads_a_narrow_band_of_cosines_over_the_dense_weight():
    dense = [("zh-a#0", 0.90), ("zh-b#0", 0.85), ("en-a#0", 0.80)]
    hits = fuse(keyword(), [], dense, "", fusion="scaled", dense_weight=0.5)
    assert [round(h.score, 6) for h in hits] == [0.5, 0.25, 0.0]
    # Unscaled, the band adds about the same to every passage.
    plain = fuse(keyword(), [], dense, "", fusion="score", dense_weight=0.5)
    assert max(h.score for h in plain) - min(h.score for h in plain) < 0.051


def test_a_passage_in_another_language_is_not_ranked_on_its_dense_score_alone():
    # An English question: e5 rates the Chinese passages highly, BM25 found only the English one.
    dense = [("zh-a#0", 0.95), ("zh-b#0", 0.90), ("en-a#0", 0.70)]
    hits = fuse(keyword(), [(2, 3.0)], dense, "en", fusion="scaled", dense_weight=0.5)
    assert ranked(hits) == ["en-a"]
    # Without the question's language the rule cannot apply: the Chinese passages come in.
    assert ranked(fuse(keyword(), [(2, 3.0)], dense, "", fusion="scaled", dense_weight=0.5))[1:] == [
        "zh-a",
        "zh-b",
    ]


def test_another_language_passage_bm25_found_gets_its_bm25_part_as_dense_part():
    # BM25 reached both Chinese passages through the glossary's crossing terms; e5's cross-language
    # cosines would reverse them, and an English passage would win on its dense part alone.
    dense = [("zh-a#0", 0.95), ("zh-b#0", 0.70), ("en-a#0", 0.90), ("en-b#0", 0.60)]
    bm25 = [(1, 3.0), (0, 2.7), (2, 2.4)]
    hits = fuse(keyword(), bm25, dense, "en", fusion="scaled", dense_weight=0.5)
    assert ranked(hits) == ["zh-b", "zh-a", "en-a", "en-b"]
    assert [round(h.score, 6) for h in hits] == [1.5, 1.35, 1.3, 0.0]
    # A Chinese question: the same hits, e5's ranking of the Chinese passages counts.
    hits = fuse(keyword(), bm25, dense, "zh-Hans", fusion="scaled", dense_weight=0.5)
    assert ranked(hits)[0] == "zh-a"


def test_another_language_passages_are_ranked_by_the_hashing_embedders_crossing_cosine():
    # An English question; BM25 reached two Chinese passages through the glossary's crossing terms,
    # nearly alike. e5's cross-language cosines are not used; the hashing embedder's, which hold the
    # glossary's concepts (invention patent = 发明专利), tell them apart as the default fusion does.
    texts = {
        "zh-a": "中心累计受理的专利预审申请超过4750件。",
        "zh-b": "其中发明专利占82%，发明专利授权率为86%。",
    }
    query = "What share of the applications are invention patents?"
    bm25 = [(0, 3.0), (1, 2.95)]
    hits = fuse(keyword(texts), bm25, [], "en", fusion="scaled", dense_weight=0.7, query=query)
    assert ranked(hits) == ["zh-b", "zh-a"]
    assert all(h.score > 1.7 * 2.95 / 3.0 for h in hits)  # on the scale of the question's language
    # Without the question's text there is nothing to compare: BM25's order, scaled.
    plain = fuse(keyword(texts), bm25, [], "en", fusion="scaled", dense_weight=0.7)
    assert ranked(plain) == ["zh-a", "zh-b"]
    assert [round(h.score, 6) for h in plain] == [1.7, round(1.7 * 2.95 / 3.0, 6)]


def test_traditional_and_simplified_chinese_count_as_one_language():
    dense = [("zh-b#0", 0.95), ("zh-a#0", 0.70)]
    hits = fuse(keyword(), [(0, 1.0)], dense, "zh-Hans", fusion="scaled", dense_weight=0.5)
    assert ranked(hits) == ["zh-a", "zh-b"]
    assert hits[1].score == 0.5


def test_a_fragment_shorter_than_a_sentence_is_not_ranked_first_on_its_dense_score():
    # A lead-in line ("王聚强调:") shares the question's name: e5 rates it above the passage that
    # answers, which BM25 ranks first.
    texts = {"zh-a": "王聚强调:", "zh-b": "讲好大连知识产权故事,擦亮大连名片,推动知识产权创造和运用。"}
    dense = [("zh-a#0", 0.90), ("zh-b#0", 0.835), ("en-a#0", 0.80)]
    bm25 = [(1, 8.0), (0, 5.0)]
    hits = fuse(keyword(texts), bm25, dense, "", fusion="scaled", dense_weight=1.0)
    assert ranked(hits)[:2] == ["zh-b", "zh-a"]
    # The fragment keeps 5/30 of a full dense part and does not set the scale: zh-b scales to 1.
    assert [round(h.score, 4) for h in hits[:2]] == [2.0, round(5 / 8 + 5 / 30, 4)]
    # A sentence-long chunk is ranked on its dense score as before.
    assert ranked(fuse(keyword(), bm25, dense, "", fusion="scaled", dense_weight=1.0))[0] == "zh-a"


def test_fusion_defaults_follow_the_embedder():
    hashing = SimpleNamespace(embedder=HashingEmbedder())
    neural = SimpleNamespace(embedder=SimpleNamespace(signature="openai:other:1536"))
    assert Searcher.fusion_defaults(hashing) == ("score", 0.2)  # type: ignore[arg-type]
    assert Searcher.fusion_defaults(neural) == ("scaled", 0.7)  # type: ignore[arg-type]
    # e5 (the embedder the learned fusion was fitted for): tests/test_reranking.py


class ScriptStore:
    """Chroma's answer for a question written in Simplified or Traditional: like e5, it rates
    the passages of the question's own script higher."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def query(self, vector: list[float], k: int) -> list[tuple[str, float]]:
        script = "zh-Hant" if vector[0] else "zh-Hans"
        self.asked.append(script)
        if script == "zh-Hant":
            return [("zh-b#0", 0.95), ("zh-a#0", 0.85), ("en-a#0", 0.80)][:k]
        return [("zh-a#0", 0.93), ("zh-b#0", 0.88), ("en-a#0", 0.80)][:k]


def script_searcher(store: ScriptStore) -> Any:
    from index.normalize import to_simplified

    embedder = SimpleNamespace(
        signature="e5:test", embed_query=lambda text: [float(to_simplified(text) != text)]
    )
    searcher = SimpleNamespace(store=store, embedder=embedder, _languages=(None, frozenset()))
    searcher._index_languages = lambda kw: Searcher._index_languages(searcher, kw)  # type: ignore[arg-type]
    return searcher


def test_a_chinese_passage_is_compared_with_the_question_written_in_its_script():
    # A Traditional question: the Simplified passage's cosine comes from the question in Simplified.
    store = ScriptStore()
    near = [("zh-b#0", 0.95), ("zh-a#0", 0.85), ("en-a#0", 0.80)]
    got = Searcher._in_passage_script(
        script_searcher(store), keyword(), "長沙有多少家企業?", "zh-Hant", near, 10
    )  # type: ignore[arg-type]
    assert got == [("zh-b#0", 0.95), ("zh-a#0", 0.93), ("en-a#0", 0.80)]
    assert store.asked == ["zh-Hans"]


def test_one_script_index_or_a_question_without_script_asks_chroma_once():
    store = ScriptStore()
    near = [("zh-a#0", 0.93)]
    one_script = keyword()
    # Only Traditional passages (and English ones): nothing to compare with a Simplified question.
    one_script.metas = [
        dict(m, language="zh-Hant" if m["language"] == "zh-Hans" else m["language"]) for m in one_script.metas
    ]
    searcher = script_searcher(store)
    assert Searcher._in_passage_script(searcher, one_script, "長沙有多少家企業?", "zh-Hant", near, 10) == near  # type: ignore[arg-type]
    # A question whose characters are written alike in both scripts.
    assert Searcher._in_passage_script(searcher, keyword(), "上海有多少人?", "zh-Hans", near, 10) == near  # type: ignore[arg-type]
    assert store.asked == []


def dense_searcher(signature: str) -> Any:
    """A Searcher's `search` over `keyword()`: BM25 finds zh-a and en-a, the dense search all four."""
    bm25 = [(0, 4.0), (2, 2.0)]
    near = [("zh-a#0", 0.91), ("zh-b#0", 0.88), ("en-a#0", 0.80), ("en-b#0", 0.79)]
    searcher = SimpleNamespace(embedder=SimpleNamespace(signature=signature))
    searcher.candidates = lambda *a: (keyword(), bm25, near, "en")
    return searcher


def test_a_neural_embedders_hits_carry_the_hashing_cosine_the_selector_reads():
    # e5's cosines sit about 0.65-1.0: read as hashing cosines, they made the answer selector surer of
    # any answer (h7-35, refused with hashing, answered with e5 at confidence 0.083 against 0.08).
    question = "the text of en-a"
    hits = Searcher.search(dense_searcher("e5:test"), question, fusion="scaled", dense_weight=0.7)  # type: ignore[arg-type]
    vectors = HashingEmbedder().embed_array([question, *[h.text for h in hits]])
    for hit, cosine in zip(hits, vectors[1:] @ vectors[0], strict=True):
        if "dense" in hit.ranks:
            assert hit.base_dense == pytest.approx(float(cosine)) and hit.dense >= 0.79
        else:
            assert hit.hashing_dense is None and hit.base_dense == 0.0


def test_a_neural_embedders_hits_carry_the_score_the_default_fusion_would_give():
    # e5's scaled fusion put the lead chunk of a report (its headline figure, 每万人有效发明专利) 0.19
    # above the one BM25 ranks first (每万人高价值发明专利, what was asked): read as hashing scores,
    # answering quoted the headline figure (h14-41). Answering reads the default fusion's scale.
    question = "the text of en-a"
    hits = Searcher.search(dense_searcher("e5:test"), question, fusion="scaled", dense_weight=0.7)  # type: ignore[arg-type]
    vectors = HashingEmbedder().embed_array([question, *[h.text for h in hits]])
    for hit, cosine in zip(hits, vectors[1:] @ vectors[0], strict=True):
        assert hit.base_score == pytest.approx(hit.bm25 / 4.0 + 0.2 * max(float(cosine), 0.0))
        assert hit.base_score < hit.score or hit.bm25 == 0.0


def test_the_hashing_embedders_hits_keep_their_own_cosine_for_the_selector():
    hits = Searcher.search(dense_searcher("hashing:64"), "the text of en-a", fusion="score", dense_weight=0.2)  # type: ignore[arg-type]
    assert all(h.hashing_dense is None and h.base_dense == h.dense for h in hits)
    assert all(h.hashing_score is None and h.base_score == h.score for h in hits)
    assert {h.base_dense for h in hits} >= {0.91, 0.80}


@pytest.mark.parametrize("fusion", ["scaled", "learned"])
def test_a_search_hashes_the_question_and_each_passage_once(monkeypatch, fusion):
    # fuse (another language's passages), the learned order and the selector's cosines all read
    # the hashing embedder's cosines to the question: one search hashes each text once.
    hashed: list[str] = []
    embedder, real = HashingEmbedder(), HashingEmbedder.embed_array

    def counted(self: HashingEmbedder, texts: list[str]) -> Any:
        hashed.extend(texts)
        return real(self, texts)

    monkeypatch.setattr(HashingEmbedder, "embed_array", counted)
    question = "the text of en-a"
    hits = Searcher.search(dense_searcher("e5:test"), question, fusion=fusion, dense_weight=0.7)  # type: ignore[arg-type]
    assert hashed.count(question) == 1 and len(hashed) == len(set(hashed))
    vectors = embedder.embed_array([question, *[h.text for h in hits]])
    for hit, cosine in zip(hits, vectors[1:] @ vectors[0], strict=True):
        if "dense" in hit.ranks:
            assert hit.hashing_dense == pytest.approx(float(cosine))
