"""EDIFACT ORDERS purchase orders (D96A, D01B; the EANCOM EAN008 subset) from one file.

A file holds one or more UNB..UNZ interchanges of UNH..UNT messages, optionally grouped by
UNG..UNE. ``parse`` reads them in one pass: envelope checks (``edifact_envelope``) and message
bodies (``edifact_orders_body``) each report every problem found; the result keeps the orders,
the receipts a CONTRL needs and the problems in file order. Only a file that is not EDIFACT at
all raises ``FormatError``.
"""

from __future__ import annotations

import re

from o2c.adapters.formats.orders.edifact_envelope import (
    Group,
    Interchange,
    Message,
    segment_error,
    walk_envelopes,
)
from o2c.adapters.formats.orders.edifact_orders_body import read_order_body
from o2c.adapters.formats.orders.edifact_syntax import decode, tokenise
from o2c.adapters.formats.orders.model import (
    EnvelopeReceipt,
    FormatError,
    GroupReceipt,
    MessageReceipt,
    ParsedInterchange,
    ParsedOrder,
)

FORMAT = "edifact.orders"
_ORDERS_HEADER = re.compile(rb"UNH.{1,40}?ORDERS", re.DOTALL)


def identify(data: bytes, filename: str) -> bool:
    """An EDIFACT interchange (UNA or UNB first) whose first message is an ORDERS."""
    head = data[:2000].lstrip(b"\xef\xbb\xbf \r\n")
    return head[:3] in (b"UNA", b"UNB") and _ORDERS_HEADER.search(head) is not None


def parse(data: bytes, filename: str) -> ParsedInterchange:
    tokens = tokenise(decode(data))
    if not tokens.segments or tokens.segments[0].tag != "UNB":
        raise FormatError("the file does not start with a UNB interchange header", file=filename,
                          segment="UNB", position=1)
    walk = walk_envelopes(tokens.segments, tokens.tail, filename)
    orders: list[ParsedOrder] = []
    envelopes = tuple(_interchange_receipt(ic, filename, orders) for ic in walk.interchanges)
    errors = [*walk.stray_errors, *(e for env in envelopes for e in env.all_errors())]
    errors.sort(key=lambda e: e.position or 0)
    return ParsedInterchange(FORMAT, filename, tuple(orders), envelopes, tuple(errors))


def _interchange_receipt(ic: Interchange, file: str, orders: list[ParsedOrder]) -> EnvelopeReceipt:
    unb = ic.header
    groups = tuple(_group_receipt(group, ic, file, orders) for group in ic.groups)
    return EnvelopeReceipt(
        control_number=unb.get(5), sender_id=unb.get(2, 1), sender_qualifier=unb.get(2, 2) or None,
        receiver_id=unb.get(3, 1), receiver_qualifier=unb.get(3, 2) or None,
        syntax=f"{unb.get(1, 1)}:{unb.get(1, 2)}", test=unb.get(11) == "1", groups=groups,
        errors=tuple(ic.errors))


def _group_receipt(group: Group, ic: Interchange, file: str, orders: list[ParsedOrder]) -> GroupReceipt:
    unb, ung = ic.header, group.header
    envelope = {
        "interchange_control_number": unb.get(5), "group_control_number": ung.get(5) if ung else None,
        "sender_id": unb.get(2, 1), "sender_qualifier": unb.get(2, 2) or None, "receiver_id": unb.get(3, 1),
    }
    messages = tuple(_message_receipt(message, envelope, file, orders) for message in group.messages)
    return GroupReceipt(
        functional_id=ung.get(1) if ung else "", control_number=ung.get(5) if ung else "",
        version=":".join(filter(None, (ung.get(6), ung.get(7, 1), ung.get(7, 2)))) if ung else "",
        sender_id=ung.get(2, 1) if ung else unb.get(2, 1), receiver_id=ung.get(3, 1) if ung else unb.get(3, 1),
        messages=messages, errors=tuple(group.errors))


def _message_receipt(message: Message, envelope: dict[str, str | None], file: str,
                     orders: list[ParsedOrder]) -> MessageReceipt:
    unh = message.header
    errors = list(message.errors)
    order = None
    if unh.get(2, 1) != "ORDERS":
        errors.append(segment_error(file, unh, f"message type {unh.get(2, 1)!r} is not ORDERS", "S009.0065", "12"))
    else:
        order, body_errors = read_order_body(
            message.body, {**envelope, "transaction_set_control_number": unh.get(1)}, file, unh)
        errors.extend(body_errors)
    if order is not None:
        orders.append(order)
    return MessageReceipt(message_type=unh.get(2, 1), control_number=unh.get(1), position=unh.position,
                          version=":".join(unh.elements[2][1:]) if len(unh.elements) > 2 else None,
                          po_number=order.po_number if order else None, errors=tuple(errors))
