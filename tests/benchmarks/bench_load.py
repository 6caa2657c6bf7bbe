"""Load on the chat server: N concurrent clients, each asking M questions, against the HTTP API
(POST /api/ask) and against the Gradio queue (gradio_client, the chat's /chat event).

    python -m tests.benchmarks.bench_load [--clients 20] [--questions 10] [--url http://...]
    python -m tests.benchmarks.bench_load --clients 30 --questions 20 --during-ingest 40000 \
        --bench-data ../shared/bench-data [--targets api]

Without --url it indexes the bundled articles into a temporary folder and serves them with
`ip-assistant chat` in a separate process on a free 127.0.0.1 port, default settings (concurrency
and queue size from settings.server).
With --during-ingest N the articles live in a `chroma run` server that the chat reads, and the
clients ask while another process ingests about N more chunks into it (CMRC/DRCD paragraphs from
--bench-data, then synthetic articles made of their sentences): the chat's keyword index is
rebuilt again and again meanwhile (target: p95 of the API at most 1 s, 0 errors).
Prints errors (target 0) and latency percentiles per target.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.benchmarks.proc_cpu import CpuShares, load_average, process_tree

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

Groups = dict[str, tuple[list[int], str]]

QUESTIONS = [
    "大连知识产权质押融资贷款额是多少?",
    "長沙每萬人高價值發明專利擁有量是多少?",
    "How much did Dalian's IP pledge loans reach in 2021?",
    "大连有效商标注册量是多少?",
    "長沙有效發明專利擁有量是多少?",
    "What has Dalian done to protect intellectual property?",
    "大连每万人口发明专利拥有量是多少?",
    "长沙知识产权保护示范区建设有哪些举措?",
    "How many patents does Dalian have per 10,000 people?",
    "大连知识产权宣传周活动做了什么?",
]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def run_clients(
    name: str, clients: int, questions: int, make_client: Callable[[], Callable[[str], None]]
) -> dict[str, float]:
    """`clients` threads, each with its own client, asking `questions` questions one after another."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_gate = threading.Barrier(clients)

    def worker(k: int) -> None:
        try:
            ask = make_client()
        except Exception as exc:  # a client that cannot connect counts as errors
            with lock:
                errors.extend([f"connect: {exc}"] * questions)
            start_gate.abort()
            return
        with contextlib.suppress(threading.BrokenBarrierError):
            start_gate.wait(timeout=120)
        for i in range(questions):
            question = QUESTIONS[(k + i) % len(QUESTIONS)]
            t = time.perf_counter()
            try:
                ask(question)
            except Exception as exc:  # counted and shown, not raised
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            with lock:
                latencies.append((time.perf_counter() - t) * 1000)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    wall = time.perf_counter() - started
    result = {
        "requests": clients * questions,
        "ok": len(latencies),
        "errors": len(errors),
        "p50_ms": round(percentile(latencies, 0.50), 1),
        "p95_ms": round(percentile(latencies, 0.95), 1),
        "max_ms": round(max(latencies, default=0.0), 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "wall_s": round(wall, 1),
        "per_s": round(len(latencies) / wall, 1) if wall else 0.0,
    }
    print(f"{name:<22} " + "  ".join(f"{k}={v}" for k, v in result.items()), flush=True)
    for error in sorted(set(errors))[:5]:
        print(f"    error: {error}", file=sys.stderr)
    return result


def api_client(url: str) -> Callable[[], Callable[[str], None]]:
    import httpx

    def make() -> Callable[[str], None]:
        http = httpx.Client(base_url=url, timeout=120)

        def ask(question: str) -> None:
            r = http.post("/api/ask", json={"question": question})
            r.raise_for_status()
            if "answerable" not in r.json():
                raise ValueError("no Answer in the reply")

        return ask

    return make


connect_ms: list[float] = []
connect_lock = threading.Lock()


def gradio_chat_client(url: str) -> Callable[[], Callable[[str], None]]:
    from gradio_client import Client

    def make() -> Callable[[str], None]:
        t = time.perf_counter()
        client = Client(url, verbose=False, download_files=False, httpx_kwargs={"timeout": 120})
        with connect_lock:
            connect_ms.append((time.perf_counter() - t) * 1000)

        def ask(question: str) -> None:
            _, chat, _ = client.predict(question, [], "English", api_name="/chat")
            if not chat or chat[-1]["role"] != "assistant":
                raise ValueError("no answer in the chat")

        return ask

    return make


def queue_chat_client(url: str) -> Callable[[], Callable[[str], None]]:
    """The chat as the page asks it (tests/chat_page.py): the question joins Gradio's queue, its
    updates come over the session's event stream, and where the asking event hands the question
    to the streaming one, that event too. One HTTP connection per client, no gradio_client: what
    the clients cost the shared cores is small beside the server."""
    import httpx

    from tests.chat_page import PageChat, answer_text

    config = httpx.get(f"{url}/config", timeout=60).json()

    def make() -> Callable[[str], None]:
        page = PageChat(url, config)

        def ask(question: str) -> None:
            if answer_text(page.ask(question)) in ("", "…"):
                raise ValueError("no answer in the chat")

        return ask

    return make


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def local_server(chroma_port: int | None = None) -> Iterator[tuple[str, int]]:
    """`ip-assistant chat` in its own process (clients and server do not share a GIL), over an
    embedded store or, given `chroma_port`, a `chroma run` server on 127.0.0.1."""
    import subprocess

    import httpx

    from assistant.cli import BUNDLED_ARTICLES
    from assistant.settings import Settings
    from index.ingest import ingest

    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        chroma = {"host": "127.0.0.1", "port": chroma_port, "timeout_s": 60.0} if chroma_port else {}
        settings = Settings(data_dir=Path(tmp) / "data", chroma=chroma)
        ingest([BUNDLED_ARTICLES], settings)
        port = free_port()
        print(
            f"serving the bundled articles; concurrency={settings.server.concurrency} "
            f"queue_size={settings.server.queue_size}",
            flush=True,
        )
        env = {**os.environ, "IP_ASSISTANT_SERVER_PORT": str(port)}
        if chroma_port:
            env |= _chroma_env(chroma_port)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "assistant.cli",
                "--data-dir",
                str(settings.data_dir),
                "chat",
                "--no-ingest",
            ],
            env=env,
            cwd=Path(__file__).resolve().parents[2],
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 180
            while True:
                if server.poll() is not None:
                    raise RuntimeError(f"the server exited with {server.returncode}")
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{url}/api/health", timeout=5).status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise RuntimeError("the server did not start in 180 s")
                time.sleep(0.5)
            yield url, server.pid
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


def _chroma_env(port: int) -> dict[str, str]:
    return {
        "IP_ASSISTANT_CHROMA_HOST": "127.0.0.1",
        "IP_ASSISTANT_CHROMA_PORT": str(port),
        "IP_ASSISTANT_CHROMA_TIMEOUT_S": "60",
    }


_INGEST = """
import json, sys, time
from pathlib import Path
from assistant.settings import Settings
from index.ingest import ingest_records
from index.pacing import Pacer
from index.refresher import lower_priority
from index.store import Store
from tests.benchmarks.bench_growth import load_squad, synthetic

target, folder = int(sys.argv[1]), Path(sys.argv[2])
settings = Settings()
lower_priority(settings.ingest_nice)  # as `ip-assistant ingest` does
store = Store(settings)
records, _ = load_squad(folder)
source, fake = iter(records), synthetic(records)
pacer = Pacer(settings.busy_yield)  # one ingest of many groups: each group's writes pace as the last's
start, started, yielded = store.state()["chunks"], time.time(), 0.0
while store.state()["chunks"] - start < target:
    group = [next(source, None) or next(fake) for _ in range(300)]
    report = ingest_records(group, settings, store=store, pacer=pacer)
    yielded += report.yielded_s
    row = {"t": time.time(), "chunks": store.state()["chunks"] - start, "yielded_s": round(yielded, 1)}
    print(json.dumps(row), flush=True)
row = {"t": time.time(), "done": True, "seconds": round(time.time() - started, 1), "yielded_s": round(yielded, 1)}
print(json.dumps(row), flush=True)
"""


class Ingest:
    """Another process ingesting into the Chroma server; its progress lines are read as they come."""

    def __init__(self, port: int, chunks: int, bench_data: Path, data_dir: Path) -> None:
        import json
        import subprocess

        env = {**os.environ, **_chroma_env(port), "IP_ASSISTANT_DATA_DIR": str(data_dir)}
        root = Path(__file__).resolve().parents[2]
        self.process = subprocess.Popen(
            [sys.executable, "-c", _INGEST, str(chunks), str(bench_data)],
            env={**env, "PYTHONPATH": str(root)},
            cwd=root,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.chunks, self.done_s, self.yielded_s = 0, None, 0.0
        self.first = threading.Event()

        def follow() -> None:
            assert self.process.stdout is not None
            for line in self.process.stdout:
                row = json.loads(line)
                self.chunks = row.get("chunks", self.chunks)
                self.done_s = row.get("seconds", self.done_s)
                self.yielded_s = row.get("yielded_s", self.yielded_s)
                self.first.set()
            self.first.set()

        threading.Thread(target=follow, daemon=True).start()

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def renice(self, increment: int) -> int:
        """The ingest (and its helper processes) `increment` nice levels below this process, as
        settings.ingest_nice puts `ip-assistant ingest`; the level set."""
        level = min(19, os.getpriority(os.PRIO_PROCESS, 0) + increment)
        for pid in process_tree(self.process.pid):
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, pid, level)
        return level

    def status(self) -> str:
        state = "running" if self.running else f"finished ({self.done_s} s in all)"
        return (
            f"ingest {state}, {self.chunks} chunks written so far, "
            f"{self.yielded_s} s of waits for a busy CPU (index.pacing)"
        )


TARGETS = "api,chat"


def targets(
    args: argparse.Namespace,
) -> list[tuple[str, Callable[[str], Callable[[], Callable[[str], None]]]]]:
    """The targets asked for: the HTTP API, the Gradio chat, or both."""
    known = {
        "api": ("POST /api/ask", api_client),
        "chat": ("gradio queue /chat", queue_chat_client),
        "gradio_client": ("gradio_client /chat", gradio_chat_client),
    }
    unknown = set(args.targets.split(",")) - set(known)
    if unknown:
        raise SystemExit(f"unknown --targets {', '.join(sorted(unknown))}: choose from {', '.join(known)}")
    return [known[name] for name in args.targets.split(",")]


def chunk_counter(port: int) -> Callable[[], int]:
    """The number of chunks in the Chroma server's collection, read when called."""
    import chromadb

    from assistant.settings import Settings

    client = chromadb.HttpClient(host="127.0.0.1", port=port)
    name = Settings().chroma.collection
    return lambda: client.get_collection(name).count()


def process_groups(server: int | None, chroma: int | None = None, ingest: int | None = None) -> Groups:
    """The benchmark's processes by role, for CpuShares (the clients are this process)."""
    groups: Groups = {}
    if server:
        groups |= {
            "answering": ([server], "pool_process"),
            "refresher": ([server], "index.refresher"),
            "front_end": ([server], ""),
        }
    groups |= {"chroma": ([chroma] if chroma else [], ""), "ingest": ([ingest] if ingest else [], "")}
    return groups | {"clients": ([os.getpid()], "")}  # last: the others are its children


def measured_phase(
    name: str,
    args: argparse.Namespace,
    client: Callable[[], Callable[[str], None]],
    groups: Groups,
    chunks: Callable[[], int] | None = None,
) -> dict[str, float]:
    """One target's questions, then where the CPU went meanwhile, the load average and, during an
    ingest, the chunks the ingest wrote meanwhile."""
    load, before = load_average(), CpuShares.take(groups)
    first = chunks() if chunks else 0
    result = run_clients(name, args.clients, args.questions, client)
    spent = before.seconds()
    answers = max(1, result["ok"])
    print(f"    {before.report()}", flush=True)
    print(
        "    cpu_ms per answer: "
        + " ".join(f"{k}={1000 * v / answers:.1f}" for k, v in spent.items() if k not in ("others", "idle")),
        flush=True,
    )
    print(f"    load average at the start: {load}; at the end: {load_average()}", flush=True)
    if chunks:
        written = chunks() - first
        result["chunks_written"] = written
        print(
            f"    chunks written during the phase: {written} ({written / max(result['wall_s'], 0.1):.1f} /s)",
            flush=True,
        )
    return result


def during_ingest(args: argparse.Namespace) -> list[dict[str, float]]:
    from tests.chroma_server import ChromaServer

    if args.bench_data is None or not (args.bench_data / "cmrc2018_dev.json").is_file():
        raise SystemExit("--during-ingest needs --bench-data FOLDER with cmrc2018_dev.json and drcd_dev.json")
    with tempfile.TemporaryDirectory(prefix="bench-load-chroma-") as tmp:
        chroma = ChromaServer(Path(tmp) / "chroma").start()
        assert chroma.process is not None
        try:
            with local_server(chroma.port) as (url, server):
                ingest = Ingest(chroma.port, args.during_ingest, args.bench_data, Path(tmp) / "writer")
                groups = process_groups(server, chroma.process.pid, ingest.process.pid)
                try:
                    ingest.first.wait(600)
                    print(f"load during an ingest of {args.during_ingest} chunks: {ingest.status()}")
                    results = []
                    for increment in args.ingest_nice or [None]:
                        if increment is not None:
                            print(f"ingest at nice {ingest.renice(increment)} (+{increment})", flush=True)
                        for name, client in targets(args):
                            if not ingest.running:
                                break
                            results.append(
                                measured_phase(name, args, client(url), groups, chunk_counter(chroma.port))
                            )
                            print(f"    at the end: {ingest.status()}", flush=True)
                    if args.targets == TARGETS:  # the whole benchmark: the ingest's time too
                        ingest.process.wait()
                    print(ingest.status(), flush=True)
                finally:
                    if ingest.running:
                        ingest.process.terminate()
                return results
        finally:
            chroma.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--questions", type=int, default=10, help="questions per client")
    parser.add_argument("--url", help="an already running server (default: start one)")
    parser.add_argument(
        "--during-ingest",
        type=int,
        metavar="CHUNKS",
        help="ask while another process ingests this many chunks",
    )
    parser.add_argument("--bench-data", type=Path, help="folder of cmrc2018_dev.json and drcd_dev.json")
    parser.add_argument(
        "--ingest-nice",
        type=lambda text: [int(v) for v in text.split(",")],
        help="during an ingest: run the phases once for each of these nice increments of the ingest "
        "(comma-separated, e.g. 10,5,0; default: settings.ingest_nice as set at its start)",
    )
    parser.add_argument(
        "--targets",
        default=TARGETS,
        help="what the clients ask through, comma-separated: api, chat (the page's queue protocol) or "
        "gradio_client (the chat event through gradio_client, whose SSE handling is heavier); during "
        "an ingest, anything but the default ends without waiting for the ingest",
    )
    args, _ = parser.parse_known_args(argv)  # a runner of all benchmarks may pass its own flags
    if args.during_ingest:
        print(f"load: {args.clients} clients x {args.questions} questions", flush=True)
        results = during_ingest(args)
        return 1 if not results or any(r["errors"] for r in results) else 0
    with contextlib.ExitStack() as stack:
        url, server = (args.url, None) if args.url else stack.enter_context(local_server())
        print(f"load: {args.clients} clients x {args.questions} questions against {url}", flush=True)
        groups = process_groups(server)
        results = [measured_phase(name, args, client(url), groups) for name, client in targets(args)]
        if connect_ms:
            print(
                f"{'gradio_client connect':<22} clients={len(connect_ms)}  p50_ms={percentile(connect_ms, 0.5):.1f}  "
                f"max_ms={max(connect_ms, default=0.0):.1f}",
                flush=True,
            )
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
