"""Evaluation of the shipped language understanding on the held-out families of ``eval/nlu/``.

`evaluate_nlu()` classifies every test utterance (families never seen in training) with the
shipped classifier and reports macro F1, per-intent precision/recall/F1/support, and the median
time to understand one message (embedding + classifier + entity extraction, one at a time, after
a warm-up so that loading the model is not counted).

Scores use the classifier's best guess. How often it would have said "unsure" instead, and its
accuracy when it did not, are reported beside them (``unsure_rate``, ``accuracy_when_sure``).

The same script scores any other reader of the conversation's ``Understanding`` port (the optional
LLM, `o2c.adapters.llm.LlmUnderstanding`): pass it as ``reader`` and its intents are scored on the
same test split, with its own median time.

`evaluate_external()` scores a set of messages written by others (see ``eval/nlu/external/``): the
source's labels are mapped onto o2c's intents by the mapping file beside the messages, and the
figure is macro accuracy (the mean over intents of the share read right). Nothing is ever chosen
on it or on the test split.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from o2c.adapters.nlp.dataset import DEFAULT_DATA, INTENTS, Utterance, load_utterances, split_by_family
from o2c.adapters.nlp.entities import extract_entities
from o2c.adapters.nlp.external import DEFAULT_EXTERNAL, load_external
from o2c.adapters.nlp.intents import IntentClassifier, IntentResult, default_classifier
from o2c.adapters.nlp.metrics import macro_f1, per_intent_scores

EVALUATION_DAY = date(2026, 11, 19)


class Reader(Protocol):
    """Anything that reads a message into an intent and a confidence (the ``Understanding`` port)."""

    def read(self, text: str) -> Any: ...


def _as_result(reading: Any) -> IntentResult:
    return IntentResult(reading.intent, reading.confidence, {reading.intent: reading.confidence})


def _understand_timed(classifier: IntentClassifier, text: str, reader: Reader | None = None
                      ) -> tuple[IntentResult, float]:
    started = time.perf_counter()
    result = _as_result(reader.read(text)) if reader else classifier.classify(text)
    extract_entities(text, EVALUATION_DAY)
    return result, (time.perf_counter() - started) * 1000.0


def _sure_accuracy(test: list[Utterance], results: list[IntentResult]) -> float:
    sure = [(u, r) for u, r in zip(test, results, strict=True) if not r.is_unsure]
    return sum(u.intent == r.intent for u, r in sure) / len(sure) if sure else 0.0


def evaluate_nlu(data: Path = DEFAULT_DATA, classifier: IntentClassifier | None = None,
                 reader: Reader | None = None) -> dict[str, Any]:
    """Macro F1, per-intent scores and median latency on the family-held-out test split."""
    classifier = classifier or default_classifier()
    train, test = split_by_family(load_utterances(data))
    classifier.classify("warm-up")
    timed = [_understand_timed(classifier, u.text, reader) for u in test]
    results = [result for result, _ in timed]
    truth = [u.intent for u in test]
    guesses = [r.best_guess for r in results]
    return {
        "macro_f1": round(macro_f1(truth, guesses, INTENTS), 4),
        "per_intent": {
            intent: {k: round(v, 4) if k != "support" else int(v) for k, v in scores.items()}
            for intent, scores in per_intent_scores(truth, guesses, INTENTS).items()
        },
        "accuracy": round(sum(t == g for t, g in zip(truth, guesses, strict=True)) / len(test), 4),
        "unsure_rate": round(sum(r.is_unsure for r in results) / len(test), 4),
        "accuracy_when_sure": round(_sure_accuracy(test, results), 4),
        "median_ms": round(statistics.median(ms for _, ms in timed), 3),
        "n_train": len(train),
        "n_test": len(test),
    }


def evaluate_external(folder: Path = DEFAULT_EXTERNAL, classifier: IntentClassifier | None = None,
                      reader: Reader | None = None) -> dict[str, Any]:
    """Macro accuracy on messages written by others, or why there is no such figure."""
    external = load_external(folder)
    if external.messages is None:
        return {"available": False, "reason": external.reason}
    classifier = classifier or default_classifier()
    texts = [text for text, _ in external.messages]
    guesses = ([reader.read(t).intent for t in texts] if reader
               else [r.best_guess for r in classifier.classify_many(texts)])
    recall: dict[str, list[bool]] = {}
    for (_, truth), guess in zip(external.messages, guesses, strict=True):
        recall.setdefault(truth, []).append(truth == guess)
    per_intent = {intent: round(sum(hits) / len(hits), 4) for intent, hits in sorted(recall.items())}
    return {"available": True, "source": external.source, "licence": external.licence, "n": len(texts),
            "macro_accuracy": round(statistics.mean(per_intent.values()), 4), "per_intent_accuracy": per_intent}


def main() -> None:
    import json

    print(json.dumps(evaluate_nlu() | {"external": evaluate_external()}, indent=2))


if __name__ == "__main__":
    main()
