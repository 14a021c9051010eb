"""Invoices and credit notes: issued documents that never change.

An invoice is built as a draft from delivered quantities at the order's agreed prices, then issued with
a number from its series; from then on it is frozen (a corrected amount is a credit note that refers to
it). Amounts follow EN 16931:

- line net (BT-131) = quantity x net price / price base quantity, rounded to the currency per line,
  plus the line's charges, minus its allowances;
- sum of line nets (BT-106); document allowances (BT-107) and charges (BT-108) each carry a VAT
  category and rate; net total = amount without VAT (BT-109) = BT-106 - BT-107 + BT-108;
- tax per VAT category and rate on the taxable amount of that group (its line nets plus its document
  charges minus its document allowances), rounded once per group; tax total (BT-110) is their sum;
- gross total (BT-112) = BT-109 + BT-110; payable (BT-115) = BT-112 - prepaid (BT-113) + rounding
  (BT-114).

``problems`` checks every one of these equalities and the VAT-category rules (an exempt, intra-EU,
export or reverse-charge group names its exemption; standard and zero-rated groups do not; every
category but S and Z has a 0 % rate).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from o2c.domain.money import Money, total

EXEMPT_CATEGORIES = frozenset({"E", "AE", "K", "G", "O"})
ZERO_RATE_CATEGORIES = frozenset({"Z", "E", "AE", "K", "G", "O"})


class DocumentKind(StrEnum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


@dataclass(frozen=True, slots=True)
class AllowanceCharge:
    """A discount (``charge`` False) or a surcharge on a line or on the whole document.

    ``amount`` is in the document currency, positive, at most the currency's minor units. A document
    allowance or charge names its VAT ``tax_category`` and ``tax_rate``; a line one takes the line's.
    ``base_amount`` and ``percent`` are optional and, when given, ``amount`` = base x percent / 100.
    """

    charge: bool
    amount: Decimal
    reason: str | None = None
    reason_code: str | None = None
    tax_category: str | None = None
    tax_rate: Decimal | None = None
    base_amount: Decimal | None = None
    percent: Decimal | None = None

    def signed(self, currency: str) -> Money:
        """The amount as it moves the net: a charge adds, an allowance subtracts."""
        money = Money(self.amount, currency)
        return money if self.charge else -money


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
    base_quantity: Decimal = Decimal(1)
    unit_code: str = "C62"
    allowance_charges: tuple[AllowanceCharge, ...] = ()

    def price_net(self, currency: str) -> Money:
        """Quantity x net price / base quantity, rounded: the line net before its allowances."""
        return Money(self.quantity * self.unit_price / self.base_quantity, currency).quantize()

    def net(self, currency: str) -> Money:
        """The line net amount (BT-131): after the line's own allowances and charges."""
        return total([self.price_net(currency), *(ac.signed(currency) for ac in self.allowance_charges)],
                     currency)

    @property
    def price_discount(self) -> Decimal:
        """List (gross) price minus net price when the line sells below its list price, else 0."""
        if self.list_price is None or self.list_price <= self.unit_price:
            return Decimal(0)
        return self.list_price - self.unit_price


@dataclass(frozen=True, slots=True)
class TaxSubtotal:
    category: str
    rate: Decimal
    taxable: Money
    tax: Money
    exemption_reason: str | None = None
    exemption_code: str | None = None


@dataclass(frozen=True, slots=True)
class Invoice:
    """An issued invoice or credit note (``kind``); amounts are positive for both kinds.

    ``net_total`` is the amount without VAT after document allowances and charges (BT-109);
    ``accounting_tax_total`` is the tax total in the seller's VAT accounting currency (BT-111) when the
    document currency differs from it.
    """

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
    allowance_charges: tuple[AllowanceCharge, ...] = ()
    prepaid: Money | None = None
    rounding: Money | None = None
    accounting_tax_total: Money | None = None
    buyer_reference: str | None = None
    corrects_issue_date: date | None = None
    delivery_date: date | None = None

    @property
    def line_total(self) -> Money:
        """Sum of invoice line net amounts (BT-106)."""
        return total((ln.net(self.currency) for ln in self.lines), self.currency)

    @property
    def allowance_total(self) -> Money:
        """Sum of document-level allowances (BT-107)."""
        return _sum_amounts((ac for ac in self.allowance_charges if not ac.charge), self.currency)

    @property
    def charge_total(self) -> Money:
        """Sum of document-level charges (BT-108)."""
        return _sum_amounts((ac for ac in self.allowance_charges if ac.charge), self.currency)

    @property
    def payable(self) -> Money:
        """Amount due for payment (BT-115): gross - prepaid + rounding."""
        zero = Money.zero(self.currency)
        return self.gross_total - (self.prepaid or zero) + (self.rounding or zero)

    def problems(self) -> list[str]:
        """Every inconsistency in the document's arithmetic and VAT breakdown (empty when it adds up)."""
        found = self._total_problems()
        found += _subtotal_problems(self)
        found += _allowance_problems(self)
        if self.kind is DocumentKind.CREDIT_NOTE and not self.corrects:
            found.append(f"{self.number}: a credit note must name the invoice it corrects")
        if {"K", "AE"} & {s.category for s in self.tax_subtotals} and not self.buyer_vat_id:
            found.append(f"{self.number}: intra-EU supply or reverse charge needs the buyer's VAT id")
        return found

    def _total_problems(self) -> list[str]:
        found: list[str] = []
        nets = self.line_total - self.allowance_total + self.charge_total
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
        return found


def _sum_amounts(items: Iterable[AllowanceCharge], currency: str) -> Money:
    return total((Money(ac.amount, currency) for ac in items), currency)


def _subtotal_problems(invoice: Invoice) -> list[str]:
    found: list[str] = []
    expected = _taxable_groups(invoice.lines, invoice.allowance_charges, invoice.currency)
    for sub in invoice.tax_subtotals:
        key = f"{invoice.number}: VAT {sub.category} {sub.rate}%"
        if expected.get((sub.category, sub.rate)) != sub.taxable:
            found.append(f"{key} taxable {sub.taxable} is not the sum of its lines and allowances")
        if sub.tax != _tax_of(sub.taxable, sub.rate):
            found.append(f"{key} tax {sub.tax} != taxable x rate")
        if sub.category in EXEMPT_CATEGORIES - {"O"} and not (sub.exemption_reason or sub.exemption_code):
            found.append(f"{key} needs an exemption reason or code")
        if sub.category in {"S", "Z"} and (sub.exemption_reason or sub.exemption_code):
            found.append(f"{key} must not carry an exemption reason")
        if sub.category in ZERO_RATE_CATEGORIES - {"Z"} and sub.rate != 0:
            found.append(f"{key} must have a 0 % rate")
    if len(expected) != len(invoice.tax_subtotals):
        found.append(f"{invoice.number}: {len(expected)} VAT groups but {len(invoice.tax_subtotals)} subtotals")
    return found


def _allowance_problems(invoice: Invoice) -> list[str]:
    found: list[str] = []
    on_lines = [(f"line {ln.line_no}", ac) for ln in invoice.lines for ac in ln.allowance_charges]
    on_document = [("document", ac) for ac in invoice.allowance_charges]
    for where, ac in on_lines + on_document:
        kind = "charge" if ac.charge else "allowance"
        if ac.amount < 0 or Money(ac.amount, invoice.currency).quantize() != Money(ac.amount, invoice.currency):
            found.append(f"{invoice.number}: {where} {kind} {ac.amount} must be positive, in minor units")
        if not (ac.reason or ac.reason_code):
            found.append(f"{invoice.number}: {where} {kind} {ac.amount} needs a reason or reason code")
    for _, ac in on_document:
        if ac.tax_category is None or ac.tax_rate is None:
            found.append(f"{invoice.number}: document allowance/charge {ac.amount} needs a VAT category and rate")
    return found


def _tax_of(taxable: Money, rate: Decimal) -> Money:
    return (taxable * (rate / 100)).quantize()


def _taxable_groups(lines: Iterable[InvoiceLine], allowance_charges: Iterable[AllowanceCharge],
                    currency: str) -> dict[tuple[str, Decimal], Money]:
    groups: dict[tuple[str, Decimal], Money] = {}
    for ln in lines:
        key = (ln.tax_category, ln.tax_rate)
        groups[key] = groups.get(key, Money.zero(currency)) + ln.net(currency)
    for ac in allowance_charges:
        key = (ac.tax_category or "", ac.tax_rate if ac.tax_rate is not None else Decimal(0))
        groups[key] = groups.get(key, Money.zero(currency)) + ac.signed(currency)
    return groups


def build_document(number: str, kind: DocumentKind, customer_id: str, issue_date: date,
                   due_date: date, currency: str, lines: tuple[InvoiceLine, ...],
                   exemption_reasons: dict[str, str] | None = None, *,
                   exemption_codes: dict[str, str] | None = None,
                   allowance_charges: tuple[AllowanceCharge, ...] = (),
                   accounting_currency: str | None = None, **extra: object) -> Invoice:
    """Compute tax subtotals and totals the EN 16931 way and return the issued document.

    ``accounting_currency`` (the seller's VAT currency, BT-6): when it differs from ``currency`` the
    tax total is also given in it at ``fx_rate`` (functional units per document unit).
    """
    reasons, codes = exemption_reasons or {}, exemption_codes or {}
    groups = _taxable_groups(lines, allowance_charges, currency)
    subtotals = tuple(
        TaxSubtotal(cat, rate, taxable, _tax_of(taxable, rate), reasons.get(cat), codes.get(cat))
        for (cat, rate), taxable in sorted(groups.items())
    )
    net = total(groups.values(), currency)
    tax = total((s.tax for s in subtotals), currency)
    fx_rate = extra.get("fx_rate", Decimal(1))
    if accounting_currency and accounting_currency != currency and "accounting_tax_total" not in extra:
        extra["accounting_tax_total"] = tax.convert(fx_rate, accounting_currency)  # type: ignore[arg-type]
    return Invoice(number=number, kind=kind, customer_id=customer_id, issue_date=issue_date,
                   due_date=due_date, currency=currency, lines=lines, tax_subtotals=subtotals,
                   net_total=net, tax_total=tax, gross_total=net + tax,
                   allowance_charges=allowance_charges, **extra)  # type: ignore[arg-type]


def accounting_tax_total(invoice: Invoice, accounting_currency: str) -> Money | None:
    """The tax total in the seller's VAT accounting currency (BT-111), or None when it is the same.

    Uses the amount fixed on the document when there is one, else converts at the document's rate.
    """
    if invoice.accounting_tax_total is not None:
        return invoice.accounting_tax_total
    if invoice.currency == accounting_currency:
        return None
    return invoice.tax_total.convert(invoice.fx_rate, accounting_currency)


def next_number(series: str, year: int, last: int) -> str:
    """Invoice numbers are gapless per series and year: INV-2026-000001, CN-2026-000001."""
    return f"{series}-{year}-{last + 1:06d}"
