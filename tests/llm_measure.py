"""Figures for docs/llm.md: prompt sizes, verification time, fallback times with a bad server.

Run: python -m tests.llm_measure   (indexes the bundled articles into a temporary folder)
"""

from __future__ import annotations

import json
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    os.environ["IP_ASSISTANT_SETTINGS_FILE"] = os.devnull
    from assistant import Assistant, Settings
    from assistant.answerers.llm.verification import Passage, verify
    from assistant.question import question_language
    from index.ingest import ingest
    from index.tokens import count_tokens
    from tests.openai_server import OpenAIServer, Reply, closed_port

    with tempfile.TemporaryDirectory() as folder:
        base = Settings(data_dir=Path(folder) / "data")
        ingest([ROOT / "docs" / "articles"], base)
        lines = (ROOT / "tests" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
        questions = [json.loads(line)["question"] for line in lines if line.strip()]
        server = OpenAIServer().start()
        try:
            llm = {"llm.backend": "openai", "llm.base_url": server.base_url, "llm.model": "m"}
            assistant = Assistant(base.with_overrides(**llm))
            assert assistant.llm is not None
            tokens, sizes = [], []
            for q in questions:
                prompt = assistant.llm.prompt(
                    q, question_language(q), assistant.searcher.search(q, k=12, depth=60)
                )
                tokens.append(sum(count_tokens(m.content) for m in prompt.messages))
                sizes.append(len(prompt.passages))
            print(
                f"{len(questions)} dev questions: answer prompt {statistics.median(tokens):.0f} tokens median, "
                f"{max(tokens)} max; passages per prompt {min(sizes)}-{max(sizes)}"
            )

            passages = [
                Passage(i + 1, h.text) for i, h in enumerate(assistant.searcher.search(questions[0], k=12))
            ]
            answer = "".join(re.split(r"[。\n]", p.text)[0] + f"[{p.n}]。" for p in passages)
            started, rounds = time.perf_counter(), 50
            for _ in range(rounds):
                verify(answer, passages)
            print(
                f"verify {len(passages)} sentences against {len(passages)} passages: "
                f"{(time.perf_counter() - started) / rounds * 1000:.1f} ms"
            )

            for label, url, extra, replies in [
                ("closed port (timeout_s=30, max_retries=1)", f"http://127.0.0.1:{closed_port()}/v1", {}, []),
                (
                    "server that never answers (timeout_s=0.5, max_retries=1)",
                    server.base_url,
                    {"llm.timeout_s": 0.5},
                    [Reply("x", delay_s=20), Reply("x", delay_s=20)],
                ),
            ]:
                server.queue(*replies)
                bad = Assistant(
                    base.with_overrides(**{**llm, "llm.base_url": url, "llm.max_retries": 1, **extra})
                )
                started = time.perf_counter()
                first = bad.answer(questions[0])
                first_s = time.perf_counter() - started
                started = time.perf_counter()
                second = bad.answer(questions[1])
                print(
                    f"{label}: {first_s:.2f} s ({first.generator}), next question "
                    f"{time.perf_counter() - started:.2f} s ({second.generator})"
                )
        finally:
            server.stop()


if __name__ == "__main__":
    main()
