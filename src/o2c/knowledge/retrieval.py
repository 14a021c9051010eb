"""Hybrid retrieval over the handbook's chunks: BM25 and sentence embeddings, fused by rank.

BM25 reads the question's words plus the handbook's words for its colloquial ones
(``vocabulary.expand``). The embedding score of a chunk is the mean of two cosines: the question
against the whole chunk, and against the chunk's best-matching sentence (prefixed with its
section heading) — a static embedding of a long passage blurs, a sentence keeps its focus.

``Retriever.search`` returns ``Hit``s best first, each with its fused score and both retrievers'
raw scores (the answerer reads them to decide whether the evidence is strong enough). ``mode``
picks ``bm25`` or ``dense`` alone, which the evaluation uses to show what fusion adds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from o2c.adapters.nlp.embeddings import Embedder
from o2c.knowledge.bm25 import BM25, tokenize
from o2c.knowledge.chunks import Chunk, split_sentences
from o2c.knowledge.fusion import DEFAULT_RRF_K, DEFAULT_WEIGHTS, reciprocal_rank_fusion
from o2c.knowledge.vocabulary import expand

Mode = Literal["hybrid", "bm25", "dense"]
MODES: tuple[Mode, ...] = ("hybrid", "bm25", "dense")


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score, BM25 score and cosine similarity to the question."""

    chunk: Chunk
    score: float
    lexical: float
    semantic: float


class Retriever:
    """BM25 and embedding indexes over the same chunks, built once."""

    def __init__(self, chunks: Sequence[Chunk], embedder: Embedder, rrf_k: float = DEFAULT_RRF_K,
                 weights: tuple[float, float] = DEFAULT_WEIGHTS) -> None:
        if not chunks:
            raise ValueError("no chunks to index: the document folder is empty")
        self.chunks = list(chunks)
        self.embedder = embedder
        self.rrf_k, self.weights = rrf_k, weights
        self.chunk_tokens = [tokenize(chunk.indexed_text) for chunk in self.chunks]
        self.vocabulary = [frozenset(tokens) for tokens in self.chunk_tokens]
        self.position = {chunk.chunk_id: i for i, chunk in enumerate(self.chunks)}
        self.bm25 = BM25(self.chunk_tokens)
        self.vectors = embedder.embed([chunk.indexed_text for chunk in self.chunks])
        self.sentence_vectors, self.sentence_owner = self._sentence_index()

    def search(self, question: str, limit: int = 3, mode: Mode = "hybrid") -> list[Hit]:
        """The ``limit`` best chunks for the question, best first."""
        lexical = self.bm25.scores(expand(tokenize(question)))
        semantic = self.similarities(question)
        fused = self._fused(lexical, semantic, mode)
        order = sorted(range(len(self.chunks)), key=lambda i: (-fused[i], i))[:limit]
        return [Hit(self.chunks[i], fused[i], lexical[i], semantic[i]) for i in order]

    def words_of(self, chunk: Chunk) -> frozenset[str]:
        """The chunk's stemmed words (title and heading included)."""
        return self.vocabulary[self.position[chunk.chunk_id]]

    def similarities(self, text: str) -> list[float]:
        """Per chunk: the mean of the text's cosine to the chunk and to its closest sentence."""
        query = self.embedder.embed([text])[0]
        whole = np.asarray(self.vectors @ query)
        closest = np.full(len(self.chunks), -1.0)
        np.maximum.at(closest, self.sentence_owner, np.asarray(self.sentence_vectors @ query))
        return [float(x) for x in (whole + closest) / 2.0]

    def _sentence_index(self) -> tuple[np.ndarray, np.ndarray]:
        texts, owners = [], []
        for index, chunk in enumerate(self.chunks):
            for sentence in split_sentences(chunk.text):
                texts.append(f"{chunk.section}. {sentence}")
                owners.append(index)
        return self.embedder.embed(texts), np.asarray(owners, dtype=np.intp)

    def _fused(self, lexical: list[float], semantic: list[float], mode: Mode) -> list[float]:
        if mode == "bm25":
            return lexical
        if mode == "dense":
            return semantic
        return reciprocal_rank_fusion([lexical, semantic], self.weights, self.rrf_k)
