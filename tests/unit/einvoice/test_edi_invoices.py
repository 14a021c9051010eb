"""X12 810 and EDIFACT INVOIC: each rendering is tokenised again and its counts and totals checked."""

from __future__ import annotations

from decimal import Decimal

import pytest

from o2c.adapters.formats.einvoice.edifact_invoic import render_invoic
from o2c.adapters.formats.einvoice.x12_810 import render_810
from o2c.adapters.formats.orders import edifact_envelope, x12_envelope
from o2c.adapters.formats.orders.edifact_syntax import decode as edifact_decode
from o2c.adapters.formats.orders.edifact_syntax import tokenise
from o2c.adapters.formats.orders.x12_syntax import decode as x12_decode
from o2c.adapters.formats.orders.x12_syntax import read_delimiters, split_segments

from .builders import customer_of, invoice_set

DOCUMENTS = invoice_set()


def x12_set(data: bytes):
    text = x12_decode(data)
    segments, tail = split_segments(text, read_delimiters(text, "810"))
    walk = x12_envelope.walk_envelopes(segments, tail, "810")
    interchange, = walk.interchanges
    group, = interchange.groups
    transaction, = group.sets
    errors = walk.stray_errors + interchange.errors + group.errors + transaction.errors
    return transaction, errors


def edifact_message(data: bytes):
    tokens = tokenise(edifact_decode(data))
    walk = edifact_envelope.walk_envelopes(tokens.segments, tokens.tail, "invoic")
    interchange, = walk.interchanges
    group, = interchange.groups
    message, = group.messages
    errors = walk.stray_errors + interchange.errors + group.errors + message.errors
    return message, errors


@pytest.mark.parametrize("number", sorted(DOCUMENTS))
def test_an_810_parses_back_with_consistent_counts_and_totals(number, seller):
    document = DOCUMENTS[number]
    transaction, errors = x12_set(render_810(document, customer_of(document), seller))
    assert errors == []
    by_tag = {}
    for segment in transaction.body:
        by_tag.setdefault(segment.tag, []).append(segment)
    big, = by_tag["BIG"]
    assert big.get(2) == document.number and big.get(7) == ("CR" if document.corrects else "DI")
    assert by_tag["CTT"][0].get(1) == str(len(by_tag["IT1"])) == str(len(document.lines))
    assert Decimal(by_tag["TDS"][0].get(1)) / 100 == document.gross_total.amount
    assert sum(Decimal(t.get(2)) for t in by_tag["TXI"]) == document.tax_total.amount
    assert sum(Decimal(t.get(8)) for t in by_tag["TXI"]) == document.net_total.amount
    line_sum = sum(Decimal(it.get(2)) * Decimal(it.get(4)) for it in by_tag["IT1"])
    allowances = sum(Decimal(s.get(5)) / 100 * (1 if s.get(1) == "C" else -1) for s in by_tag.get("SAC", []))
    assert (line_sum + allowances).quantize(Decimal("0.01")) == document.net_total.amount


@pytest.mark.parametrize("number", sorted(DOCUMENTS))
def test_an_invoic_parses_back_with_consistent_counts_and_totals(number, seller):
    document = DOCUMENTS[number]
    message, errors = edifact_message(render_invoic(document, customer_of(document), seller))
    assert errors == []
    tags = [s.tag for s in message.body]
    summary = message.body[tags.index("UNS") + 1:]
    totals = {s.get(1, 1): Decimal(s.get(1, 2)) for s in summary if s.tag == "MOA"
              and s.get(1, 1) not in ("124", "125")}
    bgm = message.body[tags.index("BGM")]
    assert bgm.get(1) == ("381" if document.corrects else "380") and bgm.get(2) == document.number
    assert tags.count("LIN") == len(document.lines)
    line_amounts = [Decimal(s.get(1, 2)) for s in message.body if s.tag == "MOA" and s.get(1, 1) == "203"]
    assert sum(line_amounts) == totals["79"] == document.line_total.amount
    assert totals["77"] == document.gross_total.amount and totals["176"] == document.tax_total.amount
    group_tax = [Decimal(s.get(1, 2)) for s in summary if s.tag == "MOA" and s.get(1, 1) == "124"]
    assert sum(group_tax) == document.tax_total.amount


def test_the_interchange_trailer_counts_are_checked_by_the_envelope_walk(seller):
    document = DOCUMENTS["INV-2026-000101"]
    data = render_invoic(document, customer_of(document), seller).replace(b"UNT+", b"UNT+1")
    _, errors = edifact_message(data)
    assert errors, "a wrong UNT segment count must be reported"
    data = render_810(document, customer_of(document), seller).replace(b"SE*", b"SE*9")
    _, errors = x12_set(data)
    assert errors, "a wrong SE segment count must be reported"
