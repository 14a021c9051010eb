"""A small intake world: one customer with two ship-tos, a few products, prices, promotions and stock.

Today is Tuesday 2026-09-01 (the ``clock`` fixture); 2026-09-06 is a Sunday.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from o2c.adapters.store.intake_store import seed_stock
from o2c.domain.catalog import PriceList, Product, Promotion, Scope
from o2c.domain.customers import Address, Customer, PaymentTerms, Segment, ShipTo
from o2c.domain.money import Money
from o2c.domain.order_checks import (
    IntakeReference,
    OrderingPattern,
    ScheduledReceipt,
    StockPlan,
    StockPosition,
)
from o2c.domain.orders import Order, OrderLine, OrderStatus

TODAY = date(2026, 9, 1)
BUYER_GLN = "8711111111116"
UTRECHT_GLN, ANTWERP_GLN = "5411111111110", "5422222222227"
ADDRESS = Address("Main Street 1", "Utrecht", "3511", "NL")

CUSTOMER = Customer(
    "C1", "Hoekstra Retail B.V.", Segment.RETAIL_CHAIN, "NL", "EUR", "nl", ADDRESS,
    (ShipTo("C1-S1", "Hoekstra – Utrecht store", ADDRESS, UTRECHT_GLN),
     ShipTo("C1-S2", "Hoekstra – Antwerp store", ADDRESS, ANTWERP_GLN)),
    PaymentTerms(30), Money.of("100000", "EUR"), gln=BUYER_GLN, email="orders@hoekstra.example",
    requires_po=True, allows_substitutes=True, item_aliases={"HK-COLA": "COLA"})

PRODUCTS = [
    Product("COLA", "8712345000018", "Cola 24x33cl can", "soft_drinks", "24x33cl can", "CS", 24, "standard",
            ("COLAZ",)),
    Product("COLAZ", "8712345000025", "Cola Zero 24x33cl can", "soft_drinks", "24x33cl can", "CS", 24, "standard"),
    Product("LAGER", "8712345000032", "Pilsner Lager 30l keg", "beer", "30l keg", "KEG", 1, "standard"),
    Product("WATER", "8712345000049", "Spring Water 24x50cl PET", "water", "24x50cl PET", "CS", 24, "reduced"),
    Product("OJ", "8712345000056", "Orange Juice 12x1l carton", "juice", "12x1l carton", "CS", 12, "reduced"),
]
PRICES = {"COLA": Decimal("14.40"), "COLAZ": Decimal("14.40"), "LAGER": Decimal("78.00"),
          "WATER": Decimal("6.90"), "OJ": Decimal("15.60")}
PRICE_LISTS = [PriceList("PL-EUR", "EUR", date(2026, 1, 1), None, Scope(), PRICES)]
PROMOTIONS = [
    Promotion("P-WATER", "Water week", ("WATER",), Decimal("10"), date(2026, 8, 28), date(2026, 9, 7), Scope()),
    Promotion("P-OJ", "Juice August", ("OJ",), Decimal("15"), date(2026, 8, 1), date(2026, 8, 20), Scope()),
]
STOCK = [StockPosition("COLA", "RTM", Decimal(30)), StockPosition("COLAZ", "RTM", Decimal(500)),
         StockPosition("LAGER", "RTM", Decimal(100)), StockPosition("WATER", "RTM", Decimal(1000)),
         StockPosition("OJ", "RTM", Decimal(1000))]
RECEIPTS = [ScheduledReceipt("COLA", "RTM", date(2026, 9, 10), Decimal(200))]
HISTORY = {"COLA": Decimal(20), "COLAZ": Decimal(20), "LAGER": Decimal(10), "WATER": Decimal(40),
           "OJ": Decimal(20)}


def reference(**changes: object) -> IntakeReference:
    pattern = OrderingPattern(dict(HISTORY), Decimal(20), frozenset({"PO-OLD-1"}))
    values: dict[str, object] = dict(
        today=TODAY, customers={"C1": CUSTOMER}, products={p.sku: p for p in PRODUCTS}, price_lists=PRICE_LISTS,
        promotions=PROMOTIONS, patterns={"C1": pattern}, stock=StockPlan(tuple(STOCK), tuple(RECEIPTS)))
    values.update(changes)
    return IntakeReference(**values)  # type: ignore[arg-type]


def seed_intake(app) -> None:  # type: ignore[no-untyped-def]
    """The same world in a database, with three past orders giving the ordering pattern."""
    with app.uow() as uow:
        uow.customers.add(CUSTOMER)
        uow.products.add_many(PRODUCTS)
        uow.price_lists.add_many(PRICE_LISTS)
        uow.promotions.add_many(PROMOTIONS)
        seed_stock(uow.conn, STOCK, RECEIPTS)
        for n, day in enumerate((date(2026, 8, 4), date(2026, 8, 11), date(2026, 8, 18)), start=1):
            lines = tuple(OrderLine(i, sku, qty, PRICES[sku], PRICES[sku])
                          for i, (sku, qty) in enumerate(HISTORY.items(), start=1))
            uow.orders.add(Order(f"SO-H{n}", "C1", "C1-S1", "edi", day, day, "EUR", lines, f"PO-OLD-{n}",
                                 OrderStatus.DELIVERED, source_ref=f"history:{n}"))
        uow.commit()


def x12_850(*lines: str, po: str = "PO-NEW-1", control: int = 1, requested: str = "20260903",
            ship_to: str = ANTWERP_GLN, buyer: str = BUYER_GLN, sets: int = 1) -> bytes:
    """An X12 850 interchange from the buyer; ``lines`` are PO1 segments (SAC lines may follow)."""
    body = [f"BEG*00*SA*{po}**20260901", f"DTM*002*{requested}", f"N1*BY*Hoekstra*UL*{buyer}",
            f"N1*ST*Store*UL*{ship_to}", *(lines or ("PO1*1*20*CA*14.40**VN*COLA*EN*8712345000018",)),
            f"CTT*{sum(1 for ln in lines if ln.startswith('PO1')) or 1}"]
    segments = [f"ISA*00*          *00*          *ZZ*HOEKSTRA       *ZZ*O2CSUPPLIER    *260901*0800*U*00401*"
                f"{control:09d}*0*P*>", f"GS*PO*HOEKSTRA*O2CSUPPLIER*20260901*0800*{control}*X*004010"]
    for n in range(1, sets + 1):
        numbered = [seg.replace("PO-NEW-1", f"{po}-{n}") if sets > 1 else seg for seg in body]
        segments += [f"ST*850*{n:04d}", *numbered, f"SE*{len(body) + 2}*{n:04d}"]
    segments += [f"GE*{sets}*{control}", f"IEA*1*{control:09d}"]
    return ("~\n".join(segments) + "~\n").encode()
