"""What the selector sees of one question's candidates, and its judgement of the answer to give.

The hand rules (`assistant.answerers.extractive.choosing`) choose the answer; the selector judges
it: its calibrated confidence is the probability that the answer the rules give holds what was
asked. Where the rules refuse, the ranker's own best sentence is judged instead (and answers when
it is confident enough). Training (`assistant.selection.dataset`) builds its rows the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answerers.extractive.candidates import Candidate
from assistant.question import Question
from assistant.selection.features import question_features, sentence_features
from assistant.selection.model import Selector
from assistant.selection.quoting import quote, shortlist
from index.keyword import KeywordIndex
from index.search import Hit


@dataclass
class Seen:
    """The candidates the selector weighs for one question, as feature rows."""

    cands: list[Candidate]
    rows: np.ndarray  # candidates x SENTENCE_FEATURES
    docs: np.ndarray  # a number per candidate's document, shared by candidates of one document
    retrieval: np.ndarray  # best BM25 score and best cosine among the question's passages
    rules: int  # index of the rules' chosen sentence among `cands`; -1 when they refuse


@dataclass
class Judgement:
    confidence: float  # calibrated probability that the judged answer is right
    by_rules: bool  # the rules' answer was judged (else the ranker's best sentence)
    best: Candidate  # the ranker's best sentence
    quote: tuple[int, int, str]  # what would be quoted for `best`


def seen(
    question: Question,
    ranked: Sequence[Candidate],
    hits: Sequence[Hit],
    keyword: KeywordIndex,
    rules_best: Candidate | None,
) -> Seen | None:
    """The shortlisted candidates (with the rules' choice, shortlisted or not) and their features."""
    cands = shortlist(ranked)
    if rules_best is not None and not any(c is rules_best for c in cands):
        cands.append(rules_best)
    if not cands:
        return None
    numbers: dict[str, int] = {}
    return Seen(
        cands=cands,
        rows=np.asarray(sentence_features(question, cands, hits, keyword), dtype=np.float32),
        docs=np.asarray([numbers.setdefault(c.doc_id, len(numbers)) for c in cands], dtype=np.int32),
        retrieval=np.asarray(
            [max((h.bm25 for h in hits), default=0.0), max((h.base_dense for h in hits), default=0.0)],
            dtype=np.float32,
        ),
        rules=next((i for i, c in enumerate(cands) if c is rules_best), -1),
    )


def judge(selector: Selector, s: Seen, answer_chars: int = 0, sentences: int = 1) -> Judgement:
    """The selector's confidence in the rules' answer (`answer_chars` long, of `sentences`), or, when
    the rules refused (`s.rules` -1), in the ranker's best sentence."""
    scores = selector.rank(s.rows)
    best = int(np.argmax(scores))
    quoted = quote(s.cands[best], s.cands)
    by_rules = s.rules >= 0
    row = question_features(
        s.rows,
        scores,
        s.docs,
        float(answer_chars if by_rules else len(quoted[2])),
        s.retrieval,
        judged=s.rules if by_rules else None,
        sentences=sentences if by_rules else 1,
    )
    confidence = float(selector.confidence(np.asarray([row], dtype=np.float64))[0])
    return Judgement(confidence, by_rules, s.cands[best], quoted)
