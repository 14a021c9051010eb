"""Replies speak the customer's language; an unclear message gets a question, two in a row a person;
an answer to the agent's own question keeps the subject it asked about."""

from __future__ import annotations

import pytest

from o2c.services.conversations import chat_turn
from tests.e2e.chat_world import World, build


@pytest.fixture
def world(app) -> World:
    return build(app)


def test_the_reply_follows_the_customers_language_not_the_messages(app, world):
    with app.uow() as uow:
        [order] = [o for o in uow.orders.where() if o.customer_id == "C2"]
    dutch = chat_turn(app, "C2", None, f"Where is my order {order.id}?", None)
    assert dutch.language == "nl" and "Zo staan uw bestellingen ervoor" in dutch.text and "geleverd" in dutch.text
    english = chat_turn(app, "C1", None, f"Waar blijft mijn bestelling {world.open_order}?", None)
    assert english.language == "en" and "Here is where your orders stand" in english.text


@pytest.mark.parametrize(("language", "greeting"), [("fr", "Voici où en sont vos commandes"),
                                                     ("de", "So steht es um Ihre Bestellungen")])
def test_french_and_german_customers_get_french_and_german_replies(app, world, language, greeting):
    from dataclasses import replace

    with app.uow() as uow:
        uow.customers.save(replace(uow.customers.get("C1"), language=language))
        uow.commit()
    answer = chat_turn(app, "C1", None, f"Where is my order {world.open_order}?", None)
    assert greeting in answer.text and answer.language == language


def test_an_unclear_message_gets_a_clarifying_question_and_no_action(app, world):
    answer = chat_turn(app, "C1", None, "yes", None)
    assert answer.intent == "unsure" and answer.action is None and "not sure I understood" in answer.text


def test_a_second_unclear_message_in_a_row_hands_the_conversation_to_a_person(app, world):
    first = chat_turn(app, "C1", None, "yes", None)
    second = chat_turn(app, "C1", None, "problem with order and invoice", first.conversation_id)
    assert second.handed_over and second.reference and second.reference.startswith("TASK-")
    assert "passing your question to a colleague" in second.text


def test_an_answer_to_the_agents_question_keeps_the_subject(app, world):
    first = chat_turn(app, "C1", None, "I'd like to place an order", None)
    assert "What would you like to order" in first.text
    second = chat_turn(app, "C1", None, "10 cases of water", first.conversation_id)
    assert second.intent == "place_order" and second.action == "capture_order"


def test_an_anonymous_visitor_is_answered_in_the_language_they_write(app, world):
    answer = chat_turn(app, None, None, "Waar is mijn bestelling?", None)
    assert answer.language == "nl" and "Log in" in answer.text
