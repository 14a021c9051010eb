"""X12 acknowledgements of purchase orders: the 997 functional acknowledgement and the 855 PO
acknowledgement, each rendered as a complete interchange (ISA..IEA) ready to send.

997 (did the file arrive intact?): one ST per received functional group; AK1 names the group,
AK2/AK5 accept or reject each transaction set (AK5 codes: 1 not supported, 2 trailer missing,
3 control numbers differ, 4 segment count wrong, 5 segments in error), AK3/AK4 point at the
segment and element at fault, AK9 accepts, partly accepts or rejects the group (codes 3, 4, 5).
Interchange-level problems add a TA1 interchange acknowledgement (note codes 001, 021, 023, 024).

855 (what will we deliver?): BAK (AD accepted, AC accepted with changes, RD rejected), then per
line PO1 as ordered (with the confirmed price) followed by ACK: IA accepted, IQ quantity changed,
IP price changed, DR date rescheduled, IS substitute (ACK07/08 name it), IB backordered, IR
rejected, with the confirmed quantity and scheduled delivery date (ACK04 067).

Invariants: SE01 counts ST..SE, GE01 the sets, IEA01 the groups, control numbers match; a value
holding an X12 delimiter is refused rather than sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from o2c.adapters.formats.orders.acknowledgement import (
    LineAcknowledgement,
    LineStatus,
    OrderAcknowledgement,
    OrderStatus,
    Sending,
)
from o2c.adapters.formats.orders.model import EnvelopeReceipt, FormatError, GroupReceipt, MessageReceipt
from o2c.adapters.formats.orders.units import X12_CODE_FOR, unit_code_for
from o2c.adapters.formats.orders.values import decimal_text
from o2c.adapters.formats.orders.x12_syntax import Delimiters, write_segments

DELIMITERS = Delimiters(element="*", component=">", terminator="~")
SET_ENVELOPE_TAGS = ("ST", "SE")
BAK_TYPES = {OrderStatus.ACCEPTED: "AD", OrderStatus.ACCEPTED_WITH_CHANGES: "AC", OrderStatus.REJECTED: "RD"}
ACK_CODES = {
    LineStatus.ACCEPTED: "IA", LineStatus.QUANTITY_CHANGED: "IQ", LineStatus.PRICE_CHANGED: "IP",
    LineStatus.DATE_CHANGED: "DR", LineStatus.SUBSTITUTED: "IS", LineStatus.BACKORDERED: "IB",
    LineStatus.REJECTED: "IR",
}
Segment = list[str]


def render_997(received: EnvelopeReceipt, sending: Sending) -> bytes:
    """A 997 answering every functional group of one received interchange."""
    version = received.groups[0].version if received.groups else "004010"
    sets = [_functional_ack(group) for group in received.groups]
    preface = [_ta1(received, sending)] if received.errors else []
    return _interchange(sending, "FA", version, sets, preface)


def render_855(ack: OrderAcknowledgement, sending: Sending, version: str = "004010") -> bytes:
    """An 855 telling the buyer which lines we accept, change, substitute or reject."""
    body: list[Segment] = [["BAK", "00", BAK_TYPES[ack.status], ack.po_number, _date(ack.po_date), "", "", "",
                            ack.seller_order_number or "", _date(ack.acknowledged_on)]]
    if ack.currency:
        body.append(["CUR", "SE", ack.currency])
    body += [["N1", role, "", "92", party] for role, party in (("BY", ack.buyer_id), ("SU", ack.supplier_id))
             if party]
    for line in ack.lines:
        body += [_po1(line), _ack(line)]
    ordered = sum((line.ordered_quantity for line in ack.lines), Decimal(0))
    body.append(["CTT", str(len(ack.lines)), decimal_text(ordered)])
    return _interchange(sending, "PR", version, [("855", body)])


def _functional_ack(group: GroupReceipt) -> tuple[str, list[Segment]]:
    body: list[Segment] = [["AK1", group.functional_id, group.control_number]]
    for message in group.messages:
        body += _set_response(message)
    accepted = sum(1 for message in group.messages if message.accepted)
    group_codes = [error.code or "" for error in group.errors][:5]
    status = "R" if group.errors or accepted == 0 else "A" if accepted == len(group.messages) else "P"
    count = str(len(group.messages))
    body.append(["AK9", status, count, count, str(accepted if not group.errors else 0), *group_codes])
    return "997", body


def _set_response(message: MessageReceipt) -> list[Segment]:
    segments: list[Segment] = [["AK2", message.message_type, message.control_number]]
    set_codes: list[str] = []
    for error in message.errors:
        if error.segment in SET_ENVELOPE_TAGS:
            set_codes.append(error.code or "5")
        else:
            segments += _segment_error(error, message)
    if len(segments) > 1:
        set_codes.append("5")
    codes = list(dict.fromkeys(set_codes))[:5]
    segments.append(["AK5", "R" if message.errors else "A", *codes])
    return segments


def _segment_error(error: FormatError, message: MessageReceipt) -> list[Segment]:
    position = str((error.position or message.position) - message.position + 1)
    if not error.field or not error.field[-2:].isdigit():
        return [["AK3", error.segment or "", position, "", error.code or "8"]]
    return [["AK3", error.segment or "", position, "", "8"], ["AK4", str(int(error.field[-2:])), "", error.code or "6"]]


def _ta1(received: EnvelopeReceipt, sending: Sending) -> Segment:
    note = next((error.code for error in received.errors if error.code), "024")
    return ["TA1", received.control_number, sending.sent_at.strftime("%y%m%d"),
            sending.sent_at.strftime("%H%M"), "R", note]


def _po1(line: LineAcknowledgement) -> Segment:
    ids = [("BP", line.buyer_item), ("VN", line.vendor_item), ("EN", line.gtin)]
    return ["PO1", line.line_number, decimal_text(line.ordered_quantity), unit_code_for(line.unit, X12_CODE_FOR),
            decimal_text(line.unit_price) if line.unit_price is not None else "", "",
            *_pairs(ids)]


def _ack(line: LineAcknowledgement) -> Segment:
    segment = ["ACK", ACK_CODES[line.status], decimal_text(line.quantity), unit_code_for(line.unit, X12_CODE_FOR),
               "067" if line.delivery_date else "", _date(line.delivery_date), ""]
    if line.status is LineStatus.SUBSTITUTED:
        segment += _pairs([("VN", line.substitute_item), ("EN", line.substitute_gtin)])
    return segment


def _pairs(ids: Iterable[tuple[str, str | None]]) -> list[str]:
    return [part for qualifier, value in ids if value for part in (qualifier, value)]


def _date(value: date | None) -> str:
    return value.strftime("%Y%m%d") if value is not None else ""


def _interchange(sending: Sending, functional_id: str, version: str,
                 sets: list[tuple[str, list[Segment]]], preface: list[Segment] | None = None) -> bytes:
    partners, numbers, at = sending.partners, sending.numbers, sending.sent_at
    interchange, group = f"{numbers.interchange:09d}", str(numbers.group)
    segments: list[Segment] = [[
        "ISA", "00", " " * 10, "00", " " * 10, (partners.sender_qualifier or "ZZ").ljust(2),
        partners.sender_id.ljust(15), (partners.receiver_qualifier or "ZZ").ljust(2), partners.receiver_id.ljust(15),
        at.strftime("%y%m%d"), at.strftime("%H%M"), "U", "00401", interchange, "0", "T" if sending.test else "P",
        DELIMITERS.component]]
    segments += preface or []
    segments.append(["GS", functional_id, partners.sender_id, partners.receiver_id, at.strftime("%Y%m%d"),
                     at.strftime("%H%M"), group, "X", version])
    for offset, (set_id, body) in enumerate(sets):
        control = f"{numbers.message + offset:04d}"
        segments += [["ST", set_id, control], *body, ["SE", str(len(body) + 2), control]]
    segments += [["GE", str(len(sets)), group], ["IEA", "1", interchange]]
    return write_segments(segments, DELIMITERS)
