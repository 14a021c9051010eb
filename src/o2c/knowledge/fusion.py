"""Reciprocal-rank fusion: one ranking from several, robust to their scores' different scales.

A passage ranked ``r`` (1-based) by a retriever earns ``weight / (k + r)`` from it; the fused score
is the sum over retrievers. BM25 scores are unbounded and cosine similarities live in [-1, 1], so
fusing ranks rather than scores needs no normalisation. ``k`` damps the difference between the
first few ranks: the literature's default is 60 for large collections; the handbook has fewer than
a hundred passages, and ``DEFAULT_RRF_K`` (chosen on the training questions) is smaller.
"""

from __future__ import annotations

from collections.abc import Sequence

DEFAULT_RRF_K = 10.0
DEFAULT_WEIGHTS = (1.0, 0.6)  # (BM25, embeddings): on the training questions BM25 is the stronger retriever


def ranks(scores: Sequence[float]) -> list[int]:
    """1-based rank of each passage by descending score (ties keep passage order)."""
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    result = [0] * len(scores)
    for position, index in enumerate(order, start=1):
        result[index] = position
    return result


def reciprocal_rank_fusion(score_lists: Sequence[Sequence[float]], weights: Sequence[float] | None = None,
                           k: float = DEFAULT_RRF_K) -> list[float]:
    """Fused score per passage from several retrievers' scores over the same passages."""
    if not score_lists:
        return []
    weights = list(weights) if weights is not None else [1.0] * len(score_lists)
    if len(weights) != len(score_lists):
        raise ValueError("one weight per retriever")
    fused = [0.0] * len(score_lists[0])
    for scores, weight in zip(score_lists, weights, strict=True):
        for index, rank in enumerate(ranks(scores)):
            fused[index] += weight / (k + rank)
    return fused
