"""The numpy softmax regression and its temperature calibration."""

from __future__ import annotations

import numpy as np

from o2c.adapters.nlp.linear import fit_dual, fit_temperature, softmax


def test_dual_training_separates_separable_classes() -> None:
    rows = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    labels = np.array([0, 0, 1, 1])
    gram = rows @ rows.T + 1.0
    coef = fit_dual(gram, labels, 2, lam=1e-3)
    assert (softmax(gram @ coef).argmax(axis=1) == labels).all()


def test_overconfident_scores_get_a_temperature_above_one() -> None:
    scores = np.array([[10.0, 0.0], [10.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    labels = np.array([0, 0, 1, 1])
    assert fit_temperature(scores, labels) > 1.0
