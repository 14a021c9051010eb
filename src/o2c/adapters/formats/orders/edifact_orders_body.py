"""The body of one EDIFACT ORDERS message (D96A / D01B, EANCOM ORDERS subset) read into a ``ParsedOrder``.

Header: BGM (document name, order number, message function 1225), DTM (137 order date, 2 requested
delivery, 64/63 earliest/latest delivery, 10 requested ship, 61 cancel if not delivered by), FTX,
RFF, NAD (BY buyer, SU supplier, DP delivery party, IV invoicee; code list 9 = GLN) and CUX.
Detail: each LIN opens a line (item number with type EN/SRV = GTIN), enriched by PIA (more item
numbers: IN/BP buyer's, SA supplier's), IMD (description), QTY+21 (ordered quantity and unit),
PRI (AAA net, else AAB gross unit price), DTM, RFF and FTX. Summary: UNS, then CNT+2 must equal
the number of LIN segments.

Invariants: a line without a readable QTY+21 is reported (CONTRL code 12 or 13) and left out, never
guessed; EANCOM's QTY without a unit counts trade items of the LIN's GTIN and is recorded as EA;
both '.' and ',' are read as the decimal mark, as ISO 9735 allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from o2c.adapters.formats.orders.edifact_envelope import segment_error
from o2c.adapters.formats.orders.edifact_syntax import EdifactSegment
from o2c.adapters.formats.orders.model import (
    Address,
    DateWindow,
    DocumentPurpose,
    FormatError,
    ParsedOrder,
    ParsedOrderLine,
    Party,
    PartyIdScheme,
)
from o2c.adapters.formats.orders.units import REC20_UNITS, normalise_unit
from o2c.adapters.formats.orders.values import line_amount_problem, parse_ccyymmdd, parse_number, parse_yymmdd
from o2c.domain.orders import po_number_problem

PURPOSES = {
    "9": DocumentPurpose.ORIGINAL, "1": DocumentPurpose.CANCEL, "3": DocumentPurpose.CANCEL,
    "4": DocumentPurpose.CHANGE, "5": DocumentPurpose.REPLACE, "6": DocumentPurpose.CONFIRMATION,
    "7": DocumentPurpose.DUPLICATE, "31": DocumentPurpose.DUPLICATE, "43": DocumentPurpose.DUPLICATE,
}
ID_SCHEMES = {
    "9": PartyIdScheme.GLN, "16": PartyIdScheme.DUNS, "91": PartyIdScheme.SELLER_ASSIGNED,
    "92": PartyIdScheme.BUYER_ASSIGNED,
}
GTIN_TYPES = ("EN", "SRV", "UP", "UK")
BUYER_TYPES = ("IN", "BP")
VENDOR_TYPES = ("SA", "VN", "VP")
INVALID, MISSING = "12", "13"


@dataclass
class LineDraft:
    segment: EdifactSegment
    line_number: str
    item_ids: list[tuple[str, str]] = field(default_factory=list)
    quantity: Decimal | None = None
    quantity_refused: bool = False
    unit_code: str | None = None
    prices: dict[str, Decimal] = field(default_factory=dict)
    descriptions: list[str] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    delivery: date | None = None


@dataclass
class OrderDraft:
    file: str
    fields: dict[str, object] = field(default_factory=dict)
    dates: dict[str, date] = field(default_factory=dict)
    windows: dict[str, DateWindow] = field(default_factory=dict)
    parties: list[Party] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lines: list[LineDraft] = field(default_factory=list)
    line: LineDraft | None = None
    errors: list[FormatError] = field(default_factory=list)

    def error(self, segment: EdifactSegment, message: str, field_name: str | None = None,
              code: str = INVALID) -> None:
        self.errors.append(segment_error(self.file, segment, message, field_name, code))

    def number(self, segment: EdifactSegment, element: int, component: int, name: str) -> Decimal | None:
        text = segment.get(element, component)
        if not text:
            self.error(segment, f"{name} is required and empty", name, MISSING)
            return None
        try:
            return parse_number(text.replace(",", "."))
        except ValueError as error:
            self.error(segment, f"{name} {error}", name)
            return None


def read_order_body(body: list[EdifactSegment], envelope: dict[str, str | None], file: str,
                    unh: EdifactSegment) -> tuple[ParsedOrder | None, list[FormatError]]:
    """The order in one ORDERS message body, and every problem found in it."""
    draft = OrderDraft(file)
    for segment in body:
        reader = _READERS.get(segment.tag)
        if reader is not None:
            reader(draft, segment)
    if "po_number" not in draft.fields:
        draft.errors.append(FormatError("the order has no BGM segment (order number)", file=file, segment="BGM",
                                        position=unh.position + 1, code=MISSING))
        return None, draft.errors
    lines = [line for line in (_finish_line(draft, d) for d in draft.lines) if line is not None]
    return _finish(draft, envelope, lines), draft.errors


def _bgm(draft: OrderDraft, bgm: EdifactSegment) -> None:
    code = bgm.get(3) or "9"
    purpose = PURPOSES.get(code)
    if purpose is None:
        draft.error(bgm, f"message function {code!r} is not a known code", "1225")
    if not bgm.get(2):
        draft.error(bgm, "the order number is required and empty", "1004", MISSING)
    elif unsendable := po_number_problem(bgm.get(2)):
        draft.error(bgm, unsendable, "1004")
    draft.fields.update(po_number=bgm.get(2), purpose=purpose or DocumentPurpose.ORIGINAL,
                        purpose_code=code, order_type=bgm.get(1, 1) or None)


def _dtm(draft: OrderDraft, dtm: EdifactSegment) -> None:
    qualifier, text, form = dtm.get(1, 1), dtm.get(1, 2), dtm.get(1, 3)
    try:
        if form == "718":
            first, _, last = text.partition("-")
            draft.windows[qualifier] = DateWindow(parse_ccyymmdd(first[:8]), parse_ccyymmdd(last[:8]))
            return
        when = parse_yymmdd(text) if form == "101" else parse_ccyymmdd(text[:8])
    except ValueError:
        draft.error(dtm, f"date {text!r} does not match format {form or '102'!r}", "C507.2380")
        return
    if draft.line is not None:
        if qualifier == "2":
            draft.line.delivery = when
    else:
        draft.dates[qualifier] = when


def _ftx(draft: OrderDraft, ftx: EdifactSegment) -> None:
    text = " ".join(part for part in (ftx.elements[4] if len(ftx.elements) > 4 else []) if part)
    if text:
        (draft.line.notes if draft.line else draft.notes).append(text)


def _rff(draft: OrderDraft, rff: EdifactSegment) -> None:
    pair = (rff.get(1, 1), rff.get(1, 2))
    (draft.line.references if draft.line else draft.references).append(pair)


def _nad(draft: OrderDraft, nad: EdifactSegment) -> None:
    if draft.line is not None:
        return
    agency = nad.get(2, 3) or None
    name = " ".join(part for part in (nad.elements[4] if len(nad.elements) > 4 else []) if part) or None
    street = tuple(part for part in (nad.elements[5] if len(nad.elements) > 5 else []) if part)
    has_address = street or any(nad.get(i) for i in (6, 7, 8, 9))
    address = Address(street, nad.get(6) or None, nad.get(7) or None, nad.get(8) or None,
                      nad.get(9) or None) if has_address else None
    draft.parties.append(Party(
        role=nad.get(1), party_id=nad.get(2, 1) or None,
        id_scheme=ID_SCHEMES.get(agency, PartyIdScheme.OTHER) if agency else None,
        id_qualifier=agency, name=name, address=address))


def _cux(draft: OrderDraft, cux: EdifactSegment) -> None:
    draft.fields["currency"] = cux.get(1, 2) or None


def _lin(draft: OrderDraft, lin: EdifactSegment) -> None:
    draft.line = LineDraft(lin, lin.get(1) or str(len(draft.lines) + 1))
    if lin.get(3, 1):
        draft.line.item_ids.append((lin.get(3, 2), lin.get(3, 1)))
    draft.lines.append(draft.line)


def _pia(draft: OrderDraft, pia: EdifactSegment) -> None:
    if draft.line is None or pia.get(1) not in ("1", "5"):
        return
    for element in range(2, len(pia.elements)):
        if pia.get(element, 1):
            draft.line.item_ids.append((pia.get(element, 2), pia.get(element, 1)))


def _imd(draft: OrderDraft, imd: EdifactSegment) -> None:
    text = " ".join(filter(None, (imd.get(3, 4), imd.get(3, 5))))
    if draft.line is not None and text:
        draft.line.descriptions.append(text)


def _qty(draft: OrderDraft, qty: EdifactSegment) -> None:
    if draft.line is None or qty.get(1, 1) != "21":
        return
    draft.line.quantity = draft.number(qty, 1, 2, "C186.6060 quantity")
    draft.line.quantity_refused = draft.line.quantity is None
    draft.line.unit_code = qty.get(1, 3) or None


def _pri(draft: OrderDraft, pri: EdifactSegment) -> None:
    if draft.line is None or not pri.get(1, 2):
        return
    price = draft.number(pri, 1, 2, "C509.5118 price")
    if price is not None:
        draft.line.prices[pri.get(1, 1)] = price


def _uns(draft: OrderDraft, uns: EdifactSegment) -> None:
    draft.line = None


def _cnt(draft: OrderDraft, cnt: EdifactSegment) -> None:
    if cnt.get(1, 1) != "2":
        return
    stated = cnt.get(1, 2)
    if not stated.isdigit() or int(stated) != len(draft.lines):
        draft.error(cnt, f"CNT+2 says {stated!r} line items, the message has {len(draft.lines)} LIN segments",
                    "C270.6066")


_READERS: dict[str, Callable[[OrderDraft, EdifactSegment], None]] = {
    "BGM": _bgm, "DTM": _dtm, "FTX": _ftx, "RFF": _rff, "NAD": _nad, "CUX": _cux, "LIN": _lin,
    "PIA": _pia, "IMD": _imd, "QTY": _qty, "PRI": _pri, "UNS": _uns, "CNT": _cnt,
}


def _first(ids: list[tuple[str, str]], types: tuple[str, ...]) -> str | None:
    return next((value for kind in types for t, value in ids if t == kind), None)


def _finish_line(draft: OrderDraft, line: LineDraft) -> ParsedOrderLine | None:
    if line.quantity is None:
        if not line.quantity_refused:
            draft.error(line.segment, f"line {line.line_number} has no ordered quantity (QTY+21)", "QTY", MISSING)
        return None
    basis = "AAA" if "AAA" in line.prices else "AAB" if "AAB" in line.prices else None
    too_much = line_amount_problem(line.quantity, line.prices.get(basis) if basis else None)
    if too_much:
        draft.error(line.segment, f"line {line.line_number}: {too_much}", "QTY/PRI")
        return None
    return ParsedOrderLine(
        line_number=line.line_number, quantity=line.quantity, unit=normalise_unit(line.unit_code, REC20_UNITS),
        unit_code=line.unit_code, unit_price=line.prices.get(basis) if basis else None, price_basis=basis,
        buyer_item=_first(line.item_ids, BUYER_TYPES), vendor_item=_first(line.item_ids, VENDOR_TYPES),
        gtin=_first(line.item_ids, GTIN_TYPES), description=line.descriptions[0] if line.descriptions else None,
        item_ids=tuple(line.item_ids), requested_delivery_date=line.delivery,
        references=tuple(line.references), notes=tuple(line.notes))


def _window(draft: OrderDraft) -> DateWindow | None:
    if "2" in draft.windows:
        return draft.windows["2"]
    earliest, latest = draft.dates.get("64"), draft.dates.get("63")
    return DateWindow(earliest, latest) if earliest or latest else None


def _role(parties: list[Party], *roles: str) -> Party | None:
    return next((p for role in roles for p in parties if p.role == role), None)


def _finish(draft: OrderDraft, envelope: dict[str, str | None], lines: list[ParsedOrderLine]) -> ParsedOrder:
    dates, parties = draft.dates, draft.parties
    return ParsedOrder(
        source_format="edifact.orders", lines=tuple(lines), po_date=dates.get("137"),
        buyer=_role(parties, "BY"), ship_to=_role(parties, "DP", "ST", "UC"), bill_to=_role(parties, "IV", "BT"),
        supplier=_role(parties, "SU"), parties=tuple(parties), requested_delivery_date=dates.get("2"),
        delivery_window=_window(draft), requested_ship_date=dates.get("10"), cancel_after=dates.get("61"),
        references=tuple(draft.references), notes=tuple(draft.notes),
        **envelope, **draft.fields,  # type: ignore[arg-type]
    )
