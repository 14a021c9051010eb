"""Understanding customer messages line by line: intent, confidence and entities.

`classify_lines` is what ``o2c nlu classify`` and ``o2c bench nlu`` call: one JSON-ready dict per
non-empty input line, with ``intents`` when the line makes several requests (see `requests.py`). ``today`` is injected (relative dates like "tomorrow" resolve against it);
the caller passes its clock's date.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from o2c.adapters.nlp.entities import extract_entities
from o2c.adapters.nlp.intents import IntentClassifier, default_classifier
from o2c.adapters.nlp.products import CatalogEntry
from o2c.adapters.nlp.requests import intents_in


def classify_lines(
    lines: Iterable[str],
    today: date | None = None,
    classifier: IntentClassifier | None = None,
    catalog: Iterable[CatalogEntry] | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield ``{"text", "intent", "confidence", "best_guess", "entities"}`` for each non-empty line, with
    ``intents`` (the whole message's intent first) when the line makes several requests."""
    classifier = classifier or default_classifier()
    today = today or date.today()
    catalog = list(catalog) if catalog is not None else None
    for line in lines:
        text = line.strip()
        if not text:
            continue
        result = classifier.classify(text)
        several = intents_in(text, result, classifier)
        yield {
            "text": text,
            "intent": result.intent,
            "confidence": round(result.confidence, 4),
            "best_guess": result.best_guess,
            "entities": extract_entities(text, today, catalog).to_dict(),
        } | ({"intents": list(several)} if len(several) > 1 else {})
