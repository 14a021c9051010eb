"""X12 850 reading: delimiters from the ISA header, envelope checks reported all at once, line errors."""

from __future__ import annotations

from decimal import Decimal

import pytest

from o2c.adapters.formats.orders import x12_850
from o2c.adapters.formats.orders.model import DocumentPurpose, FormatError

from .builders import ISA, x12_file, x12_order


def problems(parsed):
    return [(e.segment, e.position, e.field) for e in parsed.errors]


def test_a_clean_file_parses_with_no_errors_and_all_envelope_ids():
    parsed = x12_850.parse(x12_file(x12_order()), "po.x12")
    (order,) = parsed.orders
    assert parsed.is_clean
    assert (order.interchange_control_number, order.group_control_number, order.transaction_set_control_number) == (
        "000000101", "7", "0001")
    assert (order.sender_id, order.sender_qualifier, order.receiver_id) == ("BUYER", "ZZ", "SELLER")
    assert order.purpose is DocumentPurpose.ORIGINAL
    assert (order.buyer.party_id, order.buyer.id_scheme, order.ship_to.name) == ("5412345000013", "gln", "Store 7")
    assert order.lines[0].unit == "CS" and order.lines[0].unit_code == "CA"
    assert order.lines[0].unit_price == Decimal("2.50")


def test_delimiters_are_taken_from_the_isa_header_whatever_they_are():
    isa = ISA.replace("*", "|").replace("|>", "|^")
    segments = [s.replace("*", "|") for s in x12_order()]
    data = x12_file(segments, isa=isa, terminator="\r\n").replace(b"GS*", b"GS|").replace(b"*", b"|")
    parsed = x12_850.parse(data, "pipes.x12")
    assert parsed.is_clean
    assert parsed.orders[0].po_number == "PO-1"


def test_a_change_order_is_recognised_from_beg01():
    order = x12_order()
    order[1] = order[1].replace("BEG*00", "BEG*04")
    assert x12_850.parse(x12_file(order), "f").orders[0].purpose is DocumentPurpose.CHANGE


def test_a_truncated_file_reports_the_missing_se_ge_and_iea_at_the_end():
    whole = x12_file(x12_order())
    cut = whole[: whole.index(b"CTT")]
    parsed = x12_850.parse(cut, "cut.x12")
    end = len([s for s in cut.split(b"~") if s.strip()]) + 1
    assert problems(parsed) == [("SE", end, None), ("GE", end, None), ("IEA", end, None)]
    assert all("truncated" in e.message for e in parsed.errors)


def test_a_file_cut_inside_a_segment_says_so():
    whole = x12_file(x12_order())
    parsed = x12_850.parse(whole[: whole.index(b"SE*") + 4], "cut.x12")
    assert "without its terminator" in parsed.errors[0].message


def test_a_wrong_se_segment_count_names_se01_and_its_position():
    order = x12_order()
    order[-1] = "SE*99*0001"
    parsed = x12_850.parse(x12_file(order), "f")
    (error,) = parsed.errors
    assert (error.segment, error.position, error.field, error.code) == ("SE", 2 + len(order), "SE01", "4")
    assert "99" in error.message and str(len(order)) in error.message


def test_mismatched_isa13_and_iea02_is_reported_on_the_iea_segment():
    parsed = x12_850.parse(x12_file(x12_order(), iea_control="000000999"), "f")
    (error,) = parsed.errors
    assert (error.segment, error.field) == ("IEA", "IEA02")
    assert "000000999" in error.message and "000000101" in error.message


def test_every_control_number_and_count_mismatch_is_reported_at_once():
    order = x12_order()
    order[-1] = order[-1].replace("*0001", "*0002")
    data = x12_file(order, iea_control="000000102", ge_count=3).replace(b"GE*3*7", b"GE*3*8")
    parsed = x12_850.parse(data, "f")
    assert {(e.segment, e.field) for e in parsed.errors} == {
        ("SE", "SE02"), ("GE", "GE01"), ("GE", "GE02"), ("IEA", "IEA02")}


def test_iea01_must_count_the_groups():
    data = x12_file(x12_order()).replace(b"IEA*1*", b"IEA*2*")
    (error,) = x12_850.parse(data, "f").errors
    assert (error.segment, error.field) == ("IEA", "IEA01")


def test_ctt01_must_count_the_po1_lines():
    order = x12_order(lines=3)
    order[-2] = "CTT*2"
    (error,) = x12_850.parse(x12_file(order), "f").errors
    assert (error.segment, error.field) == ("CTT", "CTT01")


def test_a_line_with_an_unparsable_quantity_is_reported_and_left_out():
    parsed = x12_850.parse(x12_file(x12_order(quantity="12,5")), "f")
    (error,) = parsed.errors
    assert (error.segment, error.position, error.field) == ("PO1", 10, "PO102")
    assert "'12,5' is not a number" in error.message
    assert [line.line_number for line in parsed.orders[0].lines] == ["2"]


def test_an_empty_quantity_is_a_missing_mandatory_element():
    (error,) = x12_850.parse(x12_file(x12_order(quantity="")), "f").errors
    assert (error.field, error.code) == ("PO102", "1")


def test_amt_line_item_total_must_equal_the_lines():
    order = x12_order()
    order.insert(-1, "AMT*1*999.99")
    order[-1] = f"SE*{len(order)}*0001"
    (error,) = x12_850.parse(x12_file(order), "f").errors
    assert (error.segment, error.field) == ("AMT", "AMT02")


def test_a_transaction_set_that_is_not_an_850_is_refused():
    order = x12_order()
    order[0] = "ST*810*0001"
    parsed = x12_850.parse(x12_file(order), "f")
    assert parsed.orders == ()
    assert [(e.segment, e.field, e.code) for e in parsed.errors] == [("ST", "ST01", "1")]


def test_a_file_that_does_not_start_with_isa_raises_format_error():
    with pytest.raises(FormatError, match="ISA"):
        x12_850.parse(b"GS*PO*A*B~", "nope.x12")


def test_header_and_line_details_are_kept():
    order = x12_order()
    order[1:1] = ["CUR*BY*EUR", "REF*DP*038", "PER*BD*Ann Buyer*TE*+32 2 555 01 01*EM*ann@example.com",
                  "DTM*064*20250401", "DTM*063*20250404", "SAC*A*C310***1250********** Promo"]
    order[-3:-3] = ["SDQ*CA*92*0001*4*0002*8", "MSG*Deliver to back door"]
    order[-1] = f"SE*{len(order)}*0001"
    parsed = x12_850.parse(x12_file(order), "f")
    assert parsed.is_clean, parsed.errors
    (header,) = parsed.orders
    assert header.currency == "EUR" and header.references == (("DP", "038"),)
    assert header.contact.email == "ann@example.com"
    assert (str(header.delivery_window.earliest), str(header.delivery_window.latest)) == ("2025-04-01", "2025-04-04")
    assert header.allowances_charges[0].amount == Decimal("12.50")
    last = header.lines[-1]
    assert last.destinations == (("0001", Decimal("4")), ("0002", Decimal("8")))
    assert last.notes == ("Deliver to back door",)


def test_a_thousand_generated_orders_parse_correctly_in_one_pass():
    sets = [x12_order(po=f"PO-{n}", control=f"{n:04d}", lines=5) for n in range(1, 1001)]
    parsed = x12_850.parse(x12_file(*sets), "bulk.x12")
    assert parsed.is_clean
    assert len(parsed.orders) == 1000
    assert parsed.orders[-1].po_number == "PO-1000"
    assert sum(len(o.lines) for o in parsed.orders) == 5000
    assert sum(line.quantity for o in parsed.orders for line in o.lines) == 1000 * (12 + 2 + 3 + 4 + 5)
