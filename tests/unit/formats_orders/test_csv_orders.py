"""CSV order upload: rows grouped into orders, every row error named by row and column."""

from __future__ import annotations

from decimal import Decimal

import pytest

from o2c.adapters.formats.orders import csv_orders
from o2c.adapters.formats.orders.model import FormatError

HEADER = "po_number,customer_code,ship_to,requested_date,item,quantity,unit,unit_price,notes\n"


def upload(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode()


def test_rows_sharing_a_po_number_form_one_order():
    parsed = csv_orders.parse(upload(
        "PO-1,C001,S01,2025-04-01,SKU-1,12,case,9.50,ring first",
        "PO-1,C001,S01,2025-04-01,5412345000037,3,EA,,",
        "PO-2,C002,,,SKU-9,1.5,kg,,",
    ), "upload.csv")
    assert parsed.is_clean
    first, second = parsed.orders
    assert (first.po_number, first.buyer.party_id, first.ship_to.party_id) == ("PO-1", "C001", "S01")
    assert str(first.requested_delivery_date) == "2025-04-01" and first.notes == ("ring first",)
    assert [(ln.line_number, ln.quantity, ln.unit, ln.unit_price) for ln in first.lines] == [
        ("1", Decimal("12"), "CS", Decimal("9.50")), ("2", Decimal("3"), "EA", None)]
    assert first.lines[1].gtin == "5412345000037" and first.lines[0].gtin is None
    assert (second.ship_to, second.lines[0].unit, second.lines[0].quantity) == (None, "KG", Decimal("1.5"))


def test_row_errors_name_the_row_and_the_column_all_at_once():
    parsed = csv_orders.parse(upload(
        "PO-1,C001,S01,2025-04-01,SKU-1,12,EA,,",
        "PO-1,C001,S01,2025-04-01,,1,EA,,",
        "PO-1,C001,S01,01/04/2025,SKU-2,1,EA,,",
        "PO-1,C001,S01,2025-04-01,SKU-3,twelve,EA,abc,",
        "PO-1,C001,S01,2025-04-01,SKU-4,0,EA,,",
    ), "upload.csv")
    found = [(e.position, e.field) for e in parsed.errors]
    assert found == [(3, "item"), (4, "requested_date"), (4, "requested_date"), (5, "quantity"),
                     (5, "unit_price"), (6, "quantity")]
    assert all(e.position_kind == "row" for e in parsed.errors)
    assert parsed.errors[3].describe() == "upload.csv, row 5, quantity: quantity 'twelve' is not a number"
    assert [ln.buyer_item for ln in parsed.orders[0].lines] == ["SKU-1"]


def test_a_decimal_comma_gets_a_hint_rather_than_a_guess():
    parsed = csv_orders.parse(upload('PO-1,C001,,,SKU-1,"1,5",EA,,'), "upload.csv")
    (error,) = parsed.errors
    assert "use '.' as decimal mark" in error.message


def test_one_order_must_agree_on_its_ship_to():
    parsed = csv_orders.parse(upload("PO-1,C001,S01,,SKU-1,1,EA,,", "PO-1,C001,S02,,SKU-2,1,EA,,"), "u.csv")
    (error,) = parsed.errors
    assert (error.position, error.field) == (3, "ship_to")
    assert "row 2" in error.message


def test_semicolon_separated_windows_excel_export_is_read():
    data = "\ufeffPO Number;Customer Code;Item;Quantity;Unit\nPO-7;C001;SKU-1;4;PK\n".encode("utf-8")
    assert csv_orders.identify(data, "export.csv")
    (order,) = csv_orders.parse(data, "export.csv").orders
    assert (order.po_number, order.lines[0].quantity, order.lines[0].unit) == ("PO-7", Decimal("4"), "PK")


def test_a_header_without_the_required_columns_is_refused():
    with pytest.raises(FormatError, match="quantity"):
        csv_orders.parse(b"po_number,customer_code,item\nPO-1,C1,SKU\n", "u.csv")


def test_gtin_is_recognised_only_with_a_valid_check_digit():
    assert csv_orders.is_gtin("5412345000037")
    assert not csv_orders.is_gtin("5412345000038")
    assert not csv_orders.is_gtin("SKU-12345678")
