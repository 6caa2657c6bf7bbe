"""Ingestion is incremental, idempotent, single-writer and survives being killed mid-way."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from assistant.cli import main as cli
from index import EmbedderMismatch, IndexSettings, IngestLocked, Searcher, Store, ingest
from index.embedders.hashing import HashingEmbedder
from index.ingest import collect, prepare
from index.settings import EmbedderSettings

ROOT = Path(__file__).resolve().parents[1]
CITIES = ["大连", "长沙", "沈阳", "杭州", "成都", "武汉", "西安", "青岛"]


class CountingEmbedder(HashingEmbedder):
    """The default embedder, counting the texts it is asked to embed."""

    def __init__(self, dim: int | None = None) -> None:
        super().__init__(dim or EmbedderSettings().dim)
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded += len(texts)
        return super().embed_documents(texts)


def article(i: int, sentences: int = 6) -> str:
    city = CITIES[i % len(CITIES)]
    body = "".join(
        f"{city}第{i}号文件第{k}条:知识产权质押融资金额达到{i + k}.5亿元,专利转化运用持续推进。"
        for k in range(sentences)
    )
    return f"{city}知识产权工作动态第{i}期\n时间:2022-04-{(i % 28) + 1:02d} 10:00:00\n{body}\n"


def write_corpus(folder: Path, n: int, sentences: int = 6) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"doc-{i:03d}.txt").write_text(article(i, sentences), encoding="utf-8")
    return folder


def settings_for(tmp_path: Path, **chunking: int) -> IndexSettings:
    return IndexSettings.model_validate(
        {"data_dir": tmp_path / "data", "chunking": chunking or {"max_tokens": 80, "overlap_tokens": 20}}
    )


def stored_chunk_ids(settings: IndexSettings) -> list[str]:
    return sorted(Store(settings).chunks.get(include=[])["ids"])


def expected_chunks(folder: Path, settings: IndexSettings) -> int:
    sources, _ = collect([folder])
    return sum(len(prepare(s, settings, "x").spans) for s in sources)


def test_unchanged_corpus_reingest_embeds_nothing(tmp_path: Path):
    folder = write_corpus(tmp_path / "articles", 6)
    settings = settings_for(tmp_path)
    embedder = CountingEmbedder()
    first = ingest([folder], settings, embedder=embedder)
    assert len(first.added) == 6 and first.chunks == embedder.embedded > 6
    ids = stored_chunk_ids(settings)
    generation = Store(settings).state()["generation"]

    embedder.embedded = 0
    second = ingest([folder], settings, embedder=embedder)
    assert embedder.embedded == 0
    assert sorted(second.unchanged) == sorted(first.added)
    assert second.added == second.updated == [] and second.chunks == 0
    assert stored_chunk_ids(settings) == ids
    assert Store(settings).state()["generation"] == generation  # searchers keep their caches


def test_unchanged_files_are_not_parsed_again_and_resaved_files_are_not_reembedded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    folder = write_corpus(tmp_path / "articles", 3)
    settings = settings_for(tmp_path)
    ingest([folder], settings)
    # Same text from other bytes (CRLF line ends): parsed again, found unchanged, not embedded.
    path = folder / "doc-001.txt"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    embedder = CountingEmbedder()
    report = ingest([folder], settings, embedder=embedder)
    assert len(report.unchanged) == 3 and embedder.embedded == 0

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("an unchanged file was parsed")

    monkeypatch.setattr(sys.modules["index.ingest.prepare"], "read_file", no_parsing)
    report = ingest([folder], settings, embedder=embedder)
    assert len(report.unchanged) == 3 and report.rejected == []


def test_changed_document_has_its_chunks_replaced(tmp_path: Path):
    folder = write_corpus(tmp_path / "articles", 4, sentences=12)
    settings = settings_for(tmp_path)
    ingest([folder], settings)
    before = [c for c in stored_chunk_ids(settings) if c.startswith("doc-002#")]
    (folder / "doc-002.txt").write_text(
        "杭州知识产权快讯\n杭州新设知识产权保护中心,受理专利预审。\n", encoding="utf-8"
    )

    embedder = CountingEmbedder()
    report = ingest([folder], settings, embedder=embedder)
    assert report.updated == ["doc-002"] and len(report.unchanged) == 3
    after = [c for c in stored_chunk_ids(settings) if c.startswith("doc-002#")]
    assert len(before) > 1 and after == ["doc-002#0"] and embedder.embedded == 1
    hits = Searcher(settings).search("杭州 保护中心 专利预审", k=3)
    assert hits[0].doc_id == "doc-002" and "保护中心" in hits[0].text
    text, _meta = Store(settings).document("doc-002") or ("", {})
    assert text[hits[0].meta["start"] : hits[0].meta["end"]] == hits[0].text  # offsets into the stored text


def test_prune_removes_only_documents_whose_files_are_gone(tmp_path: Path):
    folder = write_corpus(tmp_path / "articles", 4)
    other = write_corpus(tmp_path / "other", 1)
    (other / "doc-000.txt").rename(other / "extra.txt")
    settings = settings_for(tmp_path)
    ingest([folder, other], settings)
    (folder / "doc-001.txt").unlink()

    kept = ingest([folder], settings)  # no --prune: nothing removed
    assert kept.removed == [] and "doc-001" in Store(settings).document_records()
    pruned = ingest([folder], settings, prune=True)
    records = Store(settings).document_records()
    assert pruned.removed == ["doc-001"]
    assert "doc-001" not in records and "extra" in records  # a file not ingested this time still exists
    assert not [c for c in stored_chunk_ids(settings) if c.startswith("doc-001#")]


def test_prune_removes_chunks_no_document_record_owns(tmp_path: Path):
    """What a killed ingest of a new document leaves when its file is then deleted."""
    folder = write_corpus(tmp_path / "articles", 2)
    settings = settings_for(tmp_path)
    ingest([folder], settings)
    store = Store(settings)
    store.documents.delete(ids=["doc-001"])  # chunks written, the record never was
    (folder / "doc-001.txt").unlink()
    assert any(c.startswith("doc-001#") for c in stored_chunk_ids(settings))

    ingest([folder], settings, prune=True)
    assert not [c for c in stored_chunk_ids(settings) if c.startswith("doc-001#")]
    assert [c for c in stored_chunk_ids(settings) if c.startswith("doc-000#")]


def test_unreadable_files_are_rejected_and_the_batch_goes_on(tmp_path: Path):
    folder = write_corpus(tmp_path / "articles", 3)
    (folder / "garbled.txt").write_bytes(
        article(1).encode("gbk")[:80] + "專利質押融資擁有量".encode("big5") * 5
    )
    (folder / "empty.md").write_text("")
    (folder / "image.png").write_bytes(b"\x89PNG")
    (folder / "chrome.html").write_text("<html><body><nav>首页</nav><p>加载中...</p></body></html>")
    report = ingest([folder], settings_for(tmp_path))
    assert sorted(report.added) == ["doc-000", "doc-001", "doc-002"]
    reasons = {Path(r.path).name: r.reason for r in report.rejected}
    assert set(reasons) == {"garbled.txt", "empty.md", "image.png", "chrome.html"}
    assert "garbled" in reasons["garbled.txt"] and "unsupported" in reasons["image.png"]


def test_duplicate_record_ids_are_rejected_and_the_rest_ingested(tmp_path: Path):
    from index import ingest_records

    report = ingest_records(
        [("p1", article(1), {}), ("p2", article(2), {}), ("p1", article(3), {})], settings_for(tmp_path)
    )
    assert report.added == ["p1", "p2"]
    assert [r.reason for r in report.rejected] == ["duplicate document id 'p1'"]


def test_metadata_comes_from_manifest_front_matter_or_text(tmp_path: Path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text(article(0), encoding="utf-8")
    (folder / "b.md").write_text(
        "---\ntitle: 前置标题\nsource: 某报\npublished: 2021-03-04\n---\n" + article(1), encoding="utf-8"
    )
    (folder / "c.txt").write_text(
        "Changsha patent news\nChangsha filed 76,100 invention patents in 2024. "
        "The city expands its IP protection centre.\n",
        encoding="utf-8",
    )
    (folder / "d.html").write_bytes(
        "<html><head><meta charset='big5'><meta name='source' content='長沙晚報'></head><body><article>"
        "<h1>長沙加快建成國家知識產權保護示範區</h1><p>2025-02-24 18:30:00</p>"
        "<p>長沙全市有效發明專利擁有量7.61萬件,長沙知識產權保護中心受理專利預審。</p></article></body></html>".encode(
            "big5"
        )
    )
    (folder / "manifest.json").write_text(
        json.dumps([{"file": "a.txt", "title": "清单标题", "region": None}]), encoding="utf-8"
    )
    settings = settings_for(tmp_path)
    ingest([folder], settings)
    records = Store(settings).document_records()
    assert records["a"]["title"] == "清单标题" and records["a"]["published"] == "2022-04-01"
    assert records["a"]["region"] == "大连" and records["a"]["language"] == "zh-Hans"
    assert (records["b"]["title"], records["b"]["source"], records["b"]["published"]) == (
        "前置标题",
        "某报",
        "2021-03-04",
    )
    assert records["c"]["language"] == "en" and records["c"]["title"] == "Changsha patent news"
    assert records["c"]["region"] == "Changsha"
    d = records["d"]
    assert (d["language"], d["region"], d["published"], d["source"]) == (
        "zh-Hant",
        "長沙",
        "2025-02-24",
        "長沙晚報",
    )
    assert d["title"] == "長沙加快建成國家知識產權保護示範區"


def test_changing_the_embedder_is_refused_until_rebuild(tmp_path: Path):
    folder = write_corpus(tmp_path / "articles", 2)
    settings = settings_for(tmp_path)
    first = ingest([folder], settings)
    other = settings.model_copy(update={"embedder": settings.embedder.model_copy(update={"dim": 32})})
    with pytest.raises(EmbedderMismatch, match="--rebuild"):
        ingest([folder], other)
    with pytest.raises(EmbedderMismatch):
        Searcher(other)
    rebuilt = ingest([folder], other, rebuild=True)
    assert len(rebuilt.added) == 2 and rebuilt.chunks == first.chunks
    assert Store(other).state()["embedder"] == "hashing-v2-32"


def test_cli_ingest_summary_json_and_docs_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    folder = write_corpus(tmp_path / "articles", 2)
    data = tmp_path / "cli-data"
    assert cli(["--data-dir", str(data), "ingest", str(folder), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert sorted(report["added"]) == ["doc-000", "doc-001"] and report["chunks"] > 0
    assert set(report) >= {"added", "updated", "unchanged", "removed", "rejected", "chunks", "seconds"}
    assert cli(["--data-dir", str(data), "ingest", str(folder)]) == 0
    assert "unchanged 2" in capsys.readouterr().out
    assert cli(["--data-dir", str(data), "docs", "list"]) == 0
    assert capsys.readouterr().out.count("\n") == 2
    assert cli(["--data-dir", str(data), "docs", "show", "doc-001"]) == 0
    assert "长沙知识产权工作动态第1期" in capsys.readouterr().out
    assert cli(["--data-dir", str(data), "docs", "remove", "doc-001"]) == 0
    assert sorted(Store(IndexSettings(data_dir=data)).document_records()) == ["doc-000"]


# -- one writer at a time, and a killed writer --------------------------------------------------

_WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    import index.ingest
    from index.settings import IndexSettings

    ingest_module = sys.modules["index.ingest"]  # the package exports a function of the same name

    sys.modules["index.ingest.writer"].BATCH_DOCUMENTS = 4  # many small batches, so a kill lands between and inside them
    settings = IndexSettings.model_validate({"data_dir": sys.argv[2],
                                             "chunking": {"max_tokens": 80, "overlap_tokens": 20}})

    def progress(done, total, name):
        print(done, flush=True)

    ingest_module.ingest([Path(sys.argv[1])], settings, progress=progress)
    print("finished", flush=True)
""")


def _start_writer(folder: Path, data: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(folder), str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def _wait_for_progress(writer: subprocess.Popen[str], at_least: int, timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    assert writer.stdout is not None
    while time.monotonic() < deadline:
        line = writer.stdout.readline()
        if not line:
            pytest.fail(f"the writer ended early: {writer.stderr.read() if writer.stderr else ''}")
        if line.strip().isdigit() and int(line) >= at_least:
            return
    pytest.fail("the writer made no progress in time")


@pytest.mark.slow
def test_second_ingest_fails_fast_then_waits_with_a_timeout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    folder = write_corpus(tmp_path / "articles", 16)
    settings = settings_for(tmp_path)
    writer = _start_writer(folder, settings.data_dir)
    try:
        _wait_for_progress(writer, 1)
        started = time.monotonic()
        with pytest.raises(IngestLocked, match="IP_ASSISTANT_LOCK_TIMEOUT_S"):
            ingest([folder], settings)
        assert time.monotonic() - started < 5
        assert cli(["--data-dir", str(settings.data_dir), "ingest", str(folder)]) == 1
        assert "another ingest is writing" in capsys.readouterr().err
        waiting = settings.model_copy(update={"lock_timeout_s": 120.0})
        report = ingest([folder], waiting)  # waits for the writer, then finds everything done
        assert writer.wait(timeout=60) == 0
        assert len(report.unchanged) == 16 and report.chunks == 0
    finally:
        writer.kill()
        writer.wait()


@pytest.mark.slow
def test_killed_ingest_leaves_a_readable_store_that_the_next_ingest_completes(tmp_path: Path):
    folder = write_corpus(tmp_path / "articles", 40)
    settings = settings_for(tmp_path)
    writer = _start_writer(folder, settings.data_dir)
    try:
        _wait_for_progress(writer, 14)
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
    finally:
        writer.kill()
        writer.wait()

    store = Store(settings)  # opens after the kill
    records = store.document_records()
    ready = {d for d, r in records.items() if r.get("status") == "ready"}
    assert 0 < len(ready) < 40  # killed mid-way, after some batches
    hits = Searcher(settings).search("知识产权质押融资", k=5)
    assert hits and all(h.doc_id in ready for h in hits)  # only whole documents are searched

    report = ingest([folder], settings)
    records = Store(settings).document_records()
    assert sorted(records) == [f"doc-{i:03d}" for i in range(40)]
    assert all(r["status"] == "ready" for r in records.values())
    ids = stored_chunk_ids(settings)
    assert (
        len(ids)
        == len(set(ids))
        == expected_chunks(folder, settings)
        == sum(r["chunks"] for r in records.values())
    )
    assert len(report.unchanged) == len(ready)


def test_preparing_worker_writes_exactly_what_the_ingesting_process_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import importlib

    import numpy as np

    from index.ingest import ingest_records

    ingest_module = importlib.import_module("index.ingest.pipeline")

    records = [(f"r/{i}", article(i, 12), {"title": f"第{i}期"}) for i in range(40)]
    contents = {}
    for name, minimum in (("here", 10_000), ("worker", 1)):
        monkeypatch.setattr(ingest_module, "PARALLEL_MIN_DOCUMENTS", minimum)
        settings = IndexSettings(data_dir=tmp_path / name)
        report = ingest_records(records, settings)
        assert len(report.added) == 40 and report.chunks > 40
        got = Store(settings).chunks.get(include=["documents", "metadatas", "embeddings"])
        order = np.argsort(got["ids"])
        contents[name] = (
            [got["ids"][i] for i in order],
            [got["documents"][i] for i in order],
            [got["metadatas"][i] for i in order],
            np.asarray(got["embeddings"])[order],
        )
    here, worker = contents["here"], contents["worker"]
    assert here[:3] == worker[:3]
    assert np.allclose(here[3], worker[3])


class _PreviousHashing(HashingEmbedder):
    """Stands for the hashing embedder of the previous release (signature hashing-v1-256)."""

    @property
    def signature(self) -> str:
        return "hashing-v1-256"


def test_index_of_the_previous_default_embedder_is_embedded_again_from_its_stored_texts(tmp_path: Path):
    from index.ingest import ingest_records

    folder = write_corpus(tmp_path / "articles", 4)
    settings = settings_for(tmp_path)
    old = _PreviousHashing(256)
    first = ingest([folder], settings, embedder=old)
    ingest_records([("note/1", article(9), {"title": "记录"})], settings, embedder=old)
    (folder / "doc-003.txt").unlink()  # a document whose file is gone is kept too
    with pytest.raises(EmbedderMismatch, match="ip-assistant ingest"):
        Searcher(settings)

    again = ingest([folder], settings)
    assert again.reembedded == 5 and "re-embedded 5 stored documents" in again.summary()
    assert again.chunks == 0 and len(again.unchanged) == 3  # the files' texts match what was stored
    state = Store(settings).state()
    assert state["embedder"] == HashingEmbedder().signature and not state["reembedding"]
    records = Store(settings).document_records()
    assert sorted(records) == sorted([*first.added, "note/1"])
    assert {r["status"] for r in records.values()} == {"ready"}
    hits = Searcher(settings).search("大连 质押融资")
    assert hits and hits[0].meta["title"]


def test_reembedding_killed_midway_is_finished_by_the_next_ingest(tmp_path: Path):
    from index.ingest import reembed

    folder = write_corpus(tmp_path / "articles", 4)
    settings = settings_for(tmp_path)
    ingest([folder], settings, embedder=_PreviousHashing(256))
    store = Store(settings)
    # What a run killed right after starting leaves: every document pending, a new empty chunk
    # collection marked as being re-embedded.
    store.set_document_status(list(store.document_records()), "pending")
    store.reset_chunks()
    store.set_state(HashingEmbedder().signature, 5, reembedding=True)
    with pytest.raises(EmbedderMismatch, match="ip-assistant ingest"):
        Searcher(settings)
    assert reembed(settings, HashingEmbedder(), Store(settings)) == 4
    assert not Store(settings).state()["reembedding"]
    assert ingest([folder], settings).chunks == 0
    assert Searcher(settings).search("长沙")


def test_chunks_left_by_a_killed_run_of_a_new_document_are_hidden_then_replaced(tmp_path: Path):
    folder = write_corpus(tmp_path / "articles", 2)
    settings = settings_for(tmp_path)
    ingest([folder], settings)
    # What a run killed after writing a new document's chunks, before its record, leaves behind.
    vector = [1.0] + [0.0] * (EmbedderSettings().dim - 1)
    Store(settings).add_chunks(
        ["doc-002#0", "doc-002#99"],
        ["旧的文本", "旧的文本"],
        [{"doc_id": "doc-002", "start": 0, "end": 4, "chunk": c} for c in (0, 99)],
        [vector, vector],
    )
    assert all(h.doc_id != "doc-002" for h in Searcher(settings).search("旧的文本"))
    (folder / "doc-002.txt").write_text(article(2), encoding="utf-8")
    report = ingest([folder], settings)
    assert report.added == ["doc-002"]
    chunks = [c for c in Store(settings).all_chunks() if c.meta["doc_id"] == "doc-002"]
    assert "doc-002#99" not in {c.id for c in chunks} and len(chunks) == report.chunks
    text = article(2)
    assert all(text[c.meta["start"] : c.meta["end"]] == c.text for c in chunks)


def test_preparing_worker_ends_quietly_when_its_ingest_dies_in_the_middle_of_a_message(tmp_path: Path):
    """An ingest killed while it sends a group leaves a truncated pickle on the worker's stdin:
    the worker ends with status 0 and no traceback (it printed an UnpicklingError before)."""
    import pickle

    settings = IndexSettings(data_dir=tmp_path)
    group = pickle.dumps([("r/1", article(1, 12), {"title": "第1期"})], protocol=pickle.HIGHEST_PROTOCOL)
    stdin = pickle.dumps((settings, HashingEmbedder().signature, None)) + group[: len(group) // 2]
    done = subprocess.run(
        [sys.executable, "-m", "index.ingest.worker"], input=stdin, capture_output=True, timeout=120
    )
    assert done.returncode == 0
    assert b"Traceback" not in done.stderr
