"""A small book of open orders and deliveries for impact and remedy tests. Today is 2026-09-01."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from o2c.domain.catalog import Product
from o2c.domain.customers import Address, Customer, PaymentTerms, Segment, ShipTo
from o2c.domain.money import Money
from o2c.domain.operations import Book
from o2c.domain.orders import Delivery, DeliveryLine, Order, OrderLine, OrderStatus
from o2c.domain.remedies import CarrierRate

TODAY = date(2026, 9, 1)


def customer(cid: str, country: str = "NL", *, substitutes: bool = True) -> Customer:
    address = Address("Main Street 1", "Utrecht", "3511", country)
    return Customer(cid, f"Customer {cid}", Segment.HORECA, country, "EUR", "en", address,
                    (ShipTo(f"{cid}-S1", "Main", address),), PaymentTerms(30), Money.of("10000", "EUR"),
                    allows_substitutes=substitutes)


def order(oid: str, cid: str, promised: date, *lines: tuple[str, int], status=OrderStatus.CONFIRMED) -> Order:
    return Order(oid, cid, f"{cid}-S1", "edi", TODAY, promised, "EUR",
                 tuple(OrderLine(n, sku, Decimal(q), Decimal("10.00"), Decimal("10.00"))
                       for n, (sku, q) in enumerate(lines, start=1)), status=status)


def delivery(did: str, o: Order, carrier: str, expected: date, site: str = "RTM") -> Delivery:
    return Delivery(did, o.id, o.customer_id, site, carrier, TODAY, expected,
                    tuple(DeliveryLine(ln.line_no, ln.sku, ln.quantity) for ln in o.lines))


CUSTOMERS = {"C1": customer("C1"), "C2": customer("C2", "DE", substitutes=False)}
SOON = order("SO-1", "C1", date(2026, 9, 3), ("COLA", 10), ("WATER", 5))
LATER = order("SO-2", "C2", date(2026, 9, 20), ("COLA", 4))
GERMAN = order("SO-3", "C2", date(2026, 9, 4), ("COLA", 2), status=OrderStatus.DELIVERED)
ON_ROAD_NL = delivery("DL-1", SOON, "DHLF", date(2026, 9, 2))
ON_ROAD_DE = delivery("DL-2", GERMAN, "DHLF", date(2026, 9, 3))
BOOK = Book(TODAY, (SOON, LATER, GERMAN), (ON_ROAD_NL, ON_ROAD_DE), CUSTOMERS,
            {"SO-1": "RTM", "SO-2": "DUI", "SO-3": "DUI"})

PRODUCTS = {
    "COLA": Product("COLA", "1", "Cola can", "soft_drinks", "24x33cl can", "CS", 24, "standard", ("COLA2", "COLA6")),
    "COLA2": Product("COLA2", "2", "Cola can PL", "soft_drinks", "24x33cl can", "CS", 24, "standard"),
    "COLA6": Product("COLA6", "3", "Cola PET", "soft_drinks", "6x1.5l PET", "CS", 6, "standard"),
    "WATER": Product("WATER", "4", "Water", "water", "24x50cl PET", "CS", 24, "reduced"),
}
PRICES = {"COLA": Decimal("10.00"), "COLA2": Decimal("10.50"), "COLA6": Decimal("4.00"), "WATER": Decimal("5.00")}
RATES = (CarrierRate("PNLP", "NL", 1, Money.of("95", "EUR")), CarrierRate("KN", "NL", 3, Money.of("55", "EUR")),
         CarrierRate("DHLF", "NL", 2, Money.of("68", "EUR")),
         CarrierRate("EXPR", "NL", 1, Money.of("340", "EUR"), express=True))
