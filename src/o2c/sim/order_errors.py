"""Realistic incoming orders with known mistakes: the demo's order traffic and the intake benchmark's test set.

``OrderMaker`` draws orders for a world (an ``IntakeReference``): a clean order orders what the
customer usually orders, in its usual quantities, at its correct price (claiming the promotion it
is entitled to), for an open day after the lead time, with a fresh PO. ``inject`` then makes one
mistake of a named kind, the ground truth the benchmark scores against (``ERROR_KINDS``): the kinds
are the intake reason codes, and each injected mistake has one root cause.

Orders render as X12 850 interchanges (``render_x12``) or as customer e-mails (``render_email``).
Everything is drawn from the ``random.Random`` passed in, so a seed gives the same orders.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from o2c.domain.customers import Customer
from o2c.domain.order_checks import IntakeReference
from o2c.services.intake_channels import EmailOrder
from o2c.sim.order_documents import (
    OUR_ID,
    TEXT_UNIT,
    MadeLine,
    MadeOrder,
    render_csv,
    render_email_text,
    render_x12,
)

__all__ = ["EDI_KINDS", "EMAIL_KINDS", "ERROR_KINDS", "OUR_ID", "TEXT_UNIT", "MadeLine", "MadeOrder", "OrderMaker",
           "render_csv", "render_email", "render_x12"]

# the kinds of mistake customers make, named as the business does (a PO number X12 cannot carry is
# refused by the file readers before any check, so it is not made)
ERROR_KINDS: tuple[str, ...] = ("unknown_customer", "unknown_ship_to", "unknown_sku", "unit_mismatch",
                                "price_mismatch", "promotion_not_applied", "expired_promotion_claimed",
                                "po_missing", "po_duplicate", "date_impossible", "quantity_outlier",
                                "stock_short")
EMAIL_KINDS = frozenset({"po_missing", "unknown_sku", "date_impossible", "quantity_outlier", "unknown_customer"})
EDI_KINDS = frozenset(ERROR_KINDS) - {"po_missing"}
LEAD_DAYS, SUNDAY = 1, 6   # the company's published calendar: next-day delivery, none on Sundays
class OrderMaker:
    """Draws clean orders for ``ref``'s customers and injects one mistake on request."""

    def __init__(self, ref: IntakeReference, rng: random.Random, scarce: set[str] | None = None,
                 base: Callable[[Customer, str], Decimal] | None = None) -> None:
        self.ref, self.rng, self.base = ref, rng, base
        self.scarce = scarce or set()
        self.skus = sorted(s for s in ref.products if s not in self.scarce)
        self.counter = 0

    def use(self, ref: IntakeReference) -> OrderMaker:
        """Draw further orders against fresher reference data (PO numbers keep counting)."""
        self.ref = ref
        return self

    def _typical(self, customer: Customer, sku: str) -> Decimal:
        if self.base is not None:
            return self.base(customer, sku)
        pattern = self.ref.patterns.get(customer.id)
        if pattern is None:
            return Decimal(10)
        return pattern.typical_by_sku.get(sku) or pattern.typical_overall or Decimal(10)

    def clean(self, customer: Customer, channel: str, lines: int) -> MadeOrder:
        self.counter += 1
        pattern = self.ref.patterns.get(customer.id)
        usual = sorted(s for s in (pattern.typical_by_sku if pattern else {}) if s not in self.scarce)
        pool = usual if len(usual) >= lines else self.skus
        chosen = self.rng.sample(pool, min(lines, len(pool)))
        made = [MadeLine(sku, self._quantity(customer, sku)) for sku in sorted(chosen)]
        ship = self.rng.choice(customer.ship_tos) if channel == "edi" else _email_ship_to(customer, self.rng)
        requested = self.ref.today + timedelta(days=LEAD_DAYS + self.rng.randint(0, 8))
        while requested.weekday() == SUNDAY:
            requested += timedelta(days=1)
        return MadeOrder(customer, channel, f"PO{self.counter:07d}", ship.code, ship.gln, requested, made,
                         buyer_gln=customer.gln, message_id=f"<order-{self.counter}@{customer.id.lower()}.example>")

    def _quantity(self, customer: Customer, sku: str) -> Decimal:
        typical = self._typical(customer, sku)
        return max(Decimal(1), (typical * Decimal(self.rng.randint(60, 180)) / 100).to_integral_value())

    def inject(self, order: MadeOrder, kind: str) -> MadeOrder | None:
        """``order`` with one mistake of ``kind``, or None when this order cannot carry it."""
        made = getattr(self, f"_{kind}")(replace(order, lines=[replace(ln) for ln in order.lines]))
        if made is not None:
            made.error = kind
        return made

    def _unknown_customer(self, order: MadeOrder) -> MadeOrder:
        order.buyer_gln = "5" + "".join(str(self.rng.randint(0, 9)) for _ in range(12))
        return order

    def _unknown_ship_to(self, order: MadeOrder) -> MadeOrder:
        order.ship_to_gln = "54" + "".join(str(self.rng.randint(0, 9)) for _ in range(11))
        return order

    def _unknown_sku(self, order: MadeOrder) -> MadeOrder:
        self.rng.choice(order.lines).unknown_code = f"99{self.rng.randint(10**10, 10**11 - 1)}"
        return order

    def _unit_mismatch(self, order: MadeOrder) -> MadeOrder | None:
        packs = [ln for ln in order.lines if self.ref.products[ln.sku].units_per_pack > 1]
        if not packs:
            return None
        self.rng.choice(packs).unit = "EA"
        return order

    def _price_mismatch(self, order: MadeOrder) -> MadeOrder:
        self.rng.choice(order.lines).price_mode = "off"
        return order

    def _promotion_not_applied(self, order: MadeOrder) -> MadeOrder | None:
        return self._add_promo_line(order, current=True)

    def _expired_promotion_claimed(self, order: MadeOrder) -> MadeOrder | None:
        return self._add_promo_line(order, current=False)

    def _add_promo_line(self, order: MadeOrder, current: bool) -> MadeOrder | None:
        customer, today = order.customer, self.ref.today
        taken = {ln.sku for ln in order.lines}
        skus = sorted({s for p in self.ref.promotions if p.scope.covers(customer) for s in p.skus} - taken
                      - self.scarce)
        for sku in self.rng.sample(skus, len(skus)):
            quantity = self._quantity(customer, sku)
            q = self.ref.quote(customer, sku, quantity)
            if q is None or bool(q.promotion_id) != current:
                continue
            lapsed = [p for p in self.ref.promotions if sku in p.skus and p.scope.covers(customer) and p.valid_to < today]
            if not current and not lapsed:
                continue
            order.lines.append(MadeLine(sku, quantity, "list_no_claim" if current else "lapsed_claim",
                                        claim=None if current else lapsed[0].discount_percent))
            return order
        return None

    def _po_missing(self, order: MadeOrder) -> MadeOrder | None:
        if order.channel != "email" or not order.customer.requires_po:
            return None
        order.po = None
        return order

    def _po_duplicate(self, order: MadeOrder) -> MadeOrder | None:
        pattern = self.ref.patterns.get(order.customer.id)
        if pattern is None or not pattern.po_numbers:
            return None
        order.po = self.rng.choice(sorted(pattern.po_numbers))
        return order

    def _date_impossible(self, order: MadeOrder) -> MadeOrder:
        today = self.ref.today
        sunday = today + timedelta(days=(6 - today.weekday()) % 7 or 7)
        order.requested = self.rng.choice([today - timedelta(days=self.rng.randint(1, 5)), today, sunday])
        return order

    def _quantity_outlier(self, order: MadeOrder) -> MadeOrder:
        line = self.rng.choice(order.lines)
        line.quantity = line.quantity * 10
        return order

    def _stock_short(self, order: MadeOrder) -> MadeOrder | None:
        if not self.scarce:
            return None
        sku = self.rng.choice(sorted(self.scarce - {ln.sku for ln in order.lines}))
        quantity = self._quantity(order.customer, sku)
        if quantity <= (self.ref.stock.available(sku, order.requested) or Decimal(0)):
            return None
        order.lines.append(MadeLine(sku, quantity))
        return order

    def price(self, order: MadeOrder) -> MadeOrder:
        """Fill in what the customer sends as price and claimed promotion, per line."""
        for line in order.lines:
            q = self.ref.quote(order.customer, line.sku, line.quantity)
            if q is None:
                continue
            if line.price_mode == "list_no_claim":
                line.price = q.list_price
            elif line.price_mode == "lapsed_claim":
                line.price = (q.list_price * (100 - (line.claim or 0)) / 100).quantize(Decimal("0.0001"))
            elif line.price_mode == "off":
                line.price = self._wrong_price(q.net_price, q.list_price)
                line.claim = q.discount_percent if q.promotion_id else None
            else:
                line.price, line.claim = q.net_price, q.discount_percent if q.promotion_id else None
        return order

    def _wrong_price(self, right: Decimal, list_price: Decimal) -> Decimal:
        while True:
            factor = Decimal(self.rng.choice([-1, 1]) * self.rng.randint(4, 20)) / 100
            wrong = (right * (1 + factor)).quantize(Decimal("0.01"))
            if abs(wrong - list_price) > Decimal("0.02"):
                return wrong


def _email_ship_to(customer: Customer, rng: random.Random):  # type: ignore[no-untyped-def]
    cities = [s.name.rsplit("–", 1)[-1].strip().rsplit(" site", 1)[0] for s in customer.ship_tos]
    unique = [s for s, city in zip(customer.ship_tos, cities, strict=True) if cities.count(city) == 1]
    return rng.choice(unique) if len(customer.ship_tos) > 1 and unique else customer.ship_tos[0]




def render_email(order: MadeOrder, products: dict[str, object]) -> EmailOrder:
    """The order as a customer would type it, as the e-mail channel receives it."""
    return EmailOrder(*render_email_text(order, products))
