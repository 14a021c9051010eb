"""A clerk finishes the work o2c hands them, in a real browser on the demo company: a VAT id corrected
and its held deliveries invoiced, an unknown EDI sender mapped and its quarantined order re-run, a
payment applied to a customer found by name, a receipt that is no customer's payment posted elsewhere.

Every page touched is photographed at desktop width and at 390 px (a phone) into ``O2C_SCREENSHOTS``
or, without it, a folder under the test session's tmp."""

from __future__ import annotations

import os
import re
from decimal import Decimal
from pathlib import Path

import pytest
from stdnum.eu import vat as eu_vat

from o2c.adapters.store.billing_store import BillingStore
from o2c.domain import commands as c
from o2c.domain.money import Money
from o2c.services.intake import IntakeService
from o2c.views.common import business_date
from tests.browser.conftest import login

ORDERS = Path(__file__).resolve().parents[1] / "data" / "orders" / "x12"
VALID_VAT = {
    "DE": "DE100000008",
    "FR": "FR40303265045",
    "BE": "BE0403170701",
    "AT": "ATU13585627",
    "NL": "NL004495445B01",
    "IT": "IT00743110157",
    "ES": "ESA28015865",
    "PL": "PL5260250995",
}


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = Path(os.environ.get("O2C_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def photograph(page, shots: Path, name: str) -> None:
    """The page as it is, at desktop width and at 390 px; a phone must not scroll sideways."""
    page.screenshot(path=str(shots / f"{name}-desktop.png"), full_page=True)
    desktop = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / f"{name}-390.png"), full_page=True)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size(desktop)
    assert width <= 400, f"{name} is {width}px wide on a 390px screen"


def _vat_hold(demo) -> tuple[str, str, list[str]]:
    with demo.app.uow(read_only=True) as uow:
        for hold in BillingStore(uow.conn).holds():
            customer = uow.customers.get(hold.customer_id)
            if {f.code.value for f in hold.findings} == {"vat_id_invalid"} and customer.country in VALID_VAT:
                return (
                    customer.id,
                    customer.country,
                    [h.delivery_id for h in BillingStore(uow.conn).holds_of(customer.id)],
                )
    pytest.fail("the demo holds no delivery for an invalid VAT id alone")


def test_a_clerk_corrects_a_vat_id_and_sees_the_held_deliveries_invoiced(page, demo, shots):
    customer_id, country, held = _vat_hold(demo)
    assert eu_vat.is_valid(VALID_VAT[country])
    login(page, "carla")
    page.goto(f"/accounts/{customer_id}")
    page.click("[data-action=master-data]")
    assert all(d in page.inner_text("#held-deliveries") for d in held)
    photograph(page, shots, "master-data")
    page.fill("input[name=vat_id]", "DE123")
    page.click("#master-data-form button[type=submit]")
    assert "not a valid" in page.inner_text(".flash.bad")
    page.fill("input[name=vat_id]", VALID_VAT[country])
    page.fill("input[name=reason]", "VAT id from the customer's letterhead")
    page.click("#master-data-form button[type=submit]")
    flash = page.inner_text(".flash.ok")
    assert f"{len(held)} of {len(held)} held deliveries invoiced" in flash, flash
    assert "No delivery of this customer is held" in page.inner_text("#held-deliveries")
    photograph(page, shots, "master-data-fixed")
    with demo.app.uow(read_only=True) as uow:
        assert all(uow.invoices.for_delivery(d) is not None for d in held)
        pending = [
            p
            for p in uow.proposals.list(status="pending", agent="billing")
            if p.subject.startswith(f"billing-hold:{customer_id}:")
        ]
        assert pending == []
        [record] = uow.audit.records(actor="carla", action="CorrectCustomer", limit=1)
    assert record.reason == "VAT id from the customer's letterhead"


def _another_customer(demo) -> str:  # type: ignore[no-untyped-def]
    """A customer the other journeys do not use, so mapping a sender to it changes nothing they check."""
    with demo.app.uow(read_only=True) as uow:
        return max(c.id for c in uow.customers.all() if c.id != demo.customer_id)


def test_a_clerk_maps_an_unknown_edi_sender_and_reruns_its_quarantined_order(page, demo, shots):
    report = IntakeService.for_app(demo.app).import_file((ORDERS / "850_b.edi").read_bytes(), "850_b.edi")
    assert [o.reasons for o in report.orders] == [("unknown_customer",)]
    login(page, "carla")
    page.click("[data-nav=quarantine]")
    row = page.locator("tr", has_text="850_b.edi").first
    assert "EDI sender 12:4405197800" in row.inner_text()
    photograph(page, shots, "quarantine")
    row.locator("a").first.click()
    assert "ISA*01" in page.inner_text("#content")
    photograph(page, shots, "quarantine-entry")
    form = page.locator("[data-map='12:4405197800']")
    form.locator("input[name=customer_id]").fill(_another_customer(demo))
    form.locator("button").click()
    flash = page.inner_text(".flash.ok")
    assert "850_b.edi: imported" in flash and "rejected" not in flash, flash
    assert "resolved" in page.inner_text(".heading")
    photograph(page, shots, "quarantine-resolved")
    with demo.app.uow(read_only=True) as uow:
        assert uow.partners.directory().customer_for("4405197800", "12") == _another_customer(demo)


def test_a_clerk_applies_a_payment_to_a_customer_found_by_name(page, demo, shots):
    with demo.app.uow(read_only=True) as uow:
        item = min(
            (
                i
                for i in uow.ledger.all_open()
                if i.kind == "invoice" and i.customer_id != demo.customer_id and i.open.amount > 100
            ),
            key=lambda i: i.document,
        )
        name = uow.customers.get(item.customer_id).name
        on = business_date(uow)
    paid = demo.app.execute(
        c.RecordPayment(on, Money(Decimal("100.00"), item.open.currency), "J. SMITH PRIVATE", None, "THANKS"),
        "bank",
        "bank statement entry",
    )
    payment_id = paid.split()[1]
    login(page, "carla")
    page.goto(f"/cash/{payment_id}")
    page.fill("input[name=q]", name.split()[0].lower())
    page.click("#customer-search button")
    results = page.locator("#customer-results")
    assert name in results.inner_text()
    photograph(page, shots, "cash-payment-search")
    results.get_by_role("link", name=name, exact=True).first.click()
    page.check(f"input[name=document][value='{item.document}']")
    page.fill(f"input[name='amount_{item.document}']", "100.00")
    page.click("#apply-form button[type=submit]")
    assert f"payment {payment_id} applied to {item.document}" in page.inner_text(".flash.ok")


def test_a_clerk_marks_a_receipt_that_is_not_a_customer_payment(page, demo, shots):
    with demo.app.uow(read_only=True) as uow:
        on = business_date(uow)
    paid = demo.app.execute(
        c.RecordPayment(on, Money(Decimal("42.17"), "EUR"), "OUR BANK NV", None, "INTEREST Q3"),
        "bank",
        "bank statement entry",
    )
    payment_id = paid.split()[1]
    login(page, "carla")
    page.goto(f"/cash/{payment_id}")
    photograph(page, shots, "cash-payment")
    page.select_option("#other-receipt select[name=account]", "8100")
    page.fill("#other-receipt input[name=reason]", "interest on the current account")
    page.click("[data-action=other-receipt]")
    assert re.search(rf"payment {payment_id} .* posted to 8100", page.inner_text(".flash.ok"))
    assert page.locator(f"[data-payment={payment_id}]").count() == 0
    photograph(page, shots, "cash-after-other-receipt")
    with demo.app.uow(read_only=True) as uow:
        assert uow.payments.get(payment_id).status.value == "other_receipt"
