"""Growth benchmark: ingest speed, disk, memory and answer latency as the collection grows.

The collection is the CMRC 2018 and DRCD dev paragraphs (../shared/bench-data) plus synthetic
articles made from their sentences, with numbers and places varied so that no two are the same.
At each size (default 10k, 30k and 100k chunks) it records the ingest of the step, the disk used,
the process's peak memory, the time to bring the keyword index up to date, and warm answer()
latency over questions drawn from CMRC and DRCD. Writes docs/performance.md and docs/growth.svg.

    python -m tests.benchmarks.bench_growth [--sizes 10000,30000,100000] [--questions 60]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
MARK_BEGIN = "<!-- growth:begin -->"
MARK_END = "<!-- growth:end -->"

PLACES = (
    "大连",
    "长沙",
    "深圳",
    "杭州",
    "成都",
    "西安",
    "苏州",
    "武汉",
    "青岛",
    "厦门",
    "南京",
    "天津",
    "重庆",
    "宁波",
    "合肥",
    "昆明",
    "沈阳",
    "济南",
    "福州",
    "郑州",
)
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")
_NUMBER = re.compile(r"\d+")


def bench_data() -> Path:
    """../shared/bench-data relative to the repository root (a worktree sits one level deeper)."""
    given = os.environ.get("IP_ASSISTANT_BENCH_DATA")
    candidates = [Path(given)] if given else []
    candidates += [ROOT.parent / "shared" / "bench-data", ROOT.parent.parent / "shared" / "bench-data"]
    for folder in candidates:
        if (folder / "cmrc2018_dev.json").is_file():
            return folder
    raise SystemExit(f"bench data not found; looked in {', '.join(map(str, candidates))}")


def load_squad(folder: Path) -> tuple[list[tuple[str, str, dict[str, str]]], list[tuple[str, str]]]:
    """Paragraph records (doc_id, text, metadata) and questions (question, doc_id)."""
    records: list[tuple[str, str, dict[str, str]]] = []
    questions: list[tuple[str, str]] = []
    for name, prefix in (("cmrc2018_dev.json", "cmrc"), ("drcd_dev.json", "drcd")):
        data = json.loads((folder / name).read_text(encoding="utf-8"))
        for article in data["data"]:
            for para in article["paragraphs"]:
                doc_id = f"{prefix}/{para['id']}"
                records.append((doc_id, para["context"], {"title": article.get("title", "")}))
                questions.extend((qa["question"], doc_id) for qa in para.get("qas", []))
    return records, questions


def synthetic(
    records: list[tuple[str, str, dict[str, str]]], seed: int = 7
) -> Iterator[tuple[str, str, dict[str, str]]]:
    """Endless articles recombined from the real paragraphs' sentences, numbers and places varied."""
    rng = random.Random(seed)
    sentences = [s.strip() for _, text, _ in records for s in _SENTENCE.findall(text) if len(s.strip()) > 8]
    n = 0
    while True:
        place = rng.choice(PLACES)
        year = rng.randint(2005, 2025)
        picked = rng.sample(sentences, rng.randint(8, 14))
        body = []
        for s in picked:
            s = _NUMBER.sub(lambda m: str(max(1, int(m.group()) + rng.randint(-9, 99))), s)
            if rng.random() < 0.3:
                s = f"{year}年{place}" + s
            body.append(s)
        title = f"{place}{year}年{picked[0][:12]}"
        yield f"synthetic/{n:06d}", title + "\n" + "".join(body), {"title": title}
        n += 1


def disk_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20


def cpu_s() -> float:
    """CPU seconds of this process, Chroma's threads included, and of its ended children (the
    ingest's preparing worker): on shared cores, wall time also counts other people's work."""
    return sum(
        usage.ru_utime + usage.ru_stime
        for usage in map(resource.getrusage, (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    )


def peak_mb() -> float:
    """The larger of this process's peak and its largest ended child's (Linux reports KiB)."""
    return (
        max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        / 1024
    )


def rss_mb() -> float:
    """Resident memory now (Linux), to tell which phase set the peak."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return float("nan")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(
    sizes: list[int], n_questions: int, data_dir: Path, chroma: str | None = None
) -> list[dict[str, Any]]:
    from assistant.pipeline import Assistant
    from assistant.settings import Settings
    from index.ingest import ingest_records
    from index.store import Store

    settings = Settings(data_dir=data_dir)
    if chroma:
        host, _, port = chroma.rpartition(":")
        settings = settings.with_overrides(
            **{"chroma.host": host, "chroma.port": int(port), "chroma.timeout_s": 60.0}
        )
    records, questions = load_squad(bench_data())
    rng = random.Random(11)
    asked = rng.sample(questions, min(n_questions, len(questions)))
    source: Iterator[tuple[str, str, dict[str, str]]] = iter(records)
    fake = synthetic(records)
    store = Store(settings)
    rows = []
    total = 0
    for size in sizes:
        step_chunks, step_s, cpu_before = 0, 0.0, cpu_s()
        while total < size:
            group = []
            for _ in range(max(50, min(1000, (size - total) // 6))):
                item = next(source, None)
                group.append(item if item is not None else next(fake))
            report = ingest_records(group, settings, store=store)
            step_chunks += report.chunks
            step_s += report.seconds
            total = store.state()["chunks"]
            print(
                f"  {total} chunks, {report.chunks / max(report.seconds, 1e-9):.0f} chunks/s", file=sys.stderr
            )
        step_cpu = cpu_s() - cpu_before
        memory = {"rss_after_ingest_mb": round(rss_mb()), "peak_after_ingest_mb": round(peak_mb())}
        started = time.perf_counter()
        assistant = Assistant(settings)
        keyword_s = time.perf_counter() - started
        memory |= {"rss_after_refresh_mb": round(rss_mb()), "peak_after_refresh_mb": round(peak_mb())}
        for question, _ in asked[:5]:
            assistant.answer(question)
        latencies, hit1 = [], 0
        for question, doc_id in asked:
            t = time.perf_counter()
            ans = assistant.answer(question)
            latencies.append((time.perf_counter() - t) * 1000)
            cited = [c.doc_id for c in ans.citations] or [c.doc_id for c in ans.related]
            hit1 += bool(cited) and cited[0] == doc_id
        row = {
            "chunks": total,
            "documents": len(store.document_records()),
            "step_chunks": step_chunks,
            "step_ingest_s": round(step_s, 1),
            "chunks_per_s": round(step_chunks / step_s, 1) if step_s else None,
            "step_cpu_s": round(step_cpu, 1),
            "chunks_per_cpu_s": round(step_chunks / step_cpu, 1) if step_cpu else None,
            "disk_mb": round(disk_mb(data_dir / "chroma"), 1) if not chroma else None,
            "keyword_mb": round(disk_mb(data_dir / "keyword"), 1) if (data_dir / "keyword").exists() else 0.0,
            "keyword_refresh_s": round(keyword_s, 1),
            "answer_p50_ms": round(statistics.median(latencies), 1),
            "answer_p95_ms": round(percentile(latencies, 0.95), 1),
            "hit1": round(hit1 / len(asked), 3),
            "questions": len(asked),
            "peak_rss_mb": round(peak_mb()),
            **memory,
            "rss_after_answers_mb": round(rss_mb()),
            "load_1m": round(os.getloadavg()[0], 1),  # other people's work on the same cores
        }
        print(json.dumps(row), file=sys.stderr)
        rows.append(row)
        del assistant
    return rows


COLUMNS = (
    ("chunks", "chunks"),
    ("documents", "documents"),
    ("step_ingest_s", "step ingest s"),
    ("chunks_per_s", "chunks/s"),
    ("step_cpu_s", "step CPU s"),
    ("chunks_per_cpu_s", "chunks/CPU s"),
    ("disk_mb", "Chroma MB"),
    ("keyword_mb", "keyword MB"),
    ("keyword_refresh_s", "keyword refresh s"),
    ("answer_p50_ms", "answer p50 ms"),
    ("answer_p95_ms", "answer p95 ms"),
    ("hit1", "hit@1"),
    ("peak_rss_mb", "peak RSS MB"),
    ("load_1m", "load avg"),
)


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| " + " | ".join(title for _, title in COLUMNS) + " |", "|" + "---:|" * len(COLUMNS)]
    for row in rows:
        cells = [row.get(key, "–") for key, _ in COLUMNS]
        lines.append("| " + " | ".join(f"{c:,}" if isinstance(c, int) else str(c) for c in cells) + " |")
    return "\n".join(lines)


def svg(rows: list[dict[str, Any]]) -> str:
    """Two small line charts side by side: ingest chunks/s and answer p50/p95 against chunks."""
    width, height, pad = 360, 240, 48
    xs = [r["chunks"] for r in rows]
    panels = [
        ("ingest (chunks/s)", [("chunks/s", [r["chunks_per_s"] or 0 for r in rows], "#1f77b4")]),
        (
            "answer() latency (ms)",
            [
                ("p50", [r["answer_p50_ms"] for r in rows], "#2ca02c"),
                ("p95", [r["answer_p95_ms"] for r in rows], "#d62728"),
            ],
        ),
    ]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * width}" height="{height}" '
        'font-family="sans-serif" font-size="11">',
        '<rect width="100%" height="100%" fill="white"/>',
    ]
    for p, (title, series) in enumerate(panels):
        left = p * width
        top_value = max(max(v) for _, v, _ in series) * 1.15 or 1.0
        x_max = max(xs) * 1.05

        def px(x: float, left: int = left, x_max: float = x_max) -> float:
            return left + pad + (width - 2 * pad) * x / x_max

        def py(y: float, top_value: float = top_value) -> float:
            return height - pad - (height - 2 * pad) * y / top_value

        parts.append(
            f'<text x="{left + width / 2}" y="20" text-anchor="middle" font-size="13">{title}</text>'
        )
        parts.append(f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(x_max)}" y2="{py(0)}" stroke="black"/>')
        parts.append(f'<line x1="{px(0)}" y1="{py(0)}" x2="{px(0)}" y2="{py(top_value)}" stroke="black"/>')
        for i in range(5):
            value = top_value * i / 4
            parts.append(f'<text x="{px(0) - 4}" y="{py(value) + 4}" text-anchor="end">{value:,.0f}</text>')
        for x in xs:
            parts.append(f'<text x="{px(x)}" y="{py(0) + 16}" text-anchor="middle">{x / 1000:.0f}k</text>')
        parts.append(f'<text x="{left + width / 2}" y="{height - 8}" text-anchor="middle">chunks</text>')
        for n, (label, values, colour) in enumerate(series):
            points = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in zip(xs, values, strict=True))
            parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
            for x, y in zip(xs, values, strict=True):
                parts.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}"/>')
            parts.append(
                f'<text x="{left + width - pad}" y="{40 + 14 * n}" text-anchor="end" '
                f'fill="{colour}">{label}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def write_report(rows: list[dict[str, Any]], command: str) -> None:
    (DOCS / "growth.svg").write_text(svg(rows), encoding="utf-8")
    section = "\n".join(
        [
            MARK_BEGIN,
            f"Measured {time.strftime('%Y-%m-%d')} with `{command}` "
            f"({os.cpu_count()} CPU cores, default hashing embedder, embedded Chroma).",
            "",
            table(rows),
            "",
            "![ingest speed and answer latency against collection size](growth.svg)",
            MARK_END,
        ]
    )
    page = DOCS / "performance.md"
    text = page.read_text(encoding="utf-8") if page.exists() else "# Performance\n\n" + MARK_BEGIN + MARK_END
    if MARK_BEGIN in text and MARK_END in text:
        head, rest = text.split(MARK_BEGIN, 1)
        text = head + section + rest.split(MARK_END, 1)[1]
    else:
        text += "\n" + section + "\n"
    page.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000", help="chunk counts, comma-separated")
    parser.add_argument("--questions", type=int, default=60, help="questions timed at each size")
    parser.add_argument("--data-dir", type=Path, help="keep the store here (default: a temporary folder)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/ alone")
    parser.add_argument(
        "--chroma",
        metavar="HOST:PORT",
        help="a Chroma server (an empty collection) instead of the embedded store",
    )
    parser.add_argument(
        "--report-from",
        type=Path,
        metavar="LOG",
        help="write docs/ from the JSON rows an earlier run printed to stderr; measure nothing",
    )
    parser.add_argument("--command", help="the command to name in docs/performance.md (with --report-from)")
    args = parser.parse_args(argv)
    if args.report_from:
        lines = args.report_from.read_text(encoding="utf-8").splitlines()
        rows = [json.loads(line) for line in lines if line.startswith("{")]
        print(table(rows))
        write_report(rows, args.command or "python -m tests.benchmarks.bench_growth")
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(","))
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-growth-")) / "data"
    try:
        rows = run(sizes, args.questions, data_dir, args.chroma)
    finally:
        if args.data_dir is None:
            shutil.rmtree(data_dir.parent, ignore_errors=True)
    print(table(rows))
    if not args.no_write:
        write_report(rows, "python -m tests.benchmarks.bench_growth " + " ".join(argv or sys.argv[1:]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
