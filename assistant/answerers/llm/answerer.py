"""Retrieved passages -> prompt -> model -> verified answer; and follow-ups condensed by the model.

The passages are numbered best first and as many as fit the model's window (counted with tiktoken)
go into the prompt, marked as quoted data. The reply is verified sentence by sentence
(`verification.py`) while it streams; only verified text is passed on.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from assistant.answerers.extractive import ExtractiveAnswerer
from assistant.answerers.llm.generators import (
    GenerationError,
    Generator,
    GeneratorError,
    Message,
    make_generator,
)
from assistant.answerers.llm.prompts import Prompts, load_prompts
from assistant.answerers.llm.verification import Passage, Verification, Verifier
from assistant.constants import CANNOT_ANSWER_PHRASE
from assistant.followup import condense as rule_condense
from assistant.models import Answer, Citation, Turn
from assistant.question import Question
from assistant.settings import Settings
from index.search import Hit
from index.tokens import count_tokens, encoding

log = logging.getLogger(__name__)

# After a failure the model is skipped for a while, so that a server that is down costs one
# timeout, not one per question.
COOL_DOWN_S = 15.0
_CHAT_OVERHEAD_TOKENS = 32  # role markers and separators of the chat format
_HISTORY_TURNS = 3
_PREFIX = re.compile(
    r"^(?:standalone question|rewritten question|question|独立问题|改写后的问题|问题)\s*[:：]\s*", re.I
)


@dataclass
class Prompt:
    messages: list[Message]
    passages: list[Passage]
    hits: list[Hit]  # hits[i] is passage i + 1
    left_out: int  # retrieved passages that did not fit the window


def _attribute(value: object) -> str:
    return str(value or "").replace('"', "'").replace("\n", " ")


def passage_block(n: int, hit: Hit, text: str) -> str:
    """One passage as the model sees it: numbered, fenced, with a closing tag it cannot contain."""
    body = re.sub(r"</?\s*passage", lambda m: m.group(0).replace("passage", "passage-text"), text, flags=re.I)
    return (
        f'<passage n="{n}" title="{_attribute(hit.meta.get("title"))}" '
        f'published="{_attribute(hit.meta.get("published"))}">\n{body}\n</passage>'
    )


class LLMAnswerer:
    """Grounded LLM answers over retrieved hits, verified; the `fallback` (extractive) answerer
    refuses when the model cannot answer, and answers when the model fails. Thread-safe."""

    def __init__(
        self,
        settings: Settings,
        fallback: ExtractiveAnswerer,
        generator: Generator | None = None,
        prompts: Prompts | None = None,
    ) -> None:
        cfg = settings.llm
        if cfg.max_tokens >= cfg.context_window:
            raise GeneratorError(
                f"llm.max_tokens ({cfg.max_tokens}) must be below llm.context_window ({cfg.context_window})"
            )
        self.settings = settings
        self.fallback = fallback
        self.prompts = prompts or load_prompts()  # checked now: a bad template fails at start-up
        self.generator = generator or make_generator(cfg)
        self._down_until = 0.0
        self._down_reason = ""
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        return self.generator.name

    # ------------------------------------------------------------------ availability

    def _check_available(self) -> None:
        if time.monotonic() < self._down_until:
            raise GenerationError(f"{self.name} is skipped for a while after failing: {self._down_reason}")

    def _failed(self, exc: Exception) -> None:
        with self._lock:
            self._down_until = time.monotonic() + COOL_DOWN_S
            self._down_reason = str(exc)

    # ------------------------------------------------------------------ follow-ups

    def condense(self, question: str, history: list[Turn] | None, language: str) -> str:
        """The follow-up rewritten by the model into a standalone question; the rule-based
        rewrite when the model fails or replies with something that is not a question."""
        if not history:
            return question
        try:
            self._check_available()
            lines = [
                f"{'问' if language.startswith('zh') else 'Q'}: {t.searched or t.question}\n"
                f"{'答' if language.startswith('zh') else 'A'}: {' '.join(t.answer.split())[:200]}"
                for t in history[-_HISTORY_TURNS:]
            ]
            system, user = self.prompts.get("condense", language).render(
                history="\n".join(lines), question=question
            )
            reply = "".join(
                without_thinking(self.generator.stream([Message("system", system), Message("user", user)]))
            )
        except GenerationError as exc:
            self._failed(exc)
            log.warning("condensing with the model failed, using the rules: %s", exc)
            return rule_condense(question, history)
        line = next((ln.strip() for ln in reply.splitlines() if ln.strip()), "")
        line = _PREFIX.sub("", line).strip().strip("\"“”「」'").strip()
        limit = min(self.settings.answer.max_question_chars, 3 * len(question) + 200)
        if not line or CANNOT_ANSWER_PHRASE in line or len(line) > limit:
            return rule_condense(question, history)
        return line

    # ------------------------------------------------------------------ answering

    def prompt(self, question: str, language: str, hits: list[Hit]) -> Prompt:
        """The answer prompt with as many passages, best first, as the window holds."""
        cfg = self.settings.llm
        template = self.prompts.get("answer", language)
        system, user = template.render(passages="", question=question, cannot_answer=CANNOT_ANSWER_PHRASE)
        budget = cfg.context_window - cfg.max_tokens - _CHAT_OVERHEAD_TOKENS
        budget -= count_tokens(system) + count_tokens(user)
        blocks: list[str] = []
        passages: list[Passage] = []
        used: list[Hit] = []
        for hit in hits:
            n = len(passages) + 1
            text = hit.text
            cost = count_tokens(passage_block(n, hit, text)) + 2
            if cost > budget and not passages:
                text = _truncate(text, budget - (cost - count_tokens(text)))  # the best passage, shortened
                cost = count_tokens(passage_block(n, hit, text)) + 2
            if cost > budget or not text:
                break
            budget -= cost
            blocks.append(passage_block(n, hit, text))
            passages.append(Passage(n, text, f"{hit.meta.get('title', '')} {hit.meta.get('published', '')}"))
            used.append(hit)
        system, user = template.render(
            passages="\n\n".join(blocks), question=question, cannot_answer=CANNOT_ANSWER_PHRASE
        )
        return Prompt(
            [Message("system", system), Message("user", user)], passages, used, len(hits) - len(used)
        )

    def answer(
        self, question: Question, passages: list[Hit], on_delta: Callable[[str], None] | None = None
    ) -> Answer:
        """The model's verified answer; the refusal when it cannot answer or nothing survives
        verification; the extractive answer, with a note, when the model fails or is too slow."""
        try:
            result = self.generate(question.asked, question.text, question.asked_language, passages, on_delta)
        except GenerationError as exc:
            result = self.fallback.answer(question, passages)
            result.notes.append(f"The language model did not answer ({exc}); this is the extractive answer.")
            return result
        # The selector judges extractive answers only: a generated one carries its confidence in the
        # extractive answer from the same passages (how surely they answer the question).
        confidence = self.fallback.confidence(question, passages)
        if result.answerable:
            result.confidence = confidence
            return result
        refusal = self.fallback.refusal(question, passages)
        refusal.notes, refusal.removed, refusal.generator = result.notes, result.removed, result.generator
        refusal.confidence = confidence
        return refusal

    def generate(
        self,
        question: str,
        searched: str,
        language: str,
        hits: list[Hit],
        on_delta: Callable[[str], None] | None = None,
    ) -> Answer:
        """The verified answer; `answerable` is False when the model cannot answer or nothing survives
        verification (the caller turns that into its refusal). Raises GenerationError on failure."""
        self._check_available()
        prompt = self.prompt(searched or question, language, hits)  # a follow-up, made standalone
        if not prompt.passages:
            if hits:
                raise GenerationError("no passage fits the model's context window; raise llm.context_window")
            return Answer(
                question=question,
                searched_question=searched,
                answer="",
                answerable=False,
                language=language,
                generator=self.name,
            )
        verifier = Verifier(prompt.passages)
        stream = without_thinking(self.generator.stream(prompt.messages))
        try:
            while True:
                try:
                    delta = next(stream)
                except StopIteration:
                    break
                except GenerationError as exc:
                    self._failed(exc)
                    raise
                shown = verifier.feed(delta)
                if shown and on_delta:
                    on_delta(shown)  # may raise to stop: the stream is closed below
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                close()
        shown = verifier.close()
        if shown and on_delta:
            on_delta(shown)
        return self._result(question, searched, language, prompt, verifier.result())

    def _result(
        self, question: str, searched: str, language: str, prompt: Prompt, checked: Verification
    ) -> Answer:
        notes: list[str] = []
        if prompt.left_out:
            notes.append(f"{prompt.left_out} retrieved passages did not fit the model's context window.")
        for n in checked.instruction_like:
            title = prompt.hits[n - 1].meta.get("title") or prompt.hits[n - 1].doc_id
            notes.append(
                f"A passage of {title!r} contains text addressed to the model; it was treated as data."
            )
        if checked.removed:
            notes.append(
                f"Verification removed {len(checked.removed)} generated sentence(s): uncited, citing a "
                "passage not given, or stating a figure the cited passages do not hold."
            )
        if checked.cannot_answer:
            notes.append("The model replied that the passages do not answer the question.")
        answerable = bool(checked.text) and not checked.cannot_answer
        citations = (
            [
                self._citation(i, prompt.hits[old - 1], prompt.passages[old - 1])
                for i, old in enumerate(checked.order, 1)
            ]
            if answerable
            else []
        )
        return Answer(
            question=question,
            searched_question=searched,
            answer=checked.text if answerable else "",
            answerable=answerable,
            language=language,
            citations=citations,
            notes=notes,
            removed=checked.removed,
            generator=self.name,
        )

    @staticmethod
    def _citation(n: int, hit: Hit, passage: Passage) -> Citation:
        meta = hit.meta
        start = int(meta.get("start", 0))
        return Citation.of_chunk(n, hit.doc_id, meta, passage.text, start, hit.score)


_THINK_OPEN, _THINK_CLOSE = "<think>", "</think>"


def _partial_tag(text: str, tag: str) -> int:
    """Length of the longest end of `text` that could begin `tag`."""
    return next((k for k in range(min(len(tag) - 1, len(text)), 0, -1) if text.endswith(tag[:k])), 0)


def without_thinking(deltas: Iterable[str]) -> Iterator[str]:
    """Model output without <think>…</think> blocks: reasoning models put them in the reply text."""
    buffer, inside = "", False
    try:
        for delta in deltas:
            buffer += delta
            while buffer:
                tag = _THINK_CLOSE if inside else _THINK_OPEN
                at = buffer.find(tag)
                if at < 0:
                    keep = _partial_tag(buffer, tag)
                    if not inside and len(buffer) > keep:
                        yield buffer[: len(buffer) - keep]
                    buffer = buffer[len(buffer) - keep :]
                    break
                if not inside and at:
                    yield buffer[:at]
                buffer, inside = buffer[at + len(tag) :], not inside
        if buffer and not inside:
            yield buffer
    finally:
        close = getattr(deltas, "close", None)
        if close is not None:
            close()


def _truncate(text: str, tokens: int) -> str:
    if tokens <= 0:
        return ""
    return encoding().decode(encoding().encode(text, disallowed_special=())[:tokens]).rstrip("\ufffd")


__all__ = ["COOL_DOWN_S", "LLMAnswerer", "Prompt", "passage_block", "without_thinking"]
