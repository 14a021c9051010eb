"""Small, explicit master data for tests (the demo world is too big to reason about line by line)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from o2c.bootstrap import App
from o2c.domain.catalog import PriceList, Product, Promotion, Scope
from o2c.domain.customers import Address, Customer, PaymentTerms, Segment, ShipTo
from o2c.domain.money import Money


def customer(cid: str = "C1", *, country: str = "NL", currency: str = "EUR", limit: str = "10000",
             segment: Segment = Segment.HORECA, vat_id: str | None = "NL123456789B01") -> Customer:
    address = Address("Main Street 1", "Utrecht", "3511", country)
    return Customer(cid, f"Customer {cid}", segment, country, currency, "en", address,
                    (ShipTo(f"{cid}-S1", "Main site", address),), PaymentTerms(30),
                    Money.of(limit, currency), vat_id=vat_id, bank_accounts=(f"NL00BANK{cid}",))


PRODUCTS = [
    Product("COLA", "8712345000018", "Cola 24x33cl can", "soft_drinks", "24x33cl can", "CS", 24, "standard"),
    Product("WATER", "8712345000025", "Water 24x50cl", "water", "24x50cl PET", "CS", 24, "reduced"),
]


def seed(app: App, *customers: Customer) -> None:
    with app.uow() as uow:
        uow.customers.add_many(customers or [customer()])
        uow.products.add_many(PRODUCTS)
        for ccy in ("EUR", "GBP", "USD"):
            uow.price_lists.add(PriceList(f"PL-{ccy}", ccy, date(2026, 1, 1), None, Scope(),
                                          {"COLA": Decimal("10.00"), "WATER": Decimal("5.00")}))
        uow.promotions.add(Promotion("P1", "Water week", ("WATER",), Decimal("10"), date(2026, 9, 1),
                                     date(2026, 9, 7), Scope()))
        uow.fx.put(date(2026, 1, 1), "GBP", Decimal("0.85"))
        uow.fx.put(date(2026, 1, 1), "USD", Decimal("1.10"))
        uow.commit()
