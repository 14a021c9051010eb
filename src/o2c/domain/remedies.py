"""Remedies for an affected order: what could be done, what it costs, when the goods would arrive.

For a supply gap: a like-for-like substitute (same category and pack, only for customers who accept
substitutes, at the price they ordered: we absorb any difference), shipping from another warehouse,
shipping what is there now and the rest later (split), or a new delivery window. For a late or stuck
delivery: another carrier (cost and transit days from the carrier rate table), an emergency delivery,
or a new delivery window. For a short or damaged delivery: a free replacement.

``rank`` puts the remedies that keep the promised date first, cheapest first; emergency delivery and
free goods are costly by nature and always wait for a person (the policy says so, not this module).
Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from o2c.domain.catalog import Product
from o2c.domain.customers import Customer
from o2c.domain.money import Money
from o2c.domain.operations import AffectedOrder
from o2c.domain.orders import Order

WAREHOUSE_SURCHARGE = Decimal("40.00")
"""Extra haulage (EUR) when an order ships from a warehouse other than its usual one."""


class RemedyKind(StrEnum):
    SUBSTITUTE = "substitute_item"
    CHANGE_WAREHOUSE = "change_warehouse"
    SPLIT = "split_delivery"
    CHANGE_CARRIER = "change_carrier"
    NEW_WINDOW = "new_delivery_window"
    EMERGENCY = "emergency_delivery"
    FREE_GOODS = "free_goods"


COSTLY = frozenset({RemedyKind.EMERGENCY, RemedyKind.FREE_GOODS})


@dataclass(frozen=True, slots=True)
class CarrierRate:
    """What ``carrier`` charges per delivery into ``region`` and how many days it takes."""

    carrier: str
    region: str
    days: int
    cost: Money
    express: bool = False


@dataclass(frozen=True, slots=True)
class Remedy:
    kind: RemedyKind
    order_id: str
    description: str
    cost: Money
    arrives: date | None
    meets_promise: bool
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RemedyContext:
    """What the fulfilment agent knows when it looks for remedies for one order (plain values).

    ``blocked_skus`` are the SKUs in a supply gap at ``warehouse``; ``free_warehouses`` are the
    warehouses with none of them blocked; ``list_prices`` are the customer's list prices.
    """

    today: date
    customer: Customer
    order: Order
    products: Mapping[str, Product]
    list_prices: Mapping[str, Decimal]
    rates: tuple[CarrierRate, ...] = ()
    blocked_skus: frozenset[str] = frozenset()
    warehouse: str | None = None
    free_warehouses: tuple[str, ...] = ()
    company_currency: str = "EUR"
    failed_carrier: str | None = None

    def cheapest(self, *, by: date | None = None, express: bool = False) -> CarrierRate | None:
        """The cheapest carrier into the customer's region (arriving by ``by``), never the one that failed."""
        fits = [r for r in self.rates if r.region == self.customer.country and r.express == express
                and r.carrier != self.failed_carrier
                and (by is None or self.today + timedelta(days=r.days) <= by)]
        return min(fits, key=lambda r: (r.cost.amount, r.days, r.carrier), default=None)


def substitutes(ctx: RemedyContext, line_nos: tuple[int, ...]) -> dict[int, str] | None:
    """A like-for-like SKU for every affected line, or None when one line has none (or is part-delivered)."""
    if not ctx.customer.allows_substitutes:
        return None
    chosen = {}
    for line in (ln for ln in ctx.order.lines if ln.line_no in line_nos):
        if line.delivered:
            return None
        original = ctx.products.get(line.sku)
        options = [ctx.products[s] for s in (original.substitutes if original else ()) if s in ctx.products]
        fits = [p for p in options if original and p.active and p.category == original.category
                and p.pack == original.pack and p.sku not in ctx.blocked_skus and p.sku in ctx.list_prices]
        if not fits:
            return None
        chosen[line.line_no] = min(fits, key=lambda p: (ctx.list_prices[p.sku], p.sku)).sku
    return chosen


def _substitution(ctx: RemedyContext, affected: AffectedOrder) -> Remedy | None:
    chosen = substitutes(ctx, affected.line_nos)
    if not chosen:
        return None
    extra = sum((max(Decimal(0), ctx.list_prices[sku] - ln.list_price) * ln.open_quantity
                 for ln in ctx.order.lines if (sku := chosen.get(ln.line_no))), Decimal(0))
    names = ", ".join(f"{ln.sku} -> {chosen[ln.line_no]}" for ln in ctx.order.lines if ln.line_no in chosen)
    return Remedy(RemedyKind.SUBSTITUTE, ctx.order.id, f"like-for-like substitute at the ordered price: {names}",
                  Money(extra, ctx.order.currency).quantize(), affected.promised, True,
                  {"lines": ",".join(f"{n}:{s}" for n, s in sorted(chosen.items()))})


def _other_warehouse(ctx: RemedyContext, affected: AffectedOrder) -> Remedy | None:
    rate = ctx.cheapest()
    if not ctx.free_warehouses or rate is None:
        return None
    warehouse = ctx.free_warehouses[0]
    arrives = ctx.today + timedelta(days=rate.days + 1)
    cost = Money(rate.cost.amount + WAREHOUSE_SURCHARGE, rate.cost.currency)
    return Remedy(RemedyKind.CHANGE_WAREHOUSE, ctx.order.id, f"ship from {warehouse} instead", cost,
                  arrives, arrives <= affected.promised, {"warehouse": warehouse})


def _split(ctx: RemedyContext, affected: AffectedOrder, later: date) -> Remedy | None:
    rest = [ln for ln in ctx.order.lines if ln.line_no not in affected.line_nos and ln.open_quantity > 0]
    rate = ctx.cheapest()
    if not rest or rate is None:
        return None
    return Remedy(RemedyKind.SPLIT, ctx.order.id,
                  f"ship {len(rest)} line(s) now, the affected line(s) on {later.isoformat()}", rate.cost,
                  later, False, {"lines": ",".join(str(n) for n in affected.line_nos), "later": later.isoformat()})


def _new_window(ctx: RemedyContext, affected: AffectedOrder, when: date) -> Remedy:
    return Remedy(RemedyKind.NEW_WINDOW, ctx.order.id, f"new delivery date {when.isoformat()}",
                  Money.zero(ctx.order.currency), when, when <= affected.promised,
                  {"date": when.isoformat(), **({"delivery": affected.delivery_id} if affected.delivery_id else {})})


def supply_remedies(ctx: RemedyContext, affected: AffectedOrder) -> list[Remedy]:
    """Remedies for order lines caught in a supply gap, ranked."""
    later = affected.expected or ctx.today + timedelta(days=3)
    found = [_substitution(ctx, affected), _other_warehouse(ctx, affected), _split(ctx, affected, later),
             _new_window(ctx, affected, later)]
    return rank([r for r in found if r is not None])


def delivery_remedies(ctx: RemedyContext, affected: AffectedOrder, *, collected: bool) -> list[Remedy]:
    """Remedies for a delivery that will arrive after the promised date, ranked.

    A delivery the carrier has not collected yet can be rebooked with another carrier; one already on
    the road can only be overtaken by an emergency delivery or moved to a new window.
    """
    found: list[Remedy] = []
    if not collected and (rate := ctx.cheapest(by=affected.promised)) is not None:
        arrives = ctx.today + timedelta(days=rate.days)
        found.append(Remedy(RemedyKind.CHANGE_CARRIER, ctx.order.id, f"rebook with {rate.carrier}", rate.cost,
                            arrives, True, {"carrier": rate.carrier, "date": arrives.isoformat(),
                                            "delivery": affected.delivery_id or ""}))
    if (express := ctx.cheapest(by=affected.promised, express=True)) is not None:
        arrives = ctx.today + timedelta(days=express.days)
        found.append(Remedy(RemedyKind.EMERGENCY, ctx.order.id, f"emergency delivery by {express.carrier}",
                            express.cost, arrives, True, {"carrier": express.carrier, "date": arrives.isoformat(),
                                                          "delivery": affected.delivery_id or ""}))
    found.append(_new_window(ctx, affected, affected.expected or ctx.today + timedelta(days=1)))
    return rank(found)


def replacement_remedies(ctx: RemedyContext, affected: AffectedOrder, missing: Mapping[str, Decimal]) -> list[Remedy]:
    """A free replacement of what arrived short or damaged (always a person's decision)."""
    rate = ctx.cheapest()
    arrives = ctx.today + timedelta(days=rate.days if rate else 2)
    goods = ", ".join(f"{q} x {sku}" for sku, q in sorted(missing.items()))
    return [Remedy(RemedyKind.FREE_GOODS, ctx.order.id, f"free replacement of {goods}", affected.value_at_risk,
                   arrives, False, {sku: str(q) for sku, q in sorted(missing.items())})]


def rank(remedies: list[Remedy]) -> list[Remedy]:
    """Keeping the promise first, then cheapest, then earliest."""
    return sorted(remedies, key=lambda r: (not r.meets_promise, r.cost.amount, r.arrives or date.max, r.kind.value))
