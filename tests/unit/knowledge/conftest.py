"""Shared fixtures: the shipped handbook's knowledge base (indexed once) and a tiny document folder."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from o2c.knowledge.answerer import KnowledgeBase, default_knowledge_base


class BagOfWordsEmbedder:
    """A deterministic stand-in for the embedded model: hashed word counts, L2-normalised."""

    dimension = 64

    def embed(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, sum(map(ord, word.strip(".,:;?!"))) % self.dimension] += 1.0
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0.0, 1.0, norms)


@pytest.fixture(scope="session")
def handbook() -> KnowledgeBase:
    return default_knowledge_base()


@pytest.fixture
def small_folder(tmp_path: Path) -> Path:
    (tmp_path / "credit.md").write_text(
        "# Credit\n\n## Holds\n\nA credit hold above 50,000 EUR is released by the credit manager.\n\n"
        "## Limits\n\nLimits are reviewed every year.\n", encoding="utf-8")
    (tmp_path / "returns.html").write_text(
        "<html><head><title>Returns</title><script>var x = 'hidden';</script></head><body>"
        "<h1>Returns</h1><h2>Fees</h2><p>A restocking fee of 15% applies.</p></body></html>", encoding="utf-8")
    return tmp_path


@pytest.fixture
def small_base(small_folder: Path) -> KnowledgeBase:
    return KnowledgeBase.from_folder(small_folder, embedder=BagOfWordsEmbedder())
