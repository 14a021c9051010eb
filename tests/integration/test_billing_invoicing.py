"""Billing on a real database: invoice from delivery, pre-issue holds fixed by the agent or a person,
rebills, rebates, delivery channels and ECB rates — with the ledger's invariants after each."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from o2c.adapters.fx_ecb import import_ecb
from o2c.adapters.store.billing_store import BillingStore
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain.customers import Channel
from o2c.domain.invoices import DocumentKind
from o2c.domain.money import Money
from o2c.domain.rebates import InvoiceTerms, RebateAgreement, Tier
from o2c.services.proposals import approve
from tests.factories import customer, seed

D = Decimal
DAY = date(2026, 9, 1)


def delivered(app, customer_id: str, lines: dict[str, int], ship: dict[str, int] | None = None,  # type: ignore[no-untyped-def]
              po: str | None = None) -> str:
    order_lines = tuple(c.CaptureOrderLine(sku, D(q)) for sku, q in lines.items())
    app.execute(c.CaptureOrder(customer_id, f"{customer_id}-S1", "email", DAY + timedelta(days=2), order_lines, po),
                "test", "order")
    app.dispatcher.drain()
    with app.uow() as uow:
        order = uow.orders.open_for(customer_id)[-1]
    quantities = {str(n): D(q) for n, q in (ship or {str(i): q for i, q in enumerate(lines.values(), 1)}).items()}
    app.execute(c.ShipOrder(order.id, "RTM", "DSV", DAY + timedelta(days=1), quantities), "test", "ship")
    with app.uow() as uow:
        delivery = uow.deliveries.where(uow.deliveries.table.c.order_id == order.id)[-1]
    app.execute(c.ConfirmDelivery(delivery.id, "POD1"), "test", "pod")
    return delivery.id


def ledger_problems(app) -> list[str]:  # type: ignore[no-untyped-def]
    with app.uow() as uow:
        return uow.ledger.problems()


def test_a_partial_delivery_bills_what_was_delivered_with_the_promotion_as_a_line_allowance(app):
    seed(app)
    with app.uow() as uow:
        BillingStore(uow.conn).put_terms("C1", InvoiceTerms(small_drop_below=D(150), small_drop_charge=D("12.50")))
        uow.commit()
    delivery_id = delivered(app, "C1", {"COLA": 5, "WATER": 10}, ship={"1": 3, "2": 4})
    result = app.execute(c.InvoiceDelivery(delivery_id), "billing", "bill")
    assert result.startswith("invoice INV-2026-000001"), result
    with app.uow() as uow:
        invoice = uow.invoices.get("INV-2026-000001")
    cola, water = invoice.lines
    assert (cola.quantity, cola.unit_price, cola.tax_rate) == (D(3), D("10.00"), D(21))
    assert (water.quantity, water.unit_price, water.promotion_id) == (D(4), D("5.00"), "P1")
    assert [(ac.amount, ac.reason) for ac in water.allowance_charges] == [(D("2.00"), "Promotion P1")]
    assert water.net("EUR") == Money.of("18.00", "EUR")
    assert sum(ac.amount for ac in invoice.allowance_charges if ac.charge) == D("12.50")
    assert invoice.net_total == Money.of("60.50", "EUR") and not invoice.problems()
    assert invoice.delivery_date == DAY and invoice.channel == "email"
    assert ledger_problems(app) == []


def test_a_price_off_contract_is_held_without_a_number_and_the_agent_applies_the_contract_price(app):
    seed(app)
    with app.uow() as uow:
        BillingStore(uow.conn).put_contract_prices("C1", "EUR", {"COLA": D("9.50")})
        uow.commit()
    delivery_id = delivered(app, "C1", {"COLA": 3})
    result = app.execute(c.InvoiceDelivery(delivery_id), "billing", "bill")
    assert "held before invoicing" in result and "9.5" in result
    with app.uow() as uow:
        assert uow.invoices.count() == 0
    app.dispatcher.drain()
    with app.uow() as uow:
        invoice = uow.invoices.for_delivery(delivery_id)
        [proposal] = uow.proposals.list(agent="billing")
    assert invoice.number == "INV-2026-000001" and invoice.lines[0].unit_price == D("9.50")
    assert (proposal.action, proposal.status) == ("correct_invoice_price", "executed")
    assert ledger_problems(app) == []


def test_a_malformed_vat_id_is_queued_for_a_person_who_fixes_it_and_approves(app):
    seed(app, customer("C2", country="DE", vat_id="DE12345"))
    delivery_id = delivered(app, "C2", {"COLA": 2})
    assert "held before invoicing" in app.execute(c.InvoiceDelivery(delivery_id), "billing", "bill")
    app.dispatcher.drain()
    with app.uow() as uow:
        [proposal] = uow.proposals.list(agent="billing")
        assert (proposal.action, proposal.status) == ("review_billing_hold", "pending")
        uow.customers.save(replace(uow.customers.get("C2"), vat_id="DE123456789"))
        result = approve(uow, proposal.id, "alice", "VAT id corrected from the customer's letterhead", app.company)
        uow.commit()
    assert result.startswith("invoice INV-2026-000001")
    with app.uow() as uow:
        invoice = uow.invoices.get("INV-2026-000001")
    assert invoice.tax_subtotals[0].category == "K" and "Reverse charge" in (invoice.tax_note or "")


def test_a_rebill_credits_the_whole_invoice_and_issues_a_corrected_one_that_names_it(app):
    seed(app)
    app.execute(c.InvoiceDelivery(delivered(app, "C1", {"COLA": 4, "WATER": 2})), "billing", "bill")
    result = app.execute(c.RebillInvoice("INV-2026-000001", "agreed price", {"1": D("9.00")}), "person", "dispute")
    assert "CN-2026-000001" in result and "INV-2026-000002" in result
    with app.uow() as uow:
        original, note, new = (uow.invoices.get(n) for n in ("INV-2026-000001", "CN-2026-000001", "INV-2026-000002"))
        item = uow.ledger.item_for_document("INV-2026-000001", "invoice")
    assert note.kind is DocumentKind.CREDIT_NOTE and note.gross_total == original.gross_total
    assert note.corrects == new.corrects == original.number
    assert new.lines[0].unit_price == D("9.00") and new.net_total == Money.of("45.00", "EUR")
    assert item.is_settled
    assert ledger_problems(app) == []


def test_a_rebate_is_accrued_then_settled_by_one_credit_note_after_its_period(app, clock):
    seed(app)
    with app.uow() as uow:
        BillingStore(uow.conn).add_rebate(RebateAgreement("RB-1", "C1", "EUR", DAY, DAY + timedelta(days=2),
                                                          (Tier(D(10), D(2)), Tier(D(1000), D(5)))))
        uow.commit()
    app.execute(c.InvoiceDelivery(delivered(app, "C1", {"COLA": 10, "WATER": 8})), "billing", "bill")
    app.execute(c.AccrueRebates(DAY + timedelta(days=1)), "billing", "accrue")
    with app.uow() as uow:
        accrual = BillingStore(uow.conn).latest_accrual("RB-1")
    assert accrual.amount == Money.of("2.72", "EUR")  # 2 % of 100.00 + 36.00
    clock.advance_to(clock.now() + timedelta(days=4))
    app.execute(c.AccrueRebates(DAY + timedelta(days=4)), "billing", "accrue")
    app.dispatcher.drain()
    with app.uow() as uow:
        [note] = [d for d in uow.invoices.all() if d.kind is DocumentKind.CREDIT_NOTE]
        settled_by = BillingStore(uow.conn).rebate("RB-1")[1]
    assert note.net_total == Money.of("2.72", "EUR") and settled_by == note.number
    assert {(s.category, s.rate) for s in note.tax_subtotals} == {("S", D(21)), ("S", D(9))}
    assert "already settled" in app.execute(c.SettleRebate("RB-1"), "billing", "again")
    assert ledger_problems(app) == []


def test_each_document_goes_out_once_on_its_customers_channel(app):
    peppol = replace(customer("C3"), preferred_channel=Channel.PEPPOL, gln="8712345000011")
    seed(app, replace(customer("C1"), email="ap@c1.example"), peppol)
    app.execute(c.InvoiceDelivery(delivered(app, "C1", {"COLA": 1})), "billing", "bill")
    app.execute(c.InvoiceDelivery(delivered(app, "C3", {"COLA": 1})), "billing", "bill")
    numbers = ("INV-2026-000001", "INV-2026-000002")
    assert "2 of 2" in app.execute(c.SendInvoice(numbers), "billing", "send")
    assert "0 of 2" in app.execute(c.SendInvoice(numbers), "billing", "send again")
    with app.uow() as uow:
        [message] = uow.messages.for_customer("C1")
        outbound = {o.document: o for o in BillingStore(uow.conn).outbound()}
    assert message.meta["attachments"] == [{"filename": "INV-2026-000001.pdf", "format": "pdf"}]
    assert outbound["INV-2026-000002"].destination == "peppol:0088:8712345000011"
    assert b"<cbc:EndpointID schemeID=\"0088\">8712345000011</cbc:EndpointID>" in outbound["INV-2026-000002"].content


def test_a_gbp_invoice_uses_the_ecb_rate_and_the_ledger_records_it(app):
    seed(app, customer("C4", country="GB", currency="GBP", vat_id="GB123456789"))
    with app.uow() as uow:
        report = import_ecb(uow, b"Date,USD,GBP,\n2026-08-31,1.1000,0.8000,\n")
        uow.commit()
    assert report.stored == 2
    with app.uow() as uow:
        assert import_ecb(uow, b"Date,USD,GBP,\n2026-08-31,1.1000,0.8000,\n").stored == 0
    app.execute(c.InvoiceDelivery(delivered(app, "C4", {"COLA": 2})), "billing", "bill")
    with app.uow() as uow:
        invoice = uow.invoices.get("INV-2026-000001")
        item = uow.ledger.item_for_document(invoice.number, "invoice")
    assert invoice.fx_rate == D("1.25") and invoice.tax_subtotals[0].category == "G"
    assert item.carrying == Money.of("25.00", "EUR")  # 20.00 GBP at 1.25
    assert ledger_problems(app) == []


@pytest.mark.postgres
def test_invoice_numbers_stay_gapless_when_writers_race_and_some_roll_back(app, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrent writers are a PostgreSQL test")
    with app.uow() as uow:
        uow.invoices.next_number("INV", 2026)
        uow.commit()
    taken: list[str] = []
    lock = threading.Lock()

    def writer(n: int) -> None:
        for k in range(10):
            with UnitOfWork(app.engine, app.clock, "EUR") as uow:
                number = uow.invoices.next_number("INV", 2026)
                if (n + k) % 4 == 0:
                    uow.rollback()
                    continue
                uow.commit()
                with lock:
                    taken.append(number)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sequence = sorted(int(n.rsplit("-", 1)[1]) for n in taken)
    assert sequence == list(range(2, 2 + len(taken)))
    with app.uow() as uow:
        from o2c.adapters.store import tables as t
        last = uow.conn.execute(select(t.number_series.c.last).where(t.number_series.c.series == "INV")).scalar()
    assert last == 1 + len(taken)
