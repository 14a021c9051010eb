"""Intent classification with the shipped classifier."""

from __future__ import annotations

import dataclasses

import pytest

from o2c.adapters.nlp.dataset import INTENTS, held_out_families, load_utterances
from o2c.adapters.nlp.intents import UNSURE, classify, default_classifier

OBVIOUS = [
    ("Where is my order SO-2026-000999?", "order_status"),
    ("Waar blijft mijn bestelling?", "order_status"),
    ("Où est ma commande ?", "order_status"),
    ("Wo bleibt meine Bestellung?", "order_status"),
    ("Please cancel order 5678", "cancel_order"),
    ("Bestelling 5678 annuleren graag", "cancel_order"),
    ("Merci d'annuler ma commande 5678", "cancel_order"),
    ("Bitte Auftrag 5678 stornieren", "cancel_order"),
    ("Can you send me a copy of invoice INV-2026-000999?", "invoice_copy"),
    ("Kunnen jullie een kopie van factuur 123 sturen?", "invoice_copy"),
    ("Pouvez-vous m'envoyer une copie de la facture 123 ?", "invoice_copy"),
    ("Bitte senden Sie mir eine Kopie der Rechnung 123", "invoice_copy"),
    ("Have you received our payment?", "payment_query"),
    ("Hebben jullie onze betaling ontvangen?", "payment_query"),
    ("Avez-vous reçu notre paiement ?", "payment_query"),
    ("Haben Sie unsere Zahlung erhalten?", "payment_query"),
    ("Two cases were missing and one keg was damaged", "report_problem"),
    ("I want to speak to a person", "talk_to_person"),
    ("Ich möchte mit einem Mitarbeiter sprechen", "talk_to_person"),
    ("I'd like to order 20 cases of Coca-Cola for Friday", "place_order"),
    ("Ik wil graag 20 dozen Coca-Cola bestellen voor vrijdag", "place_order"),
    ("Please add 3 kegs to order 4711", "change_order"),
    ("The invoice price for the kegs is wrong", "invoice_query"),
    ("Do you deliver on Sundays?", "delivery_options"),
]


@pytest.mark.parametrize(("text", "intent"), OBVIOUS)
def test_obvious_messages_get_the_right_intent_in_english_dutch_french_and_german(
    text: str, intent: str
) -> None:
    assert classify(text).intent == intent


@pytest.mark.parametrize("text", ["xkcd qwerty zzz", "blorp", "🙂", ""])
def test_nonsense_is_unsure_or_other(text: str) -> None:
    result = classify(text)
    assert result.intent in {UNSURE, "other"}


def test_confidence_is_the_probability_of_the_best_intent() -> None:
    result = classify("Where is my order?")
    assert set(result.scores) == set(INTENTS)
    assert sum(result.scores.values()) == pytest.approx(1.0, abs=1e-5)
    assert 0.0 <= result.confidence <= 1.0
    assert result.confidence == max(result.scores.values())


def test_below_the_threshold_the_intent_is_unsure_but_the_best_guess_is_kept() -> None:
    classifier = default_classifier()
    strict = dataclasses.replace(classifier.model, threshold=1.01)
    result = type(classifier)(strict, classifier.embedder).classify("Where is my order?")
    assert result.is_unsure
    assert result.best_guess == "order_status"


def test_the_stored_classifier_saw_no_test_family() -> None:
    trained_on = set(default_classifier().model.meta["train_families"])
    assert trained_on
    assert trained_on.isdisjoint(held_out_families(load_utterances()))
