"""Classification metrics: per-intent precision, recall, F1 and their macro average."""

from __future__ import annotations

from collections.abc import Sequence


def per_intent_scores(
    truth: Sequence[str], predicted: Sequence[str], intents: Sequence[str]
) -> dict[str, dict[str, float]]:
    """{intent: {precision, recall, f1, support}}; an intent never predicted has precision 0."""
    scores: dict[str, dict[str, float]] = {}
    for intent in intents:
        hits = sum(1 for t, p in zip(truth, predicted, strict=True) if t == p == intent)
        support = sum(1 for t in truth if t == intent)
        claimed = sum(1 for p in predicted if p == intent)
        precision = hits / claimed if claimed else 0.0
        recall = hits / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores[intent] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    return scores


def macro_f1(truth: Sequence[str], predicted: Sequence[str], intents: Sequence[str]) -> float:
    """Unweighted mean F1 over the intents that occur in `truth`."""
    scores = per_intent_scores(truth, predicted, intents)
    present = [s["f1"] for s in scores.values() if s["support"]]
    return sum(present) / len(present) if present else 0.0
