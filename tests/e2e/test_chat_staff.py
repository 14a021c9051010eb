"""A member of staff in the same chat (no customer identity, no portal): procedure questions from the
handbook with their citation, any account and the holds across customers, nothing proposed; a customer
conversation gets neither the handbook nor another customer's data. SQLite and PostgreSQL, English and
Dutch."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from o2c.adapters.store import tables as t
from o2c.services.conversations import chat_turn
from tests.e2e.chat_world import Receivables, build_receivables


@pytest.fixture
def books(app, clock) -> Receivables:
    return build_receivables(app, clock)


def _staff(app, text: str, conversation: str | None = None):  # type: ignore[no-untyped-def]
    return chat_turn(app, None, None, text, conversation, acting="clerk.anna")


def _proposals(app) -> list:  # type: ignore[no-untyped-def]
    with app.uow() as uow:
        return list(uow.conn.execute(select(t.proposals).where(t.proposals.c.agent == "customer_service")))


def test_a_procedure_question_is_answered_from_the_handbook_with_its_source(app, books):
    answer = _staff(app, "how do I handle a short payment?")
    assert "short pay" in answer.text and "Source: Cash Application" in answer.text
    assert books.overdue not in answer.text and answer.action is None


def test_a_question_the_handbook_does_not_cover_gets_i_dont_know_and_no_source(app, books):
    answer = _staff(app, "how do I pay our employees in bitcoin?")
    assert answer.text.startswith("I don't know") and "Source" not in answer.text


def test_staff_see_which_customers_are_on_hold_and_why(app, books):
    answer = _staff(app, "which customers are on hold and why?")
    assert "C1" in answer.text and books.held in answer.text and "71 days" in answer.text


def test_staff_see_the_invoices_of_a_named_customer_and_nothing_is_queued(app, books):
    answer = _staff(app, "show me the invoices of customer C1")
    assert all(n in answer.text for n in (books.paid, books.overdue, books.current))
    assert "71 d overdue" in answer.text and answer.action is None and _proposals(app) == []


def test_dutch_staff_questions_about_holds_and_an_account_are_answered_in_dutch(app, books):
    holds = _staff(app, "welke klanten hebben geblokkeerde bestellingen?")
    assert "Klanten met vastgehouden bestellingen" in holds.text and books.held in holds.text
    invoices = _staff(app, "toon de facturen van klant C1")
    assert "Facturen van C1" in invoices.text and books.overdue in invoices.text


def test_an_unknown_customer_is_named_as_unknown(app, books):
    assert "There is no customer C999" in _staff(app, "show me the invoices of customer C999").text


def test_a_customer_asking_a_procedure_question_gets_no_handbook_internals(app, books):
    answer = chat_turn(app, "C1", None, "how do I handle a short payment?", None)
    assert "Source" not in answer.text and "deductions desk" not in answer.text


def test_a_customer_cannot_see_another_customers_invoices(app, books):
    with app.uow() as uow:
        theirs = [i.number for i in uow.invoices.where(t.invoices.c.customer_id == "C2")]
    for acting in (None, "portal:PA-000001", "clerk.anna"):
        answer = chat_turn(app, "C1", None, "show me the invoices of customer C2", None, acting=acting)
        assert theirs and not any(n in answer.text for n in theirs) and "Customer C2" not in answer.text
