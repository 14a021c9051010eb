"""X12 850 purchase orders (version 004010 and later: VICS 4010, 4030, 5010) from one file.

A file holds one or more ISA..IEA interchanges, each with GS..GE functional groups (``PO`` for
purchase orders) of ST..SE transaction sets. ``parse`` reads them all in one pass: the envelope
checks (``x12_envelope``) and the order bodies (``x12_850_body``) each report every problem they
find; the result keeps the orders, the receipts a 997 needs, and the problems, flattened in file
order. Only a file that is not X12 at all raises ``FormatError``.
"""

from __future__ import annotations

from o2c.adapters.formats.orders.model import (
    EnvelopeReceipt,
    GroupReceipt,
    MessageReceipt,
    ParsedInterchange,
    ParsedOrder,
)
from o2c.adapters.formats.orders.x12_850_body import read_order_body
from o2c.adapters.formats.orders.x12_envelope import (
    Group,
    Interchange,
    TransactionSet,
    segment_error,
    walk_envelopes,
)
from o2c.adapters.formats.orders.x12_syntax import decode, read_delimiters, split_segments

FORMAT = "x12.850"


def identify(data: bytes, filename: str) -> bool:
    """An X12 interchange whose first functional group carries purchase orders (GS01 = PO)."""
    head = data[:400].lstrip(b"\xef\xbb\xbf \r\n")
    if not head.startswith(b"ISA") or len(head) < 106:
        return False
    separator = head[3:4]
    gs = head.find(b"GS" + separator)
    return gs > 0 and head[gs + 3:gs + 6] == b"PO" + separator


def parse(data: bytes, filename: str) -> ParsedInterchange:
    text = decode(data).lstrip("\r\n ")
    delimiters = read_delimiters(text, filename)
    segments, tail = split_segments(text, delimiters)
    walk = walk_envelopes(segments, tail, filename)
    orders: list[ParsedOrder] = []
    envelopes = tuple(_interchange_receipt(ic, filename, delimiters.component, orders)
                      for ic in walk.interchanges)
    errors = [*walk.stray_errors, *(e for env in envelopes for e in env.all_errors())]
    errors.sort(key=lambda e: e.position or 0)
    return ParsedInterchange(FORMAT, filename, tuple(orders), envelopes, tuple(errors))


def _interchange_receipt(ic: Interchange, file: str, component: str,
                         orders: list[ParsedOrder]) -> EnvelopeReceipt:
    isa = ic.header
    errors = list(ic.errors)
    if isa.get(16) != component:
        errors.append(segment_error(file, isa, f"ISA16 {isa.get(16)!r} differs from the file's first ISA",
                                    "ISA16", "026"))
    groups = tuple(_group_receipt(group, ic, file, orders) for group in ic.groups)
    return EnvelopeReceipt(
        control_number=isa.get(13), sender_id=isa.get(6).strip(), sender_qualifier=isa.get(5).strip(),
        receiver_id=isa.get(8).strip(), receiver_qualifier=isa.get(7).strip(), syntax=isa.get(12),
        test=isa.get(15) == "T", groups=groups, errors=tuple(errors))


def _group_receipt(group: Group, ic: Interchange, file: str, orders: list[ParsedOrder]) -> GroupReceipt:
    gs = group.header
    envelope: dict[str, str | None] = {
        "interchange_control_number": ic.header.get(13), "group_control_number": gs.get(6),
        "sender_id": ic.header.get(6).strip(), "sender_qualifier": ic.header.get(5).strip(),
        "receiver_id": ic.header.get(8).strip(),
    }
    messages = tuple(_message_receipt(ts, envelope, file, orders) for ts in group.sets)
    return GroupReceipt(functional_id=gs.get(1), control_number=gs.get(6), version=gs.get(8),
                        sender_id=gs.get(2), receiver_id=gs.get(3), messages=messages,
                        errors=tuple(group.errors))


def _message_receipt(ts: TransactionSet, envelope: dict[str, str | None], file: str,
                     orders: list[ParsedOrder]) -> MessageReceipt:
    st = ts.header
    errors = list(ts.errors)
    order = None
    if st.get(1) != "850":
        errors.append(segment_error(file, st, f"transaction set {st.get(1)!r} is not an 850 purchase order",
                                    "ST01", "1"))
    else:
        order, body_errors = read_order_body(
            ts.body, {**envelope, "transaction_set_control_number": st.get(2)}, file, st)
        errors.extend(body_errors)
    if order is not None:
        orders.append(order)
    return MessageReceipt(message_type=st.get(1), control_number=st.get(2), position=st.position,
                          version=st.get(3) or None, po_number=order.po_number if order else None,
                          errors=tuple(errors))
