"""A registry of backends chosen by a settings string: embedders (index.embedders) and answer
generators (assistant.answerers.llm) register their factories here by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    """Factories by name. `load_builtin` imports the modules that register the built-in backends
    (each registers itself on import); an unknown name raises `error`, listing the known ones."""

    def __init__(
        self, kind: str, error: type[Exception], load_builtin: Callable[[], None], also: str = ""
    ) -> None:
        self.kind, self.error, self.load_builtin, self.also = kind, error, load_builtin, also
        self.factories: dict[str, Callable[[Any], T]] = {}

    def register(self, name: str) -> Callable[[Callable[[Any], T]], Callable[[Any], T]]:
        def add(factory: Callable[[Any], T]) -> Callable[[Any], T]:
            self.factories[name] = factory
            return factory

        return add

    def names(self) -> list[str]:
        self.load_builtin()
        return sorted(self.factories)

    def make(self, settings: Any) -> T:
        """The backend `settings.backend` names, built from `settings`."""
        self.load_builtin()
        try:
            factory = self.factories[settings.backend]
        except KeyError:
            known = ", ".join(sorted(self.factories))
            raise self.error(
                f"unknown {self.kind} {settings.backend!r}; choose {self.also}one of {known}"
            ) from None
        return factory(settings)


__all__ = ["Registry"]
