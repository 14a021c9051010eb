"""EN 16931 totals with allowances and charges, worked through by hand (domain/invoices.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from o2c.domain.invoices import AllowanceCharge, DocumentKind, InvoiceLine, build_document
from o2c.domain.money import Money

D = Decimal


def eur(text: str) -> Money:
    return Money.of(text, "EUR")


def two_line_invoice(**extra):
    lines = (InvoiceLine(1, "cola", "Cola", D("10"), D("4.105"), "S", D("21")),
             InvoiceLine(2, "gift", "Gift box", D("1"), D("50"), "E", D("0"),
                         allowance_charges=(AllowanceCharge(False, D("5.00"), "Damaged box", "65"),)))
    return build_document("INV-1", DocumentKind.INVOICE, "c1", date(2026, 3, 1), date(2026, 3, 31), "EUR", lines,
                          {"E": "Exempt from VAT"}, **extra)


def test_a_line_allowance_lowers_the_line_net_and_its_vat_group():
    invoice = two_line_invoice()
    assert [ln.net("EUR") for ln in invoice.lines] == [eur("41.05"), eur("45.00")]
    assert invoice.line_total == eur("86.05")
    assert {(s.category, s.taxable) for s in invoice.tax_subtotals} == {("S", eur("41.05")), ("E", eur("45.00"))}
    assert invoice.problems() == []


def test_document_allowances_and_charges_move_the_taxable_amount_of_their_vat_group():
    invoice = two_line_invoice(allowance_charges=(
        AllowanceCharge(False, D("1.05"), "Loyalty", "100", "S", D("21")),
        AllowanceCharge(True, D("10.00"), "Freight", "FC", "S", D("21"))))
    standard = next(s for s in invoice.tax_subtotals if s.category == "S")
    assert invoice.allowance_total == eur("1.05") and invoice.charge_total == eur("10.00")
    assert invoice.net_total == eur("95.00")  # BT-109 = 86.05 - 1.05 + 10.00
    assert standard.taxable == eur("50.00") and standard.tax == eur("10.50")
    assert invoice.gross_total == eur("105.50") and invoice.payable == eur("105.50")
    assert invoice.problems() == []


def test_prepaid_and_rounding_change_only_the_amount_due():
    invoice = two_line_invoice(prepaid=eur("50.00"), rounding=eur("0.01"))
    assert invoice.payable == invoice.gross_total - eur("50.00") + eur("0.01")
    assert invoice.problems() == []


def test_a_price_per_base_quantity_is_divided_before_the_line_is_rounded():
    line = InvoiceLine(1, "water", "Water", D("7"), D("1.00"), "S", D("9"), base_quantity=D("3"))
    assert line.net("EUR") == eur("2.33")


def test_the_list_price_above_the_net_price_is_the_promotion_discount():
    line = InvoiceLine(1, "cola", "Cola", D("1"), D("10.80"), "S", D("21"), list_price=D("12.00"))
    assert line.price_discount == D("1.20")
    assert replace(line, list_price=D("9")).price_discount == 0


def test_problems_name_a_document_allowance_without_vat_category_and_a_tampered_subtotal():
    invoice = two_line_invoice(allowance_charges=(AllowanceCharge(False, D("1.00"), "Loyalty"),))
    tampered = replace(invoice, tax_subtotals=(replace(invoice.tax_subtotals[0], tax=eur("99")),
                                               *invoice.tax_subtotals[1:]))
    found = " | ".join(tampered.problems())
    assert "needs a VAT category and rate" in found
    assert "tax 99.00 EUR != taxable x rate" in found


def test_problems_require_an_exemption_for_exempt_groups_and_the_buyer_vat_id_for_intra_eu_supply():
    lines = (InvoiceLine(1, "beer", "Beer", D("1"), D("10"), "K", D("0")),
             InvoiceLine(2, "gift", "Gift", D("1"), D("10"), "E", D("0")))
    invoice = build_document("INV-2", DocumentKind.INVOICE, "c1", date(2026, 3, 1), date(2026, 3, 31), "EUR", lines)
    found = " | ".join(invoice.problems())
    assert "VAT E 0% needs an exemption" in found
    assert "needs the buyer's VAT id" in found


def test_an_invoice_in_another_currency_carries_its_vat_in_the_accounting_currency():
    line = InvoiceLine(1, "cola", "Cola", D("100"), D("1"), "S", D("20"))
    invoice = build_document("INV-3", DocumentKind.INVOICE, "c1", date(2026, 3, 1), date(2026, 3, 31), "GBP",
                             (line,), fx_rate=D("1.1725"), accounting_currency="EUR")
    assert invoice.tax_total == Money.of("20.00", "GBP")
    assert invoice.accounting_tax_total == eur("23.45")
