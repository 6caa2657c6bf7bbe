"""Retrieval alone on the open-domain protocol: is the question's paragraph the first document
(hit@1), or among the first five (hit@5), of what search hands to answering?

    python -m tests.benchmarks.eval_retrieval --squad ../shared/bench-data/drcd_dev.json \
        [--start 0] [--limit 1000] [--data-dir DIR]

Indexes the paragraphs into DIR/squad-<name> (the folder `ip-assistant eval --squad` uses, so an
index built by either serves both), then, for questions start .. start+limit, runs
`Searcher.search` with the arguments `Assistant.answer` gives it (retrieval settings, dictionary
search terms): change the two together.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, required=True)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--data-dir", type=Path, help="default: the settings' data folder")
    args = parser.parse_args(argv)

    from assistant.evaluation import squad_items
    from assistant.pipeline import Assistant
    from assistant.settings import Settings
    from assistant.validation import clean_question
    from index.ingest import ingest_records

    settings = Settings() if args.data_dir is None else Settings(data_dir=args.data_dir)
    settings = settings.with_overrides(data_dir=settings.data_dir / f"squad-{args.squad.stem}")
    docs, items = squad_items(args.squad, args.start + args.limit)
    items = items[args.start :]
    print(f"indexed {args.squad.name}: {ingest_records(docs, settings).summary()}", file=sys.stderr)
    assistant = Assistant(settings)
    hit1 = hit5 = 0
    for item in items:
        hits = assistant.retrieve(clean_question(item["question"]))
        docs_found = list(dict.fromkeys(h.doc_id for h in hits))
        hit1 += bool(docs_found) and docs_found[0] == item["doc"]
        hit5 += item["doc"] in docs_found[:5]
    n = len(items) or 1
    print(
        json.dumps(
            {
                "questions": len(items),
                "start": args.start,
                "doc_hit@1": round(hit1 / n, 4),
                "doc_hit@5": round(hit5 / n, 4),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
