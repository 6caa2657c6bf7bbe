"""From a question to a cited answer: the library API the front ends call."""

from __future__ import annotations

import functools
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator

from assistant.constants import ANSWER_TIMEOUT, CANNOT_ANSWER, STORE_UNAVAILABLE
from assistant.deadline import AnswerStopped, checkpoint, limited
from assistant.dictionary import prepare as prepare_dictionary
from assistant.expansion import CROSSING_HITS, crossing_terms, search_terms
from assistant.extractive import Candidate, candidates, choose, fitting
from assistant.followup import condense
from assistant.generation import GenerationError
from assistant.generation.answerer import Answerer
from assistant.kinds import Kit, question_kind
from assistant.kinds import compose as compose_kind
from assistant.kinds.parts import shown
from assistant.models import Answer, Citation, Turn
from assistant.names import resolved
from assistant.question import analyse, question_language
from assistant.settings import Settings
from assistant.validation import QuestionRejected, valid_history, valid_question
from index.analysis import BIGRAM_PREFIX, bigrams
from index.chunking import split_sentences
from index.figures import find_figures, gloss
from index.search import Hit, Searcher
from index.store import StoreError

logger = logging.getLogger(__name__)


class _ReaderGone(Exception):
    """The consumer of answer_stream stopped reading."""


class Assistant:
    """Answers questions over one index. Thread-safe; build once, ask many times."""

    def __init__(self, settings: Settings | None = None, searcher: Searcher | None = None) -> None:
        self.settings = settings or Settings()
        self.searcher = searcher or Searcher(self.settings)
        prepare_dictionary(self.settings.data_dir)
        # With an LLM configured, answers are generated and verified; prompts are checked here, at start-up.
        self.answerer = Answerer(self.settings) if self.settings.llm.backend != "none" else None

    def answer(
        self,
        question: str,
        history: list[Turn] | None = None,
        *,
        on_delta: Callable[[str], None] | None = None,
    ) -> Answer:
        started = time.perf_counter()
        cfg = self.settings.answer
        try:
            text, language = valid_question(question, cfg.max_question_chars)
        except QuestionRejected as exc:
            return exc.answer()
        history = valid_history(history, cfg.max_question_chars, cfg.max_history_chars)
        try:
            with limited(cfg.timeout_s):
                return self._answer(text, language, history, started, on_delta)
        except AnswerStopped as exc:
            logger.warning("answer stopped (%s) after %.1f s", exc.reason, time.perf_counter() - started)
            return Answer(
                question=text,
                answer=ANSWER_TIMEOUT[language],
                answerable=False,
                language=language,
                error="answer_timeout" if exc.reason == "timeout" else "cancelled",
            )

    def _answer(
        self,
        text: str,
        language: str,
        history: list[Turn],
        started: float,
        on_delta: Callable[[str], None] | None,
    ) -> Answer:
        searched = (
            self.answerer.condense(text, history, language) if self.answerer else condense(text, history)
        )
        checkpoint()
        timings: dict[str, float] = {}
        t = time.perf_counter()
        try:
            hits = self.retrieve(searched)
        except StoreError as exc:  # a Chroma server down or not answering within its timeout
            logger.warning("search failed: %s", exc)
            return Answer(
                question=text,
                searched_question=searched,
                answer=STORE_UNAVAILABLE[language],
                answerable=False,
                language=language,
                error="store_unavailable",
                notes=[str(exc)],
            )
        checkpoint()
        hits = self._with_crossing_hits(searched, language, hits)
        checkpoint()
        timings["retrieve_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        if self.answerer is not None:
            result = self._generate(text, searched, hits, on_delta)
        else:
            result = self.compose(text, searched, hits)
        timings["compose_ms"] = (time.perf_counter() - t) * 1000
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        result.timings = {k: round(v, 2) for k, v in timings.items()}
        return result

    def answer_stream(self, question: str, history: list[Turn] | None = None) -> Iterator[str | Answer]:
        """The answer as it is produced: text pieces (str), then the final `Answer`.

        The extractive answer is ready at once and is sent in a few pieces; an LLM backend streams
        its verified sentences. Front ends show the pieces and then replace them with the final answer."""
        if self.answerer is not None:
            yield from self._stream_generated(question, history)
            return
        final = self.answer(question, history)
        text = final.answer
        step = max(8, len(text) // 12)
        for i in range(0, len(text), step):
            yield text[i : i + step]
        yield final

    # ------------------------------------------------------------------ generating (settings.llm)

    def _generate(
        self, question: str, searched: str, hits: list[Hit], on_delta: Callable[[str], None] | None = None
    ) -> Answer:
        """The LLM's verified answer; the refusal when it cannot answer or nothing survives
        verification; the extractive answer, with a note, when the model fails or is too slow."""
        assert self.answerer is not None
        language = question_language(question)
        try:
            result = self.answerer.answer(question, searched, language, hits, on_delta)
        except GenerationError as exc:
            result = self.compose(question, searched, hits)
            result.notes.append(f"The language model did not answer ({exc}); this is the extractive answer.")
            return result
        if result.answerable:
            return result
        refusal = self.refusal(question, searched, language, self._candidates(searched, hits), hits)
        refusal.notes, refusal.removed, refusal.generator = result.notes, result.removed, result.generator
        return refusal

    def _stream_generated(self, question: str, history: list[Turn] | None) -> Iterator[str | Answer]:
        # answer() runs in a worker thread and hands verified text over as it comes; closing this
        # iterator makes the worker stop at its next verified piece.
        pieces: queue.Queue[str | Answer | BaseException] = queue.Queue()
        stop = threading.Event()

        def on_delta(text: str) -> None:
            if stop.is_set():
                raise _ReaderGone
            pieces.put(text)

        def work() -> None:
            try:
                pieces.put(self.answer(question, history, on_delta=on_delta))
            except BaseException as exc:  # handed to the reader, raised there
                pieces.put(exc)

        worker = threading.Thread(target=work, name="answer-stream", daemon=True)
        worker.start()
        try:
            while True:
                item = pieces.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
                if isinstance(item, Answer):
                    return
        finally:
            stop.set()

    def _with_crossing_hits(self, searched: str, language: str, hits: list[Hit]) -> list[Hit]:
        """`hits` and up to `CROSSING_HITS` chunks in another language than the question's, found
        through its concepts and translations alone. Their scores are put on the main search's
        scale (the best of them scores as its best hit): that search is the other language's own,
        and the sentence chosen should depend on what it covers, not on which language it reaches."""
        q = analyse(searched)
        if not q.borrowed or not hits:
            return hits
        english = language == "en"
        found = self.searcher.search(
            "",
            k=self.settings.retrieval.top_k,
            dense_weight=0.0,
            extra_tokens=crossing_terms(q.form, q.borrowed),
        )
        other = [h for h in found if (str(h.meta.get("language", "")) == "en") != english]
        if not other:
            return hits
        scale = max(h.score for h in hits) / (other[0].score or 1.0)
        crossing = {h.chunk_id: h.score * scale for h in other}
        # An other-language chunk the main search ranked low keeps the better of its two scores.
        kept = [
            Hit(h.chunk_id, h.text, h.meta, crossing[h.chunk_id])
            if crossing.get(h.chunk_id, 0.0) > h.score
            else h
            for h in hits
        ]
        have = {h.chunk_id for h in hits}
        extra = [
            Hit(h.chunk_id, h.text, h.meta, crossing[h.chunk_id]) for h in other if h.chunk_id not in have
        ]
        return kept + extra[:CROSSING_HITS]

    # ------------------------------------------------------------------ composing

    def retrieve(self, searched: str) -> list[Hit]:
        """The passages a question is answered from: hybrid search with the retrieval settings, the
        question's dictionary translations searched beside its own words."""
        cfg = self.settings.retrieval
        q = analyse(searched)
        borrowed = search_terms(q.borrowed)
        keyword = self.searcher.keyword
        for _, names in resolved(q.spelled, lambda pair: keyword.idf(BIGRAM_PREFIX + pair) > 0):
            borrowed.update(
                dict.fromkeys([t for name in names for t in bigrams(name)], 1.0)
            )  # 王聚 for Wang Ju
        fusion, weight = self.searcher.fusion_defaults()
        return self.searcher.search(
            searched,
            k=cfg.top_k,
            depth=cfg.depth,
            rrf_k=cfg.rrf_k,
            dense_weight=weight if cfg.dense_weight is None else cfg.dense_weight,
            fusion=fusion if cfg.fusion == "auto" else cfg.fusion,
            extra_tokens=tuple(borrowed),
            token_weights=borrowed,
        )

    def _candidates(self, searched: str, hits: list[Hit]) -> list[Candidate]:
        limits = self.settings.answer
        return candidates(
            analyse(searched),
            hits,
            self.searcher.keyword,
            limits.retrieval_weight,
            limits.mixed_retrieval_weight,
        )

    def compose(self, question: str, searched: str, hits: list[Hit], kinds: bool = True) -> Answer:
        kind = question_kind(searched) if kinds else None
        if kind is not None:
            composed = compose_kind(kind, self._kit(question, searched, hits))
            if composed is not None:
                return composed
        return self._compose_single(question, searched, hits)

    def _kit(self, question: str, searched: str, hits: list[Hit]) -> Kit:
        language = question_language(question)
        ranked = self._candidates(searched, hits)
        return Kit(
            question=question,
            searched=searched,
            language=language,
            hits=hits,
            ranked=ranked,
            keyword=self.searcher.keyword,
            single=lambda text: self.compose(text, text, self._hits_for(text), kinds=False),
            refuse=lambda: self.refusal(question, searched, language, ranked, hits),
            search=lambda text: self._candidates(text, self._hits_for(text)),
            min_support=self.settings.answer.min_support,
            limit=self.settings.answer.max_answer_chars,
            long_limit=self.settings.answer.max_summary_chars,
        )

    def _hits_for(self, text: str) -> list[Hit]:
        """What `answer` retrieves for a question: the hybrid search and the crossing hits."""
        return self._with_crossing_hits(text, question_language(text), self.retrieve(text))

    def _compose_single(self, question: str, searched: str, hits: list[Hit]) -> Answer:
        q = analyse(searched)
        language = question_language(question)
        limits = self.settings.answer
        ranked = self._candidates(searched, hits)
        choice = choose(q, ranked, limits.min_support, limits.max_sentences, limits.second_sentence)
        if choice is None:
            return self.refusal(question, searched, language, ranked, hits)
        citations: list[Citation] = []
        parts: list[str] = []
        for cand, start, end, quote in fitting(choice.sentences, limits.max_answer_chars):
            n = len(citations) + 1
            citation = self.citation(n, cand, with_gloss=language == "en", span=(start, end, quote))
            body = shown(quote, language, citation.language)  # Simplified for a Simplified question
            if citation.figures:
                body += f" ({'; '.join(citation.figures)})"
            if choice.differing:
                label = ", ".join(x for x in (citation.source or citation.title, citation.published) if x)
                body = f"{label}: {body}" if label else body
            part = f"{body} [{n}]"
            if sum(len(p) + 1 for p in parts) + len(part) > limits.max_answer_chars and parts:
                break
            parts.append(part)
            citations.append(citation)
        text = self.fit(parts, limits.max_answer_chars)
        return Answer(
            question=question,
            searched_question=searched,
            answer=text,
            answerable=True,
            language=language,
            citations=citations,
        )

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

    def citation(
        self, n: int, cand: Candidate, with_gloss: bool = False, span: tuple[int, int, str] | None = None
    ) -> Citation:
        meta = cand.hit.meta
        start, _, quote = span or (cand.start, cand.end, cand.text)
        glosses = []
        if with_gloss and meta.get("language") != "en":
            glosses = [g for f in find_figures(quote) if (g := gloss(f))]
        return Citation.of_chunk(n, cand.doc_id, meta, quote, start, cand.score, glosses)

    def refusal(
        self, question: str, searched: str, language: str, ranked: list[Candidate], hits: list[Hit]
    ) -> Answer:
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
                    related.append(
                        Citation.of_chunk(
                            len(related) + 1,
                            hit.doc_id,
                            hit.meta,
                            hit.text[s.start : s.end],
                            base + s.start,
                            hit.score,
                        )
                    )
        return Answer(
            question=question,
            searched_question=searched,
            answer=CANNOT_ANSWER[language],
            answerable=False,
            language=language,
            related=related,
        )


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
