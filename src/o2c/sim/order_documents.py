"""Incoming orders as documents: what a generated order looks like on the wire.

``MadeOrder`` / ``MadeLine`` hold an order as a customer means to send it (items, quantities, the
price and promotion they expect, and the mistakes drawn into it); ``render_x12`` writes X12 850
interchanges, ``render_email_text`` the e-mail a buyer types, ``render_csv`` the portal upload.
This module knows nothing of how o2c checks orders: generators (the demo, ``o2c bench orders``)
use it without seeing any threshold or rule of the intake checker.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from o2c.domain.customers import Customer

OUR_ID = "O2CSUPPLIER"
TEXT_UNIT = {"CS": "cases", "KEG": "kegs", "EA": "units", "PL": "pallets"}


@dataclass
class MadeLine:
    sku: str
    quantity: Decimal
    price_mode: str = "correct"  # correct | list_no_claim | lapsed_claim | off
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
    errors: frozenset[str] = frozenset()
    buyer_gln: str | None = None
    message_id: str = ""
    notes: list[str] = field(default_factory=list)


def render_x12(
    orders: list[MadeOrder],
    products: dict[str, object],
    control: int,
    sender: str = "BUYERS",
    today: date | None = None,
) -> bytes:
    """One X12 004010 interchange holding one 850 per order."""
    day = (today or date.today()).strftime("%Y%m%d")
    segments = [
        f"ISA*00*          *00*          *ZZ*{sender:<15}*ZZ*{OUR_ID:<15}*{day[2:]}*0800*U*00401*"
        f"{control:09d}*0*P*>",
        f"GS*PO*{sender}*{OUR_ID}*{day}*0800*{control}*X*004010",
    ]
    for n, order in enumerate(orders, start=1):
        body = _x12_body(order, products, day)
        segments += [f"ST*850*{n:04d}", *body, f"SE*{len(body) + 2}*{n:04d}"]
    segments += [f"GE*{len(orders)}*{control}", f"IEA*1*{control:09d}"]
    return ("~\n".join(segments) + "~\n").encode()


def _x12_body(order: MadeOrder, products: dict[str, object], day: str) -> list[str]:
    body = [
        f"BEG*00*SA*{order.po or ''}**{day}",
        f"DTM*002*{order.requested.strftime('%Y%m%d')}",
        f"N1*BY*{order.customer.name[:35]}*UL*{order.buyer_gln}",
    ]
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


def render_email_text(order: MadeOrder, products: dict[str, object]) -> tuple[str, str, str]:
    """The order as a customer would type it: (sender, text, message id)."""
    lines = []
    for line in order.lines:
        name = "Unicorn Tears Elixir 6x75cl" if line.unknown_code else products[line.sku].name  # type: ignore[attr-defined]
        unit = TEXT_UNIT.get(products[line.sku].unit, "units")  # type: ignore[attr-defined]
        lines.append(f"- {line.quantity} {unit} of {name}")
    city = next(s.name for s in order.customer.ship_tos if s.code == order.ship_to).rsplit("–", 1)[-1]
    po = f"\nOur PO {order.po}." if order.po else ""
    unknown = "unknown_customer" in order.errors or order.error == "unknown_customer"
    sender = order.customer.email if not unknown else "someone@unknown-buyer.example"
    text = (
        f"Hello,\n\nPlease deliver on {order.requested.isoformat()} to our {city.strip()}:\n"
        + "\n".join(lines)
        + f"\n{po}\nKind regards,\n{order.customer.name}"
    )
    return sender or "", text, order.message_id


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
                quantity, price = (
                    quantity * upp,
                    (price / upp).quantize(Decimal("0.000001")) if price else price,
                )
            rows.append(
                f"{order.po or ''},{order.customer.id},{order.ship_to},{order.requested.isoformat()},"
                f"{item},{quantity},{unit},{price if price is not None else ''}"
            )
    return ("\n".join(rows) + "\n").encode()
