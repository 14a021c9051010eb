"""An e-mail's reading (embedded or LLM) is checked against the records before anything is proposed:
only the sender's own invoices and orders survive; another customer's number is refused like an
unknown one (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from o2c.adapters.nlp.email_reading import EmailReading, read_email
from o2c.services.email_reading import checked
from tests.e2e.chat_world import World, build


@pytest.fixture
def world(app) -> World:
    return build(app)


def test_an_llm_reading_keeps_the_customers_own_invoice_and_refuses_another_customers(app, world):
    reading = EmailReading(
        kind="remittance",
        invoice_numbers=[world.invoice, world.other_invoice, "INV-2099-000999"],
        amount=Decimal("121.00"),
        currency="EUR",
        source="llm",
    )
    with app.uow() as uow:
        result = checked(reading, uow.customers.get("C1"), uow)
    assert result.invoice_numbers == (world.invoice,)
    assert result.refused == (world.other_invoice, "INV-2099-000999")
    assert result.amount is not None and result.amount.amount == Decimal("121.00") and result.source == "llm"


def test_an_amount_in_another_currency_than_the_invoices_is_dropped(app, world):
    reading = EmailReading(
        kind="remittance", invoice_numbers=[world.invoice], amount=Decimal("100"), currency="USD"
    )
    with app.uow() as uow:
        assert checked(reading, uow.customers.get("C1"), uow).amount is None


def test_the_embedded_reader_reads_a_remittance_e_mail_with_its_invoice_and_amount(app, world):
    reading = read_email(
        f"Hello, we transferred EUR 121.00 for invoice {world.invoice} yesterday.", date(2026, 9, 10)
    )
    assert reading.kind == "remittance" and reading.source == "embedded"
    with app.uow() as uow:
        result = checked(reading, uow.customers.get("C1"), uow)
    assert result.invoice_numbers == (world.invoice,) and result.amount is not None
