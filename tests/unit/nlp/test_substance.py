"""A message that names no request gets a clarifying question, whatever the classifier's scores."""

from __future__ import annotations

import pytest

from o2c.adapters.nlp.dataset import load_utterances, split_by_family
from o2c.adapters.nlp.features import normalise
from o2c.adapters.nlp.intents import classify
from o2c.adapters.nlp.substance import names_a_request


@pytest.mark.parametrize("text", ["yes", "Ok!", "ja", "oui", "nein", "d'accord", "yes please", "", "???",
                                  "problem with order and invoice", "Probleem met bestelling en factuur",
                                  "question sur la commande et la facture", "Frage zu Rechnung und Lieferung",
                                  "help", "I have a problem"])
def test_a_bare_acknowledgement_or_two_documents_and_no_request_names_no_request(text: str) -> None:
    assert not names_a_request(normalise(text))
    assert classify(text).is_unsure


@pytest.mark.parametrize("text", ["thanks", "merci", "hello", "ok thanks", "invoice?", "problem with my delivery",
                                  "SO-2026-000123", "yes, cancel order 4711", "invoice and order 4711 are wrong",
                                  "blorp"])
def test_greetings_one_document_or_any_other_word_are_left_to_the_classifier(text: str) -> None:
    assert names_a_request(normalise(text))


def test_almost_every_labelled_training_message_names_a_request() -> None:
    train, _ = split_by_family(load_utterances())
    empty = [u for u in train if not names_a_request(normalise(u.text))]
    assert len(empty) <= 0.01 * len(train)
    assert {u.intent for u in empty} <= {"other"}
