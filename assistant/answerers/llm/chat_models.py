"""Chat models through llama-index: any OpenAI-compatible server (`openai`) and Ollama (`ollama`).

Retries are ours, not the clients': their own retry loops (tenacity in llama-index, the openai
SDK's backoff) are turned off. One attempt waits at most `timeout_s` for each read (the first
token included) and `timeout_s` from the first token to the last; there are at most
1 + max_retries attempts with short pauses between them; a reply that has started streaming is
never repeated.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

from assistant.answerers.llm.generators import GenerationError, GeneratorError, Message, register
from assistant.settings import LLMSettings

_EXTRA_HINT = "pip install '.[llm]'"


class ChatModel:
    """A llama-index LLM as a `Generator`, with bounded time and retries."""

    def __init__(self, llm: Any, model: str, settings: LLMSettings) -> None:
        self.llm = llm
        self.model = model
        self.timeout_s = settings.timeout_s
        self.attempts = 1 + max(0, settings.max_retries)

    @property
    def name(self) -> str:
        return f"llm:{self.model}"

    def stream(self, messages: list[Message]) -> Iterator[str]:
        from llama_index.core.llms import ChatMessage

        chat = [ChatMessage(role=m.role, content=m.content) for m in messages]
        last: Exception | None = None
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(min(0.25 * attempt, 1.0))
            first: float | None = None
            sent = False
            responses = None
            try:
                responses = self.llm.stream_chat(chat)
                for response in responses:
                    # The client's timeout bounds the wait for each read (the first token included);
                    # this bounds a reply that keeps trickling in.
                    first = first or time.monotonic()
                    if time.monotonic() - first > self.timeout_s:
                        raise TimeoutError(
                            f"the reply took more than {self.timeout_s:g} s after its first token"
                        )
                    delta = response.delta or ""
                    if delta:
                        sent = True
                        yield delta
                return
            except GeneratorExit:
                raise
            except Exception as exc:
                last = exc
                if sent:  # part of the reply is out already: a retry would repeat it
                    break
            finally:
                close = getattr(responses, "close", None)
                if close is not None:
                    close()
        raise GenerationError(f"{self.name} did not answer: {_describe(last)}")


def _describe(exc: Exception | None) -> str:
    if exc is None:
        return "no reply"
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def _require_model(settings: LLMSettings) -> str:
    if not settings.model:
        raise GeneratorError(
            f"llm backend {settings.backend!r} needs a model name: set IP_ASSISTANT_LLM_MODEL "
            "or llm.model in the settings file"
        )
    return settings.model


@register("openai")
def openai_like(settings: LLMSettings) -> ChatModel:
    model = _require_model(settings)
    if not settings.base_url:
        raise GeneratorError(
            "llm backend 'openai' needs the server's address: set IP_ASSISTANT_LLM_BASE_URL "
            "(e.g. http://127.0.0.1:8000/v1) or llm.base_url in the settings file"
        )
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError as exc:
        raise GeneratorError(
            f"llm backend 'openai' needs llama-index-llms-openai-like ({exc.name} is missing): {_EXTRA_HINT}"
        ) from None
    llm = OpenAILike(
        model=model,
        api_base=settings.base_url,
        api_key=settings.api_key or "not-needed",
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=settings.context_window,
        max_tokens=settings.max_tokens,
        temperature=settings.temperature,
        timeout=settings.timeout_s,
        max_retries=0,
    )
    # The openai SDK loads its chat resources on first use, which takes seconds on a busy machine:
    # load them now, at start-up, rather than inside the first question's time limit.
    llm._get_client().chat.completions  # noqa: B018
    return ChatModel(llm, model, settings)


@register("ollama")
def ollama(settings: LLMSettings) -> ChatModel:
    model = _require_model(settings)
    try:
        from llama_index.llms.ollama import Ollama
    except ImportError as exc:
        raise GeneratorError(
            f"llm backend 'ollama' needs llama-index-llms-ollama ({exc.name} is missing): {_EXTRA_HINT}"
        ) from None
    llm = Ollama(
        model=model,
        base_url=settings.base_url or "http://127.0.0.1:11434",
        request_timeout=settings.timeout_s,
        temperature=settings.temperature,
        context_window=settings.context_window,
        is_function_calling_model=False,
        additional_kwargs={"num_predict": settings.max_tokens},
    )
    return ChatModel(llm, model, settings)
