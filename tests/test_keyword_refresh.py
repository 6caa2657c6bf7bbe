"""The keyword index follows the collection without analysing unchanged chunks again."""

from __future__ import annotations

from pathlib import Path

import pytest

import index.keyword as keyword
from assistant import Settings
from index.ingest import ingest_records
from index.search import Searcher
from index.store import Store

DOCS = [
    ("qingdao", "青岛市2023年专利授权量达到两万件。青岛知识产权保护中心负责快速预审。", {}),
    ("hangzhou", "杭州市推进数据知识产权登记，全年登记数据产品三百余件。", {}),
]


def test_refresh_analyses_only_new_chunks_and_skips_stale_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    settings = Settings(data_dir=tmp_path / "data")
    ingest_records(DOCS, settings)
    searcher = Searcher(settings, refresh_s=3600)
    first = searcher.keyword
    assert len(first) == 2

    analysed: list[str] = []
    original = keyword._analysed
    monkeypatch.setattr(keyword, "_analysed", lambda text: analysed.append(text) or original(text))
    loads: list[Path] = []
    original_load = keyword.load
    monkeypatch.setattr(keyword, "load", lambda folder: loads.append(folder) or original_load(folder))

    ingest_records([("suzhou", "苏州市2024年商标质押融资金额为三十亿元。", {})], settings)
    searcher.refresh()
    assert searcher.keyword is not first and len(searcher.keyword) == 3
    assert analysed == ["苏州市2024年商标质押融资金额为三十亿元。"]
    assert loads == [], "a stale persisted copy is not loaded beside the index in memory"
    assert searcher.search("苏州商标质押融资", k=1)[0].doc_id == "suzhou"

    # A new process starts from the persisted snapshot, fresh: nothing analysed, nothing from Chroma.
    analysed.clear()
    other = Searcher(settings, store=Store(settings))
    assert other.keyword.ids == searcher.keyword.ids and analysed == []


def test_questions_keep_the_old_index_while_a_new_one_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import threading
    import time

    settings = Settings(data_dir=tmp_path / "data")
    ingest_records(DOCS, settings)
    searcher = Searcher(settings, refresh_s=0.05)
    first = searcher.keyword
    release, building = threading.Event(), threading.Event()
    original = keyword.build_from_store

    def slow_build(*args, **kwargs):
        building.set()
        release.wait(30)
        return original(*args, **kwargs)

    monkeypatch.setattr(keyword, "build_from_store", slow_build)
    ingest_records([("suzhou", "苏州市2024年商标质押融资金额为三十亿元。", {})], settings)
    time.sleep(0.1)
    answered: list[str] = []
    asking = threading.Thread(
        target=lambda: answered.extend(h.doc_id for h in searcher.search("青岛专利授权量", k=1)), daemon=True
    )
    asking.start()
    assert building.wait(10), "the changed collection started a rebuild"
    asking.join(5)
    try:
        assert answered == ["qingdao"], "a question is answered from the old index during the rebuild"
        assert searcher.keyword is first
    finally:
        release.set()
    deadline = time.monotonic() + 20
    while searcher.keyword is first and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(searcher.keyword) == 3
    assert searcher.search("苏州商标质押融资", k=1)[0].doc_id == "suzhou"
