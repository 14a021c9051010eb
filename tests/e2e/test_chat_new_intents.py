"""The desk's newer requests end to end through ``chat_turn`` (SQLite and PostgreSQL): a refund is a
credit-note case or a person's task, a master-data change and a complaint go to a person, a login
question gets an answer without identification; in English and in Dutch."""

from __future__ import annotations

from decimal import Decimal

import pytest

from o2c.services.conversations import chat_turn
from tests.e2e.chat_world import World, build


@pytest.fixture
def world(app) -> World:
    return build(app)


def test_a_refund_on_an_own_invoice_with_an_amount_opens_a_case_for_that_amount(app, world):
    text = f"We returned two cases, please refund the €12.10 for them on invoice {world.invoice}"
    answer = chat_turn(app, "C1", None, text, None)
    assert answer.intent == "refund_request" and answer.action == "open_dispute"
    assert answer.reference and answer.reference.startswith("CASE-") and "credit note" in answer.text
    with app.uow() as uow:
        case = uow.cases.get(answer.reference)
    assert case.invoice_number == world.invoice and case.amount.amount == Decimal("12.10")


def test_a_refund_above_the_invoice_total_is_left_to_a_person(app, world):
    answer = chat_turn(
        app,
        "C1",
        None,
        f"Please refund €5000 on invoice {world.invoice}, we were charged for cases we sent back",
        None,
    )
    assert (
        answer.intent == "refund_request" and answer.handed_over and answer.action == "hand_over_conversation"
    )


def test_a_dutch_refund_request_without_an_invoice_goes_to_accounts_receivable(app, world):
    answer = chat_turn(app, "C2", None, "Wij willen ons geld terug voor de kapotte flessen", None)
    assert answer.intent == "refund_request" and answer.handed_over
    assert "creditnota" in answer.text


def test_an_address_change_becomes_a_task_for_a_person(app, world):
    answer = chat_turn(
        app, "C1", None, "We moved, please update our address to Keizersgracht 10, Amsterdam", None
    )
    assert answer.intent == "change_details" and answer.handed_over
    assert answer.action == "hand_over_conversation" and "company details" in answer.text


def test_a_dutch_address_change_becomes_a_task_for_a_person(app, world):
    answer = chat_turn(
        app, "C2", None, "Ons factuuradres is gewijzigd, graag aanpassen naar Kerkstraat 5", None
    )
    assert answer.intent == "change_details" and answer.handed_over and "bedrijfsgegevens" in answer.text


def test_a_complaint_about_the_service_is_recorded_for_a_person(app, world):
    answer = chat_turn(
        app, "C1", None, "I want to complain about your service, nobody answers our e-mails", None
    )
    assert answer.intent == "complaint" and answer.handed_over and "complaint" in answer.text


def test_a_login_question_is_answered_without_identification(app, world):
    answer = chat_turn(app, None, None, "I forgot my password for the ordering portal", None)
    assert answer.intent == "account_access" and not answer.handed_over and answer.action is None
    assert "Forgot password" in answer.text


def test_a_dutch_login_question_is_answered_in_dutch(app, world):
    answer = chat_turn(
        app, None, None, "Ik kan niet inloggen op het portaal, mijn wachtwoord werkt niet", None
    )
    assert answer.intent == "account_access" and "Wachtwoord vergeten" in answer.text
