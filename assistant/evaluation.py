"""Scoring runs the way the shared eval and bench-data READMEs describe (docs/evaluation.md)."""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from assistant.models import Answer
from index.normalize import to_simplified


def fact_form(text: str) -> str:
    """Traditional to Simplified, no white space or commas, lower case."""
    return "".join(to_simplified(text).replace(",", "").replace("，", "").split()).lower()


def load_questions(path: Path) -> list[dict[str, Any]]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except ValueError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc})") from None
    return rows


def result_row(item: dict[str, Any], ans: Answer) -> dict[str, Any]:
    return {
        "id": item.get("id"),
        "question": item.get("question"),
        "answer": ans.answer,
        "answerable": ans.answerable,
        "citations": [c.model_dump() for c in ans.citations],
        "related": [c.model_dump() for c in ans.related],
        "timings": ans.timings,
        "confidence": ans.confidence,
    }


def score_dev(items: list[dict[str, Any]], answers: list[Answer]) -> dict[str, Any]:
    n_ans = hit1 = hit5 = fact = false_refusal = 0
    n_unans = refused = 0
    failures = []
    lengths = []  # of the answers given to answerable questions (issue 12: median <= 150)
    for item, ans in zip(items, answers, strict=True):
        docs = [c.doc_id for c in ans.citations]
        if item.get("answerable", True):
            n_ans += 1
            ok1 = bool(docs) and docs[0] in item["expect_docs"]
            ok5 = any(d in item["expect_docs"] for d in docs[:5])
            text = fact_form(ans.answer)
            okf = len(ans.answer) <= 600 and any(fact_form(e) in text for e in item["expect_any"])
            hit1 += ok1
            hit5 += ok5
            fact += okf
            false_refusal += not ans.answerable
            if ans.answerable:
                lengths.append(len(ans.answer))
            if not (ok1 and ok5 and okf and ans.answerable):
                failures.append(item.get("id"))
        else:
            n_unans += 1
            refused += not ans.answerable
            if ans.answerable:
                failures.append(item.get("id"))
    return {
        "questions": len(items),
        "answerable": n_ans,
        "hit@1": round(hit1 / n_ans, 4) if n_ans else None,
        "hit@5": round(hit5 / n_ans, 4) if n_ans else None,
        "fact": round(fact / n_ans, 4) if n_ans else None,
        "unanswerable": n_unans,
        "unanswerable_refused": round(refused / n_unans, 4) if n_unans else None,
        "false_refusals": false_refusal,
        "median_answer_chars": statistics.median(lengths) if lengths else 0,
        "failures": failures,
    }


def squad_items(
    path: Path, limit: int | None = None
) -> tuple[list[tuple[str, str, dict[str, str]]], list[dict[str, Any]]]:
    """Paragraphs (as documents) and questions of a SQuAD-style file (CMRC 2018, DRCD)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    docs: list[tuple[str, str, dict[str, str]]] = []
    questions: list[dict[str, Any]] = []
    for article in data["data"]:
        for para in article["paragraphs"]:
            pid = str(para.get("id") or f"{article.get('id', 'a')}-{len(docs)}")
            docs.append((pid, para["context"], {"title": str(article.get("title", ""))}))
            for qa in para["qas"]:
                questions.append(
                    {
                        "id": qa["id"],
                        "question": qa["question"],
                        "doc": pid,
                        "answers": [a["text"] for a in qa["answers"]],
                    }
                )
    return docs, questions[:limit] if limit else questions


def score_squad(items: list[dict[str, Any]], answers: list[Answer]) -> dict[str, Any]:
    hit1 = hit5 = contain = 0
    lengths = []
    for item, ans in zip(items, answers, strict=True):
        docs = [c.doc_id for c in ans.citations]  # cited documents only: a refusal cites none
        hit1 += bool(docs) and docs[0] == item["doc"]
        hit5 += item["doc"] in docs[:5]
        text = "".join(to_simplified(ans.answer).split())
        contain += len(ans.answer) <= 600 and any(
            "".join(to_simplified(a).split()) in text for a in item["answers"]
        )
        lengths.append(len(ans.answer))
    n = len(items) or 1
    return {
        "questions": len(items),
        "hit@1": round(hit1 / n, 4),
        "hit@5": round(hit5 / n, 4),
        "containment": round(contain / n, 4),
        "median_answer_chars": statistics.median(lengths) if lengths else 0,
    }


def run(items: Iterable[dict[str, Any]], ask: Callable[[str], Answer]) -> tuple[list[Answer], list[float]]:
    answers, times = [], []
    for item in items:
        t = time.perf_counter()
        answers.append(ask(item["question"]))
        times.append((time.perf_counter() - t) * 1000)
    return answers, times
