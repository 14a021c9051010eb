"""Features of a customer message for the intent classifier, in three blocks.

- ``embedding``: the sentence vector from an `Embedder` (meaning, mostly for English);
- ``ngrams``: hashed character 2-5-grams within words plus word uni- and bigrams, sublinear
  counts, L2-normalised (spelling-level evidence that survives typos and other languages);
- ``cues``: the keyword cue groups of `cues.py`.

Text is normalised first: Unicode compatibility form, accents folded, lower case, every digit run
replaced by ``0`` (an order number's digits say nothing about intent, its shape does), anything
but letters, ``0``, ``?`` and ``!`` turned into spaces. Hashing uses CRC-32, which is stable
across processes (Python's ``hash`` is not).
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass

import numpy as np

from o2c.adapters.nlp.cues import cue_vector
from o2c.adapters.nlp.embeddings import Embedder

HASH_BITS = 15
HASH_DIM = 1 << HASH_BITS
_CHAR_NGRAMS = (2, 3, 4, 5)
_WORDS = re.compile(r"[a-z0]+|[?!]")


@dataclass(frozen=True)
class Features:
    """The three feature blocks of a batch of texts (rows align with the texts)."""

    embedding: np.ndarray
    ngram_rows: list[tuple[np.ndarray, np.ndarray]]
    cues: np.ndarray

    def __len__(self) -> int:
        return len(self.ngram_rows)


def normalise(text: str) -> str:
    """The form every rule and n-gram sees (see the module docstring)."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()
    folded = re.sub(r"\d+", "0", folded)
    folded = re.sub(r"[^a-z0?!]+", " ", folded)
    return re.sub(r"\s+", " ", folded).strip()


def _bucket(token: str) -> int:
    return zlib.crc32(token.encode("utf-8")) & (HASH_DIM - 1)


def ngram_tokens(normalised_text: str) -> list[str]:
    """Character n-grams (within padded words) and word uni/bigrams of a normalised text."""
    words = _WORDS.findall(normalised_text)
    tokens = [f"w:{w}" for w in words] + [f"b:{a}_{b}" for a, b in itertools.pairwise(words)]
    for word in words:
        padded = f" {word} "
        for n in _CHAR_NGRAMS:
            tokens.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return tokens


def hashed_ngrams(normalised_text: str) -> tuple[np.ndarray, np.ndarray]:
    """Sparse row (bucket indices, values): sublinear counts, L2-normalised."""
    counts = Counter(_bucket(token) for token in ngram_tokens(normalised_text))
    if not counts:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    indices = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
    values = np.array([1.0 + math.log(c) for c in counts.values()], dtype=np.float32)
    return indices, values / np.float32(np.linalg.norm(values))


def featurise(texts: list[str], embedder: Embedder) -> Features:
    """All three blocks for a batch of texts."""
    normalised = [normalise(text) for text in texts]
    return Features(
        embedding=embedder.embed(texts),
        ngram_rows=[hashed_ngrams(text) for text in normalised],
        cues=np.stack([cue_vector(text) for text in normalised]) if texts else np.zeros((0, 0), np.float32),
    )


def dense_ngrams(features: Features, columns: np.ndarray) -> np.ndarray:
    """The n-gram block as a dense matrix over the given (sorted) bucket columns."""
    matrix = np.zeros((len(features), len(columns)), dtype=np.float32)
    for row, (indices, values) in enumerate(features.ngram_rows):
        matrix[row, np.searchsorted(columns, indices)] = values
    return matrix
