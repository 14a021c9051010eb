"""Every intent end to end through ``chat_turn``, on SQLite and PostgreSQL: the reply uses the real state,
and each action went through the policy gate under the customer-service agent's own name."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from o2c.adapters.store import tables as t
from o2c.adapters.store.conversations_store import ConversationStore
from o2c.domain.orders import OrderStatus
from o2c.services.conversations import chat_turn
from tests.e2e.chat_world import World, build


@pytest.fixture
def world(app) -> World:
    return build(app)


def _say(app, text: str, conversation: str | None = None, customer: str | None = "C1"):  # type: ignore[no-untyped-def]
    return chat_turn(app, customer, None, text, conversation)


def _proposals(app) -> list:  # type: ignore[no-untyped-def]
    with app.uow() as uow:
        return list(uow.conn.execute(select(t.proposals).where(t.proposals.c.agent == "customer_service")))


def test_order_status_tells_the_status_carrier_and_dates_of_the_customers_order(app, world):
    answer = _say(app, f"Where is my order {world.delivered_order}?")
    assert answer.intent == "order_status"
    assert world.delivered_order in answer.text and "delivered" in answer.text and "DHL" in answer.text
    assert "Sep 1, 2026" in answer.text


def test_an_open_order_without_a_delivery_shows_its_planned_date(app, world):
    answer = _say(app, "when will my order arrive?")
    assert world.open_order in answer.text and "confirmed" in answer.text and "Sep 6, 2026" in answer.text


def test_delivery_options_list_the_customers_addresses_and_the_earliest_date(app, world):
    answer = _say(app, "What delivery options do you have?")
    assert answer.intent == "delivery_options" and "Damrak 1" in answer.text and "Sep 3, 2026" in answer.text


def test_an_invoice_copy_is_queued_with_the_pdf_and_ubl_attached(app, world):
    answer = _say(app, f"Please send me a copy of invoice {world.invoice}")
    assert answer.intent == "invoice_copy" and answer.outcome == "executed"
    assert "ap@c1.example" in answer.text
    with app.uow() as uow:
        [message] = [m for m in uow.messages.for_customer("C1") if m.kind == "invoice_copy"]
    formats = {a["format"] for a in message.meta["attachments"]}
    assert formats == {"pdf", "ubl"} and message.meta["documents"] == [world.invoice]


def test_an_invoice_question_is_explained_line_by_line_from_the_invoice(app, world):
    answer = _say(app, f"Can you explain the amount on invoice {world.invoice}? I don't understand the total")
    assert answer.intent == "invoice_query" and answer.action is None
    assert "10 x" in answer.text and "€121.00" in answer.text


def test_an_invoice_billed_above_the_customers_price_opens_an_invoice_query_case(app, world):
    from datetime import date

    from o2c.domain.catalog import PriceList, Scope

    with app.uow() as uow:  # the customer's own (lower) contract price list was missed
        uow.price_lists.add(PriceList("PL-C1", "EUR", date(2026, 1, 1), None, Scope(customers=("C1",)),
                                      {"COLA": Decimal("9.00")}))
        uow.commit()
    answer = _say(app, f"The price on invoice {world.invoice} is wrong, we pay less for cola")
    assert answer.intent == "invoice_query" and answer.outcome == "executed"
    assert answer.reference and answer.reference.startswith("CASE-") and "€9.00" in answer.text
    with app.uow() as uow:
        case = uow.cases.get(answer.reference)
    assert case.invoice_number == world.invoice and case.amount.amount == Decimal("10.00")


def test_a_payment_question_lists_open_items_and_payments_received(app, world):
    answer = _say(app, "Have you received our payment?")
    assert answer.intent == "payment_query" and world.invoice in answer.text and "€121.00" in answer.text


def test_missing_items_open_a_case_with_the_deliverys_proof(app, world):
    answer = _say(app, f"The delivery of order {world.delivered_order} was short, 3 cases missing")
    assert answer.intent == "report_problem" and answer.outcome == "executed"
    assert f"POD-{world.delivery}" in answer.text
    with app.uow() as uow:
        case = uow.cases.get(answer.reference)
    assert case.reason_code == "shortage" and case.invoice_number == world.invoice
    assert f"POD POD-{world.delivery}" in case.notes


def test_a_new_order_is_captured_through_the_order_command(app, world):
    answer = _say(app, "I want to order 10 cases of cola for friday")
    assert answer.intent == "place_order" and answer.outcome == "executed"
    with app.uow() as uow:
        order = uow.orders.get(answer.reference)
    assert order.channel == "chat" and order.lines[0].sku == "COLA" and order.lines[0].quantity == 10


def test_an_order_change_is_validated_and_applied(app, world):
    answer = _say(app, f"Please change order {world.open_order} to 6 cases of water")
    assert answer.intent == "change_order" and answer.outcome == "executed"
    with app.uow() as uow:
        assert uow.orders.get(world.open_order).lines[0].quantity == 6


def test_a_delivered_order_cannot_be_changed_from_the_chat(app, world):
    answer = _say(app, f"Please change order {world.delivered_order} to 20 cases of cola")
    assert answer.action is None and "can no longer be changed" in answer.text


def test_an_open_order_is_cancelled_on_request(app, world):
    answer = _say(app, f"Cancel order {world.open_order} please")
    assert answer.intent == "cancel_order" and answer.outcome == "executed"
    with app.uow() as uow:
        assert uow.orders.get(world.open_order).status is OrderStatus.CANCELLED


def test_asking_for_a_person_opens_a_hand_over_task_with_the_transcript(app, world):
    first = _say(app, f"Where is my order {world.open_order}?")
    answer = _say(app, "Can I speak to a human please", first.conversation_id)
    assert answer.intent == "talk_to_person" and answer.handed_over
    with app.uow() as uow:
        [task] = uow.tasks.open_for("customer_service")
    assert task.id == answer.reference and world.open_order in task.detail


def test_small_talk_gets_an_offer_of_help_and_no_action(app, world):
    answer = _say(app, "hello")
    assert answer.intent == "other" and answer.action is None


def test_every_action_was_proposed_by_the_agent_and_decided_by_policy_never_approved(app, world):
    for text in (f"Cancel order {world.open_order} please", f"copy of invoice {world.invoice} please"):
        _say(app, text)
    rows = _proposals(app)
    assert rows and {r.requested_by for r in rows} == {"customer_service"}
    assert all(r.status in ("executed", "pending", "refused") and r.decided_by != "customer" for r in rows)


def test_both_turns_of_every_exchange_are_stored(app, world):
    answer = _say(app, f"Where is my order {world.open_order}?")
    with app.uow() as uow:
        turns = ConversationStore(uow.conn).turns(answer.conversation_id)
    assert [(tn.seq, tn.speaker) for tn in turns] == [(1, "customer"), (2, "agent")]
    assert turns[1].text == answer.text and turns[0].intent == "order_status"


def test_a_change_above_the_agents_limit_waits_for_a_person_who_can_approve_it(app, world):
    from o2c.services.proposals import approve

    answer = _say(app, f"Please change order {world.open_order} to 900 cases of water")
    assert answer.outcome == "needs_approval" and answer.reference and answer.reference.startswith("PR-")
    assert "must approve" in answer.text
    with app.uow() as uow:
        assert uow.orders.get(world.open_order).lines[0].quantity == 4
        approve(uow, answer.reference, "supervisor", "customer confirmed by phone", app.company)
        uow.commit()
        assert uow.orders.get(world.open_order).lines[0].quantity == 900


def test_an_order_the_checks_refuse_books_nothing_and_goes_to_a_person(app, world):
    from o2c.domain.catalog import Product

    with app.uow() as uow:  # a product nobody has priced yet
        uow.products.add(Product("JUICE", "8712345000032", "Orange juice 12x1l", "juice", "12x1l", "CS", 12,
                                 "reduced"))
        uow.commit()
        before = len(uow.orders.where())
    answer = _say(app, "I want to order 10 cases of orange juice for friday")
    assert answer.action == "capture_order" and answer.outcome == "failed" and answer.handed_over
    assert "colleague will look at it" in answer.text
    with app.uow() as uow:
        assert len(uow.orders.where()) == before
        [task] = uow.tasks.open_for("customer_service")
    assert "no EUR price for JUICE" in task.title and task.id == answer.reference


def test_the_disputes_agent_takes_up_a_case_opened_in_the_chat(app, world):
    answer = _say(app, f"The delivery of order {world.delivered_order} was short, 3 cases missing")
    app.dispatcher.drain()
    with app.uow() as uow:
        rows = list(uow.conn.execute(select(t.proposals).where(t.proposals.c.agent == "disputes")))
    assert [r.subject for r in rows] == [f"case:{answer.reference}"]
