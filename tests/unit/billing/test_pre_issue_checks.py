"""Pre-issue validation: every rule names its reason code, and mechanical problems carry their fix."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from o2c.domain.billing_checks import (
    ExpectedPrice,
    PricedLine,
    ReasonCode,
    channel_findings,
    gln_ok,
    master_data_findings,
    po_findings,
    price_findings,
    tax_findings,
    totals_findings,
)
from o2c.domain.customers import Address, Channel, Customer, PaymentTerms, Segment
from o2c.domain.invoices import DocumentKind, InvoiceLine, build_document
from o2c.domain.money import Money

D = Decimal


def customer(country: str = "NL", vat_id: str | None = "NL123456789B01", **extra: object) -> Customer:
    return Customer("C1", "Customer One", Segment.WHOLESALER, country, "EUR", "en",
                    Address("Main Street 1", "Utrecht", "3511", country, extra.pop("region", None)),  # type: ignore[arg-type]
                    (), PaymentTerms(30), Money.of("1000", "EUR"), vat_id=vat_id, gln="8712345000011",
                    email="ap@c1.example", **extra)  # type: ignore[arg-type]


def codes(findings) -> list[ReasonCode]:  # type: ignore[no-untyped-def]
    return [f.code for f in findings]


def test_a_price_above_the_contract_is_found_with_the_contract_price_as_its_fix():
    lines = [PricedLine(1, "COLA", D(10), D("10.40"), D("10.40"))]
    [finding] = price_findings(lines, {1: ExpectedPrice(D("10.00"), None)})
    assert finding.code is ReasonCode.PRICE_VS_CONTRACT
    assert finding.fix["unit_price"] == "10.0000" and finding.at_stake == D("4.00")


def test_an_eligible_promotion_missing_from_the_line_is_a_short_pay_waiting_to_happen():
    lines = [PricedLine(1, "WATER", D(10), D("5.00"), D("5.00"))]
    [finding] = price_findings(lines, {1: ExpectedPrice(D("5.00"), "P1", D(10))})
    assert finding.code is ReasonCode.PROMOTION_MISSING
    assert finding.fix == {"unit_price": "4.5000", "list_price": "5.00", "promotion": "P1"}


def test_a_promotion_the_customer_is_not_eligible_for_is_found():
    lines = [PricedLine(1, "WATER", D(10), D("4.50"), D("5.00"), "P9")]
    [finding] = price_findings(lines, {1: ExpectedPrice(D("5.00"), None)})
    assert finding.code is ReasonCode.PROMOTION_NOT_ELIGIBLE and finding.fix["promotion"] == ""


def test_a_line_at_the_contract_price_with_its_promotion_passes():
    lines = [PricedLine(1, "WATER", D(10), D("4.5"), D("5.00"), "P1")]
    assert price_findings(lines, {1: ExpectedPrice(D("5.00"), "P1", D(10))}) == []


def test_a_missing_po_is_fixed_from_the_order_on_file_or_left_for_a_person():
    who = customer(requires_po=True)
    assert po_findings(who, "PO1", None) == []
    assert po_findings(who, None, "PO7")[0].fix == {"po_number": "PO7"}
    assert not po_findings(who, None, None)[0].fixable


def draft(who: Customer, category: str = "K", rate: str = "0"):  # type: ignore[no-untyped-def]
    line = InvoiceLine(1, "COLA", "Cola", D(1), D("10.00"), category, D(rate))
    return build_document("DRAFT", DocumentKind.INVOICE, who.id, date(2026, 9, 1), date(2026, 10, 1), "EUR",
                          (line,), {"K": "Intra-community supply"}, buyer_vat_id=who.vat_id)


def test_a_foreign_eu_business_without_a_valid_vat_id_of_its_country_is_refused_the_zero_rate():
    assert tax_findings(draft(customer("DE", "DE123456789")), customer("DE", "DE123456789"), "NL", {}) == []
    broken = customer("DE", "DE1234567")
    assert ReasonCode.VAT_ID_INVALID in codes(tax_findings(draft(broken, "S", "21"), broken, "NL", {}))
    wrong_country = customer("DE", "NL123456789B01")
    assert ReasonCode.VAT_ID_INVALID in codes(tax_findings(draft(wrong_country), wrong_country, "NL", {}))


def test_a_line_taxed_otherwise_than_the_treatment_says_is_found():
    who = customer("DE", "DE123456789")
    assert codes(tax_findings(draft(who, "S", "21"), who, "NL", {})) == [ReasonCode.TAX_TREATMENT]


def test_a_us_customer_without_its_state_gets_no_sales_tax_and_is_found():
    who = customer("US", None, region=None)
    assert ReasonCode.US_STATE_MISSING in codes(tax_findings(draft(who, "O", "0"), who, "NL", {}))


def test_master_data_for_the_channel_must_be_complete():
    assert master_data_findings(customer()) == []
    peppol = customer(preferred_channel=Channel.PEPPOL)
    assert codes(master_data_findings(replace(peppol, gln="8712345000012", vat_id=None))) == [
        ReasonCode.ENDPOINT_MISSING]
    edi = customer(preferred_channel=Channel.EDI)
    assert codes(master_data_findings(replace(edi, gln="123"))) == [ReasonCode.GLN_INVALID]
    assert master_data_findings(replace(customer(), email=None)) == []
    assert codes(channel_findings(replace(customer(), email=None))) == [ReasonCode.EMAIL_MISSING]
    no_city = replace(customer(), bill_to=replace(customer().bill_to, city=""))
    assert codes(master_data_findings(no_city)) == [ReasonCode.ADDRESS_INCOMPLETE]


def test_totals_that_do_not_add_up_are_found():
    bad = replace(draft(customer("DE", "DE123456789")), net_total=Money.of("9.99", "EUR"))
    assert ReasonCode.TOTALS_INCONSISTENT in codes(totals_findings(bad))


def test_a_gln_needs_its_gs1_check_digit():
    assert gln_ok("8712345000011") and not gln_ok("8712345000012") and not gln_ok("87123")
