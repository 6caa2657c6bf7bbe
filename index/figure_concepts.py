"""Whether a figure row counts what is asked, across languages, by the glossary's concepts alone:
an English measure asked of Chinese rows (trademark applications ~ 商标注册申请) and the reverse.
Every concept asked must be one the row's measure names, a narrower one included (有效发明专利
names 发明专利 too); words the glossary does not know are not compared across languages."""

from __future__ import annotations

import functools

from index.glossary import default_glossary, on_change
from index.normalize import to_simplified


def _mentions(measure: str) -> list[tuple[int, int, str]]:
    # The glossary's English forms match word by word where a hyphen does not join the words
    # (high-value invention patents)
    form = to_simplified(measure).lower().strip().replace("-", " ")
    return [
        (m.start, m.end, m.concept.id) for m in default_glossary().mentions(form) if m.concept.kind != "place"
    ]


@functools.lru_cache(maxsize=4096)
def asked_concepts(measure: str) -> tuple[frozenset[str], ...]:
    """The concepts a measure names: per span, the concepts its words may be (grant: a patent's or
    a subsidy), a span inside a longer one left to it (valid invention patents: only
    valid_invention_patent is asked, not invention_patent or patent)."""
    spans: dict[tuple[int, int], set[str]] = {}
    for start, end, cid in _mentions(measure):
        spans.setdefault((start, end), set()).add(cid)
    kept = [
        (span, ids)
        for span, ids in spans.items()
        if not any(other != span and other[0] <= span[0] and span[1] <= other[1] for other in spans)
    ]
    return tuple(frozenset(ids) for _, ids in sorted(kept, key=lambda item: item[0]))


@functools.lru_cache(maxsize=16384)
def named_concepts(measure: str) -> frozenset[str]:
    """Every concept a row's measure names, the ones inside longer ones included."""
    return frozenset(cid for _, _, cid in _mentions(measure))


def counts_asked(asked: str, row_measure: str) -> bool:
    """Whether a row's measure names every concept the measure asked names (at least one)."""
    wanted = asked_concepts(asked)
    own = named_concepts(row_measure)
    return bool(wanted) and all(alternatives & own for alternatives in wanted)


on_change(asked_concepts.cache_clear)  # both hold concepts of the glossary in use
on_change(named_concepts.cache_clear)
