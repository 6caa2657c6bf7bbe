"""What a collection's stored configuration may hold: no embedding function.

This assistant embeds texts itself and never stores an embedding function with a collection. The
chromadb client, however, builds the one a collection's configuration names when it adds or
queries, even when it is given the vectors (checked with chromadb 1.5.9), and anyone who can
reach an unauthenticated `chroma run` can store one: a sentence-transformers model from any
repository with `trust_remote_code` (GHSA-f4j7-r4q5-qw2c). A collection that names one is refused
before anything is added or asked.
"""

from __future__ import annotations

from typing import Any

ALLOWED = (None, "legacy", "unknown")  # what chromadb stores when no embedding function is given


def planted_functions(value: Any) -> list[str]:
    """Names of the embedding functions anywhere in a collection's configuration or schema."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("embedding_function", "sparse_embedding_function") and item is not None:
                kind = item.get("type") if isinstance(item, dict) else type(item).__name__
                if kind not in ALLOWED:
                    found.append(str(item.get("name", kind)) if isinstance(item, dict) else kind)
            else:
                found += planted_functions(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            found += planted_functions(item)
    return found


def planted(collection: Any) -> str | None:
    """Why `collection` (a chromadb Collection) is refused: it names an embedding function."""
    model = getattr(collection, "_model", None)
    raw = {
        "configuration": getattr(model, "configuration_json", None),
        "schema": getattr(model, "serialized_schema", None),
    }
    names = planted_functions(raw)
    if not names:
        return None
    return (
        f"the Chroma collection {collection.name!r} names an embedding function in its stored "
        f"configuration ({', '.join(sorted(set(names)))}); this assistant never sets one and the "
        "chromadb client would build it in this process: refusing it (see docs/deployment.md)"
    )
