"""CSV / spreadsheet order upload: the layout customers fill in on the portal or send by e-mail.

Layout: a header row, then one row per order line. Columns (names case-insensitive, in any order,
separated by ``,``, ``;`` or tab; UTF-8 or Windows-1252):

==============  ========  ==============================================================
column          required  meaning
==============  ========  ==============================================================
po_number       yes       the customer's purchase order number; rows sharing it (and the
                          customer code) form one order
customer_code   yes       our code for the customer (the sold-to account)
ship_to         no        our code for the delivery address, else the sold-to is used
requested_date  no        requested delivery date, ``YYYY-MM-DD``
item            yes       our SKU, the customer's item code or a GTIN (8, 12, 13 or 14 digits
                          with a valid check digit)
quantity        yes       a positive number, ``.`` as decimal mark, no thousands separator
unit            no        EA, CS, PK, KG... or a word (case, each, pack); EA when empty
unit_price      no        the price the customer expects, same number rules as quantity
notes           no        free text for the order
==============  ========  ==============================================================

Invariants: every problem is reported with its row (the file's line number, header = 1) and
column, all at once; a row with an error is left out of its order; all rows of one order must
agree on ship_to and requested_date.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from o2c.adapters.formats.orders.model import (
    DocumentPurpose,
    FormatError,
    ParsedInterchange,
    ParsedOrder,
    ParsedOrderLine,
    Party,
    PartyIdScheme,
)
from o2c.adapters.formats.orders.units import WORD_UNITS, normalise_unit
from o2c.adapters.formats.orders.values import line_amount_problem, parse_number
from o2c.domain.orders import po_number_problem

FORMAT = "csv.orders"
REQUIRED = ("po_number", "customer_code", "item", "quantity")
OPTIONAL = ("ship_to", "requested_date", "unit", "unit_price", "notes")

Problem = Callable[[str, str], None]  # (column, message): records one row error


def identify(data: bytes, filename: str) -> bool:
    """A text file whose first line names at least the required columns."""
    first_line = _decode(data[:4000]).splitlines()[0] if data.strip() else ""
    columns = {_column_name(name) for name in _split_header(first_line)}
    return set(REQUIRED) <= columns


@dataclass
class OrderRows:
    first_row: int
    values: dict[str, str]
    lines: list[ParsedOrderLine] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def parse(data: bytes, filename: str) -> ParsedInterchange:
    text = _decode(data)
    dialect_delimiter = _delimiter(text.splitlines()[0] if text else "")
    reader = csv.reader(io.StringIO(text), delimiter=dialect_delimiter)
    header = [_column_name(name) for name in next(reader, [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise FormatError(f"the header lacks the required column(s) {', '.join(missing)}", file=filename,
                          position=1, position_kind="row", field=", ".join(missing))
    orders: dict[tuple[str, str], OrderRows] = {}
    errors: list[FormatError] = []
    for cells in reader:
        if any(cell.strip() for cell in cells):
            _read_row(dict(zip(header, (c.strip() for c in cells), strict=False)), reader.line_num,
                      filename, orders, errors)
    parsed = tuple(_order(rows) for rows in orders.values())
    return ParsedInterchange(FORMAT, filename, parsed, (), tuple(errors))


def _read_row(row: dict[str, str], number: int, file: str, orders: dict[tuple[str, str], OrderRows],
              errors: list[FormatError]) -> None:
    def problem(column: str, message: str) -> None:
        errors.append(FormatError(message, file=file, position=number, position_kind="row", field=column))

    found_before = len(errors)
    for column in REQUIRED:
        if not row.get(column):
            problem(column, f"{column} is required and empty")
    if row.get("po_number") and (unsendable := po_number_problem(row["po_number"])):
        problem("po_number", unsendable)
    quantity = _number(row.get("quantity", ""), "quantity", problem, positive=True)
    price = _number(row.get("unit_price", ""), "unit_price", problem, positive=False)
    if quantity is not None and (too_much := line_amount_problem(quantity, price)):
        problem("unit_price", too_much)
    _date(row.get("requested_date", ""), problem)
    key = (row.get("po_number", ""), row.get("customer_code", ""))
    rows = orders.setdefault(key, OrderRows(number, row)) if all(key) else None
    if rows is not None:
        for column in ("ship_to", "requested_date"):
            if row.get(column, "") != rows.values.get(column, ""):
                problem(column, f"{column} {row.get(column)!r} differs from {rows.values.get(column)!r} "
                                f"on row {rows.first_row} of the same order")
    if len(errors) > found_before or rows is None or quantity is None:
        return
    if row.get("notes"):
        rows.notes.append(row["notes"])
    rows.lines.append(_line(row, len(rows.lines) + 1, quantity, price))


def _line(row: dict[str, str], number: int, quantity: Decimal, price: Decimal | None) -> ParsedOrderLine:
    item = row["item"]
    return ParsedOrderLine(
        line_number=str(number), quantity=quantity, unit=normalise_unit(row.get("unit"), WORD_UNITS),
        unit_code=row.get("unit") or None, unit_price=price, buyer_item=item,
        gtin=item if is_gtin(item) else None, item_ids=(("item", item),))


def _order(rows: OrderRows) -> ParsedOrder:
    values = rows.values
    ship_to = values.get("ship_to")
    return ParsedOrder(
        source_format=FORMAT, po_number=values["po_number"], purpose=DocumentPurpose.ORIGINAL,
        purpose_code="", lines=tuple(rows.lines),
        buyer=Party("BY", values["customer_code"], PartyIdScheme.SELLER_ASSIGNED),
        ship_to=Party("ST", ship_to, PartyIdScheme.SELLER_ASSIGNED) if ship_to else None,
        requested_delivery_date=_iso_date(values.get("requested_date", "")),
        notes=tuple(dict.fromkeys(rows.notes)))


def _number(text: str, column: str, problem: Problem, positive: bool) -> Decimal | None:
    if not text:
        return None
    try:
        value = parse_number(text)
    except ValueError as error:
        hint = " (use '.' as decimal mark, no thousands separator)" if "," in text else ""
        problem(column, f"{column} {error}{hint}")
        return None
    if value < 0 or (positive and value == 0):
        problem(column, f"{column} {text} must be {'above' if positive else 'at least'} zero")
        return None
    return value


def _date(text: str, problem: Problem) -> None:
    if text and _iso_date(text) is None:
        problem("requested_date", f"requested_date {text!r} is not a YYYY-MM-DD date")


def _iso_date(text: str) -> date | None:
    """The YYYY-MM-DD date, or None when empty or not a real date (2026-02-30): its row reports it."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def is_gtin(code: str) -> bool:
    """A GTIN-8/12/13/14 with a valid GS1 check digit."""
    if len(code) not in (8, 12, 13, 14) or not code.isdigit():
        return False
    digits = [int(c) for c in reversed(code[:-1])]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits))
    return (10 - total % 10) % 10 == int(code[-1])


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _delimiter(header_line: str) -> str:
    return max((",", ";", "\t"), key=header_line.count)


def _split_header(line: str) -> list[str]:
    return next(csv.reader([line], delimiter=_delimiter(line)), [])


def _column_name(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")
