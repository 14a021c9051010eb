"""The ledger in a real database (SQLite and PostgreSQL): postings, triggers and checks."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from o2c.domain import commands as c
from o2c.domain.errors import UnbalancedEntry
from o2c.domain.ledger import Settlement, post_document, receive_payment
from o2c.domain.money import Money
from tests.factories import customer, seed

DAY = date(2026, 9, 1)


def _invoice(uow, n: int, amount: str = "121.00", ccy: str = "EUR", rate: Decimal = Decimal(1)):
    gross = Money.of(amount, ccy)
    uow.ledger.post(post_document(f"J{n}", DAY, f"OI{n}", "C1", f"INV-{n}", "invoice", DAY + timedelta(days=30),
                                  gross, Money.zero(ccy), rate, "EUR"))


def test_postings_keep_the_ledger_balanced_in_the_database(app):
    seed(app)
    with app.uow() as uow:
        _invoice(uow, 1)
        item = uow.ledger.item("OI1")
        uow.ledger.post(receive_payment("J2", DAY, "PAY1", "C1", Money.of("150", "EUR"), Decimal(1),
                                        [Settlement(item, Money.of("121", "EUR"))], "EUR", unapplied_item_id="OI2"))
        uow.commit()
    with app.uow() as uow:
        assert uow.ledger.problems() == []
        assert uow.ledger.item("OI1").open.is_zero()
        assert uow.ledger.item("OI2").open == Money.of("29", "EUR")


def test_the_database_refuses_to_post_an_unbalanced_entry_written_around_the_code(app):
    seed(app)
    with app.uow() as uow:
        uow.conn.execute(text("INSERT INTO journal_entries (id, posted_on, description, source, status) "
                              "VALUES ('JX', '2026-09-01', 'forged', 'forged', 'draft')"))
        uow.conn.execute(text("INSERT INTO journal_lines (entry_id, account, functional_minor, currency, amount_minor) "
                              "VALUES ('JX', '1000', 500, 'EUR', 500)"))
        with pytest.raises((DBAPIError, IntegrityError), match="does not balance"):
            uow.conn.execute(text("UPDATE journal_entries SET status = 'posted' WHERE id = 'JX'"))


def test_the_database_refuses_ar_lines_without_matching_open_item_movements(app):
    seed(app)
    with app.uow() as uow:
        uow.conn.execute(text("INSERT INTO journal_entries (id, posted_on, description, source, status) "
                              "VALUES ('JX', '2026-09-01', 'forged', 'forged', 'draft')"))
        uow.conn.execute(text("INSERT INTO journal_lines (entry_id, account, functional_minor, currency, amount_minor) "
                              "VALUES ('JX', '1100', 500, 'EUR', 500), ('JX', '4000', -500, 'EUR', -500)"))
        with pytest.raises((DBAPIError, IntegrityError), match="open item movements"):
            uow.conn.execute(text("UPDATE journal_entries SET status = 'posted' WHERE id = 'JX'"))


def test_an_open_item_cannot_go_below_zero_even_by_direct_sql(app):
    seed(app)
    with app.uow() as uow:
        _invoice(uow, 1)
        uow.commit()
        with pytest.raises((DBAPIError, IntegrityError)):
            uow.conn.execute(text("UPDATE open_items SET open_minor = -1 WHERE id = 'OI1'"))


def test_posted_journal_lines_cannot_be_changed(app):
    seed(app)
    with app.uow() as uow:
        _invoice(uow, 1)
        uow.commit()
        with pytest.raises((DBAPIError, IntegrityError), match="immutable"):
            uow.conn.execute(text("UPDATE journal_lines SET functional_minor = 1"))


def test_an_over_application_is_refused_before_anything_is_written(app):
    seed(app)
    with app.uow() as uow:
        _invoice(uow, 1)
        uow.commit()
    with app.uow() as uow:
        item = uow.ledger.item("OI1")
        forged = receive_payment("J2", DAY, "PAY1", "C1", Money.of("121", "EUR"), Decimal(1),
                                 [Settlement(item, Money.of("121", "EUR"))], "EUR")
        uow.ledger.post(forged)
        uow.commit()
    with app.uow() as uow, pytest.raises(UnbalancedEntry, match="below zero"):
        uow.ledger.post(forged.reversed("J3", DAY).reversed("J4", DAY))
    with app.uow() as uow:
        assert uow.ledger.problems() == []


def test_issued_invoices_cannot_be_changed_in_the_database(app, clock):
    seed(app)
    app.execute(c.CaptureOrder("C1", "C1-S1", "email", DAY + timedelta(days=2),
                               (c.CaptureOrderLine("COLA", Decimal(3)),)), "test", "order")
    app.dispatcher.drain()
    with app.uow() as uow:
        order_id = uow.orders.all()[0].id
    app.execute(c.ShipOrder(order_id, "RTM", "DSV", DAY + timedelta(days=1), {"1": Decimal(3)}), "test", "ship")
    with app.uow() as uow:
        delivery_id = uow.deliveries.all()[0].id
    app.execute(c.ConfirmDelivery(delivery_id, "POD1"), "test", "pod")
    result = app.execute(c.InvoiceDelivery(delivery_id), "test", "bill")
    number = result.split()[1]
    with app.uow() as uow:
        invoice = uow.invoices.get(number)
        assert invoice.gross_total == Money.of("36.30", "EUR")  # 3 x 10.00 + 21 % VAT
        with pytest.raises((DBAPIError, IntegrityError), match="immutable"):
            uow.conn.execute(text(f"UPDATE invoices SET gross_minor = 1 WHERE number = '{number}'"))
    assert "already invoiced" in app.execute(c.InvoiceDelivery(delivery_id), "test", "bill again")
    with app.uow() as uow:
        assert uow.invoices.count() == 1


def test_foreign_currency_invoice_is_carried_in_euro_at_the_day_rate(app):
    seed(app, customer("C1", country="GB", currency="GBP", vat_id="GB123456789"))
    with app.uow() as uow:
        rate = uow.fx.to_functional("GBP", DAY)
        _invoice(uow, 1, "850.00", "GBP", rate)
        uow.commit()
    with app.uow() as uow:
        assert uow.ledger.item("OI1").carrying == Money.of("1000.00", "EUR")
        assert uow.ledger.problems() == []
