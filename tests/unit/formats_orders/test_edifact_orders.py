"""EDIFACT ORDERS reading: UNA delimiters, the release character, envelope checks, line errors."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from o2c.adapters.formats.orders import edifact_orders
from o2c.adapters.formats.orders.edifact_syntax import (
    _tokenise_by_splitting,
    _tokenise_with_pydifact,
    decode,
    render,
    tokenise,
)
from o2c.adapters.formats.orders.model import FormatError

from .builders import edifact_file, edifact_order
from .conftest import order_samples


def test_a_clean_interchange_parses_with_every_envelope_id():
    parsed = edifact_orders.parse(edifact_file(edifact_order()), "o.edi")
    (order,) = parsed.orders
    assert parsed.is_clean
    assert (order.interchange_control_number, order.transaction_set_control_number) == ("42", "1")
    assert (order.sender_id, order.sender_qualifier, order.receiver_id) == ("5412345000013", "14", "5412345000099")
    assert (order.currency, str(order.po_date), str(order.requested_delivery_date)) == ("EUR", "2025-03-22", "2025-04-01")
    assert [(ln.gtin, ln.quantity, ln.unit, ln.unit_price) for ln in order.lines] == [
        ("5412345000037", Decimal("8"), "EA", Decimal("2.50")), ("5412345000044", Decimal("3"), "CS", None)]


def test_una_service_string_advice_sets_the_delimiters():
    data = edifact_file(edifact_order(), una="UNA|*,? !").replace(b"'", b"!").replace(b"+", b"*").replace(b":", b"|")
    parsed = edifact_orders.parse(data, "odd.edi")
    assert parsed.is_clean, parsed.errors
    assert parsed.orders[0].lines[0].gtin == "5412345000037"


def test_release_character_keeps_a_delimiter_as_data():
    message = edifact_order()
    message.insert(6, "NAD+IV+5412345000051::9++O?'Brien ?+ Sons")
    message[-1] = f"UNT+{len(message)}+1"
    parsed = edifact_orders.parse(edifact_file(message), "o.edi")
    assert parsed.is_clean, parsed.errors
    assert parsed.orders[0].bill_to.name == "O'Brien + Sons"


def test_a_comma_decimal_mark_is_read_as_a_decimal():
    parsed = edifact_orders.parse(edifact_file(edifact_order(quantity="2,5")), "o.edi")
    assert parsed.orders[0].lines[0].quantity == Decimal("2.5")


@pytest.mark.parametrize("sample", [p for p in order_samples() if p.parent.name == "edifact"], ids=lambda p: p.name)
def test_fast_splitting_and_pydifact_tokenising_agree(sample):
    tokens = tokenise(decode(sample.read_bytes()))
    body = decode(sample.read_bytes())
    body = body[9:].lstrip() if body.startswith("UNA") else body
    split, _ = _tokenise_by_splitting(body, tokens.characters)
    by_pydifact, _ = _tokenise_with_pydifact(body, tokens.characters)

    def plain(segments):
        return [[[c for c in e] for e in s.elements] for s in segments]

    def trimmed(segments):
        return [[e[: max((i + 1 for i, c in enumerate(e) if c), default=1)] for e in s] for s in segments]

    assert trimmed(plain(split)) == trimmed(plain(by_pydifact))


def test_a_wrong_unt_segment_count_names_unt_and_its_position():
    message = edifact_order()
    message[-1] = "UNT+99+1"
    (error,) = edifact_orders.parse(edifact_file(message), "o.edi").errors
    assert (error.segment, error.position, error.code) == ("UNT", 1 + len(message), "29")
    assert "99" in error.message and str(len(message)) in error.message


def test_unh_and_unt_references_must_match():
    message = edifact_order()
    message[-1] = f"UNT+{len(message)}+2"
    (error,) = edifact_orders.parse(edifact_file(message), "o.edi").errors
    assert (error.segment, error.code) == ("UNT", "28")


def test_unb_and_unz_reference_and_message_count_are_checked_together():
    data = edifact_file(edifact_order(), unz_reference="43", unz_count=2)
    errors = edifact_orders.parse(data, "o.edi").errors
    assert [(e.segment, e.code) for e in errors] == [("UNZ", "28"), ("UNZ", "29")]
    assert "'43'" in errors[0].message and "'42'" in errors[0].message


def test_a_truncated_interchange_reports_the_missing_unt_and_unz():
    whole = edifact_file(edifact_order())
    parsed = edifact_orders.parse(whole[: whole.index(b"UNS")], "cut.edi")
    assert [(e.segment, e.code) for e in parsed.errors] == [("UNT", "13"), ("UNZ", "13")]


def test_a_line_with_an_unparsable_quantity_is_reported_and_left_out():
    parsed = edifact_orders.parse(edifact_file(edifact_order(quantity="8x")), "o.edi")
    (error,) = parsed.errors
    assert (error.segment, error.position, error.code) == ("QTY", 10, "12")
    assert "'8x' is not a number" in error.message
    assert [line.line_number for line in parsed.orders[0].lines] == ["2"]


def test_a_line_without_an_ordered_quantity_is_reported():
    message = [s for s in edifact_order() if not s.startswith("QTY+21:3")]
    message[-1] = f"UNT+{len(message)}+1"
    (error,) = edifact_orders.parse(edifact_file(message), "o.edi").errors
    assert (error.segment, error.field) == ("LIN", "QTY")


def test_cnt_must_count_the_lin_segments():
    message = edifact_order()
    message[-2] = "CNT+2:5"
    (error,) = edifact_orders.parse(edifact_file(message), "o.edi").errors
    assert error.segment == "CNT"


def test_a_message_that_is_not_orders_is_refused():
    message = [s.replace("ORDERS:", "INVOIC:") for s in edifact_order()]
    parsed = edifact_orders.parse(edifact_file(message), "o.edi")
    assert parsed.orders == ()
    assert parsed.errors[0].segment == "UNH"


def test_a_file_without_unb_raises_format_error():
    with pytest.raises(FormatError, match="UNB"):
        edifact_orders.parse(b"UNH+1+ORDERS:D:96A:UN'", "o.edi")


values = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\r\n"),
                 min_size=1, max_size=12).filter(lambda v: v.strip(" ") == v)


@settings(deadline=None)
@given(st.lists(st.lists(values, min_size=1, max_size=3), min_size=1, max_size=4))
def test_any_rendered_values_tokenise_back_unchanged_even_with_delimiters_inside(elements):
    rendered = render([["FTX", *[parts if len(parts) > 1 else parts[0] for parts in elements]]])
    (segment,) = tokenise(rendered.decode("latin-1")).segments
    assert segment.elements[1:] == elements
