"""From a question to a cited answer: the library API the front ends call."""

from __future__ import annotations

import functools
import logging
import threading
import time
import unicodedata
from collections.abc import Iterator

from assistant.constants import CANNOT_ANSWER, EMPTY_QUESTION, QUESTION_TOO_LONG, STORE_UNAVAILABLE
from assistant.extractive import Candidate, candidates
from assistant.followup import condense
from assistant.models import Answer, Citation, Turn
from assistant.question import analyse, question_language
from assistant.settings import Settings
from index.chunking import split_sentences
from index.figures import find_figures, gloss
from index.search import Hit, Searcher
from index.store import StoreError

logger = logging.getLogger(__name__)


def clean_question(text: str) -> str:
    """Control characters and lone surrogates (which no encoder accepts) out, white space collapsed."""
    kept = "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") else c for c in text)
    return " ".join(kept.split())


class Assistant:
    """Answers questions over one index. Thread-safe; build once, ask many times."""

    def __init__(self, settings: Settings | None = None, searcher: Searcher | None = None) -> None:
        self.settings = settings or Settings()
        self.searcher = searcher or Searcher(self.settings)

    def answer(self, question: str, history: list[Turn] | None = None) -> Answer:
        started = time.perf_counter()
        limits = self.settings.answer
        raw = question if isinstance(question, str) else ""
        language = question_language(raw[:2000])
        if len(raw) > limits.max_question_chars:
            return Answer(question=clean_question(raw[:200]), answer=QUESTION_TOO_LONG[language].format(
                n=len(raw), limit=limits.max_question_chars), answerable=False, language=language,
                error="question_too_long")
        text = clean_question(raw)
        if not any(c.isalnum() for c in text):
            return Answer(question=text, answer=EMPTY_QUESTION[language], answerable=False,
                          language=language, error="empty_question")
        searched = condense(text, history)
        timings: dict[str, float] = {}
        t = time.perf_counter()
        cfg = self.settings.retrieval
        try:
            hits = self.searcher.search(searched, k=cfg.top_k, depth=cfg.depth, rrf_k=cfg.rrf_k,
                                        dense_weight=cfg.dense_weight)
        except StoreError as exc:  # a Chroma server down or not answering within its timeout
            logger.warning("search failed: %s", exc)
            return Answer(question=text, searched_question=searched, answer=STORE_UNAVAILABLE[language],
                          answerable=False, language=language, error="store_unavailable", notes=[str(exc)])
        timings["retrieve_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        result = self.compose(text, searched, hits)
        timings["compose_ms"] = (time.perf_counter() - t) * 1000
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        result.timings = {k: round(v, 2) for k, v in timings.items()}
        return result

    def answer_stream(self, question: str, history: list[Turn] | None = None) -> Iterator[str | Answer]:
        """The answer as it is produced: text pieces (str), then the final `Answer`.

        The extractive answer is ready at once and is sent in a few pieces; an LLM backend streams
        its tokens. Front ends show the pieces and then replace them with the final answer."""
        final = self.answer(question, history)
        text = final.answer
        step = max(8, len(text) // 12)
        for i in range(0, len(text), step):
            yield text[i : i + step]
        yield final

    # ------------------------------------------------------------------ composing

    def compose(self, question: str, searched: str, hits: list[Hit]) -> Answer:
        q = analyse(searched)
        language = question_language(question)
        limits = self.settings.answer
        ranked = candidates(q, hits, self.searcher.keyword)
        valid = [c for c in ranked if not c.reasons]
        best = valid[0] if valid and valid[0].coverage >= limits.min_support else None
        if best is None:
            return self.refusal(question, searched, language, ranked, hits)
        chosen = [best]
        best_keys = {f.key for f in find_figures(best.text)}
        for other in valid[1:]:
            if len(chosen) >= limits.max_sentences:
                break
            if other.doc_id == best.doc_id or any(o.doc_id == other.doc_id for o in chosen):
                continue
            if other.score < best.score - 0.12 or other.coverage < limits.min_support:
                continue
            keys = {f.key for f in find_figures(other.text)}
            if q.wants_figure and keys and best_keys and not (keys & best_keys) and \
                    other.hit.meta.get("language") != "en" or (q.wants_figure and keys and best_keys
                                                              and not keys & best_keys
                                                              and other.hit.meta.get("published") != best.hit.meta.get("published")):
                chosen.append(other)  # another source gives a different figure: show both
        differing = len(chosen) > 1
        if differing:
            chosen.sort(key=lambda c: str(c.hit.meta.get("published") or ""), reverse=True)
        citations: list[Citation] = []
        parts: list[str] = []
        for n, cand in enumerate(chosen, 1):
            citation = self.citation(n, cand, with_gloss=language == "en")
            citations.append(citation)
            body = cand.text
            if citation.figures:
                body += f" ({'; '.join(citation.figures)})"
            if differing:
                label = ", ".join(x for x in (citation.source or citation.title, citation.published) if x)
                body = f"{label}: {body}" if label else body
            parts.append(f"{body} [{n}]")
        text = self.fit(parts, limits.max_answer_chars)
        return Answer(question=question, searched_question=searched, answer=text, answerable=True,
                      language=language, citations=citations[: len(text.split("[")) - 1 or 1])

    @staticmethod
    def fit(parts: list[str], limit: int) -> str:
        out: list[str] = []
        for part in parts:
            if len(part) > limit and not out:
                head, _, marker = part.rpartition(" [")
                return head[: limit - len(marker) - 5] + "… [" + marker
            if sum(len(p) + 1 for p in out) + len(part) > limit:
                break
            out.append(part)
        return "\n".join(out)

    def citation(self, n: int, cand: Candidate, with_gloss: bool = False) -> Citation:
        meta = cand.hit.meta
        glosses = []
        if with_gloss and meta.get("language") != "en":
            glosses = [g for f in find_figures(cand.text) if (g := gloss(f))]
        return Citation(
            n=n, doc_id=cand.doc_id, title=str(meta.get("title", "")), source=str(meta.get("source", "")),
            published=str(meta.get("published", "")), language=str(meta.get("language", "")),
            quote=cand.text, start=cand.start, end=cand.end, score=round(cand.score, 4), figures=glosses,
        )

    def refusal(self, question: str, searched: str, language: str, ranked: list[Candidate],
                hits: list[Hit]) -> Answer:
        related: list[Citation] = []
        seen: set[str] = set()
        for cand in ranked:
            if cand.hit.chunk_id in seen:
                continue
            seen.add(cand.hit.chunk_id)
            related.append(self.citation(len(related) + 1, cand))
            if len(related) >= self.settings.answer.related:
                break
        if not related:
            for hit in hits[: self.settings.answer.related]:
                spans = split_sentences(hit.text) or []
                if spans:
                    s = spans[0]
                    base = int(hit.meta.get("start", 0))
                    related.append(Citation(n=len(related) + 1, doc_id=hit.doc_id,
                                            title=str(hit.meta.get("title", "")), quote=hit.text[s.start:s.end],
                                            start=base + s.start, end=base + s.end))
        return Answer(question=question, searched_question=searched, answer=CANNOT_ANSWER[language],
                      answerable=False, language=language, related=related)


_lock = threading.Lock()


@functools.lru_cache(maxsize=8)
def _assistant_for(settings_json: str) -> Assistant:
    return Assistant(Settings.model_validate_json(settings_json))


def get_assistant(settings: Settings | None = None) -> Assistant:
    settings = settings or Settings()
    with _lock:
        return _assistant_for(settings.model_dump_json())


def answer(question: str, history: list[Turn] | None = None, settings: Settings | None = None) -> Answer:
    """Answer `question` from the indexed articles, citing the passages used."""
    return get_assistant(settings).answer(question, history)
