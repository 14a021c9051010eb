"""Order channel formats: X12 850, EDIFACT ORDERS and the CSV upload, read into one neutral model.

Each format module offers ``identify(data, filename) -> bool`` and
``parse(data, filename) -> ParsedInterchange``; this registry picks the right one, and
``dry_run_summary`` shows what a file would book without booking anything. Acknowledgements are
rendered by ``x12_ack`` (997, 855) and ``edifact_ack`` (CONTRL, ORDRSP).

Invariant: identification is by content first (the ISA / UNB header, the CSV header row), so a
misnamed file is still read by the right parser; the first format that claims a file wins.
"""

from __future__ import annotations

from collections.abc import Callable

from o2c.adapters.formats.orders import csv_orders, edifact_orders, x12_850
from o2c.adapters.formats.orders.model import FormatError, ParsedInterchange, ParsedOrder, ParsedOrderLine
from o2c.adapters.formats.orders.values import decimal_text

Identify = Callable[[bytes, str], bool]
Parse = Callable[[bytes, str], ParsedInterchange]

FORMATS: dict[str, tuple[Identify, Parse]] = {
    x12_850.FORMAT: (x12_850.identify, x12_850.parse),
    edifact_orders.FORMAT: (edifact_orders.identify, edifact_orders.parse),
    csv_orders.FORMAT: (csv_orders.identify, csv_orders.parse),
}

__all__ = [
    "FORMATS",
    "FormatError",
    "ParsedInterchange",
    "dry_run_summary",
    "identify_order_file",
    "parse_order_file",
]


def identify_order_file(data: bytes, filename: str) -> str | None:
    """"x12.850", "edifact.orders" or "csv.orders" for a file we can read, else None."""
    return next((name for name, (identify, _) in FORMATS.items() if identify(data, filename)), None)


def parse_order_file(data: bytes, filename: str) -> ParsedInterchange:
    """The file read by its format's parser; ``FormatError`` when no format recognises it."""
    name = identify_order_file(data, filename)
    if name is None:
        raise FormatError("not an order file: no X12 ISA/850, EDIFACT UNB/ORDERS or CSV order header found",
                          file=filename)
    return FORMATS[name][1](data, filename)


def dry_run_summary(parsed: ParsedInterchange) -> dict[str, object]:
    """A JSON-ready preview: per order its PO number, buyer, ship-to, requested delivery date and lines
    (decimals as strings), plus every problem found. Buyer and ship-to are the party's id, else its
    name; ``requested_date`` is the requested delivery date, else the start of the delivery window."""
    return {
        "format": parsed.source_format,
        "orders": [_order_summary(order) for order in parsed.orders],
        "errors": [error.as_dict() for error in parsed.errors],
    }


def _order_summary(order: ParsedOrder) -> dict[str, object]:
    window_start = order.delivery_window.earliest if order.delivery_window else None
    requested = order.requested_delivery_date or window_start
    return {
        "po": order.po_number,
        "buyer": order.buyer.label if order.buyer else None,
        "ship_to": order.ship_to.label if order.ship_to else None,
        "requested_date": requested.isoformat() if requested else None,
        "lines": [_line_summary(line) for line in order.lines],
    }


def _line_summary(line: ParsedOrderLine) -> dict[str, str | None]:
    return {
        "item": line.item,
        "gtin": line.gtin,
        "qty": decimal_text(line.quantity),
        "unit": line.unit,
        "price": decimal_text(line.unit_price) if line.unit_price is not None else None,
    }
