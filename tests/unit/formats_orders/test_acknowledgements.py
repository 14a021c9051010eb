"""997, 855, CONTRL and ORDRSP: each rendered message parses back with a sane envelope and says
what it should about the order it answers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from pydifact.segmentcollection import Interchange as PydifactInterchange

from o2c.adapters.formats.orders import edifact_orders, x12_850
from o2c.adapters.formats.orders.acknowledgement import (
    ControlNumbers,
    LineAcknowledgement,
    LineStatus,
    OrderAcknowledgement,
    OrderStatus,
    Partners,
    Sending,
)
from o2c.adapters.formats.orders.edifact_ack import render_contrl, render_ordrsp
from o2c.adapters.formats.orders.edifact_envelope import walk_envelopes as walk_edifact
from o2c.adapters.formats.orders.edifact_syntax import decode, tokenise
from o2c.adapters.formats.orders.x12_ack import render_855, render_997
from o2c.adapters.formats.orders.x12_envelope import walk_envelopes as walk_x12
from o2c.adapters.formats.orders.x12_syntax import Delimiters, read_delimiters, split_segments, write_segments

from .builders import edifact_file, edifact_order, x12_file, x12_order

SENT_AT = datetime(2025, 3, 22, 14, 30)


def read_x12(data: bytes):
    """The rendered X12 cut by our own tokeniser, and every envelope problem found in it."""
    text = data.decode("ascii")
    segments, tail = split_segments(text, read_delimiters(text, "ack"))
    walk = walk_x12(segments, tail, "ack")
    problems = walk.stray_errors + [e for ic in walk.interchanges for e in ic.errors] + [
        e for ic in walk.interchanges for g in ic.groups for e in g.errors] + [
        e for ic in walk.interchanges for g in ic.groups for ts in g.sets for e in ts.errors]
    return segments, problems


def read_edifact(data: bytes):
    tokens = tokenise(decode(data))
    walk = walk_edifact(tokens.segments, tokens.tail, "ack")
    problems = walk.stray_errors + [e for ic in walk.interchanges for e in ic.errors] + [
        e for ic in walk.interchanges for g in ic.groups for m in g.messages for e in m.errors]
    return tokens.segments, problems


def tags(segments, tag):
    return [s for s in segments if s.tag == tag]


def sending(envelope) -> Sending:
    return Sending(Partners.replying_to(envelope), ControlNumbers(interchange=501, group=9, message=1), SENT_AT)


def acknowledgement() -> OrderAcknowledgement:
    lines = (
        LineAcknowledgement("1", LineStatus.ACCEPTED, Decimal("12"), Decimal("12"), "CS", Decimal("2.50"),
                            date(2025, 4, 1), vendor_item="SKU-1", gtin="5412345000037"),
        LineAcknowledgement("2", LineStatus.QUANTITY_CHANGED, Decimal("10"), Decimal("6"), "EA", Decimal("1.10")),
        LineAcknowledgement("3", LineStatus.PRICE_CHANGED, Decimal("4"), Decimal("4"), "EA", Decimal("3.30")),
        LineAcknowledgement("4", LineStatus.SUBSTITUTED, Decimal("5"), Decimal("5"), "EA",
                            substitute_gtin="5412345000044"),
        LineAcknowledgement("5", LineStatus.REJECTED, Decimal("7"), Decimal("0"), "EA"),
    )
    return OrderAcknowledgement("PO-1", OrderStatus.ACCEPTED_WITH_CHANGES, date(2025, 3, 22), lines,
                                po_date=date(2025, 3, 21), seller_order_number="SO-77", currency="EUR",
                                buyer_id="5412345000013")


def test_997_accepts_a_clean_interchange_and_parses_back_with_a_sane_envelope():
    received = x12_850.parse(x12_file(x12_order(control="0001"), x12_order(control="0002")), "po.x12")
    segments, problems = read_x12(render_997(received.envelopes[0], sending(received.envelopes[0])))
    assert problems == []
    assert [s.elements[1:] for s in tags(segments, "AK1")] == [["PO", "7"]]
    assert [s.elements[1:] for s in tags(segments, "AK2")] == [["850", "0001"], ["850", "0002"]]
    assert [s.get(1) for s in tags(segments, "AK5")] == ["A", "A"]
    assert tags(segments, "AK9")[0].elements[1:] == ["A", "2", "2", "2"]
    isa = segments[0]
    assert (isa.get(6).strip(), isa.get(8).strip(), isa.get(13)) == ("SELLER", "BUYER", "000000501")


def test_997_rejects_a_set_whose_segment_count_is_wrong_with_ak5_code_4():
    bad = x12_order(control="0002")
    bad[-1] = "SE*3*0002"
    received = x12_850.parse(x12_file(x12_order(control="0001"), bad), "po.x12")
    segments, problems = read_x12(render_997(received.envelopes[0], sending(received.envelopes[0])))
    assert problems == []
    assert [s.elements[1:] for s in tags(segments, "AK5")] == [["A"], ["R", "4"]]
    assert tags(segments, "AK9")[0].elements[1:] == ["P", "2", "2", "1"]


def test_997_points_at_the_unreadable_quantity_with_ak3_and_ak4():
    received = x12_850.parse(x12_file(x12_order(quantity="1O")), "po.x12")
    segments, _ = read_x12(render_997(received.envelopes[0], sending(received.envelopes[0])))
    assert tags(segments, "AK3")[0].elements[1:] == ["PO1", "8", "", "8"]
    assert tags(segments, "AK4")[0].elements[1:] == ["2", "", "6"]
    assert tags(segments, "AK5")[0].elements[1:] == ["R", "5"]
    assert tags(segments, "AK9")[0].get(1) == "R"


def test_997_adds_a_ta1_when_the_interchange_envelope_is_broken():
    received = x12_850.parse(x12_file(x12_order(), iea_control="000000999"), "po.x12")
    segments, problems = read_x12(render_997(received.envelopes[0], sending(received.envelopes[0])))
    assert problems == []
    assert tags(segments, "TA1")[0].elements[1:] == ["000000101", "250322", "1430", "R", "001"]


def test_855_answers_each_line_with_its_status_and_parses_back():
    received = x12_850.parse(x12_file(x12_order()), "po.x12")
    segments, problems = read_x12(render_855(acknowledgement(), sending(received.envelopes[0])))
    assert problems == []
    assert tags(segments, "BAK")[0].elements[1:] == ["00", "AC", "PO-1", "20250321", "", "", "", "SO-77", "20250322"]
    acks = [s.elements[1:] for s in tags(segments, "ACK")]
    assert acks == [["IA", "12", "CA", "067", "20250401"], ["IQ", "6", "EA"], ["IP", "4", "EA"],
                    ["IS", "5", "EA", "", "", "", "EN", "5412345000044"], ["IR", "0", "EA"]]
    assert tags(segments, "PO1")[2].elements[1:5] == ["3", "4", "EA", "3.30"]
    assert tags(segments, "CTT")[0].elements[1:] == ["5", "38"]
    assert tags(segments, "GS")[0].get(1) == "PR"


@pytest.mark.filterwarnings("ignore::pydifact.exceptions.MissingImplementationWarning")
def test_ordrsp_answers_each_line_with_its_action_code_and_parses_back():
    received = edifact_orders.parse(edifact_file(edifact_order()), "o.edi")
    rendered = render_ordrsp(acknowledgement(), sending(received.envelopes[0]))
    segments, problems = read_edifact(rendered)
    assert problems == []
    assert tags(segments, "BGM")[0].elements[1:] == [["231"], ["SO-77"], ["4"]]
    assert [(s.get(1), s.get(2)) for s in tags(segments, "LIN")] == [
        ("1", "5"), ("2", "3"), ("3", "3"), ("4", "3"), ("5", "7")]
    assert [s.get(2) for s in tags(segments, "PIA") if s.get(1) == "3"] == ["5412345000044"]
    assert [s.get(1, 2) for s in tags(segments, "QTY") if s.get(1) == "113"] == ["12", "6", "4", "5", "0"]
    assert tags(segments, "CNT")[0].elements[1] == ["2", "5"]
    assert len(list(PydifactInterchange.from_str(rendered.decode()).get_messages())) == 1


def test_contrl_accepts_a_clean_interchange():
    received = edifact_orders.parse(edifact_file(edifact_order("1"), edifact_order("2", po="PO-2")), "o.edi")
    segments, problems = read_edifact(render_contrl(received.envelopes[0], sending(received.envelopes[0])))
    assert problems == []
    assert tags(segments, "UCI")[0].elements[1:] == [["42"], ["5412345000013", "14"], ["5412345000099", "14"], ["7"]]
    assert [(s.get(1), s.get(3)) for s in tags(segments, "UCM")] == [("1", "7"), ("2", "7")]


def test_contrl_rejects_naming_the_segment_at_fault():
    bad = edifact_order("2", po="PO-2", quantity="x")
    bad_count = edifact_order("3", po="PO-3")
    bad_count[-1] = "UNT+4+3"
    received = edifact_orders.parse(edifact_file(edifact_order("1"), bad, bad_count, unz_reference="41"), "o.edi")
    segments, problems = read_edifact(render_contrl(received.envelopes[0], sending(received.envelopes[0])))
    assert problems == []
    assert tags(segments, "UCI")[0].elements[4:] == [["4"], ["28"], ["UNZ"]]
    ucm = {s.get(1): s.elements[3:] for s in tags(segments, "UCM")}
    assert ucm == {"1": [["7"]], "2": [["4"]], "3": [["4"], ["29"], ["UNT"]]}
    assert tags(segments, "UCS")[0].elements[1:] == [["9"], ["12"]]


def test_the_order_status_must_follow_from_the_lines():
    line = LineAcknowledgement("1", LineStatus.REJECTED, Decimal("1"), Decimal("0"), "EA")
    with pytest.raises(ValueError, match="lines say rejected"):
        OrderAcknowledgement("PO-1", OrderStatus.ACCEPTED, date(2025, 3, 22), (line,))


def test_a_substitute_line_must_name_the_substitute():
    with pytest.raises(ValueError, match="substitute"):
        LineAcknowledgement("1", LineStatus.SUBSTITUTED, Decimal("1"), Decimal("1"), "EA")


def test_acknowledgement_quantities_refuse_floats():
    with pytest.raises(TypeError):
        LineAcknowledgement("1", LineStatus.ACCEPTED, 1.0, Decimal("1"), "EA")  # type: ignore[arg-type]


def test_x12_writer_refuses_a_value_holding_a_delimiter():
    with pytest.raises(ValueError, match="delimiter"):
        write_segments([["N1", "BY", "Smith*Sons"]], Delimiters("*", ">", "~"))
