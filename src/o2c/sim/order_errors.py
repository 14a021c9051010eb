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
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal

from o2c.domain.customers import Customer
from o2c.domain.order_checks import IntakeReference, Reason, earliest_delivery
from o2c.services.intake_channels import EmailOrder

# a PO number X12 cannot carry is refused by the file readers before any check, so it is not injected
ERROR_KINDS: tuple[str, ...] = tuple(r.value for r in Reason if r not in (Reason.NO_PRICE, Reason.PO_UNSENDABLE))
EMAIL_KINDS = frozenset({"po_missing", "unknown_sku", "date_impossible", "quantity_outlier", "unknown_customer"})
EDI_KINDS = frozenset(ERROR_KINDS) - {"po_missing"}
OUR_ID = "O2CSUPPLIER"
TEXT_UNIT = {"CS": "cases", "KEG": "kegs", "EA": "units", "PL": "pallets"}


@dataclass
class MadeLine:
    sku: str
    quantity: Decimal
    price_mode: str = "correct"   # correct | list_no_claim | lapsed_claim | off
    unit: str | None = None
    use_alias: bool = False
    unknown_code: str | None = None
    price: Decimal | None = None
    claim: Decimal | None = None


@dataclass
class MadeOrder:
    customer: Customer
    channel: str
    po: str | None
    ship_to: str
    ship_to_gln: str | None
    requested: date
    lines: list[MadeLine]
    error: str | None = None
    buyer_gln: str | None = None
    message_id: str = ""
    notes: list[str] = field(default_factory=list)


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
        earliest = earliest_delivery(self.ref.today, self.ref)
        requested = earliest + timedelta(days=self.rng.randint(0, 8))
        if requested.weekday() in self.ref.closed_weekdays:
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


def render_x12(orders: list[MadeOrder], products: dict[str, object], control: int, sender: str = "BUYERS",
               today: date | None = None) -> bytes:
    """One X12 004010 interchange holding one 850 per order."""
    day = (today or date.today()).strftime("%Y%m%d")
    segments = [f"ISA*00*          *00*          *ZZ*{sender:<15}*ZZ*{OUR_ID:<15}*{day[2:]}*0800*U*00401*"
                f"{control:09d}*0*P*>", f"GS*PO*{sender}*{OUR_ID}*{day}*0800*{control}*X*004010"]
    for n, order in enumerate(orders, start=1):
        body = _x12_body(order, products, day)
        segments += [f"ST*850*{n:04d}", *body, f"SE*{len(body) + 2}*{n:04d}"]
    segments += [f"GE*{len(orders)}*{control}", f"IEA*1*{control:09d}"]
    return ("~\n".join(segments) + "~\n").encode()


def _x12_body(order: MadeOrder, products: dict[str, object], day: str) -> list[str]:
    body = [f"BEG*00*SA*{order.po or ''}**{day}", f"DTM*002*{order.requested.strftime('%Y%m%d')}",
            f"N1*BY*{order.customer.name[:35]}*UL*{order.buyer_gln}"]
    if order.ship_to_gln:
        body.append(f"N1*ST*Store*UL*{order.ship_to_gln}")
    for n, line in enumerate(order.lines, start=1):
        product = products[line.sku]
        quantity, price = line.quantity, line.price
        if line.unit == "EA":
            upp = product.units_per_pack  # type: ignore[attr-defined]
            quantity, price = quantity * upp, (price / upp).quantize(Decimal("0.000001")) if price else price
        unit = line.unit or {"CS": "CA"}.get(product.unit, product.unit)  # type: ignore[attr-defined]
        ids = _item_ids(order.customer, line, product)
        body.append(f"PO1*{n}*{quantity}*{unit}*{price if price is not None else ''}**{ids}")
        if line.claim is not None:
            body.append(f"SAC*A*F800***0*3*{line.claim}")
    body.append(f"CTT*{len(order.lines)}")
    return body


def _item_ids(customer: Customer, line: MadeLine, product: object) -> str:
    if line.unknown_code:
        return f"EN*{line.unknown_code}"
    alias = next((a for a, sku in customer.item_aliases.items() if sku == line.sku), None)
    if alias and line.use_alias:
        return f"BP*{alias}"
    return f"VN*{line.sku}*EN*{product.gtin}"  # type: ignore[attr-defined]


def render_email(order: MadeOrder, products: dict[str, object]) -> EmailOrder:
    """The order as a customer would type it."""
    lines = []
    for line in order.lines:
        name = "Unicorn Tears Elixir 6x75cl" if line.unknown_code else products[line.sku].name  # type: ignore[attr-defined]
        unit = TEXT_UNIT.get(products[line.sku].unit, "units")  # type: ignore[attr-defined]
        lines.append(f"- {line.quantity} {unit} of {name}")
    city = next(s.name for s in order.customer.ship_tos if s.code == order.ship_to).rsplit("–", 1)[-1]
    po = f"\nOur PO {order.po}." if order.po else ""
    sender = order.customer.email if order.error != "unknown_customer" else "someone@unknown-buyer.example"
    text = (f"Hello,\n\nPlease deliver on {order.requested.isoformat()} to our {city.strip()}:\n"
            + "\n".join(lines) + f"\n{po}\nKind regards,\n{order.customer.name}")
    return EmailOrder(sender or "", text, order.message_id)


def render_csv(orders: list[MadeOrder], products: dict[str, object]) -> bytes:
    """Orders as the portal's CSV upload (``csv_orders`` layout)."""
    rows = ["po_number,customer_code,ship_to,requested_date,item,quantity,unit,unit_price"]
    for order in orders:
        for line in order.lines:
            product = products[line.sku]
            item = line.unknown_code or line.sku
            quantity, price, unit = line.quantity, line.price, line.unit or product.unit  # type: ignore[attr-defined]
            if line.unit == "EA":
                upp = product.units_per_pack  # type: ignore[attr-defined]
                quantity, price = quantity * upp, (price / upp).quantize(Decimal("0.000001")) if price else price
            rows.append(f"{order.po or ''},{order.customer.id},{order.ship_to},{order.requested.isoformat()},"
                        f"{item},{quantity},{unit},{price if price is not None else ''}")
    return ("\n".join(rows) + "\n").encode()
