"""The misses of the fused and the learned order on CMRC 2018 dev and DRCD dev, counted by cause.

    python -m tests.benchmarks.fusion_misses --bench-data DIR --rows FILE [--model lambdarank]

`--rows`: the questions' rows that train_fusion wrote (its `--rows`). The learned order is scored
out of fold (train_fusion's folds by article); a miss is a question whose first document is not
its answering paragraph. Causes (they overlap): the same article, a near-duplicate text, the
retrieved paragraph holding the answer, an answer outside its paragraph, the paragraph not among
the chunks reranked, a namesake title, a question naming its title whole, and a retrieved
paragraph that covers the question's character pairs at least as well (docs/performance.md).
"""

from __future__ import annotations

import json
import pickle
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from index.analysis import search_form
from index.reranking import _QUALIFIER, pairs, title_in_question
from tests.benchmarks.train_fusion import FILES, bench_parser, out_of_fold


def _causes(entry: dict[str, Any], got: str, paragraphs: dict[str, tuple[str, str]]) -> list[str]:
    gold = entry["item"]["doc"]
    (gold_title, gold_text), (got_title, got_text) = paragraphs[gold], paragraphs[got]
    answers = [search_form(a) for a in entry["item"]["answers"]]
    asked = pairs(entry["item"]["question"])
    gold_pairs, got_pairs = pairs(gold_text), pairs(got_text)
    near = len(gold_pairs & got_pairs) / max(1, len(gold_pairs | got_pairs))
    a, b = _QUALIFIER.sub("", gold_title), _QUALIFIER.sub("", got_title)
    twin = gold_title != got_title and bool(a and b)
    twin = twin and (a in b or b in a or len(pairs(a) & pairs(b)) >= len(pairs(a)) / 2)
    checks = {
        "same article": gold_title == got_title,
        "near-duplicate text": near > 0.5,
        "retrieved holds the answer": any(x in search_form(got_text) for x in answers),
        "answer outside its paragraph": not any(x in search_form(gold_text) for x in answers),
        "paragraph not reranked": gold not in entry["docs"],
        "namesake title": twin,
        "question names its title": title_in_question(gold_title, entry["item"]["question"]) == 1.0,
        "retrieved covers the question as well": len(asked & got_pairs) >= len(asked & gold_pairs),
    }
    return [name for name, true in checks.items() if true]


def counted(entries: list[dict[str, Any]], bench: Path, model: str, folds: int = 5) -> dict[str, Any]:
    """Per collection and order: questions, hit@1 and the misses by cause."""
    scores = out_of_fold(entries, folds, model)
    out: dict[str, Any] = {}
    for name in FILES:
        data = json.loads((bench / name).read_text(encoding="utf-8"))
        paragraphs = {
            str(p["id"]): (str(a.get("title", "")), p["context"])
            for a in data["data"]
            for p in a["paragraphs"]
        }
        mine = [i for i, e in enumerate(entries) if e["article"].startswith(name)]
        for order in ("fused", "learned"):
            causes: Counter[str] = Counter()
            misses = 0
            for i in mine:
                e = entries[i]
                ranked = range(len(e["docs"])) if order == "fused" else np.argsort(-scores[i], kind="stable")
                first = e["docs"][next(iter(ranked))] if e["docs"] else ""
                if first == e["item"]["doc"]:
                    continue
                misses += 1
                causes.update(_causes(e, first, paragraphs) if first else ["nothing retrieved"])
            n = len(mine) or 1
            out[f"{name} {order}"] = {
                "questions": len(mine),
                "hit@1": round(1 - misses / n, 4),
                "misses": misses,
            }
            out[f"{name} {order}"].update(causes)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__)
    parser.add_argument("--rows", type=Path, required=True, help="train_fusion's --rows pickle")
    args = parser.parse_args(argv)
    entries, _ = pickle.loads(args.rows.read_bytes())
    print(json.dumps(counted(entries, args.bench_data, args.model), indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
