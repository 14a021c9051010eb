"""Issue 19's chat cases on an account with history (``build_receivables``), on SQLite and PostgreSQL, in
English and Dutch: "where is my invoice" means the open ones, overdue first; a payment announced with a
held-orders question gets both answered; a follow-up points at what the last answer showed; a hold says
why and what releases it; an order's status says what is late."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from o2c.adapters.store import tables as t
from o2c.domain import commands as c
from o2c.domain.money import Money
from o2c.services.conversations import chat_turn
from tests.e2e.chat_world import Receivables, build_receivables


@pytest.fixture
def books(app, clock) -> Receivables:
    return build_receivables(app, clock)


@pytest.fixture
def dutch_books(app, clock) -> Receivables:
    return build_receivables(app, clock, language="nl")


def _talk(app, *texts: str):  # type: ignore[no-untyped-def]
    answers, conversation = [], None
    for text in texts:
        answers.append(chat_turn(app, "C1", None, text, conversation))
        conversation = answers[-1].conversation_id
    return answers


def _customer_service_proposals(app) -> list:  # type: ignore[no-untyped-def]
    with app.uow() as uow:
        return list(uow.conn.execute(select(t.proposals).where(t.proposals.c.agent == "customer_service")))


def test_where_is_my_invoice_summarises_the_open_invoices_overdue_first_and_not_the_paid_one(app, books):
    [answer] = _talk(app, "where is my invoice")
    assert books.paid not in answer.text and "\n-" not in answer.text
    assert answer.text.index(books.overdue) < answer.text.index(books.current)
    assert "71 days overdue" in answer.text and "€14.72" in answer.text and "Oct 1, 2026" in answer.text
    assert "Jan 4, 2027" in answer.text and "PDF" in answer.text and answer.action is None


def test_waar_is_mijn_factuur_gets_the_same_summary_in_dutch(app, dutch_books):
    [answer] = _talk(app, "waar is mijn factuur?")
    assert dutch_books.paid not in answer.text and answer.language == "nl"
    assert "71 dagen te laat" in answer.text and "openstaande facturen" in answer.text
    assert answer.text.index(dutch_books.overdue) < answer.text.index(dutch_books.current)


def test_a_payment_announced_with_a_held_orders_question_gets_both_answered(app, books):
    [answer] = _talk(app, f"we paid {books.overdue} last week, why do you keep holding our orders?")
    assert answer.intents == ("payment_query", "credit_hold")
    assert f"not seen the payment of {books.overdue}" in answer.text
    assert books.held in answer.text and "71 days" in answer.text and "credit" in answer.text
    assert "released as soon as we see the overdue payment" in answer.text and answer.action is None


def test_the_same_two_questions_in_dutch_are_both_answered_in_dutch(app, dutch_books):
    text = (
        f"wij hebben {dutch_books.overdue} vorige week betaald, waarom houden jullie onze bestellingen tegen?"
    )
    [answer] = _talk(app, text)
    assert answer.intents == ("payment_query", "credit_hold")
    assert f"De betaling van {dutch_books.overdue}" in answer.text and dutch_books.held in answer.text
    assert "vrijgegeven" in answer.text


def test_a_payment_already_applied_is_confirmed_as_paid(app, books):
    [answer] = _talk(app, f"we paid {books.paid}, can you confirm you received it?")
    assert f"{books.paid} is paid in full" in answer.text


def test_a_follow_up_points_at_the_invoices_the_last_answer_showed(app, books):
    _, second, other = _talk(
        app, "where is my invoice", "what about the second invoice?", "and the other one?"
    )
    assert f"Invoice {books.current}" in second.text and books.overdue not in second.text
    assert f"Invoice {books.overdue}" in other.text and books.current not in other.text


def test_a_copy_of_the_first_one_goes_to_the_most_overdue_invoice(app, books):
    _, copy = _talk(app, "where is my invoice", "send me a copy of the first one")
    assert copy.intent == "invoice_copy" and copy.outcome == "executed" and books.overdue in copy.text
    assert books.current not in copy.text


def test_a_dutch_follow_up_points_at_the_invoices_shown(app, dutch_books):
    _, second, other = _talk(app, "waar is mijn factuur?", "en de tweede factuur?", "en de andere?")
    assert f"Factuur {dutch_books.current}" in second.text
    assert f"Factuur {dutch_books.overdue}" in other.text


def test_a_hold_question_names_the_promise_to_pay_on_record(app, books):
    app.execute(
        c.RecordPromiseToPay("C1", (books.overdue,), Money.of("14.72", "EUR"), date(2026, 12, 18), "phone"),
        "clerk",
        "promise",
    )
    [answer] = _talk(app, "why are our orders on hold?")
    assert "promise to pay €14.72 by Dec 18, 2026" in answer.text and books.held in answer.text


def test_order_status_says_which_order_is_held_and_which_is_late(app, books):
    [answer] = _talk(app, "where are my orders?")
    assert books.held in answer.text and "on hold after our credit check" in answer.text
    assert "planned for Sep 6, 2026 and has not left our warehouse" in answer.text


def test_the_chat_counts_days_from_the_companys_today_not_the_wall_clock(app, books, clock):
    with app.uow() as uow:
        assert uow.clock.today() == date(2026, 12, 11)
    [answer] = _talk(app, "where is my invoice")
    assert "71 days overdue" in answer.text


def test_no_answer_proposed_anything_to_the_policy_gate_except_the_copy(app, books):
    _talk(
        app,
        "where is my invoice",
        f"we paid {books.overdue}, why are our orders blocked?",
        "where is my order?",
    )
    assert _customer_service_proposals(app) == []
