"""The intake benchmark's baseline: an ERP's order-entry validation, as SAP SD does it when configured.

What it copies (SAP S/4HANA Sales, as documented; Odoo's sale order does a subset):
- partner determination for EDI (IDoc ORDERS: sold-to from the GLN in the customer master / EDPAR,
  ship-to among the sold-to's partner functions, blocked ship-tos refused) -> unknown_customer,
  unknown_ship_to;
- material determination: material number, EAN/GTIN (MARA-EAN11) and customer-material info records
  (KNMT, the buyer's own item codes) -> unknown_sku;
- alternative units of measure (MARM): eaches of a case product are converted silently, an unknown
  unit is refused -> unit_mismatch only for units that cannot be converted;
- pricing by condition technique on the pricing date (price list + valid promotions), with the
  customer's expected price (condition EDI1) compared within a tolerance -> price_mismatch for any
  difference (SAP flags a price difference; it does not say whether a promotion was missed or claimed
  after its end);
- incompletion procedure and "check purchase order number" of the order type -> po_missing,
  po_duplicate;
- delivery scheduling on the factory calendar -> date_impossible when the requested date is before the
  first possible date or on a closed day;
- availability check (ATP) -> stock_short;
- static credit check (the order's value against the credit limit; the bench's history is delivered
  and paid, so the exposure is the order) -> credit_limit, reported apart: o2c answers credit after
  intake, in its credit agent, so neither side's touchless rate counts it.
It has no quantity plausibility check (SAP offers none in standard order entry).
"""

from __future__ import annotations

from decimal import Decimal

from o2c.domain.customers import Customer
from o2c.domain.order_checks import (
    CASE_UNITS,
    IntakeReference,
    OrderRequest,
    RequestedLine,
    earliest_delivery,
)


class ErpOrderEntry:
    """Flags an ERP's order entry raises per order."""

    def __init__(self, ref: IntakeReference) -> None:
        self.ref = ref

    def __call__(self, request: OrderRequest, ref: IntakeReference) -> frozenset[str]:
        customer = ref.customer(request.buyer)
        if customer is None:
            return frozenset({"unknown_customer"})
        flags: set[str] = set()
        if request.ship_to and not any(
            request.ship_to in (s.code, s.gln) and not s.blocked for s in customer.ship_tos
        ):
            flags.add("unknown_ship_to")
        po = (request.po_number or "").strip()
        if not po and customer.requires_po:
            flags.add("po_missing")
        pattern = ref.patterns.get(customer.id)
        if po and pattern is not None and po in pattern.po_numbers:
            flags.add("po_duplicate")
        requested = request.requested_date
        if requested is not None and (
            requested < earliest_delivery(ref.today, ref) or requested.weekday() in ref.closed_weekdays
        ):
            flags.add("date_impossible")
        value = Decimal(0)
        for line in request.lines:
            line_flags, line_value = self._line(line, customer, requested or ref.today)
            flags |= line_flags
            value += line_value
        if value > customer.credit_limit.amount:
            flags.add("credit_limit")
        return frozenset(flags)

    def _line(self, line: RequestedLine, customer: Customer, requested) -> tuple[set[str], Decimal]:  # type: ignore[no-untyped-def]
        ref = self.ref
        product = ref.product(line, customer)
        if product is None:
            return {"unknown_sku"}, Decimal(0)
        unit = (line.unit or product.unit).upper()
        quantity, price = line.quantity, line.unit_price
        if unit == "EA" and product.units_per_pack > 1:
            quantity = line.quantity / product.units_per_pack
            price = price * product.units_per_pack if price is not None else None
        elif not (
            unit == product.unit or (unit in CASE_UNITS and product.unit in CASE_UNITS) or unit == "EA"
        ):
            return {"unit_mismatch"}, Decimal(0)
        flags: set[str] = set()
        q = ref.quote(customer, product.sku, quantity)
        if q is None:
            return {"no_price"}, Decimal(0)
        if price is not None and abs(price - q.net_price) > ref.rules.price_tolerance:
            flags.add("price_mismatch")
        available = ref.stock.available(product.sku, requested)
        if available is not None and available < quantity:
            flags.add("stock_short")
        return flags, quantity * q.net_price
