"""Training examples for the answer selector, from question sets with gold answers.

Each question is asked as the product asks it (retrieval settings, crossing hits, candidate
scoring), and every shortlisted candidate sentence becomes a feature row, labelled by whether its
quote holds a gold answer. From SQuAD-style files (CMRC 2018, DRCD) every question is also asked
once more with no answer in reach: its paragraph's chunks left out of the results (the closest
wrong passages stay, as hard negatives), or every paragraph of its article left out. A bundled
question set (dev.jsonl format) joins over the bundled articles. Examples are grouped by article,
the unit of validation splits.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answerers.extractive.judging import quoted_sentences
from assistant.evaluation import fact_form, load_questions, squad_items
from assistant.pipeline import Assistant
from assistant.question import analyse, question_language
from assistant.selection.judging import seen
from assistant.selection.quoting import quote
from assistant.selection.rewording import reworded
from assistant.selection.swapping import absent_cities, absent_years, place_swapped, year_swapped
from assistant.settings import Settings
from assistant.validation import clean_question
from index.ingest import ingest, ingest_records

logger = logging.getLogger(__name__)

# More passages are retrieved than answering uses, so that as many are left when some are removed.
_SPARE = 60
# Bump when what makes an example right changes (2: the rules' answer as shown, not its quotes).
LABELS_VERSION = 2


@dataclass
class Asked:
    """One question to ask, with what answers it and what is removed from its results."""

    qid: str
    question: str
    group: str  # the article: examples of one group are never split between training and validation
    docs: frozenset[str]  # documents that answer it (empty: unanswerable)
    answers: tuple[str, ...]  # gold answer texts, in `normal` form
    removed: frozenset[str] = frozenset()
    variant: str = "answerable"


@dataclass
class Example:
    """One asked question: its candidates' feature rows and labels."""

    asked: Asked
    rows: np.ndarray  # candidates x SENTENCE_FEATURES
    relevance: np.ndarray  # 2 the sentence holds a gold answer, 1 its quote does, 0 neither (or wrong doc)
    right: np.ndarray  # the candidate's quote holds a gold answer and it is from an answering document
    chars: np.ndarray  # length of the candidate's quote
    docs: np.ndarray  # a number per candidate's document, shared by candidates of one document
    gold_doc: np.ndarray  # the candidate's document answers the question
    retrieval: np.ndarray  # best BM25 score and best cosine among the question's passages
    # The rules' answer: its sentence's index among the candidates (-1: they refused), whether it
    # holds a gold answer (from an answering document), its quotes' characters and sentences.
    rules: np.ndarray


def normal(text: str) -> str:
    """The form answers are matched in: Simplified, no white space, no commas, lower case."""
    return fact_form(text)


def _pick(qid: str) -> int:
    return int(hashlib.sha1(qid.encode()).hexdigest()[:8], 16)


def squad_questions(path: Path, prefix: str) -> tuple[list[tuple[str, str, dict[str, str]]], list[Asked]]:
    """The paragraphs of a SQuAD-style file, and each question asked answerable and then with its
    paragraph, or (every other question) its whole article, removed."""
    docs, items = squad_items(path)
    title = {pid: meta["title"] for pid, _, meta in docs}
    by_title: dict[str, set[str]] = {}
    for pid, t in title.items():
        by_title.setdefault(t, set()).add(pid)
    out = []
    for item in items:
        doc, group = item["doc"], f"{prefix}:{title[item['doc']]}"
        answers = tuple(normal(a) for a in item["answers"] if a.strip())
        out.append(Asked(item["id"], item["question"], group, frozenset([doc]), answers))
        whole = _pick(item["id"]) % 2 == 1
        removed = frozenset(by_title[title[doc]]) if whole else frozenset([doc])
        variant = "other-article" if whole else "no-paragraph"
        out.append(Asked(item["id"] + "~", item["question"], group, frozenset(), (), removed, variant))
    return docs, out


def domain_questions(files: Iterable[Path], articles: Path | None = None) -> list[Asked]:
    """Questions of dev.jsonl-format files, grouped by the first document that answers them. With
    the `articles` folder, every answerable question is asked once more with its documents left
    out: the other articles of the same places and topics stay, as hard negatives, and where one
    of them also holds a gold answer it answers, and once with its year, and once with its city,
    changed to one no article names (`assistant.selection.swapping`: unanswerable). Every question
    is also asked in other words (`assistant.selection.rewording`), with its articles in place."""
    texts = (
        {p.stem: normal(p.read_text(encoding="utf-8")) for p in sorted(articles.glob("*.txt"))}
        if articles
        else {}
    )
    years, cities = absent_years(texts.values()), absent_cities(list(texts.values()))
    out = []
    for path in files:
        for item in load_questions(path):
            docs = frozenset(item.get("expect_docs") or []) if item.get("answerable", True) else frozenset()
            answers = tuple(normal(a) for a in item.get("expect_any") or [])
            group = "bundled:" + (sorted(docs)[0] if docs else "unanswerable")
            out.append(Asked(str(item["id"]), item["question"], group, docs, answers, variant="domain"))
            other = reworded(item["question"])
            if other is not None:
                out.append(Asked(f"{item['id']}≈", other, group, docs, answers, variant="domain-reworded"))
            if docs and texts:
                holding = frozenset(
                    d for d, t in texts.items() if d not in docs and any(a in t for a in answers)
                )
                out.append(
                    Asked(f"{item['id']}~", item["question"], group, holding, answers, docs, "domain-removed")
                )
                qid = str(item["id"])
                for mark, other in (
                    ("y", year_swapped(item["question"], qid, years)),
                    ("p", place_swapped(item["question"], qid, cities)),
                ):
                    if other is not None:
                        out.append(
                            Asked(f"{qid}⇄{mark}", other, group, frozenset(), (), variant="domain-swapped")
                        )
    return out


def example(assistant: Assistant, asked: Asked, top_k: int) -> Example | None:
    """Ask one question as `Assistant.answer` does, `asked.removed` left out of the `top_k` results."""
    searched = clean_question(asked.question)
    q = analyse(searched)
    hits = [h for h in assistant.retriever.search(q) if h.doc_id not in asked.removed][:top_k]
    hits = assistant.retriever.with_crossing_hits(q, question_language(searched), hits)
    hits = [h for h in hits if h.doc_id not in asked.removed]
    ranked, choice, composed = assistant.extractive.by_rules(q, hits)
    s = seen(q, ranked, hits, assistant.searcher.keyword, choice.best if choice else None)
    if s is None:
        return None
    quotes = [quote(c, s.cands) for c in s.cands]
    rel, right = [], []
    for c, (_, _, text) in zip(s.cands, quotes, strict=True):
        gold = c.doc_id in asked.docs
        in_sentence = gold and any(a in normal(c.text) for a in asked.answers)
        in_quote = gold and any(a in normal(text) for a in asked.answers)
        rel.append(2 if in_sentence else 1 if in_quote else 0)
        right.append(in_quote)
    cited = composed.citations if composed is not None else []
    limit = assistant.settings.answer.max_answer_chars
    quoted = quoted_sentences(choice, limit) if choice is not None and composed is not None else []
    # Right when the answer as the user sees it (the direct clause where the rules trim the
    # sentence) holds a gold answer and cites an answering document.
    shown = normal(composed.answer) if composed is not None else ""
    rules_right = any(c.doc_id in asked.docs for c in cited) and any(a in shown for a in asked.answers)
    return Example(
        asked,
        s.rows,
        np.asarray(rel, dtype=np.int8),
        np.asarray(right, dtype=bool),
        np.asarray([len(t) for _, _, t in quotes], dtype=np.int32),
        s.docs,
        np.asarray([c.doc_id in asked.docs for c in s.cands], dtype=bool),
        s.retrieval,
        np.asarray([s.rules, rules_right, sum(len(q) for q in quoted), len(quoted)], dtype=np.int32),
    )


def squad_assistant(path: Path, cache: Path) -> Assistant:
    """An assistant over the paragraphs of a SQuAD-style file, indexed once into `cache`, that
    retrieves `_SPARE` more passages than the product (`example` cuts them back)."""
    docs, _ = squad_items(path)
    settings = Settings(data_dir=cache / f"squad-{path.stem}")
    logger.info("indexed %s: %s", path.name, ingest_records(docs, settings).summary())
    return Assistant(settings.with_overrides(**{"retrieval.top_k": settings.retrieval.top_k + _SPARE}))


def bundled_assistant(articles: Path, cache: Path) -> Assistant:
    """An assistant over the bundled articles (nothing is removed from their results)."""
    settings = Settings(data_dir=cache / "bundled")
    logger.info("indexed %s: %s", articles, ingest([articles], settings).summary())
    return Assistant(settings)
