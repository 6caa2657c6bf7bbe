"""Answers built from retrieved sentences, without an LLM: every sentence scored as a candidate
(candidates.py, with terms.py, rules.py and regions.py), the answer's sentences chosen
(choosing.py), and quoted with citations (composing.py)."""

from __future__ import annotations

from collections.abc import Callable

from assistant.answerers.extractive.candidates import Candidate, candidates
from assistant.answerers.extractive.choosing import Choice, choose
from assistant.answerers.extractive.composing import compose, refusal
from assistant.answerers.extractive.judging import Judging
from assistant.answerers.extractive.regions import RegionCache
from assistant.kinds import Kit, question_kind, roster_rows
from assistant.kinds import compose as compose_kind
from assistant.models import Answer
from assistant.question import Question, analyse
from assistant.settings import Settings
from index.figure_rows import figure_rows
from index.keyword import KeywordIndex
from index.search import Hit


class ExtractiveAnswerer:
    """Quotes the sentences of the passages that answer the question. Thread-safe."""

    name = "extractive"

    def __init__(
        self,
        settings: Settings,
        keyword: Callable[[], KeywordIndex],
        retrieve: Callable[[Question], list[Hit]],
    ) -> None:
        self.settings = settings
        self.keyword = keyword  # the current keyword index (it changes when the collection does)
        self.retrieve = retrieve  # the passages for another question (a kind's narrower question)
        self.judging = Judging(settings, keyword)

    def candidates(self, question: Question, passages: list[Hit]) -> list[Candidate]:
        limits, keyword = self.settings.answer, self.keyword()
        return candidates(
            question,
            passages,
            keyword,
            limits.retrieval_weight,
            limits.mixed_retrieval_weight,
            regions=RegionCache.of(keyword),  # shared with the judge's features
        )

    def answer(
        self,
        question: Question,
        passages: list[Hit],
        on_delta: Callable[[str], None] | None = None,
        kinds: bool = True,
    ) -> Answer:
        """The answer of the question's kind (a comparison, a list ...: assistant.kinds) where it has
        one and its composer answers, else the single-fact answer: the best sentences, quoted."""
        kind = question_kind(question.text) if kinds else None
        ranked = self.candidates(question, passages)  # scored once: every path below starts from them
        if kind is not None:
            parts: list[float] = []
            composed = compose_kind(kind, self._kit(question, passages, parts, ranked))
            if composed is not None:
                # A composite answer is as sure as its least sure part; without parts, as the
                # single-fact answer of the whole question.
                composed.confidence = min(parts) if parts else self.confidence(question, passages, ranked)
                return composed
        elif kinds and (rows := roster_rows(self._kit(question, passages, [], ranked))) is not None:
            rows.confidence = self.confidence(question, passages, ranked)
            return rows
        return self.single(question, passages, gate=kinds, ranked=ranked)

    def single(
        self,
        question: Question,
        passages: list[Hit],
        gate: bool = True,
        body: bool = False,
        ranked: list[Candidate] | None = None,
    ) -> Answer:
        """The single-fact answer: the rules' sentences, quoted, with the selector's confidence in
        them. With `gate`, refused below `answer.min_confidence`; where the rules refuse, the
        ranker's best sentence answers when it is that confident. With `body`, from body sentences
        only (no headline lines), as a part of a composite answer. `ranked`: the candidates of
        `question` and `passages` where they were already scored."""
        ranked, choice, composed = self.by_rules(question, passages, body, ranked)
        judged = self.judging.judge(question, ranked, passages, choice, composed)
        confidence = judged.confidence if judged is not None else 0.0
        floor = self.judging.floor
        if composed is not None and (not gate or confidence >= floor):
            composed.confidence = confidence
            return composed
        if composed is None and gate and judged is not None and confidence >= max(floor, self.judging.rescue):
            only = Choice([(judged.best, *judged.quote)], best=judged.best)
            rescued = compose(question, only, self.settings.answer, self.keyword().idf)
            rescued.confidence = confidence
            return rescued
        out = refusal(question, ranked, passages, self.settings.answer.related)
        out.confidence = confidence
        if composed is not None:
            out.notes.append(f"An answer was found but withheld: confidence {confidence:.2f} < {floor:.2f}.")
        return out

    def confidence(
        self, question: Question, passages: list[Hit], ranked: list[Candidate] | None = None
    ) -> float:
        """The selector's confidence in the single-fact answer to `question` from `passages`."""
        return self.single(question, passages, gate=False, ranked=ranked).confidence

    def by_rules(
        self,
        question: Question,
        passages: list[Hit],
        body: bool = False,
        ranked: list[Candidate] | None = None,
    ) -> tuple[list[Candidate], Choice | None, Answer | None]:
        """The single-fact answer the hand rules give: the candidates (with `body`, less headline
        lines), the sentences chosen and the answer quoting them (None, None when none answers)."""
        limits = self.settings.answer
        if ranked is None:
            ranked = self.candidates(question, passages)
        if body:
            ranked = [c for c in ranked if not c.headline]
        choice = choose(question, ranked, limits.min_support, limits.max_sentences, limits.second_sentence)
        return (
            ranked,
            choice,
            compose(question, choice, limits, self.keyword().idf) if choice is not None else None,
        )

    def _kit(
        self, question: Question, passages: list[Hit], parts: list[float], ranked: list[Candidate]
    ) -> Kit:
        # A composite answer states figures and items from body sentences: a headline line (the
        # title, 原标题, a heading over the paragraph that says it in full) is nothing's evidence.
        limits = self.settings.answer
        ranked = [c for c in ranked if not c.headline]

        def single(text: str) -> Answer:
            other = analyse(text)
            part = self.single(other, self.retrieve(other), gate=False, body=True)
            parts.append(part.confidence)
            return part

        def search(text: str) -> list[Candidate]:
            other = analyse(text)
            return [c for c in self.candidates(other, self.retrieve(other)) if not c.headline]

        return Kit(
            question=question.asked,
            searched=question.text,
            language=question.asked_language,
            hits=passages,
            ranked=ranked,
            keyword=self.keyword(),
            single=single,
            refuse=lambda: refusal(question, ranked, passages, limits.related),
            search=search,
            min_support=limits.min_support,
            limit=limits.max_answer_chars,
            long_limit=limits.max_summary_chars,
            figures=lambda: figure_rows(self.settings.data_dir),
        )

    def refusal(self, question: Question, passages: list[Hit]) -> Answer:
        """The refusal, listing the passages closest to answering."""
        return refusal(question, self.candidates(question, passages), passages, self.settings.answer.related)


__all__ = ["Candidate", "ExtractiveAnswerer"]
