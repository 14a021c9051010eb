"""The registry picks the parser by content, the dry-run summary has its promised shape, and every
problem any parser reports names where it is."""

from __future__ import annotations

import json

import pytest

from o2c.adapters.formats.orders import dry_run_summary, identify_order_file, parse_order_file
from o2c.adapters.formats.orders.model import FormatError

from .builders import edifact_file, edifact_order, x12_file, x12_order

CSV = b"po_number,customer_code,item,quantity,unit,unit_price\nPO-9,C001,SKU-1,12,CS,1.20\nPO-9,C001,SKU-2,3,EA,\n"


@pytest.mark.parametrize(("data", "expected"), [
    (x12_file(x12_order()), "x12.850"),
    (edifact_file(edifact_order()), "edifact.orders"),
    (CSV, "csv.orders"),
    (b"%PDF-1.7 not an order", None),
    (b"", None),
])
def test_identify_order_file_names_the_format_by_content(data, expected):
    assert identify_order_file(data, "upload.dat") == expected


def test_an_unknown_file_is_refused_with_its_name():
    with pytest.raises(FormatError, match=r"notes\.txt"):
        parse_order_file(b"hello", "notes.txt")


def test_dry_run_summary_has_exactly_the_promised_shape():
    summary = dry_run_summary(parse_order_file(CSV, "upload.csv"))
    assert summary == {
        "format": "csv.orders",
        "orders": [{"po": "PO-9", "buyer": "C001", "ship_to": None, "requested_date": None, "lines": [
            {"item": "SKU-1", "gtin": None, "qty": "12", "unit": "CS", "price": "1.20"},
            {"item": "SKU-2", "gtin": None, "qty": "3", "unit": "EA", "price": None}]}],
        "errors": [],
    }
    assert json.loads(json.dumps(summary)) == summary


def test_dry_run_summary_lists_errors_with_segment_position_and_field():
    order = x12_order()
    order[-1] = "SE*5*0001"
    summary = dry_run_summary(parse_order_file(x12_file(order), "po.x12"))
    assert summary["errors"] == [{"segment": "SE", "position": 15, "field": "SE01",
                                  "message": "SE01 says 5 segments from ST to SE, the file has 13"}]
    assert summary["orders"][0]["requested_date"] == "2025-04-01"


def _broken_x12() -> list[bytes]:
    wrong_count = x12_order()
    wrong_count[-1] = "SE*2*0002"
    whole = x12_file(x12_order())
    return [x12_file(wrong_count, iea_control="1", ge_count=4), whole[: whole.index(b"PO1")],
            x12_file(x12_order(quantity="x")), whole[: whole.index(b"IEA") + 5]]


def _broken_edifact() -> list[bytes]:
    wrong = edifact_order(quantity="?")
    wrong[-1] = "UNT+3+9"
    whole = edifact_file(edifact_order())
    return [edifact_file(wrong, unz_reference="1", unz_count=3), whole[: whole.index(b"LIN")],
            whole[: whole.index(b"UNZ") + 5]]


@pytest.mark.parametrize("data", _broken_x12() + _broken_edifact())
def test_every_edi_error_names_its_segment_and_position(data):
    parsed = parse_order_file(data, "broken.edi")
    assert parsed.errors
    for error in parsed.errors:
        assert error.segment and error.segment.isalnum() and error.position, error
        assert f"{error.segment}, segment {error.position}" in str(error)


def test_every_csv_error_names_its_row_and_column():
    data = b"po_number,customer_code,item,quantity\nPO-1,,SKU,1\nPO-1,C1,,x\n"
    parsed = parse_order_file(data, "u.csv")
    assert [(e.position, e.field) for e in parsed.errors] == [(2, "customer_code"), (3, "item"), (3, "quantity")]
    assert all(str(e).startswith(f"u.csv, row {e.position}, {e.field}: ") for e in parsed.errors)
