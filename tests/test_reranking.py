"""The learned order of the fused top candidates (index.reranking) for the e5 embedder."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

from index import reranking
from index.embedders.e5 import SIGNATURE, E5Embedder
from index.reranking import FEATURES, FusionModel, features, reordered
from index.search import Hit, Searcher
from tests.benchmarks.train_fusion import fit, fit_ranker
from tests.test_fusion import dense_searcher


def hit(doc: str, score: float, language: str = "zh-Hans", **meta: Any) -> Hit:
    return Hit(f"{doc}#0", f"text of {doc}", {"doc_id": doc, "chunk": 0, "language": language, **meta}, score)


def test_only_the_questions_language_is_reordered_and_each_place_keeps_its_score():
    hits = [hit("a", 3.0), hit("x", 2.5, "en"), hit("b", 2.0), hit("c", 1.0)]
    out = reordered(hits, np.array([0.1, 9.0, 0.5, 0.9]), [True, False, True, True])
    assert [h.doc_id for h in out] == ["c", "x", "b", "a"]  # x keeps its place whatever its score
    assert [h.score for h in out] == [3.0, 2.5, 2.0, 1.0]


def one_document(texts: list[str], title: str) -> Any:
    ids = [f"d#{i}" for i in range(len(texts))]
    metas = [{"doc_id": "d", "chunk": i, "title": title} for i in range(len(texts))]
    return SimpleNamespace(ids=ids, texts=texts, metas=metas, position={c: i for i, c in enumerate(ids)})


def test_features_read_the_chunk_its_neighbours_its_document_and_its_title():
    texts = ["胸斑眶锯雀鲷是一种鱼", "分布于太平洋", "其他信息", "生活在水深10米的海域"]
    keyword = one_document(texts, "胸斑眶锯雀鲷")
    hits = [Hit("d#3", texts[3], keyword.metas[3], 1.0, bm25=2.0, ranks={"bm25": 1})]
    row = dict(
        zip(FEATURES, features(keyword, hits, "胸斑眶锯雀鲷生活在水深多少的海域?", [0.3])[0], strict=True)
    )
    assert row["cover_chunk"] < row["cover_document"] == pytest.approx(1.0 - 2 / 17, abs=0.2)
    assert row["cover_context"] == row["cover_chunk"]  # its neighbour 其他信息 adds nothing
    assert row["cover_title"] > 0.3 and row["hashing_cosine"] == 0.3 and row["bm25_share"] == 1.0
    assert row["dense_rr"] == 0.0 and row["bm25_rr"] == 1.0


def test_a_title_the_question_names_whole_is_told_from_a_namesakes_longer_title():
    # 异齿前肛鳗's title holds every character pair of 前肛鳗 (cover_title cannot tell them apart).
    texts = ["一种鱼"]
    asked = "前肛鳗属于什么科?"
    rows = {
        title: dict(
            zip(
                FEATURES,
                features(one_document(texts, title), [hit_of(texts, title)], asked, [0.0])[0],
                strict=True,
            )
        )
        for title in ("前肛鳗", "异齿前肛鳗", "前肛鳗 (鱼类)", "")
    }
    assert rows["前肛鳗"]["cover_title"] == rows["异齿前肛鳗"]["cover_title"] > 0
    assert rows["前肛鳗"]["title_in_question"] == rows["前肛鳗 (鱼类)"]["title_in_question"] == 1.0
    assert rows["异齿前肛鳗"]["title_in_question"] == rows[""]["title_in_question"] == 0.0
    assert reranking.title_in_question("Patent Law", "What does the patent law say?") == 1.0


def hit_of(texts: list[str], title: str) -> Hit:
    return Hit("d#0", texts[0], {"doc_id": "d", "chunk": 0, "title": title}, 1.0, bm25=1.0, ranks={"bm25": 1})


def test_a_model_for_other_features_is_refused():
    text = FusionModel([0.0], [1.0], [1.0], {}).to_json().replace('"length"', '"other"')
    with pytest.raises(ValueError, match="train it again"):
        FusionModel.from_json(text)


def test_the_shipped_model_is_e5s_default_order_and_only_e5s():
    model = reranking.shipped()
    assert model is not None and model.meta["embedder"] == SIGNATURE
    assert model.ranker and model.scores(np.zeros((3, len(FEATURES)))).shape == (3,)
    # e5's default since session 10: no bundled set worse than hashing (docs/performance.md).
    searcher = SimpleNamespace(embedder=E5Embedder())  # the model is not loaded for its signature
    assert Searcher.fusion_defaults(searcher) == ("learned", 0.7)  # type: ignore[arg-type]
    other = SimpleNamespace(embedder=SimpleNamespace(signature="e5:other"))
    assert Searcher.fusion_defaults(other) == ("scaled", 0.7)  # type: ignore[arg-type]


def shorter_first(monkeypatch: Any, fitted_for: str) -> tuple[list[str], list[Hit]]:
    """The scaled order and the learned one, a model that prefers the shorter chunk (fitted for
    the embedder `fitted_for`) searched with embedder "e5:test"; en-b is shorter than en-a."""
    weights = [0.0] * len(FEATURES)
    weights[FEATURES.index("length")] = -1.0
    model = FusionModel([0.0] * len(FEATURES), [1.0] * len(FEATURES), weights, {"embedder": fitted_for})
    monkeypatch.setattr(reranking, "shipped", lambda: model)
    searcher = dense_searcher("e5:test")
    found = searcher.candidates()
    found[0].texts[3] = "en-b"
    searcher.candidates = lambda *a: found
    plain = Searcher.search(searcher, "the text of en-a", fusion="scaled", dense_weight=0.7)  # type: ignore[arg-type]
    learned = Searcher.search(searcher, "the text of en-a", fusion="learned", dense_weight=0.7)  # type: ignore[arg-type]
    return [h.doc_id for h in plain], learned


def test_a_model_fitted_for_another_embedder_leaves_the_order_alone(monkeypatch):
    before, learned = shorter_first(monkeypatch, "e5:other")
    assert [h.doc_id for h in learned] == before


def test_a_learned_search_orders_its_own_language_by_the_model(monkeypatch):
    # The Chinese passages, in another language than the question's, keep their places.
    before, learned = shorter_first(monkeypatch, "e5:test")
    order = [h.doc_id for h in learned]
    assert before.index("en-a") < before.index("en-b") and order.index("en-b") < order.index("en-a")
    assert [order.index(d) for d in order if d.startswith("zh")] == [
        before.index(d) for d in before if d.startswith("zh")
    ]
    assert [h.score for h in learned] == sorted((h.score for h in learned), reverse=True)
    assert all(h.hashing_dense is not None for h in learned if "dense" in h.ranks)


def test_training_fits_a_logistic_regression_that_ranks_the_positives_first():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    y = (x[:, 0] - 0.5 * x[:, 2] + 0.1 * rng.normal(size=400) > 0).astype(float)
    mean, scale, weights = fit(x, y)
    model = FusionModel(mean, scale, weights, {})
    assert weights[0] > 0 > weights[2] and abs(weights[1]) < abs(weights[0]) / 5
    scores = model.scores(x)
    assert scores[y == 1].mean() > scores[y == 0].mean()


def test_a_lambdarank_model_ranks_each_questions_answering_chunk_first_and_keeps_through_json():
    # Session 9: LightGBM lambdarank over the same features did better out of fold than the
    # logistic regression (docs/performance.md).
    rng = np.random.default_rng(0)
    x = rng.normal(size=(600, 3))
    y = np.zeros(600)
    for start in range(0, 600, 20):  # 30 questions of 20 chunks, the answering one highest on x0
        y[start + int(np.argmax(x[start : start + 20, 0] - 0.3 * x[start : start + 20, 2]))] = 1.0
    model = FusionModel([], [], [], {}, fit_ranker(x, y, [20] * 30))
    again = FusionModel.from_json(model.to_json())
    scores = again.scores(x)
    assert np.array_equal(scores, model.scores(x))
    firsts = [int(np.argmax(scores[s : s + 20])) == int(np.argmax(y[s : s + 20])) for s in range(0, 600, 20)]
    assert sum(firsts) >= 25


def test_a_miss_to_a_namesake_is_counted_by_its_causes():
    from tests.benchmarks.fusion_misses import _causes

    paragraphs = {
        "g": ("前肛鳗", "前肛鳗是一种鱼,以小型鱼类为食。"),
        "r": ("异齿前肛鳗 (鱼类)", "异齿前肛鳗是一种鱼,以甲壳类为食。"),
    }
    entry = {
        "item": {"doc": "g", "question": "前肛鳗以什么为食?", "answers": ["小型鱼类"]},
        "docs": ["r", "g"],
    }
    assert set(_causes(entry, "r", paragraphs)) == {
        "namesake title",
        "question names its title",
        "retrieved covers the question as well",
    }
