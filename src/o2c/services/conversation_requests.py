"""Which requests one customer message makes, and what a follow-up without numbers points at.

"we paid INV-2026-000001 last week, why do you keep holding our orders?" is two requests: a payment
announced (``payment_query``) and a question about held orders (``credit_hold``). ``requests_in``
returns them in the order they are answered: a payment announced first, then the message's own intent
when clear, then the intents its clauses ask for with a clear confidence (``adapters.nlp.requests``),
then the held-orders question; at most ``MAX_REQUESTS``. A held-orders question stands for the order
status and the complaint readings it often gets, and a payment announced stands for an invoice question.

``with_context`` reads a follow-up ("and the other one?", "what about the second invoice?") against the
conversation's context: when the message names no document, the documents it points at are added to
its entities, and an unclear or small-talk reading, or a bare pointer whatever its reading ("en de
andere?" can read as a delivery question on its own), takes the intent of the request before.
"""

from __future__ import annotations

from dataclasses import replace

from o2c.adapters.nlp import Entities
from o2c.adapters.nlp.intents import default_classifier
from o2c.adapters.nlp.requests import CLAUSE_CONFIDENCE, NOT_A_REQUEST, clauses
from o2c.domain.conversation_context import ConversationContext, only_points, topics_in
from o2c.domain.conversations import ACT_BELOW, Reading, is_clear

MAX_REQUESTS = 3
ORDER_PREFIX = "SO-"
REPLACED_BY_HOLD = frozenset({"order_status", "complaint", "other"})
REPLACED_BY_PAYMENT = frozenset({"invoice_query", "other"})


def _clause_readings(text: str) -> list[Reading]:
    parts = clauses(text)
    if len(parts) < 2:
        return []
    return [
        Reading(r.intent, r.confidence, "clause")
        for r in default_classifier().classify_many(parts)
        if r.intent not in NOT_A_REQUEST and r.confidence >= CLAUSE_CONFIDENCE
    ]


def requests_in(text: str, reading: Reading) -> list[Reading]:
    """The requests to answer, in order; just ``reading`` when the message makes one (or none clearly)."""
    topics = topics_in(text)
    if reading.source == "follow-up" or not (topics.credit_hold or topics.payment_announced):
        found = [reading] + (_clause_readings(text) if is_clear(reading) else [])
    else:
        sure = max(reading.confidence, ACT_BELOW)
        found = [Reading("payment_query", sure, "cue")] if topics.payment_announced else []
        found += [reading] if is_clear(reading) else []
        found += _clause_readings(text)
        found += [Reading("credit_hold", sure, "cue")] if topics.credit_hold else []
        dropped = (REPLACED_BY_HOLD if topics.credit_hold else frozenset()) | (
            REPLACED_BY_PAYMENT if topics.payment_announced else frozenset()
        )
        found = [r for r in found if r.intent not in dropped] or [reading]
    unique = {r.intent: r for r in reversed(found)}
    return [unique[i] for i in dict.fromkeys(r.intent for r in found)][:MAX_REQUESTS]


def _is_order(document: str) -> bool:
    return document.startswith(ORDER_PREFIX)


def _named(entities: Entities) -> bool:
    return bool(entities.order_numbers or entities.invoice_numbers or entities.po_numbers)


def with_context(
    context: ConversationContext, text: str, reading: Reading, entities: Entities
) -> tuple[Reading, Entities, tuple[str, ...]]:
    """The reading and entities once a follow-up's pointers are resolved, and the documents pointed at."""
    if _named(entities):
        return reading, entities, ()
    pointed = context.referred_to(text, _is_order)
    if not pointed:
        return reading, entities, ()
    orders = tuple(filter(_is_order, pointed))
    invoices = tuple(d for d in pointed if not _is_order(d))
    entities = replace(entities, order_numbers=orders, invoice_numbers=invoices)
    if context.intent and (not is_clear(reading) or reading.intent == "other" or only_points(text)):
        reading = Reading(context.intent, max(reading.confidence, ACT_BELOW + 0.05), "follow-up")
    return reading, entities, pointed
