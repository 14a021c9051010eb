"""The plain-data codec: what each kind of value becomes, and a stored aggregate decodes to itself."""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from o2c.domain.codec import decode, encode
from o2c.domain.money import Money
from o2c.domain.orders import Order, OrderLine, OrderStatus


@dataclass(frozen=True)
class Charge:
    amount: Money
    status: OrderStatus
    on: date
    at: datetime
    parts: tuple[Decimal, ...]
    by_code: dict[int, str]
    note: str | None = None


def test_each_kind_of_value_encodes_to_plain_json_data():
    charge = Charge(
        Money.of("12.50", "EUR"),
        OrderStatus.ON_HOLD,
        date(2026, 9, 1),
        datetime(2026, 9, 1, 8, 30),
        (Decimal("1.10"), Decimal("2")),
        OrderedDict([(7, "seven")]),
    )
    assert encode(charge) == {
        "amount": {"amount": "12.50", "currency": "EUR"},
        "status": "on_hold",
        "on": "2026-09-01",
        "at": "2026-09-01T08:30:00",
        "parts": ["1.10", "2"],
        "by_code": {"7": "seven"},
        "note": None,
    }
    assert [encode(v) for v in (None, True, 3, 2.5, "text", Charge)] == [None, True, 3, 2.5, "text", Charge]


def test_an_order_encoded_and_decoded_is_the_same_order():
    order = Order(
        "SO-1",
        "C1",
        "C1-S1",
        "edi",
        date(2026, 9, 1),
        date(2026, 9, 3),
        "EUR",
        (OrderLine(1, "COLA", Decimal("3"), Decimal("9.50"), Decimal("10.00"), "P1", Decimal("5")),),
        po_number="PO-9",
        status=OrderStatus.CONFIRMED,
        source_ref="x12:1",
    )
    assert decode(Order, encode(order)) == order
