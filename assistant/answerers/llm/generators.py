"""Answer generators behind one small interface, chosen by `settings.llm.backend`.

`none` (the default) means no model: answers are extractive. `openai` (any OpenAI-compatible
server) and `ollama` go through llama-index (`pip install '.[llm]'`). A test or plug-in adds a
backend with `@register("name")`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from assistant.settings import LLMSettings
from index.registry import Registry


@dataclass(frozen=True)
class Message:
    role: str  # system, user or assistant
    content: str


@runtime_checkable
class Generator(Protocol):
    """A chat model. `stream` yields text deltas; it raises GenerationError when the model fails
    or runs past its time limit, and must be bounded in time (timeouts, a limited number of retries)."""

    @property
    def name(self) -> str: ...

    def stream(self, messages: list[Message]) -> Iterator[str]: ...


class GeneratorError(ValueError):
    """A generator cannot be built: unknown backend, missing setting or missing extra (a
    configuration error, reported at start-up)."""


class GenerationError(RuntimeError):
    """A model did not answer in time or failed; callers fall back to the extractive answer."""


def register(name: str) -> Callable[[Callable[[LLMSettings], Generator]], Callable[[LLMSettings], Generator]]:
    return _REGISTRY.register(name)


def backends() -> list[str]:
    return _REGISTRY.names()


def make_generator(settings: LLMSettings) -> Generator:
    return _REGISTRY.make(settings)


def complete(generator: Generator, messages: list[Message]) -> str:
    """The whole reply of a generator."""
    return "".join(generator.stream(messages))


def _load_builtin() -> None:
    # Registers openai and ollama; llama-index itself is imported inside their factories.
    from assistant.answerers.llm import chat_models  # noqa: F401


_REGISTRY: Registry[Generator] = Registry("llm backend", GeneratorError, _load_builtin, also="none or ")

__all__ = [
    "GenerationError",
    "Generator",
    "GeneratorError",
    "Message",
    "backends",
    "complete",
    "make_generator",
    "register",
]
