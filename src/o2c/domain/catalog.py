"""Catalog, prices and promotions.

A product is sold in a pack (a case of 24 cans, a 30 l keg); prices are per pack in a price list's
currency. A price list or promotion applies inside its validity window and scope (all customers, a
segment, or named customers). The price a customer should pay is the most specific valid list price,
less the best valid promotion: that is what intake and billing both check against.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from o2c.domain.customers import Customer, Segment


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    gtin: str
    name: str
    category: str
    pack: str
    unit: str
    units_per_pack: int
    tax_category: str
    substitutes: tuple[str, ...] = ()
    active: bool = True


@dataclass(frozen=True, slots=True)
class Scope:
    """Who a price list or promotion applies to; empty means everyone."""

    segments: tuple[Segment, ...] = ()
    customers: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()

    def covers(self, customer: Customer) -> bool:
        if self.customers and customer.id not in self.customers:
            return False
        if self.segments and customer.segment not in self.segments:
            return False
        return not (self.countries and customer.country not in self.countries)

    @property
    def specificity(self) -> int:
        return 4 * bool(self.customers) + 2 * bool(self.segments) + bool(self.countries)


@dataclass(frozen=True, slots=True)
class PriceList:
    id: str
    currency: str
    valid_from: date
    valid_to: date | None
    scope: Scope
    prices: dict[str, Decimal]

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True, slots=True)
class Promotion:
    id: str
    name: str
    skus: tuple[str, ...]
    discount_percent: Decimal
    valid_from: date
    valid_to: date
    scope: Scope
    min_quantity: Decimal = Decimal(0)

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to

    def applies(self, customer: Customer, sku: str, day: date, quantity: Decimal) -> bool:
        return (sku in self.skus and self.valid_on(day) and self.scope.covers(customer)
                and quantity >= self.min_quantity)


@dataclass(frozen=True, slots=True)
class PriceQuote:
    sku: str
    currency: str
    list_price: Decimal
    price_list_id: str
    promotion_id: str | None
    discount_percent: Decimal

    @property
    def net_price(self) -> Decimal:
        return (self.list_price * (100 - self.discount_percent) / 100).quantize(Decimal("0.0001"))


def quote(customer: Customer, sku: str, day: date, quantity: Decimal,
          price_lists: list[PriceList], promotions: list[Promotion]) -> PriceQuote | None:
    """The price ``customer`` should pay for ``sku`` on ``day``, or None when no list prices it."""
    candidates = [pl for pl in price_lists
                  if pl.currency == customer.currency and pl.valid_on(day)
                  and pl.scope.covers(customer) and sku in pl.prices]
    if not candidates:
        return None
    best_list = max(candidates, key=lambda pl: (pl.scope.specificity, pl.valid_from, pl.id))
    promos = [p for p in promotions if p.applies(customer, sku, day, quantity)]
    best_promo = max(promos, key=lambda p: (p.discount_percent, p.id), default=None)
    return PriceQuote(
        sku=sku, currency=customer.currency, list_price=best_list.prices[sku],
        price_list_id=best_list.id,
        promotion_id=best_promo.id if best_promo else None,
        discount_percent=best_promo.discount_percent if best_promo else Decimal(0),
    )
