"""EDIFACT acknowledgements of orders: CONTRL (syntax and service report) and ORDRSP (order response),
each rendered as a complete interchange (UNA, UNB..UNZ) ready to send.

CONTRL (did the interchange arrive intact?): UCI answers the interchange (action 7 acknowledged,
4 rejected, with the 0085 error code and the service segment at fault); one UCM per message does
the same for each UNH..UNT (codes 13 missing, 28 references differ, 29 count differs), with UCS
naming the position of each faulty segment inside the message and UCD its element.

ORDRSP, EANCOM style (what will we deliver?): BGM 231 with message function 29 accepted without
amendment, 4 change, 27 not accepted; RFF+ON and DTM+171 quote the order; per line LIN with action
code 5 accepted, 3 changed (quantity, price, date, backorder or substitute: PIA+3 names the
substitute) or 7 not accepted, QTY+21 ordered and QTY+113 to be delivered, PRI+AAA, DTM+69 promised
delivery date; UNS, CNT+2 line count.

Invariants: UNT01 counts UNH..UNT and UNT02 repeats UNH01; UNZ01 counts messages and UNZ02 repeats
UNB05; delimiters inside values are released by pydifact's serializer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from o2c.adapters.formats.orders.acknowledgement import (
    LineAcknowledgement,
    LineStatus,
    OrderAcknowledgement,
    OrderStatus,
    Sending,
)
from o2c.adapters.formats.orders.edifact_syntax import render
from o2c.adapters.formats.orders.model import EnvelopeReceipt, FormatError, MessageReceipt
from o2c.adapters.formats.orders.units import REC20_CODE_FOR, unit_code_for
from o2c.adapters.formats.orders.values import decimal_text

Element = str | Sequence[str]
Segment = list[Element]
ACCEPTED, REJECTED = "7", "4"
MESSAGE_FUNCTIONS = {OrderStatus.ACCEPTED: "29", OrderStatus.ACCEPTED_WITH_CHANGES: "4",
                     OrderStatus.REJECTED: "27"}
LINE_ACTIONS = {LineStatus.ACCEPTED: "5", LineStatus.REJECTED: "7"}
SERVICE_TAGS = frozenset({"UNB", "UNG", "UNH", "UNT", "UNE", "UNZ"})


def render_contrl(received: EnvelopeReceipt, sending: Sending) -> bytes:
    """A CONTRL acknowledging or rejecting one received interchange and each message in it."""
    syntax_version = received.syntax.partition(":")[2] or "3"
    message_type = ["CONTRL", "D", "3", "UN"] if syntax_version >= "4" else ["CONTRL", "2", "2", "UN"]
    body: list[Segment] = [_uci(received)]
    for group in received.groups:
        for message in group.messages:
            body += _ucm(message)
    return _interchange(sending, syntax_version, message_type, body)


def render_ordrsp(ack: OrderAcknowledgement, sending: Sending) -> bytes:
    """An ORDRSP answering one order line by line."""
    body: list[Segment] = [
        ["BGM", "231", ack.seller_order_number or ack.po_number, MESSAGE_FUNCTIONS[ack.status]],
        ["DTM", _date(137, ack.acknowledged_on)],
        ["RFF", ["ON", ack.po_number]],
    ]
    if ack.po_date:
        body.append(["DTM", _date(171, ack.po_date)])
    body += [["NAD", role, [party, "", "9"]] for role, party in (("BY", ack.buyer_id), ("SU", ack.supplier_id))
             if party]
    if ack.currency:
        body.append(["CUX", ["2", ack.currency, "9"]])
    for line in ack.lines:
        body += _line(line)
    body += [["UNS", "S"], ["CNT", ["2", str(len(ack.lines))]]]
    return _interchange(sending, "3", ["ORDRSP", "D", "96A", "UN", "EAN005"], body)


def _uci(received: EnvelopeReceipt) -> Segment:
    problem = next((error for error in received.errors if error.code), None)
    segment: Segment = ["UCI", received.control_number, _party(received.sender_id, received.sender_qualifier),
                        _party(received.receiver_id, received.receiver_qualifier)]
    if problem is None and not _any_message_errors(received):
        return [*segment, ACCEPTED]
    return [*segment, REJECTED, *([problem.code or "18", _service_tag(problem)] if problem else [])]


def _ucm(message: MessageReceipt) -> list[Segment]:
    head: Segment = ["UCM", message.control_number, [message.message_type, *(message.version or "").split(":")]]
    envelope_problem = next((e for e in message.errors if e.segment in SERVICE_TAGS), None)
    if not message.errors:
        return [[*head, ACCEPTED]]
    if envelope_problem is not None:
        head += [REJECTED, envelope_problem.code or "18", envelope_problem.segment or ""]
    else:
        head.append(REJECTED)
    return [head, *(_ucs(e, message) for e in message.errors if e.segment not in SERVICE_TAGS)]


def _ucs(error: FormatError, message: MessageReceipt) -> Segment:
    return ["UCS", str((error.position or message.position) - message.position + 1), error.code or "18"]


def _any_message_errors(received: EnvelopeReceipt) -> bool:
    return any(group.errors or any(m.errors for m in group.messages) for group in received.groups)


def _service_tag(error: FormatError) -> str:
    return error.segment if error.segment in SERVICE_TAGS else ""


def _party(party_id: str, qualifier: str | None) -> Element:
    return [party_id, qualifier] if qualifier else party_id


def _line(line: LineAcknowledgement) -> list[Segment]:
    action = LINE_ACTIONS.get(line.status, "3")
    item: Element = [line.gtin, "EN"] if line.gtin else ""
    segments: list[Segment] = [["LIN", line.line_number, action, item]]
    ids: list[Element] = [[code, kind] for code, kind in ((line.vendor_item, "SA"), (line.buyer_item, "IN")) if code]
    if ids:
        segments.append(["PIA", "5", *ids])
    if line.status is LineStatus.SUBSTITUTED:
        substitute = [line.substitute_gtin, "EN"] if line.substitute_gtin else [line.substitute_item or "", "SA"]
        segments.append(["PIA", "3", substitute])
    unit = unit_code_for(line.unit, REC20_CODE_FOR)
    segments += [["QTY", ["21", decimal_text(line.ordered_quantity), unit]],
                 ["QTY", ["113", decimal_text(line.quantity), unit]]]
    if line.unit_price is not None:
        segments.append(["PRI", ["AAA", decimal_text(line.unit_price)]])
    if line.delivery_date is not None:
        segments.append(["DTM", _date(69, line.delivery_date)])
    return segments


def _date(qualifier: int, value: date) -> list[str]:
    return [str(qualifier), value.strftime("%Y%m%d"), "102"]


def _interchange(sending: Sending, syntax_version: str, message_type: list[str], body: list[Segment]) -> bytes:
    partners, numbers, at = sending.partners, sending.numbers, sending.sent_at
    reference, message = str(numbers.interchange), str(numbers.message)
    unb: Segment = ["UNB", ["UNOC", syntax_version], _party(partners.sender_id, partners.sender_qualifier),
                    _party(partners.receiver_id, partners.receiver_qualifier),
                    [at.strftime("%y%m%d"), at.strftime("%H%M")], reference]
    if sending.test:
        unb += ["", "", "", "", "", "1"]
    segments: list[Segment] = [unb, ["UNH", message, message_type], *body, ["UNT", str(len(body) + 2), message],
                ["UNZ", "1", reference]]
    return render(segments)
