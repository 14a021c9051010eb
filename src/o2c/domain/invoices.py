"""Invoices and credit notes: issued documents that never change.

An invoice is built as a draft from delivered quantities at the order's agreed prices, then issued with
a number from its series; from then on it is frozen (a corrected amount is a credit note that refers to
it). Amounts follow EN 16931: line net = quantity x net price, rounded to the currency per line; tax
per VAT category and rate on the sum of line nets; totals add up exactly (checked by ``problems``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from o2c.domain.money import Money, total


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    line_no: int
    sku: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    tax_category: str
    tax_rate: Decimal
    order_line_no: int | None = None
    list_price: Decimal | None = None
    promotion_id: str | None = None

    def net(self, currency: str) -> Money:
        return Money(self.quantity * self.unit_price, currency).quantize()


@dataclass(frozen=True, slots=True)
class TaxSubtotal:
    category: str
    rate: Decimal
    taxable: Money
    tax: Money
    exemption_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Invoice:
    """An issued invoice or credit note (``kind``); amounts are positive for both kinds."""

    number: str
    kind: DocumentKind
    customer_id: str
    issue_date: date
    due_date: date
    currency: str
    lines: tuple[InvoiceLine, ...]
    tax_subtotals: tuple[TaxSubtotal, ...]
    net_total: Money
    tax_total: Money
    gross_total: Money
    order_id: str | None = None
    delivery_id: str | None = None
    po_number: str | None = None
    buyer_vat_id: str | None = None
    tax_note: str | None = None
    corrects: str | None = None
    reason: str | None = None
    fx_rate: Decimal = Decimal(1)
    channel: str | None = None

    def problems(self) -> list[str]:
        """Every inconsistency in the document's arithmetic (empty when it adds up)."""
        found: list[str] = []
        nets = total((ln.net(self.currency) for ln in self.lines), self.currency)
        if nets != self.net_total:
            found.append(f"{self.number}: line nets {nets} != net total {self.net_total}")
        taxable = total((s.taxable for s in self.tax_subtotals), self.currency)
        if taxable != self.net_total:
            found.append(f"{self.number}: taxable {taxable} != net total {self.net_total}")
        tax = total((s.tax for s in self.tax_subtotals), self.currency)
        if tax != self.tax_total:
            found.append(f"{self.number}: tax subtotals {tax} != tax total {self.tax_total}")
        if self.net_total + self.tax_total != self.gross_total:
            found.append(f"{self.number}: net + tax != gross {self.gross_total}")
        if self.kind is DocumentKind.CREDIT_NOTE and not self.corrects:
            found.append(f"{self.number}: a credit note must name the invoice it corrects")
        return found


def build_document(number: str, kind: DocumentKind, customer_id: str, issue_date: date,
                   due_date: date, currency: str, lines: tuple[InvoiceLine, ...],
                   exemption_reasons: dict[str, str] | None = None, **extra: object) -> Invoice:
    """Compute tax subtotals and totals the EN 16931 way and return the issued document."""
    groups: dict[tuple[str, Decimal], Money] = {}
    for ln in lines:
        key = (ln.tax_category, ln.tax_rate)
        groups[key] = groups.get(key, Money.zero(currency)) + ln.net(currency)
    reasons = exemption_reasons or {}
    subtotals = tuple(
        TaxSubtotal(cat, rate, taxable, (taxable * (rate / 100)).quantize(), reasons.get(cat))
        for (cat, rate), taxable in sorted(groups.items())
    )
    net = total((ln.net(currency) for ln in lines), currency)
    tax = total((s.tax for s in subtotals), currency)
    return Invoice(number=number, kind=kind, customer_id=customer_id, issue_date=issue_date,
                   due_date=due_date, currency=currency, lines=lines, tax_subtotals=subtotals,
                   net_total=net, tax_total=tax, gross_total=net + tax, **extra)  # type: ignore[arg-type]


def next_number(series: str, year: int, last: int) -> str:
    """Invoice numbers are gapless per series and year: INV-2026-000001, CN-2026-000001."""
    return f"{series}-{year}-{last + 1:06d}"
