"""Every public order sample against its pinned dry-run summary (beangulp style).

A difference means the parser's reading of a real file changed: if that was deliberate, run
``tests/golden/orders/regenerate.py`` and review the diff. The second group of tests holds values
read from the sample files by hand, so a wrong golden file cannot pass unnoticed.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from o2c.adapters.formats.orders import dry_run_summary, identify_order_file, parse_order_file

from .conftest import GOLDEN, SAMPLES, order_samples

pytestmark = pytest.mark.skipif(not SAMPLES.exists(), reason="tests/data/orders is missing")


@pytest.mark.parametrize("sample", order_samples(), ids=lambda p: p.name)
def test_sample_summary_matches_its_golden_file(sample):
    expected = json.loads((GOLDEN / f"{sample.name}.json").read_text(encoding="utf-8"))
    summary = dry_run_summary(parse_order_file(sample.read_bytes(), sample.name))
    assert json.loads(json.dumps(summary)) == expected


def test_every_sample_has_a_golden_file_and_no_golden_file_is_orphaned():
    samples = {f"{p.name}.json" for p in order_samples()}
    assert samples == {p.name for p in GOLDEN.glob("*.json")}


@pytest.mark.parametrize("sample", order_samples(), ids=lambda p: p.name)
def test_each_sample_is_identified_by_its_content(sample):
    expected = "x12.850" if sample.parent.name == "x12" else "edifact.orders"
    assert identify_order_file(sample.read_bytes(), "renamed.bin") == expected


def test_vics_850_values_read_by_hand(sample):
    parsed = parse_order_file(sample("x12/850_vics4010.edi"), "850_vics4010.edi")
    (order,) = parsed.orders
    assert parsed.is_clean
    assert (order.po_number, str(order.po_date), order.order_type) == ("08292233294", "2010-11-27", "SA")
    assert order.ship_to.party_id == "0003947268292" and order.ship_to.name == "XYZ RETAIL"
    assert order.ship_to.address.city == "SOLON" and order.ship_to.address.postal_code == "44139"
    assert [(ln.quantity, ln.unit_price, ln.vendor_item, ln.buyer_item) for ln in order.lines] == [
        (Decimal("120"), Decimal("9.25"), "AB3542", "065322-117"),
        (Decimal("220"), Decimal("13.79"), "RD5322", "066850-116"),
        (Decimal("126"), Decimal("10.99"), "XY5266", "060733-110"),
        (Decimal("76"), Decimal("4.35"), "VX2332", "065308-116"),
        (Decimal("72"), Decimal("7.5"), "RV0524", "065374-118"),
        (Decimal("696"), Decimal("9.55"), "DX1875", "067504-118"),
    ]
    assert order.stated_total == Decimal("13045.94")
    assert order.lines[0].description == "SMALL WIDGET"


def test_the_newline_terminated_850_reads_the_same_as_the_tilde_one(sample):
    newline = parse_order_file(sample("x12/850_b.edi"), "x")
    tilde = parse_order_file(sample("x12/850_vics4010.edi"), "x")
    assert newline.orders == tilde.orders


def test_4030_file_holds_three_orders_in_one_group_with_canadian_dollars(sample):
    parsed = parse_order_file(sample("x12/850_4030_02.x12"), "850_4030_02.x12")
    assert [o.po_number for o in parsed.orders] == ["589094", "589109", "604025"]
    assert [len(o.lines) for o in parsed.orders] == [26, 26, 4]
    assert {o.currency for o in parsed.orders} == {"CAD"}
    first = parsed.orders[0]
    assert str(first.requested_ship_date) == "2005-07-06"
    assert (first.lines[7].quantity, first.lines[7].unit_price, first.lines[7].buyer_item) == (
        Decimal("22"), Decimal("27.6"), "54903030")
    assert [m.control_number for m in parsed.envelopes[0].groups[0].messages] == [
        "001000059", "001000060", "001000061"]


def test_multi_interchange_850_file_keeps_each_envelope(sample):
    parsed = parse_order_file(sample("x12/850_4010_12.x12"), "850_4010_12.x12")
    assert [e.control_number for e in parsed.envelopes] == ["000000737", "000000738", "000000739"]
    assert [o.po_number for o in parsed.orders] == ["4167427123", "1234567890", "1234567890"]
    assert [o.buyer.party_id for o in parsed.orders] == ["00996", "00911", "00996"]
    first = parsed.orders[0]
    assert first.ship_window is not None and str(first.ship_window.latest) == "2006-04-25"
    assert (first.lines[0].gtin, first.lines[0].quantity, first.lines[0].unit_price) == (
        "499762800094", Decimal("36"), Decimal("21"))


def test_edifact_d96a_values_read_by_hand(sample):
    parsed = parse_order_file(sample("edifact/orders_d96a.edi"), "orders_d96a.edi")
    (order,) = parsed.orders
    assert (order.po_number, str(order.po_date), str(order.requested_delivery_date)) == (
        "801715918011", "2015-08-03", "2015-08-06")
    assert (order.buyer.party_id, order.supplier.party_id, order.ship_to.party_id) == (
        "8711576000012", "5020436000004", "8711576100019")
    assert [(ln.gtin, ln.quantity) for ln in order.lines] == [
        ("5020436373085", Decimal("8")), ("5020436373108", Decimal("8"))]
    assert order.references == (("PD", "50515"),)


def test_samples_without_unz_are_read_but_reported_as_truncated(sample):
    parsed = parse_order_file(sample("edifact/orders_d96a_b.edi"), "orders_d96a_b.edi")
    (order,) = parsed.orders
    assert (order.po_number, order.lines[0].buyer_item, order.lines[0].unit_price) == (
        "PO123456", "ABC123", Decimal("25.00"))
    assert [(e.segment, e.position) for e in parsed.errors] == [("UNZ", 13)]
    assert not parsed.is_clean


def test_three_interchanges_of_edifact_orders_in_one_file(sample):
    parsed = parse_order_file(sample("edifact/orders01.edi"), "orders01.edi")
    assert parsed.is_clean
    assert [o.po_number for o in parsed.orders] == ["T0000000004-1", "T0000000004-2", "T0000000004-3"]
    assert [len(e.groups[0].messages) for e in parsed.envelopes] == [2, 1]
