"""Test customers and a set of invoices covering every VAT case the domain produces.

Built with ``build_document`` and ``tax.treatment`` exactly as the billing handler does, so the
e-invoice formats are tested on the documents o2c really issues.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from o2c.domain.customers import Address, Channel, Customer, PaymentTerms, Segment
from o2c.domain.invoices import AllowanceCharge, DocumentKind, Invoice, InvoiceLine, build_document
from o2c.domain.money import Money
from o2c.domain.tax import treatment

D = Decimal
ISSUED = date(2026, 3, 16)


def customer(id: str, country: str, currency: str = "EUR", vat_id: str | None = None,
             gln: str | None = None, region: str | None = None, **extra: object) -> Customer:
    streets = {"NL": ("Coolsingel 40", "Rotterdam", "3011 AD"), "DE": ("Zeil 5", "Frankfurt am Main", "60313"),
               "BE": ("Meir 10", "Antwerpen", "2000"), "GB": ("12 High Street", "London", "EC1A 1BB"),
               "US": ("350 Fifth Avenue", "Portland", "97204"), "FR": ("1 Rue de Rivoli", "Paris", "75001")}
    street, city, postcode = streets[country]
    return Customer(id=id, name=f"{id.title()} Trading", segment=Segment.RETAIL_CHAIN, country=country,
                    currency=currency, language="en", bill_to=Address(street, city, postcode, country, region),
                    ship_tos=(), terms=PaymentTerms(30, 10, D("2")), credit_limit=Money.of("50000", currency),
                    preferred_channel=Channel.PEPPOL, vat_id=vat_id, gln=gln,
                    email=f"ap@{id}.example", **extra)  # type: ignore[arg-type]


CUSTOMERS = {
    "albert": customer("albert", "NL", vat_id="NL123456789B01", gln="8712345000011"),
    "kaufhof": customer("kaufhof", "DE", vat_id="DE123456789"),
    "delhaize": customer("delhaize", "BE", vat_id="BE0123456789", gln="5012345000008"),
    "tesco": customer("tesco", "GB", currency="GBP", vat_id="GB123456789"),
    "powell": customer("powell", "US", currency="USD", gln="0300123000001", region="OR"),
    "wholefoods": customer("wholefoods", "US", currency="USD", gln="0300123000001", region="NY"),
}


def line(n: int, sku: str, qty: str, price: str, who: Customer, product: str = "standard",
         **extra: object) -> InvoiceLine:
    """One line taxed the way the billing handler taxes it (seller NL)."""
    tax = treatment("NL", who.country, who.vat_id, product, who.bill_to.region)
    return InvoiceLine(n, sku, f"{sku.title()} 24x33cl", D(qty), D(price), tax.category, tax.rate,
                       order_line_no=n, **extra)  # type: ignore[arg-type]


def raw_line(n: int, qty: str, price: str, category: str, rate: str, **extra: object) -> InvoiceLine:
    return InvoiceLine(n, f"SKU-{n}", f"Article {n}", D(qty), D(price), category, D(rate),
                       order_line_no=n, **extra)  # type: ignore[arg-type]


def invoice(number: str, who: Customer, lines: tuple[InvoiceLine, ...], **extra: object) -> Invoice:
    """An invoice with the exemption reasons and notes the handler would set."""
    reasons, codes, notes = {}, {}, []
    for ln in lines:
        tax = treatment("NL", who.country, who.vat_id, "exempt" if ln.tax_category == "E" else "standard",
                        who.bill_to.region)
        if tax.category == ln.tax_category and tax.exemption_reason:
            reasons[tax.category], codes[tax.category] = tax.exemption_reason, tax.exemption_code or ""
        if tax.note and tax.note not in notes and tax.category == ln.tax_category:
            notes.append(tax.note)
    fields: dict[str, object] = {"po_number": f"PO-{number[-3:]}", "order_id": f"SO-{number[-3:]}",
                                 "buyer_vat_id": who.vat_id, "tax_note": notes[0] if notes else None,
                                 "delivery_date": date(2026, 3, 13), "accounting_currency": "EUR"}
    fields.update(extra)
    return build_document(number, DocumentKind.INVOICE, who.id, ISSUED, date(2026, 4, 15), who.currency,
                          lines, reasons, exemption_codes=codes, **fields)  # type: ignore[arg-type]


def credit_note(number: str, original: Invoice, who: Customer, lines: tuple[InvoiceLine, ...]) -> Invoice:
    return build_document(number, DocumentKind.CREDIT_NOTE, who.id, ISSUED, ISSUED, original.currency, lines,
                          {s.category: s.exemption_reason for s in original.tax_subtotals if s.exemption_reason},
                          exemption_codes={s.category: s.exemption_code for s in original.tax_subtotals
                                           if s.exemption_code},
                          corrects=original.number, corrects_issue_date=original.issue_date,
                          reason="Damaged in transit", buyer_vat_id=original.buyer_vat_id,
                          tax_note=original.tax_note, po_number=original.po_number,
                          accounting_currency="EUR", fx_rate=original.fx_rate)


def promotion_line(n: int, who: Customer) -> InvoiceLine:
    """A promotion: sold at 10.80 against a list price of 12.00 (shown as a price allowance)."""
    return line(n, "cola", "48", "10.80", who, list_price=D("12.00"), promotion_id="PROMO-SPRING")


def volume_discount() -> AllowanceCharge:
    return AllowanceCharge(False, D("15.00"), "Volume discount", "95")


def freight(category: str = "S", rate: str = "21") -> AllowanceCharge:
    return AllowanceCharge(True, D("35.00"), "Freight", "FC", category, D(rate))


def invoice_set() -> dict[str, Invoice]:
    """Every VAT category, line and document allowances and charges, credit notes, GBP and USD."""
    c = CUSTOMERS
    nl = invoice("INV-2026-000101", c["albert"], (
        line(1, "cola", "120", "0.95", c["albert"]), line(2, "crisps", "30", "1.45", c["albert"], "reduced"),
        promotion_line(3, c["albert"]),
        line(4, "juice", "24", "2.10", c["albert"], "reduced",
             allowance_charges=(volume_discount(),)),
        raw_line(5, "10", "3.00", "Z", "0"),
        line(6, "gift", "2", "25.00", c["albert"], "exempt")),
        allowance_charges=(AllowanceCharge(False, D("20.00"), "Loyalty rebate", "100", "S", D("21")),
                           freight()))
    de = invoice("INV-2026-000102", c["kaufhof"], (line(1, "beer", "600", "0.80", c["kaufhof"]),
                                                   line(2, "water", "300", "0.35", c["kaufhof"])),
                 allowance_charges=(freight("K", "0"),))
    mixed = invoice("INV-2026-000103", c["albert"], (raw_line(1, "12", "4.50", "S", "20"),
                                                     raw_line(2, "8", "3.25", "S", "19"),
                                                     raw_line(3, "5", "2.00", "S", "21")))
    be = invoice("INV-2026-000104", c["delhaize"], (promotion_line(1, c["delhaize"]),))
    gb = invoice("INV-2026-000105", c["tesco"], (line(1, "cola", "1000", "0.82", c["tesco"]),
                                                 line(2, "crisps", "250", "1.10", c["tesco"])),
                 fx_rate=D("1.1725"))
    us_o = invoice("INV-2026-000106", c["powell"], (line(1, "cola", "500", "0.99", c["powell"]),),
                   fx_rate=D("0.9213"))
    us_s = invoice("INV-2026-000107", c["wholefoods"], (line(1, "cola", "200", "1.05", c["wholefoods"]),),
                   fx_rate=D("0.9213"))
    cn_nl = credit_note("CN-2026-000011", nl, c["albert"], (line(1, "cola", "12", "0.95", c["albert"]),
                                                           line(2, "crisps", "3", "1.45", c["albert"], "reduced")))
    cn_de = credit_note("CN-2026-000012", de, c["kaufhof"], (line(1, "beer", "24", "0.80", c["kaufhof"]),))
    cn_gb = credit_note("CN-2026-000013", gb, c["tesco"], (line(1, "cola", "100", "0.82", c["tesco"]),))
    docs = [nl, de, mixed, be, gb, us_o, us_s, cn_nl, cn_de, cn_gb]
    return {d.number: d for d in docs}


def customer_of(document: Invoice) -> Customer:
    return CUSTOMERS[document.customer_id]
