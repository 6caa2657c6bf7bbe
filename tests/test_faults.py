"""Faults: an ingest killed with SIGKILL, two ingests at once, a restored data folder, a Chroma
server that stops answering. Each ends in a readable store, a clear error, nothing lost or doubled."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from filelock import FileLock

from assistant import Assistant, Settings
from index.ingest import ingest
from index.store import STATUS_READY, Store
from tests.chroma_server import ChromaServer

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "docs" / "articles"
QUESTIONS = (
    "大连有效商标注册量是多少?",
    "长沙知识产权质押融资金额是多少？",
    "How many trademarks are registered in Dalian?",
    "大连知识产权周有哪些活动？",
)


def make_corpus(folder: Path, version: str) -> Path:
    """24 article files recombined from the bundled articles' lines; version "b" changes eight of
    them, drops one and adds four, so an ingest of it updates, removes and adds documents."""
    lines = [
        ln
        for p in sorted(ARTICLES.glob("*.txt"))
        for ln in p.read_text(encoding="utf-8").splitlines()
        if len(ln.strip()) > 20
    ]
    folder.mkdir(parents=True, exist_ok=True)
    numbers = range(28) if version == "b" else range(24)
    for i in numbers:
        if version == "b" and i == 23:
            continue
        body = [lines[(i * 7 + j) % len(lines)] for j in range(6)]
        if version == "b" and i < 8:
            body.append(f"修订说明：本通报第{i}号于2025年{i + 1}月更新。")
        (folder / f"notice-{i:02d}.txt").write_text(
            f"知识产权工作通报第{i}号\n\n" + "\n\n".join(body) + "\n", encoding="utf-8"
        )
    return folder


def store_contents(settings: Settings) -> dict[str, object]:
    store = Store(settings)
    ids = [c.id for c in store.all_chunks()]
    records = store.document_records()
    return {
        "docs": sorted(records),
        "chunks": len(ids),
        "unique": len(set(ids)),
        "chunk_ids": sorted(ids),
        "statuses": sorted({str(m.get("status")) for m in records.values()}),
    }


def subprocess_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IP_ASSISTANT_")}
    env.update(
        IP_ASSISTANT_DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
        IP_ASSISTANT_SETTINGS_FILE=str(data_dir.parent / "none.toml"),
        **extra,
    )
    return env


_KILLED_INGEST = """
import sys
from pathlib import Path
import index.ingest as ingestion
from assistant.settings import Settings
sys.modules["index.ingest.writer"].BATCH_DOCUMENTS = 3  # several batches, so a kill can land between and inside them
def progress(done, total, name):
    print("progress", done, flush=True)
ingestion.ingest([Path(sys.argv[1])], Settings(), prune=True, progress=progress)
print("finished", flush=True)
"""

_RECOVER = """
import json, sys
from pathlib import Path
from assistant.pipeline import Assistant
from assistant.settings import Settings
from index.ingest import ingest
from index.store import Store
settings = Settings()
answer = Assistant(settings).answer(sys.argv[2])
report = ingest([Path(sys.argv[1])], settings, prune=True)
store = Store(settings)
ids = [c.id for c in store.all_chunks()]
records = store.document_records()
print(json.dumps({"answer_error": answer.error, "answer": answer.answer, "docs": sorted(records),
                  "chunks": len(ids), "unique": len(set(ids)), "chunk_ids": sorted(ids),
                  "statuses": sorted({str(m.get("status")) for m in records.values()})}))
"""


@pytest.mark.slow
def test_ingest_killed_at_random_points_recovers_exactly(tmp_path: Path):
    corpus_a = make_corpus(tmp_path / "corpus-a", "a")
    corpus_b = make_corpus(tmp_path / "corpus-b", "b")
    expected = {}
    for name, corpus in (("a", corpus_a), ("b", corpus_b)):
        ingest([corpus], Settings(data_dir=tmp_path / f"reference-{name}"), prune=True)
        expected[name] = store_contents(Settings(data_dir=tmp_path / f"reference-{name}"))
    assert len(expected["b"]["docs"]) == 27 and expected["a"]["chunk_ids"] != expected["b"]["chunk_ids"]
    # A completed ingest of version a of a folder that is then edited in place into version b
    # (prune removes documents whose file is gone), to be brought up to date by the killed ingests.
    live = make_corpus(tmp_path / "live", "a")
    ingest([live], Settings(data_dir=tmp_path / "done-a" / "data"), prune=True)
    shutil.rmtree(live)
    make_corpus(live, "b")

    seed = random.randrange(1 << 30)
    rng = random.Random(seed)
    for round_ in range(3):
        target, corpus = ("a", corpus_a) if round_ == 0 else ("b", live)
        data_dir = tmp_path / f"round-{round_}" / "data"
        if round_:
            shutil.copytree(tmp_path / "done-a" / "data", data_dir)
        kill_after = rng.randrange(0, 27)  # documents announced before the kill
        delay = rng.uniform(0, 0.8)
        proc = subprocess.Popen(
            [sys.executable, "-c", _KILLED_INGEST, str(corpus)],
            cwd=ROOT,
            env=subprocess_env(data_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        deadline = time.monotonic() + 240
        for line in proc.stdout:
            if (
                line.startswith("progress") and int(line.split()[1]) >= kill_after
            ) or time.monotonic() > deadline:
                break
        time.sleep(delay)
        proc.kill()
        proc.wait(timeout=30)
        context = f"seed {seed}, round {round_}, killed after document {kill_after} + {delay:.2f} s"

        done = subprocess.run(
            [sys.executable, "-c", _RECOVER, str(corpus), QUESTIONS[round_ % len(QUESTIONS)]],
            cwd=ROOT,
            env=subprocess_env(data_dir),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"{context}: {done.stderr[-3000:]}"
        got = json.loads(done.stdout.strip().splitlines()[-1])
        assert got["answer_error"] is None and got["answer"], context
        assert got["docs"] == expected[target]["docs"], context
        assert got["chunk_ids"] == expected[target]["chunk_ids"], context
        assert got["chunks"] == got["unique"] == expected[target]["chunks"], context
        assert got["statuses"] == [STATUS_READY], context


@pytest.mark.slow
def test_two_ingests_at_once_one_waits_or_fails_fast_and_nothing_is_lost(tmp_path: Path):
    corpus = make_corpus(tmp_path / "corpus", "a")
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    cli = [sys.executable, "-m", "assistant.cli", "ingest", str(corpus)]

    # Another ingest holds the lock: the default fails fast, with a message that says why.
    with FileLock(str(data_dir / "ingest.lock")):
        blocked = subprocess.run(
            cli, cwd=ROOT, env=subprocess_env(data_dir), capture_output=True, text=True, timeout=240
        )
        assert blocked.returncode == 1
        assert re.search(r"another ingest|locked", blocked.stderr) and "Traceback" not in blocked.stderr
    assert not (data_dir / "chroma").exists() or Store(Settings(data_dir=data_dir)).state()["chunks"] == 0

    # Two real ingests at once, each willing to wait: both finish, the store holds everything once.
    env = subprocess_env(data_dir, IP_ASSISTANT_LOCK_TIMEOUT_S="300")
    procs = [
        subprocess.Popen(
            [*cli, "--json"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=400) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err[-1000:] for _, err in outputs]
    reports = sorted((json.loads(out) for out, _ in outputs), key=lambda r: -len(r["added"]))
    assert (
        len(reports[0]["added"]) == 24 and len(reports[1]["unchanged"]) == 24
    )  # one wrote, one found it done
    got = store_contents(Settings(data_dir=data_dir))
    assert len(got["docs"]) == 24 and got["chunks"] == got["unique"] == reports[0]["chunks"]


def test_restored_copy_of_the_data_folder_gives_identical_answers(bundled_settings: Settings, tmp_path: Path):
    original = Assistant(bundled_settings)
    before = [original.answer(q) for q in QUESTIONS]
    assert any(a.answerable for a in before)
    backup = tmp_path / "backup"
    shutil.copytree(bundled_settings.data_dir, backup)  # no writer runs: a plain copy is a backup

    restored_dir = tmp_path / "restored"
    shutil.copytree(backup, restored_dir)
    shutil.rmtree(restored_dir / "keyword", ignore_errors=True)  # derived: rebuilds itself from Chroma
    restored = Assistant(bundled_settings.with_overrides(data_dir=restored_dir))
    after = [restored.answer(q) for q in QUESTIONS]
    for a, b in zip(before, after, strict=True):
        assert (a.answer, a.answerable, a.citations, a.related) == (
            b.answer,
            b.answerable,
            b.citations,
            b.related,
        )
    assert (restored_dir / "keyword").is_dir()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    running = ChromaServer(tmp_path / "chroma-db").start()
    try:
        yield running
    finally:
        running.stop()


def test_chroma_server_stopped_during_questions_gives_a_clear_error_in_bounded_time(
    server: ChromaServer, tmp_path: Path
):
    settings = Settings(
        data_dir=tmp_path / "replica",
        chroma={"host": "127.0.0.1", "port": server.port, "timeout_s": 1.5, "retries": 1},
    )
    ingest([ARTICLES], settings)
    assistant = Assistant(settings)
    assistant.searcher.refresh_s = 0.0  # re-check the collection on every question: the worst case
    assert assistant.answer(QUESTIONS[0]).answerable
    bound = 2 * (1 + settings.chroma.retries) * (settings.chroma.timeout_s + 2.0) + 5.0

    server.pause()  # accepts connections, answers nothing: only a client timeout ends the wait
    try:
        started = time.monotonic()
        paused = assistant.answer(QUESTIONS[0])
        assert time.monotonic() - started < bound
        assert paused.error == "store_unavailable" and not paused.answerable
        assert paused.answer and f"127.0.0.1:{server.port}" in paused.notes[0]
    finally:
        server.resume()
    assert assistant.answer(QUESTIONS[0]).answerable

    server.stop()  # gone: connections refused
    started = time.monotonic()
    down = assistant.answer(QUESTIONS[0])
    assert time.monotonic() - started < bound and down.error == "store_unavailable"

    restarted = ChromaServer(server.path, server.port).start()  # back on the same folder and port
    try:
        back = assistant.answer(QUESTIONS[0])
        assert back.answerable and back.error is None
    finally:
        restarted.stop()
