"""The fusion tuned on validation articles (tests/benchmarks/fusion_learned.py): character pairs a
question shares with a chunk's neighbours and its document, weights chosen on validation only."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tests.benchmarks.fusion_learned import Coverage, learned, pairs

CHUNKS = [
    (
        "fish-b",
        "背斑眶锯雀鲷分布于日本,水深0至12公尺。",
    ),  # the twin: depth, and a name close to the asked one
    ("fish-a", "胸斑眶锯雀鲷又称蓝纹高身雀鲷,为雀鲷科的一种。"),  # the name asked ...
    ("fish-a", "本鱼分布于太平洋,水深1至20公尺。"),  # ... and the depth, one chunk on
]


def keyword() -> Any:
    counts: dict[str, int] = {}
    ids, metas = [], []
    for doc, _ in CHUNKS:
        index = counts[doc] = counts.get(doc, -1) + 1
        ids.append(f"{doc}#{index}")
        metas.append({"doc_id": doc, "chunk": index, "language": "zh-Hans"})
    return SimpleNamespace(
        ids=ids, texts=[t for _, t in CHUNKS], metas=metas, position={c: i for i, c in enumerate(ids)}
    )


QUESTION = "胸斑眶锯雀鲷生活在水深多少的海域?"


def test_a_chunk_is_credited_with_the_pairs_its_neighbours_and_document_hold():
    kw = keyword()
    asked = pairs(QUESTION)
    alone = len(asked & pairs(CHUNKS[2][1])) / len(asked)
    near, whole = Coverage(kw).shares(asked, 2)
    assert near == whole > alone  # the name is in the chunk before
    twin_near, twin_whole = Coverage(kw).shares(asked, 0)
    assert whole > twin_whole == twin_near


def test_weights_are_chosen_on_the_validation_questions_and_reported_on_the_held_out_ones():
    kw = keyword()
    # BM25 and the dense search both put the twin's depth first.
    recorded = [
        (
            kw,
            [(0, 5.0), (2, 4.9), (1, 3.0)],
            [("fish-b#0", 0.9), ("fish-a#1", 0.89), ("fish-a#0", 0.5)],
            "zh-Hans",
            QUESTION,
        )
    ]
    items = [{"doc": "fish-a", "held_out": False}, {"doc": "fish-a", "held_out": True}]
    got = learned(items, recorded * 2)
    assert got["product"]["validation"]["hit@1"] == got["product"]["held_out"]["hit@1"] == 0
    assert got["weights"]["document"] > 0 or got["weights"]["context"] > 0
    assert got["counts"]["validation"]["hit@1"] == got["counts"]["held_out"]["hit@1"] == 1
