"""Acceptance: every kind of document o2c issues renders as UBL that passes XSD, EN 16931 and Peppol BIS 3."""

from __future__ import annotations

import time

import pytest

from o2c.adapters.formats.einvoice.ubl import render_ubl
from o2c.domain.invoices import DocumentKind

from .builders import customer_of, invoice_set

DOCUMENTS = invoice_set()


def test_the_invoice_set_covers_every_vat_category_allowances_credit_notes_and_currencies():
    categories = {(s.category, s.rate) for d in DOCUMENTS.values() for s in d.tax_subtotals}
    rates = {rate for category, rate in categories if category == "S"}
    assert {"S", "Z", "E", "K", "G", "O"} <= {category for category, _ in categories}
    assert {21, 9, 20, 19} <= rates
    assert any(ln.allowance_charges or ln.price_discount for d in DOCUMENTS.values() for ln in d.lines)
    assert any(ac.charge for d in DOCUMENTS.values() for ac in d.allowance_charges)
    assert any(not ac.charge for d in DOCUMENTS.values() for ac in d.allowance_charges)
    assert any(d.kind is DocumentKind.CREDIT_NOTE for d in DOCUMENTS.values())
    assert {"GBP", "USD", "EUR"} <= {d.currency for d in DOCUMENTS.values()}
    assert all(not d.problems() for d in DOCUMENTS.values())


@pytest.mark.parametrize("number", sorted(DOCUMENTS))
def test_each_issued_document_passes_xsd_en16931_and_peppol_rules(number, validator, seller):
    document = DOCUMENTS[number]
    report = validator.validate(render_ubl(document, customer_of(document), seller), number)
    assert report.passed, f"{number} fails:\n{report.describe()}"


def test_a_foreign_currency_invoice_states_its_vat_in_euro_too(seller):
    document = DOCUMENTS["INV-2026-000105"]
    xml = render_ubl(document, customer_of(document), seller).decode()
    assert "<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>" in xml
    assert f'<cbc:TaxAmount currencyID="EUR">{document.accounting_tax_total.amount}</cbc:TaxAmount>' in xml


def test_the_validator_reports_a_broken_total_and_an_unknown_exemption_code_by_rule_id(validator, seller):
    document = DOCUMENTS["INV-2026-000101"]
    xml = render_ubl(document, customer_of(document), seller)
    broken = xml.replace(b'<cbc:PayableAmount currencyID="EUR">', b'<cbc:PayableAmount currencyID="EUR">1')
    broken = broken.replace(b"VATEX-EU-132", b"VATEX-EU-NOPE")
    report = validator.validate(broken)
    assert not report.passed
    assert {"BR-CO-16", "BR-CL-22"} <= {f.id for f in report.blocking}
    assert all(f.flag and f.text and f.location.startswith("/Invoice") for f in report.failures)


def test_the_validator_reports_xsd_errors_for_elements_out_of_order(validator, seller):
    document = DOCUMENTS["INV-2026-000104"]
    xml = render_ubl(document, customer_of(document), seller)
    broken = xml.replace(b"<cbc:DueDate>2026-04-15</cbc:DueDate>", b"").replace(
        b"<cbc:DocumentCurrencyCode>", b"<cbc:DueDate>2026-04-15</cbc:DueDate><cbc:DocumentCurrencyCode>")
    report = validator.validate(broken)
    assert report.xsd_errors and not report.passed


def test_validation_with_compiled_stylesheets_is_fast(validator, seller):
    rendered = [render_ubl(d, customer_of(d), seller) for d in DOCUMENTS.values()]
    started = time.perf_counter()
    for xml in rendered:
        validator.validate(xml)
    per_second = len(rendered) / (time.perf_counter() - started)
    print(f"\nUBL validation (XSD + EN 16931 + Peppol): {per_second:.1f} documents/s")
    assert per_second > 2
