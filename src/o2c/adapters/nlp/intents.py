"""Intent classification of a customer message.

`classify(text)` returns an `IntentResult`: the intent, a confidence in 0..1 (the calibrated
probability of the top intent) and the probability of every intent. When the confidence is below
the model's threshold, or when the message names no request at all (a bare "yes", two document
types and nothing else; see `substance.py`), the intent is ``"unsure"``: the caller asks a
clarifying question instead of acting, and `IntentResult.best_guess` still names the most likely
intent.

The classifier is a linear softmax model over three feature blocks (see `features.py`), the
sentence vector coming from the multilingual encoder (`multilingual.py`). It is trained
ahead of time by `o2c.adapters.nlp.train` on the training split of ``eval/nlu/`` and stored in
``intent_classifier.npz`` beside this module, so start-up needs no training.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from o2c.adapters.nlp.embeddings import Embedder
from o2c.adapters.nlp.features import Features, featurise, normalise
from o2c.adapters.nlp.linear import softmax
from o2c.adapters.nlp.multilingual import multilingual_embedder
from o2c.adapters.nlp.substance import names_a_request

CLASSIFIER_PATH = Path(__file__).resolve().parent / "intent_classifier.npz"
UNSURE = "unsure"


@dataclass(frozen=True)
class IntentResult:
    """What a message asks for, how sure the classifier is, and every intent's probability."""

    intent: str
    confidence: float
    scores: dict[str, float]

    @property
    def is_unsure(self) -> bool:
        return self.intent == UNSURE

    @property
    def best_guess(self) -> str:
        """The most probable intent, also when the result is unsure."""
        return max(self.scores, key=self.scores.__getitem__)


@dataclass(frozen=True)
class IntentModel:
    """Trained weights of the linear model, one column per intent."""

    intents: tuple[str, ...]
    w_embedding: np.ndarray
    w_ngrams: np.ndarray
    w_cues: np.ndarray
    bias: np.ndarray
    temperature: float
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict)

    def probabilities(self, features: Features) -> np.ndarray:
        """Calibrated probabilities, one row per text."""
        scores = features.embedding @ self.w_embedding + features.cues @ self.w_cues + self.bias
        for row, (indices, values) in enumerate(features.ngram_rows):
            scores[row] += values @ self.w_ngrams[indices]
        return softmax(scores / self.temperature)

    def save(self, path: Path) -> None:
        np.savez_compressed(
            path,
            intents=np.array(self.intents),
            w_embedding=self.w_embedding.astype(np.float32),
            w_ngrams=self.w_ngrams.astype(np.float16),
            w_cues=self.w_cues.astype(np.float32),
            bias=self.bias.astype(np.float32),
            calibration=np.array([self.temperature, self.threshold]),
            meta=np.array(json.dumps(self.meta, sort_keys=True)),
        )

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        with np.load(path, allow_pickle=False) as stored:
            temperature, threshold = (float(v) for v in stored["calibration"])
            return cls(
                intents=tuple(str(i) for i in stored["intents"]),
                w_embedding=stored["w_embedding"],
                w_ngrams=stored["w_ngrams"].astype(np.float32),
                w_cues=stored["w_cues"],
                bias=stored["bias"],
                temperature=temperature,
                threshold=threshold,
                meta=json.loads(str(stored["meta"])),
            )


class IntentClassifier:
    """An `IntentModel` with the `Embedder` it was trained with."""

    def __init__(self, model: IntentModel, embedder: Embedder) -> None:
        self.model = model
        self.embedder = embedder

    def classify(self, text: str) -> IntentResult:
        return self.classify_many([text])[0]

    def classify_many(self, texts: list[str]) -> list[IntentResult]:
        if not texts:
            return []
        probabilities = self.model.probabilities(featurise(texts, self.embedder))
        return [self._result(row, text) for row, text in zip(probabilities, texts, strict=True)]

    def _result(self, probabilities: np.ndarray, text: str) -> IntentResult:
        scores = {intent: float(p) for intent, p in zip(self.model.intents, probabilities, strict=True)}
        best = max(scores, key=scores.__getitem__)
        confidence = scores[best]
        sure = confidence >= self.model.threshold and names_a_request(normalise(text))
        return IntentResult(best if sure else UNSURE, confidence, scores)


@cache
def default_classifier() -> IntentClassifier:
    """The shipped classifier over the multilingual encoder (loaded on first use)."""
    return IntentClassifier(IntentModel.load(CLASSIFIER_PATH), multilingual_embedder())


def classify(text: str) -> IntentResult:
    """Classify one customer message with the shipped classifier."""
    return default_classifier().classify(text)
