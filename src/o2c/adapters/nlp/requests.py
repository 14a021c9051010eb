"""Several requests in one message: "we paid INV-2026-000001 last week, why are our orders held?".

The classifier reads a whole message as one intent. `intents_in(text)` also reads each clause of
it (split at sentence ends, semicolons, commas and the joining words of the four languages), and
names every intent that a clause asks for with a confidence of at least `CLAUSE_CONFIDENCE`, in the
order the clauses come, beginning with the intent of the whole message. A clause of fewer than
`MIN_WORDS` words is joined to the one before it, and ``other`` (greetings, thanks) is never a
request of its own. A message with one request gives one intent.
"""

from __future__ import annotations

import re

from o2c.adapters.nlp.intents import IntentClassifier, IntentResult, default_classifier

CLAUSE_CONFIDENCE = 0.8
MIN_WORDS = 3
NOT_A_REQUEST = frozenset({"other", "unsure"})
_JOINERS = r"and|but|also|plus|en|maar|ook|et|mais|aussi|und|aber|auch"
_BOUNDARY = re.compile(rf"(?<=[.?!;])\s+|\s*[;,]\s+|\s+(?:{_JOINERS})\s+", re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """The message cut into clauses of at least `MIN_WORDS` words (a shorter one joins the one before)."""
    found: list[str] = []
    for piece in (p.strip() for p in _BOUNDARY.split(text)):
        if not piece:
            continue
        if (found and len(piece.split()) < MIN_WORDS) or (found and len(found[-1].split()) < MIN_WORDS):
            found[-1] = f"{found[-1]} {piece}"
        else:
            found.append(piece)
    return found


def intents_in(
    text: str, whole: IntentResult | None = None, classifier: IntentClassifier | None = None
) -> tuple[str, ...]:
    """Every request the message makes: the whole message's intent, then each clause's, without repeats."""
    classifier = classifier or default_classifier()
    whole = whole or classifier.classify(text)
    named = [] if whole.intent in NOT_A_REQUEST else [whole.intent]
    parts = clauses(text)
    if len(parts) < 2:
        return tuple(named)
    for result in classifier.classify_many(parts):
        if (
            result.intent not in NOT_A_REQUEST
            and result.confidence >= CLAUSE_CONFIDENCE
            and result.intent not in named
        ):
            named.append(result.intent)
    return tuple(named)
