"""A damaged keyword cache is found before it is read: rebuilt from Chroma, never a crash or a 500."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import index.keyword as keyword
from assistant import Settings
from index.ingest import ingest_records
from index.search import Searcher
from index.store import Store

ROOT = Path(__file__).resolve().parents[1]
DOCS = [
    ("qingdao", "青岛市2023年专利授权量达到两万件。青岛知识产权保护中心负责快速预审。", {}),
    ("hangzhou", "杭州市推进数据知识产权登记，全年登记数据产品三百余件。", {}),
    ("suzhou", "苏州市2024年商标质押融资金额为三十亿元。", {}),
]


def _overwrite(path: Path, at: int = -16) -> None:
    """Bytes changed in place: same file, same size."""
    with path.open("r+b") as f:
        f.seek(at, os.SEEK_END)
        f.write(b"\xff" * 16)


def _indexed(tmp_path: Path) -> tuple[Settings, Path]:
    settings = Settings(data_dir=tmp_path / "data")
    ingest_records(DOCS, settings)
    store = Store(settings)
    keyword.open_keyword_index(store)
    return settings, keyword._folder(store)


def test_cache_overwritten_in_place_is_rebuilt_at_the_next_start(tmp_path: Path):
    settings, folder = _indexed(tmp_path)
    for name in ("texts.npy", "metas.npy", "data.npy", "ids.json"):
        _overwrite(folder / name)
        assert keyword.load(folder) is None, f"{name} changed in place is caught before it is used"
        searcher = Searcher(settings)
        assert searcher.damage() is None
        assert searcher.search("苏州商标质押融资", k=1)[0].doc_id == "suzhou"
        assert keyword.load(folder) is not None, "the rebuilt cache was persisted"


def _until(condition, timeout_s: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_cache_changed_under_a_running_searcher_is_reported_then_rebuilt(tmp_path: Path):
    settings, folder = _indexed(tmp_path)
    searcher = Searcher(settings, refresh_s=3600)
    before = searcher.keyword
    _overwrite(folder / "metas.npy")
    hits = searcher.search("苏州商标质押融资", k=1)
    assert hits[0].doc_id == "suzhou" and hits[0].meta["doc_id"] == "suzhou", "its own copy is intact"
    problem = searcher.damage()  # once: asking starts the rebuild, which may end before a second look
    assert problem is not None and "metas.npy" in problem
    assert _until(lambda: searcher.keyword is not before and searcher.damage() is None)
    assert keyword.load(folder) is not None, "the cache on disk was written again"


_READ_AFTER_CHECK = """
import os, sys
from pathlib import Path
from index.search import Searcher
from index.settings import IndexSettings
searcher = Searcher(IndexSettings(data_dir=Path(sys.argv[1])), refresh_s=3600)
index = searcher.keyword  # whatever a question checks, it checks before it reads
for name in ("tokens.npy", "texts.npy", "data.npy", "indices.npy", "metas.npy"):
    os.truncate(Path(sys.argv[2]) / name, 0)
print(index.texts[len(index) - 1][:2], index.metas[0]["doc_id"], len(index.search(["苏州"], 1)))
"""


def _run(script: str, tmp_path: Path) -> list[str]:
    """`script` in a process of its own (a SIGBUS there is an exit code here); its printed words."""
    settings, folder = _indexed(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script, str(settings.data_dir), str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, f"exit {done.returncode}: {done.stderr[-1500:]}"
    return done.stdout.split()


def test_cache_cut_short_between_a_check_and_a_read_is_no_crash(tmp_path: Path):
    """The files are cut short after the index in use was taken: before, its next read of a
    mapped page was a SIGBUS (exit -7)."""
    assert _run(_READ_AFTER_CHECK, tmp_path)[1:] == ["qingdao", "1"]


_TRUNCATE = """
import os, sys
from pathlib import Path
from index.search import Searcher
from index.settings import IndexSettings
searcher = Searcher(IndexSettings(data_dir=Path(sys.argv[1])), refresh_s=3600)
for name in ("tokens.npy", "texts.npy", "data.npy"):
    os.truncate(Path(sys.argv[2]) / name, 0)  # every mapped page now lies past the end
    print(searcher.search("苏州商标质押融资", k=1)[0].doc_id)
"""


def test_cache_truncated_under_a_running_searcher_is_no_crash(tmp_path: Path):
    assert _run(_TRUNCATE, tmp_path) == ["suzhou"] * 3


def test_health_reports_a_damaged_keyword_index_until_it_is_rebuilt(tmp_path: Path):
    from fastapi.testclient import TestClient

    from assistant.feedback import FeedbackStore
    from assistant.library import Library
    from assistant.pipeline import Assistant
    from assistant.server.api import create_api

    settings, folder = _indexed(tmp_path)
    assistant = Assistant(settings)
    app = create_api(assistant, Library(assistant), FeedbackStore.in_data_dir(settings.data_dir))
    with TestClient(app) as client:
        assert client.get("/api/health").json()["status"] == "ok"
        _overwrite(folder / "data.npy")
        health = client.get("/api/health")
        assert health.status_code == 503 and health.json()["status"] == "degraded"
        assert "data.npy" in health.json()["keyword_index"]
        assert client.post("/api/ask", json={"question": "苏州商标质押融资金额是多少？"}).status_code == 200
        assert _until(lambda: client.get("/api/health").json()["status"] == "ok"), "written again"


def test_a_question_does_not_look_at_the_cache_files(tmp_path: Path, monkeypatch):
    """Questions read private copies, so they need no check of the files: before, every use of
    the index took a lock and stat'ed each file, and 30 questions at once queued on that lock
    (most of the served time during a large ingest, profiled with py-spy)."""
    from index.mapped import MappedFiles

    settings, _ = _indexed(tmp_path)
    searcher = Searcher(settings, refresh_s=3600)
    checks: list[int] = []
    original = MappedFiles.problem
    monkeypatch.setattr(MappedFiles, "problem", lambda self: checks.append(1) or original(self))
    for _ in range(5):
        assert searcher.search("苏州商标质押融资", k=1)[0].doc_id == "suzhou"
    assert checks == []


def test_an_index_whose_files_were_closed_reports_no_damage(tmp_path: Path):
    """At exit the mapped files are closed (their finalizer) while the keyword-refresh thread may
    still check them: before, that check raised ValueError (I/O operation on closed file), logged
    as 'keyword index not refreshed' at the end of every bench_answer run."""
    settings, _ = _indexed(tmp_path)
    index = keyword.open_keyword_index(Store(settings))
    assert index.mapped is not None and index.damage() is None
    index.mapped.close()
    assert index.damage() is None
