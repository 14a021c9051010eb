from datetime import date
from decimal import Decimal

from o2c.domain.catalog import PriceList, Promotion, Scope, quote
from o2c.domain.customers import Segment
from o2c.domain.invoices import DocumentKind, InvoiceLine, build_document
from o2c.domain.money import Money
from o2c.domain.tax import treatment, vat_id_format_ok
from tests.factories import customer

DAY = date(2026, 9, 3)
LISTS = [
    PriceList("PL-EUR", "EUR", date(2026, 1, 1), None, Scope(), {"COLA": Decimal("10.00")}),
    PriceList("PL-WHS", "EUR", date(2026, 1, 1), None, Scope(segments=(Segment.WHOLESALER,)), {"COLA": Decimal("9.20")}),
    PriceList("PL-C9", "EUR", date(2026, 1, 1), None, Scope(customers=("C9",)), {"COLA": Decimal("8.80")}),
]
PROMOS = [
    Promotion("P5", "5 % off", ("COLA",), Decimal("5"), date(2026, 9, 1), date(2026, 9, 7), Scope()),
    Promotion("P10", "10 % off for bars", ("COLA",), Decimal("10"), date(2026, 9, 1), date(2026, 9, 7),
              Scope(segments=(Segment.HORECA,)), min_quantity=Decimal(10)),
]


def test_a_customer_contract_beats_the_segment_list_and_the_general_list():
    q = quote(customer("C9", segment=Segment.WHOLESALER), "COLA", DAY, Decimal(1), LISTS, [])
    assert (q.price_list_id, q.list_price) == ("PL-C9", Decimal("8.80"))


def test_the_best_valid_promotion_applies_only_inside_its_window_and_scope():
    bar = customer("C1", segment=Segment.HORECA)
    assert quote(bar, "COLA", DAY, Decimal(12), LISTS, PROMOS).net_price == Decimal("9.0000")
    assert quote(bar, "COLA", DAY, Decimal(2), LISTS, PROMOS).promotion_id == "P5"
    assert quote(bar, "COLA", date(2026, 9, 8), Decimal(12), LISTS, PROMOS).promotion_id is None


def test_intra_eu_supply_to_a_business_with_a_vat_id_is_reverse_charged():
    t = treatment("NL", "DE", "DE123456789", "standard")
    assert (t.category, t.rate, t.exemption_code) == ("K", Decimal(0), "VATEX-EU-IC")
    assert "Reverse charge" in (t.note or "")


def test_a_malformed_vat_id_gets_domestic_vat_instead_of_reverse_charge():
    assert not vat_id_format_ok("DE12345")
    assert treatment("NL", "DE", "DE12345", "standard").category == "S"


def test_domestic_export_exempt_and_us_sales_tax():
    assert treatment("NL", "NL", "NL123456789B01", "reduced").rate == Decimal(9)
    assert treatment("NL", "GB", "GB123456789", "standard").category == "G"
    assert treatment("NL", "NL", None, "exempt").category == "E"
    assert treatment("NL", "US", None, "standard", "NY").rate == Decimal("8.875")


def test_invoice_totals_round_per_line_then_tax_per_category():
    lines = (InvoiceLine(1, "A", "A", Decimal(3), Decimal("0.335"), "S", Decimal(21)),
             InvoiceLine(2, "B", "B", Decimal(7), Decimal("1.105"), "S", Decimal(21)),
             InvoiceLine(3, "C", "C", Decimal(1), Decimal("4.99"), "S", Decimal(9)))
    inv = build_document("INV-1", DocumentKind.INVOICE, "C1", DAY, DAY, "EUR", lines)
    assert inv.net_total == Money.of("13.74", "EUR")  # 1.01 + 7.74 (each line rounded) + 4.99
    assert {s.rate: s.tax.amount for s in inv.tax_subtotals} == {Decimal(21): Decimal("1.84"),  # 8.75 x 21 %
                                                                   Decimal(9): Decimal("0.45")}
    assert inv.gross_total == Money.of("16.03", "EUR")
    assert inv.problems() == []
