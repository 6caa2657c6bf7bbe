"""Precision and recall of figure extraction against hand-labelled records.

    python -m assistant.evaluation_figures tests/figures_gold.jsonl docs/articles

The articles are read, cleaned and chunked as ingest does (`index.ingest.prepare`), and their
figure records extracted as ingest stores them. A record matches a gold one (each at most once)
when it is of the same article and:

- value: equal within 0.5 %, in the same unit family (元/yuan, %, 倍/times; counts of any measure
  word, 件 or 'count', are one family);
- place: the same place key (大連, 大连市 and Dalian are one; a gold null place matches no place);
- period: the same year, or both unknown;
- measure: after Traditional→Simplified, lower case and no spaces, one contains the other, or
  their glossary keys share at least half of their parts (知识产权质押贷款 ~ 质押贷款).

Durations (连续五年, 近三年, for four consecutive years: kind 'duration'; in the older gold sets a
figure in years) are scored apart, as counts extracted / gold / matched, since they are no values
of what they qualify. Occurrences are paired by offset first, so a figure repeated in a heading and the body is matched
to its own place. Per field, the share of gold records whose occurrence was found that agree on
it is reported too.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from index.collection_glossary import use_glossaries_beside
from index.figure_records import FigureRecord, measure_key
from index.figure_table import records_of
from index.figure_text import place_key
from index.ingest import collect, prepare
from index.normalize import to_simplified
from index.settings import IndexSettings

FIELDS = ("measure", "place", "period", "value")
_UNIT_FAMILY = {"元": "money", "yuan": "money", "%": "%", "倍": "times", "times": "times"}


@dataclass(frozen=True)
class Scores:
    predicted: int
    gold: int
    matched: int
    field_agreement: dict[str, float]  # over gold records whose occurrence was extracted
    missed: list[dict[str, Any]]
    spurious: list[FigureRecord]
    durations: tuple[int, int, int] = (0, 0, 0)  # extracted, gold, matched: scored apart

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0


def load_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def extract_folder(folder: Path, settings: IndexSettings | None = None) -> list[FigureRecord]:
    """The figure records ingest would store for the articles under `folder`."""
    settings = settings or IndexSettings()
    use_glossaries_beside([folder])  # the places and terms the collection brings, as at ingest
    sources, _ = collect([folder])
    out: list[FigureRecord] = []
    for source in sources:
        doc = prepare(source, settings, "evaluation")
        meta = doc.meta.model_dump()
        out.extend(records_of(doc.meta.doc_id, doc.text, meta, [(s.start, s.end) for s in doc.spans]))
    return out


def _flat(text: str) -> str:
    return "".join(to_simplified(text).lower().split())


def agree(field: str, record: FigureRecord, gold: dict[str, Any]) -> bool:
    if field == "value":
        family = _UNIT_FAMILY.get(record.unit, "count"), _UNIT_FAMILY.get(str(gold.get("unit")), "count")
        scale = max(abs(record.value), abs(float(gold["value"])), 1e-9)
        return family[0] == family[1] and abs(record.value - float(gold["value"])) <= 0.005 * scale
    if field == "place":
        return bool(gold.get("place")) and record.place_key == place_key(str(gold["place"]))
    if field == "period":
        return str(record.year or "") == str(gold.get("period") or "")[:4]
    mine, theirs = _flat(record.measure), _flat(str(gold.get("measure") or ""))
    if min(len(mine), len(theirs)) >= 2 and (mine in theirs or theirs in mine):
        return True
    a, b = set(record.measure_key.split("+")), set(measure_key(str(gold.get("measure") or "")).split("+"))
    return len(a & b) * 2 >= len(a | b)


def is_duration(item: FigureRecord | dict[str, Any]) -> bool:
    """A number of years that something lasted or is to take: a record of kind 'duration'; in
    the gold sets written before that kind, a figure in years (连续五年 labelled 'other', 年)."""
    if isinstance(item, FigureRecord):
        return item.kind == "duration"
    return item.get("kind") == "duration" or str(item.get("unit")) in ("年", "years", "year")


def score(records: Sequence[FigureRecord], gold: Sequence[dict[str, Any]]) -> Scores:
    """Statistics and durations are scored apart: durations are no values of what they qualify."""
    main = _score([r for r in records if not is_duration(r)], [g for g in gold if not is_duration(g)])
    lasting = _score([r for r in records if is_duration(r)], [g for g in gold if is_duration(g)])
    return replace(main, durations=(lasting.predicted, lasting.gold, lasting.matched))


def _score(records: Sequence[FigureRecord], gold: Sequence[dict[str, Any]]) -> Scores:
    used_gold: set[int] = set()
    matched_records: set[int] = set()
    same_place: dict[int, int] = {}  # gold index -> record index extracted at its offset
    for i, g in enumerate(gold):
        for j, r in enumerate(records):
            if r.doc_id == g["doc"] and r.start <= int(g["offset"]) < r.end:
                same_place[i] = j
    # Pairs at the same occurrence first, then any record of the same article.
    for prefer_offset in (True, False):
        for i, g in enumerate(gold):
            if i in used_gold:
                continue
            for j, r in enumerate(records):
                if j in matched_records or r.doc_id != g["doc"]:
                    continue
                if prefer_offset and same_place.get(i) != j:
                    continue
                if all(agree(f, r, g) for f in FIELDS):
                    used_gold.add(i)
                    matched_records.add(j)
                    break
    agreement = {
        f: sum(agree(f, records[j], gold[i]) for i, j in same_place.items()) / max(1, len(same_place))
        for f in FIELDS
    }
    agreement["occurrence found"] = len(same_place) / max(1, len(gold))
    return Scores(
        predicted=len(records),
        gold=len(gold),
        matched=len(used_gold),
        field_agreement=agreement,
        missed=[g for i, g in enumerate(gold) if i not in used_gold],
        spurious=[r for j, r in enumerate(records) if j not in matched_records],
    )


def report(scores: Scores) -> str:
    lines = [
        f"records extracted {scores.predicted}, gold {scores.gold}, matched {scores.matched}",
        f"precision {scores.precision:.3f}  recall {scores.recall:.3f}",
        "field agreement at found occurrences: "
        + ", ".join(f"{k} {v:.3f}" for k, v in scores.field_agreement.items()),
        "durations (scored apart): extracted {}, gold {}, matched {}".format(*scores.durations),
    ]
    return "\n".join(lines)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("articles", type=Path)
    parser.add_argument("--verbose", action="store_true", help="list missed and spurious records")
    args = parser.parse_args(list(argv) if argv is not None else None)
    scores = score(extract_folder(args.articles), load_gold(args.gold))
    print(report(scores))
    if args.verbose:
        for g in scores.missed:
            print("missed  ", json.dumps(g, ensure_ascii=False))
        for r in scores.spurious:
            print("spurious", r.doc_id, r.text, r.measure, r.place, r.period, r.value, r.unit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
