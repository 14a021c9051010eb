"""The billing bench's baseline: an ERP's pre-billing checks, as SAP SD runs them before a billing document.

What it copies (SAP SD, as documented for the billing due list and the incompletion log):
- **pricing against the price list** (condition records): each order line's list price must be the
  price-list price of the customer's currency, and a discount must come from an existing promotion
  (condition record); a difference is a pricing error that blocks billing;
- **tax determination by country** (departure country, destination country, the customer's tax
  classification): an EU business abroad needs a VAT registration number that passes its country's
  format check (SAP's per-country check rule) for the intra-community 0 %; a US customer needs its state
  (the tax jurisdiction code) for sales tax;
- **mandatory PO number** (the incompletion log's ``BSTKD`` for customers that require one).

What it does not do: notice a promotion the customer was eligible for but did not get, or check e-invoice
master data (Peppol endpoint). A delivery with a finding gets a billing block for a person; nothing is
fixed automatically. Findings use o2c's reason codes so both billers are scored alike.
"""

from __future__ import annotations

import re
from decimal import Decimal

from o2c.adapters.store.billing_store import BillingStore
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain.billing_checks import Finding, ReasonCode
from o2c.domain.customers import Customer
from o2c.domain.orders import Order
from o2c.domain.tax import EU_COUNTRIES
from o2c.services.billing import issue_as_ordered
from o2c.services.handlers import Company

VAT_FORMATS = {
    "NL": r"NL\d{9}B\d{2}",
    "DE": r"DE\d{9}",
    "BE": r"BE[01]\d{9}",
    "FR": r"FR[0-9A-Z]{2}\d{9}",
    "AT": r"ATU\d{8}",
    "ES": r"ES[0-9A-Z]\d{7}[0-9A-Z]",
    "IT": r"IT\d{11}",
    "LU": r"LU\d{8}",
}


def pricing_findings(order: Order, price_list: dict[str, Decimal], promotions: set[str]) -> list[Finding]:
    found = []
    for line in order.lines:
        listed = price_list.get(line.sku)
        if listed is None or line.list_price != listed:
            found.append(
                Finding(
                    ReasonCode.PRICE_VS_CONTRACT,
                    f"line {line.line_no}: {line.list_price} is not the price-list price {listed}",
                    line.line_no,
                )
            )
        if line.unit_price != line.list_price and line.promotion_id not in promotions:
            found.append(
                Finding(
                    ReasonCode.PROMOTION_NOT_ELIGIBLE,
                    f"line {line.line_no}: a discount without a condition record",
                    line.line_no,
                )
            )
    return found


def tax_findings(customer: Customer, seller_country: str) -> list[Finding]:
    if customer.country == "US" and not customer.bill_to.region:
        return [Finding(ReasonCode.US_STATE_MISSING, "no tax jurisdiction (state) for a US customer")]
    if customer.country != seller_country and customer.country in EU_COUNTRIES:
        pattern = VAT_FORMATS.get(customer.country, r"[A-Z]{2}[0-9A-Z]{2,13}")
        if not re.fullmatch(pattern, customer.vat_id or ""):
            return [
                Finding(
                    ReasonCode.VAT_ID_INVALID,
                    f"VAT registration number {customer.vat_id!r} fails the {customer.country} check rule",
                )
            ]
    return []


def po_findings(customer: Customer, order: Order) -> list[Finding]:
    if customer.requires_po and not order.po_number:
        return [Finding(ReasonCode.PO_MISSING, "incomplete: the customer requires a PO number")]
    return []


def bill_or_block(uow: UnitOfWork, delivery_id: str, company: Company) -> bool:
    """Issue the delivery's invoice as ordered, or put a billing block with the findings; True if issued."""
    delivery = uow.deliveries.get(delivery_id)
    order = uow.orders.get(delivery.order_id) if delivery else None
    customer = uow.customers.get(delivery.customer_id) if delivery else None
    if delivery is None or order is None or customer is None:
        raise LookupError(f"delivery {delivery_id}: unknown delivery, order or customer")
    price_list = next(iter(uow.price_lists.in_currency(order.currency)), None)
    promotions = {p.id for p in uow.promotions.all()}
    findings = [
        *pricing_findings(order, price_list.prices if price_list else {}, promotions),
        *tax_findings(customer, company.country),
        *po_findings(customer, order),
    ]
    if findings:
        BillingStore(uow.conn).hold(delivery_id, customer.id, findings, uow.clock.now())
        return False
    issue_as_ordered(uow, delivery_id, company)
    return True
