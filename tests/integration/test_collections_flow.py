"""Collections end to end on both databases: reminders that stop on disputes, promises and payments;
replies turned into promises and cases; broken promises followed up; statements and resolutions."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from o2c.adapters.store import tables as t
from o2c.adapters.store.collections_store import CollectionsStore
from o2c.domain import commands as c
from o2c.domain.money import Money
from o2c.services.collections import start_day
from o2c.views.collections import kpis, reminder_violations, worklists
from tests.factories import customer, seed

DAY = date(2026, 9, 1)                                     # invoices issued today are due on 1 October
MONDAY = date(2026, 10, 5)


def _invoice(app, qty: int = 10) -> str:
    result = app.execute(c.CaptureOrder("C1", "C1-S1", "email", DAY + timedelta(days=2),
                                        (c.CaptureOrderLine("COLA", Decimal(qty)),)), "channel:email", "order")
    order_id = result.split()[1]
    app.dispatcher.drain()
    shipped = app.execute(c.ShipOrder(order_id, "WH1", "DHL", DAY + timedelta(days=1), {"1": Decimal(qty)}),
                          "warehouse", "ship")
    delivery_id = shipped.split()[1]
    app.execute(c.ConfirmDelivery(delivery_id, f"POD-{delivery_id}"), "carrier", "pod")
    invoiced = app.execute(c.InvoiceDelivery(delivery_id), "billing", "invoice")
    app.dispatcher.drain()
    return invoiced.split()[1]


def _run_collections(app, day: date) -> None:
    app.clock.advance_to(max(app.clock.now(), datetime.combine(day, time(10))))
    start_day(app)
    app.dispatcher.drain()


def _reminders(app) -> list[dict]:
    with app.uow() as uow:
        return CollectionsStore(uow.conn).notices()


def _reply(app, text: str, n: int = 1) -> None:
    app.execute(c.ReceiveCustomerReply("C1", "email", "Re: reminder", text, "ap@c1.example", f"test-{n}"),
                "customer:C1", "reply")
    app.dispatcher.drain()


def _seeded(app) -> str:
    seed(app, replace(customer(limit="100000"), email="ap@c1.example"))
    return _invoice(app)


def test_an_overdue_invoice_is_reminded_once_per_step_in_one_grouped_message(app):
    first = _seeded(app)
    second = _invoice(app, 5)
    _run_collections(app, MONDAY)                          # horeca: first step 2 days after due
    _run_collections(app, MONDAY)
    notices = _reminders(app)
    assert {(n["document"], n["step"]) for n in notices} == {(first, "first"), (second, "first")}
    assert len({n["carrier_ref"] for n in notices}) == 1
    with app.uow() as uow:
        [message] = [m for m in uow.messages.for_customer("C1") if m.kind.startswith("dunning_")]
    assert first in message.body and second in message.body and message.language == "en"


def test_no_reminder_goes_to_an_invoice_under_an_open_dispute_or_already_paid(app):
    disputed = _seeded(app)
    paid = _invoice(app)
    app.execute(c.OpenDispute("C1", disputed, "damage", Money.of("10", "EUR"), "test", "broken"), "clerk", "dispute")
    with app.uow() as uow:
        item = uow.ledger.item_for_document(paid, "invoice")
    payment = app.execute(c.RecordPayment(DAY + timedelta(days=20), item.open, "Customer C1", "NL00BANKC1", paid),
                          "bank", "statement").split()[1]
    app.execute(c.ApplyPayment(payment, "C1", (paid,), (item.open,)), "cash", "apply")
    app.dispatcher.drain()
    _run_collections(app, DAY + timedelta(days=40))
    assert {n["document"] for n in _reminders(app)} == set()


def test_a_promise_in_a_reply_pauses_reminders_and_when_broken_is_followed_up(app):
    invoice = _seeded(app)
    _run_collections(app, MONDAY)
    app.clock.tick(3600)
    _reply(app, f"Sorry, we will pay {invoice} on 2026-10-10.")
    with app.uow() as uow:
        [promise] = uow.promises.all()
    assert promise.promised_date == date(2026, 10, 10) and promise.invoice_numbers == (invoice,)
    _run_collections(app, date(2026, 10, 12))                # second step due, but promised (grace): nothing
    assert [n["step"] for n in _reminders(app)] == ["first"]
    _run_collections(app, date(2026, 10, 13))                # date + 2 days grace passed: broken
    with app.uow() as uow:
        assert uow.promises.get(promise.id).status == "broken"
        kinds = [m.kind for m in uow.messages.for_customer("C1")]
        calls = uow.tasks.open_for("collections")
    assert "promise_followup" in kinds and any(promise.id in task.title for task in calls)
    with app.uow() as uow:
        assert reminder_violations(uow.conn) == []


def test_a_disputing_reply_opens_a_case_and_a_small_claim_is_settled_within_policy(app):
    invoice = _seeded(app)
    _run_collections(app, MONDAY)
    app.clock.tick(3600)
    _reply(app, f"Two bottles of {invoice} arrived broken (EUR 12.10), please credit.")
    with app.uow() as uow:
        [case] = uow.cases.all()
        proposals = uow.proposals.list(agent="disputes")
    assert case.reason_code == "damage" and case.invoice_number == invoice
    assert case.amount == Money.of("12.10", "EUR")
    assert proposals and proposals[0].action in ("write_off_deduction", "resolve_dispute_credit_note")
    with app.uow() as uow:
        assert uow.cases.get(case.id).status.value == "resolved"
        item = uow.ledger.item_for_document(invoice, "invoice")
        assert item.open == item.original - Money.of("12.10", "EUR")


def test_an_already_paid_reply_holds_reminders_until_the_announcement_expires(app):
    invoice = _seeded(app)
    _run_collections(app, MONDAY)
    app.clock.tick(3600)
    _reply(app, "We already paid this last week, please check your bank.")
    _run_collections(app, date(2026, 10, 12))
    assert [n["step"] for n in _reminders(app)] == ["first"]
    _run_collections(app, date(2026, 10, 13))                # past the 7 days: expired, a person looks
    with app.uow() as uow:
        tasks = uow.tasks.open_for("collections")
    assert any(task.kind == "payment_search" for task in tasks)
    assert invoice in {n["document"] for n in _reminders(app)}


def test_a_statement_of_account_lists_the_open_items(app):
    invoice = _seeded(app)
    app.execute(c.SendStatement("C1"), "clerk", "asked")
    with app.uow() as uow:
        [statement] = [m for m in uow.messages.for_customer("C1") if m.kind == "statement"]
    assert invoice in statement.body


def test_kpis_and_worklists_read_the_ledger_at_a_date(app):
    _seeded(app)
    with app.uow() as uow:
        before = kpis(uow.conn, DAY + timedelta(days=10), "EUR")
        after = kpis(uow.conn, DAY + timedelta(days=45), "EUR")
        lists = worklists(uow, DAY + timedelta(days=45), {"horeca": ["chloe"]})
    assert before.overdue == 0 and before.receivables > 0 and before.best_possible_dso is not None
    assert after.overdue == after.receivables and after.overdue_share == 1
    assert [i.customer_id for i in lists["chloe"]] == ["C1"]


def test_a_reminder_proposal_made_before_a_dispute_is_not_sent_after_it(app):
    invoice = _seeded(app)
    app.execute(c.OpenDispute("C1", invoice, "price", Money.of("5", "EUR"), "test"), "clerk", "dispute")
    result = app.execute(c.SendReminder("C1", (invoice,), {invoice: "first"}, "email", "friendly", "test"),
                         "collections", "planned earlier")
    assert result.startswith("no reminder sent") and "disputed" in result
    with app.uow() as uow:
        assert uow.conn.execute(select(t.customer_messages.c.id)
                                .where(t.customer_messages.c.kind.like("dunning%"))).first() is None
