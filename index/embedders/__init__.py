"""Embedders behind one small interface, chosen by `settings.embedder.backend`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from index.registry import Registry
from index.settings import EmbedderSettings


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into vectors. `signature` names the vector space: two embedders with the same
    signature produce comparable vectors; an index refuses an embedder of another signature."""

    @property
    def signature(self) -> str: ...

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class EmbedderError(RuntimeError):
    """An embedder could not be loaded or did not answer."""


def register(
    name: str,
) -> Callable[[Callable[[EmbedderSettings], Embedder]], Callable[[EmbedderSettings], Embedder]]:
    return _REGISTRY.register(name)


def backends() -> list[str]:
    return _REGISTRY.names()


def make_embedder(settings: EmbedderSettings) -> Embedder:
    return _REGISTRY.make(settings)


def _load_builtin() -> None:
    # Importing a backend module registers it; the neural ones import their heavy
    # dependencies lazily, inside their factories.
    from index.embedders import hashing  # noqa: F401

    for module in ("sentence_transformers", "openai", "ollama", "e5"):
        try:
            __import__(f"index.embedders.{module}")
        except ModuleNotFoundError as exc:
            if exc.name != f"index.embedders.{module}":
                raise


_REGISTRY: Registry[Embedder] = Registry("embedder backend", EmbedderError, _load_builtin)

__all__ = ["Embedder", "EmbedderError", "backends", "make_embedder", "register"]
