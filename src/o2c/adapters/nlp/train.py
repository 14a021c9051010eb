"""Train the shipped intent classifier from the training split of ``eval/nlu/``.

Run ``python -m o2c.adapters.nlp.train`` after changing the data, the features or the embedding
model; it rewrites ``intent_classifier.npz`` and prints the cross-validated figures.

Only training families are used. Block weights and regularisation are chosen by 5-fold
cross-validation grouped by family (folds by a hash of the family id); the temperature is fitted
on the out-of-fold scores of the chosen setting. Everything is deterministic.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from o2c.adapters.nlp.dataset import DEFAULT_DATA, INTENTS, Utterance, load_utterances, split_by_family
from o2c.adapters.nlp.embeddings import Embedder
from o2c.adapters.nlp.features import HASH_DIM, Features, dense_ngrams, featurise
from o2c.adapters.nlp.intents import CLASSIFIER_PATH, IntentModel
from o2c.adapters.nlp.linear import fit_dual, fit_temperature, softmax
from o2c.adapters.nlp.metrics import macro_f1
from o2c.adapters.nlp.multilingual import multilingual_embedder

FOLDS = 5
SURE_ACCURACY_TARGET = 0.92
THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(11))
EMBEDDING_WEIGHTS = (1.0, 2.0)
CUE_WEIGHTS = (0.1, 0.15, 0.2)
REGULARISATION = (1e-4, 3e-5, 1e-5)


@dataclass(frozen=True)
class Setting:
    """Squared block scales of the feature vector and the L2 strength."""

    embedding: float
    ngrams: float
    cues: float
    bias: float
    lam: float


@dataclass(frozen=True)
class GramBlocks:
    """Per-block Gram matrices of the training rows and the rows themselves."""

    embedding: np.ndarray
    ngrams: np.ndarray
    cues: np.ndarray
    ngram_columns: np.ndarray
    ngram_matrix: np.ndarray

    def kernel(self, setting: Setting) -> np.ndarray:
        return (
            setting.embedding * self.embedding
            + setting.ngrams * self.ngrams
            + setting.cues * self.cues
            + setting.bias
        )


def gram_blocks(features: Features) -> GramBlocks:
    columns = np.unique(np.concatenate([indices for indices, _ in features.ngram_rows]))
    ngram_matrix = dense_ngrams(features, columns)
    return GramBlocks(
        embedding=(features.embedding @ features.embedding.T).astype(np.float64),
        ngrams=(ngram_matrix @ ngram_matrix.T).astype(np.float64),
        cues=(features.cues @ features.cues.T).astype(np.float64),
        ngram_columns=columns,
        ngram_matrix=ngram_matrix,
    )


def fold_of(family: str) -> int:
    return int(hashlib.sha256(f"fold:{family}".encode()).hexdigest()[:8], 16) % FOLDS


def out_of_fold_scores(kernel: np.ndarray, labels: np.ndarray, folds: np.ndarray, lam: float) -> np.ndarray:
    """Scores of each training row from a model that did not see its family."""
    scores = np.zeros((len(labels), len(INTENTS)))
    for fold in range(FOLDS):
        train, held = folds != fold, folds == fold
        coef = fit_dual(kernel[np.ix_(train, train)], labels[train], len(INTENTS), lam)
        scores[held] = kernel[np.ix_(held, train)] @ coef
    return scores


def candidate_settings() -> list[Setting]:
    grid = itertools.product(EMBEDDING_WEIGHTS, CUE_WEIGHTS, REGULARISATION)
    return [Setting(embedding=e, ngrams=1.0, cues=c, bias=1.0, lam=lam) for e, c, lam in grid]


def select_setting(
    blocks: GramBlocks, labels: np.ndarray, folds: np.ndarray
) -> tuple[Setting, np.ndarray, float]:
    """The setting with the best out-of-fold macro F1 (first on ties), its OOF scores and that F1."""
    truth = [INTENTS[i] for i in labels]
    results: list[tuple[float, int, Setting, np.ndarray]] = []
    for setting in candidate_settings():
        scores = out_of_fold_scores(blocks.kernel(setting), labels, folds, setting.lam)
        f1 = macro_f1(truth, [INTENTS[i] for i in scores.argmax(axis=1)], INTENTS)
        results.append((f1, -len(results), setting, scores))
    f1, _, setting, scores = max(results, key=lambda r: (r[0], r[1]))
    return setting, scores, f1


def choose_threshold(confidence: np.ndarray, correct: np.ndarray) -> float:
    """The lowest threshold at which out-of-fold answers given with confidence reach the target accuracy."""
    for threshold in THRESHOLDS:
        sure = confidence >= threshold
        if sure.any() and correct[sure].mean() >= SURE_ACCURACY_TARGET:
            return threshold
    return THRESHOLDS[-1]


def primal_model(
    features: Features,
    blocks: GramBlocks,
    coef: np.ndarray,
    setting: Setting,
    calibration: tuple[float, float],
) -> IntentModel:
    """Turn dual coefficients into per-block weights that score a single text cheaply."""
    w_ngrams = np.zeros((HASH_DIM, len(INTENTS)), dtype=np.float32)
    w_ngrams[blocks.ngram_columns] = setting.ngrams * (blocks.ngram_matrix.T @ coef)
    return IntentModel(
        intents=INTENTS,
        w_embedding=(setting.embedding * features.embedding.T @ coef).astype(np.float32),
        w_ngrams=w_ngrams,
        w_cues=(setting.cues * features.cues.T @ coef).astype(np.float32),
        bias=(setting.bias * coef.sum(axis=0)).astype(np.float32),
        temperature=calibration[0],
        threshold=calibration[1],
    )


def train_intent_model(train: list[Utterance], embedder: Embedder) -> IntentModel:
    """Select, fit and calibrate a model on training utterances only."""
    features = featurise([u.text for u in train], embedder)
    labels = np.array([INTENTS.index(u.intent) for u in train])
    folds = np.array([fold_of(u.family) for u in train])
    blocks = gram_blocks(features)
    setting, oof_scores, oof_f1 = select_setting(blocks, labels, folds)
    temperature = fit_temperature(oof_scores, labels)
    oof_probabilities = softmax(oof_scores / temperature)
    oof_confidence = oof_probabilities.max(axis=1)
    threshold = choose_threshold(oof_confidence, oof_probabilities.argmax(axis=1) == labels)
    coef = fit_dual(blocks.kernel(setting), labels, len(INTENTS), setting.lam)
    model = primal_model(features, blocks, coef, setting, (temperature, threshold))
    meta = {
        "setting": setting.__dict__,
        "cv_macro_f1": round(oof_f1, 4),
        "temperature": temperature,
        "threshold": threshold,
        "cv_unsure_rate": round(float(np.mean(oof_confidence < threshold)), 4),
        "train_families": sorted({u.family for u in train}),
        "n_train": len(train),
    }
    return dataclasses.replace(model, meta=meta)


def retrain(data: Path = DEFAULT_DATA, output: Path = CLASSIFIER_PATH) -> IntentModel:
    """Rebuild the stored classifier from the training split of `data`."""
    train, _ = split_by_family(load_utterances(data))
    model = train_intent_model(train, multilingual_embedder())
    model.save(output)
    return model


def main() -> None:
    model = retrain()
    meta = {k: v for k, v in model.meta.items() if k != "train_families"}
    print(f"wrote {CLASSIFIER_PATH} ({CLASSIFIER_PATH.stat().st_size / 1e3:.0f} kB): {meta}")


if __name__ == "__main__":
    main()
