"""Sentence embeddings: the port (`Embedder`) and the embedded default (`StaticEmbedder`).

The default is a static model2vec model distilled from all-MiniLM-L6-v2 and shipped in
``model/`` beside this file (see README.md there and ``tools/distill_embeddings.py``). It needs
no torch and no network: a text's vector is the SIF-weighted mean of its WordPiece tokens' rows.

Invariant: every vector returned by an `Embedder` has unit L2 norm (or is all zeros for a text
with no known token), so a dot product is a cosine similarity.
"""

from __future__ import annotations

import threading
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

MODEL_DIR = Path(__file__).resolve().parent / "model"


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors, one row per text."""

    @property
    def dimension(self) -> int: ...

    def embed(self, texts: list[str]) -> np.ndarray: ...


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Scale each row to unit length; an all-zero row stays zero."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0.0, 1.0, norms)


class StaticEmbedder:
    """The embedded model2vec model, loaded from a local folder on first use."""

    def __init__(self, model_dir: Path = MODEL_DIR) -> None:
        self.model_dir = model_dir
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return int(self._loaded().dim)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._loaded().encode(texts, show_progress_bar=False)
        return l2_normalise(np.asarray(vectors, dtype=np.float32))

    def _loaded(self) -> Any:
        with self._lock:
            if self._model is None:
                self._model = load_static_model(self.model_dir)
            return self._model


def load_static_model(model_dir: Path) -> Any:
    """Load a model2vec model from a folder; never falls back to a model hub."""
    if not (model_dir / "model.safetensors").is_file():
        raise FileNotFoundError(f"no static embedding model in {model_dir} (run tools/distill_embeddings.py)")
    from model2vec import StaticModel

    return StaticModel.from_pretrained(str(model_dir))


@cache
def default_embedder() -> StaticEmbedder:
    """The process-wide embedded model (loaded lazily, on the first `embed`)."""
    return StaticEmbedder()
