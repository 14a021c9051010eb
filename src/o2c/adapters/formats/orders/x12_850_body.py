"""The body of one X12 850 purchase order (the segments between ST and SE) read into a ``ParsedOrder``.

Header segments: BEG (purpose, type, PO number, PO date), CUR, REF, PER, DTM, N9/MSG, SAC and the
N1/N2/N3/N4 party loops; FOB, ITD, TD5, CSH, PKG and other terms are accepted and not mapped.
Detail: each PO1 opens a line (quantity, unit, price, basis, then qualifier/id pairs) that PID,
SAC, SDQ, DTM, REF and MSG enrich; PO4 and CTP (pack and retail price) are not mapped. Summary:
CTT01 must equal the number of PO1 segments, and AMT*1 (line item total), when every line is
priced, must equal the sum of quantity x price.

Invariants: a PO1 whose quantity cannot be read is reported (AK4 code 6 or 1) and left out of the
order rather than guessed; dates are CCYYMMDD; SAC05 is an ``N2`` amount (implied two decimals).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from o2c.adapters.formats.orders.model import (
    Address,
    AllowanceCharge,
    Contact,
    DateWindow,
    DocumentPurpose,
    FormatError,
    ParsedOrder,
    ParsedOrderLine,
    Party,
    PartyIdScheme,
)
from o2c.adapters.formats.orders.units import X12_UNITS, normalise_unit
from o2c.adapters.formats.orders.values import (
    line_amount_problem,
    parse_ccyymmdd,
    parse_implied_decimal,
    parse_number,
)
from o2c.adapters.formats.orders.x12_envelope import segment_error
from o2c.adapters.formats.orders.x12_syntax import X12Segment
from o2c.domain.orders import po_number_problem

PURPOSES = {
    "00": DocumentPurpose.ORIGINAL, "01": DocumentPurpose.CANCEL, "03": DocumentPurpose.CANCEL,
    "04": DocumentPurpose.CHANGE, "05": DocumentPurpose.REPLACE, "06": DocumentPurpose.CONFIRMATION,
    "07": DocumentPurpose.DUPLICATE, "22": DocumentPurpose.DUPLICATE,
}
ID_SCHEMES = {
    "1": PartyIdScheme.DUNS, "9": PartyIdScheme.DUNS_PLUS_4, "UL": PartyIdScheme.GLN,
    "92": PartyIdScheme.BUYER_ASSIGNED, "91": PartyIdScheme.SELLER_ASSIGNED,
}
BUYER_ITEM = ("IN", "BP", "PI", "CB", "SK")
VENDOR_ITEM = ("VN", "VP")
GTIN = ("UK", "EN", "UP", "UA", "UI")
AK4_MISSING, AK4_INVALID, AK4_BAD_CODE, AK4_BAD_DATE = "1", "6", "7", "8"


@dataclass
class LineDraft:
    """One PO1 line being read: the PO1 values, then what PID, SAC, SDQ, DTM, REF and MSG add."""

    values: dict[str, object]
    descriptions: list[str] = field(default_factory=list)
    allowances: list[AllowanceCharge] = field(default_factory=list)
    destinations: list[tuple[str, Decimal]] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    delivery: date | None = None

    def finish(self) -> ParsedOrderLine:
        return ParsedOrderLine(
            description=self.descriptions[0] if self.descriptions else None,
            allowances_charges=tuple(self.allowances), destinations=tuple(self.destinations),
            references=tuple(self.references), notes=tuple(self.notes), requested_delivery_date=self.delivery,
            **self.values,  # type: ignore[arg-type]
        )


@dataclass
class OrderDraft:
    """The order as it is being read; ``errors`` collects every problem in the body."""

    file: str
    fields: dict[str, object] = field(default_factory=dict)
    dates: dict[str, date] = field(default_factory=dict)
    parties: list[Party] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)
    allowances: list[AllowanceCharge] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    lines: list[LineDraft] = field(default_factory=list)
    line: LineDraft | None = None
    po1_count: int = 0
    in_detail: bool = False
    errors: list[FormatError] = field(default_factory=list)

    def error(self, segment: X12Segment, message: str, field_name: str | None = None,
              code: str | None = None) -> None:
        self.errors.append(segment_error(self.file, segment, message, field_name, code))

    def number(self, segment: X12Segment, index: int, required: bool = False) -> Decimal | None:
        text = segment.get(index)
        name = f"{segment.tag}{index:02d}"
        if not text:
            if required:
                self.error(segment, f"{name} is required and empty", name, AK4_MISSING)
            return None
        try:
            return parse_number(text)
        except ValueError as error:
            self.error(segment, f"{name} {error}", name, AK4_INVALID)
            return None

    def date(self, segment: X12Segment, index: int) -> date | None:
        text = segment.get(index)
        if not text:
            return None
        try:
            return parse_ccyymmdd(text)
        except ValueError:
            name = f"{segment.tag}{index:02d}"
            self.error(segment, f"{name} {text!r} is not a CCYYMMDD date", name, AK4_BAD_DATE)
            return None


def read_order_body(body: list[X12Segment], envelope: dict[str, str | None], file: str,
                    st: X12Segment) -> tuple[ParsedOrder | None, list[FormatError]]:
    """The order in one 850 transaction set body, and every problem found in it."""
    draft = OrderDraft(file)
    for segment in body:
        reader = _READERS.get(segment.tag)
        if reader is not None:
            reader(draft, segment)
    if "po_number" not in draft.fields:
        draft.errors.append(FormatError("the purchase order has no BEG segment (PO number and date)", file=file,
                                        segment="BEG", position=st.position + 1, code="3"))
        return None, draft.errors
    return _finish(draft, envelope), draft.errors


def _beg(draft: OrderDraft, beg: X12Segment) -> None:
    code = beg.get(1)
    purpose = PURPOSES.get(code)
    if purpose is None:
        draft.error(beg, f"BEG01 purpose {code!r} is not a known transaction set purpose", "BEG01", AK4_BAD_CODE)
    if not beg.get(3):
        draft.error(beg, "BEG03 purchase order number is required and empty", "BEG03", AK4_MISSING)
    elif unsendable := po_number_problem(beg.get(3)):
        draft.error(beg, f"BEG03 {unsendable}", "BEG03", AK4_INVALID)
    draft.fields.update(purpose=purpose or DocumentPurpose.ORIGINAL, purpose_code=code,
                        order_type=beg.get(2) or None, po_number=beg.get(3), po_date=draft.date(beg, 5))


def _cur(draft: OrderDraft, cur: X12Segment) -> None:
    draft.fields["currency"] = cur.get(2) or None


def _ref(draft: OrderDraft, ref: X12Segment) -> None:
    pair = (ref.get(1), ref.get(2) or ref.get(3))
    (draft.line.references if draft.line else draft.references).append(pair)


def _per(draft: OrderDraft, per: X12Segment) -> None:
    numbers = {per.get(i): per.get(i + 1) for i in (3, 5, 7)}
    draft.fields["contact"] = Contact(per.get(2) or None, numbers.get("TE"), numbers.get("EM"))


def _dtm(draft: OrderDraft, dtm: X12Segment) -> None:
    when = draft.date(dtm, 2)
    if when is None:
        return
    if draft.line is not None and dtm.get(1) == "002":
        draft.line.delivery = when
    elif not draft.in_detail:
        draft.dates[dtm.get(1)] = when


def _msg(draft: OrderDraft, msg: X12Segment) -> None:
    if msg.get(1):
        (draft.line.notes if draft.line else draft.notes).append(msg.get(1))


def _n9(draft: OrderDraft, n9: X12Segment) -> None:
    if draft.line is None and n9.get(2):
        draft.references.append((n9.get(1), n9.get(2)))


def _n1(draft: OrderDraft, n1: X12Segment) -> None:
    if draft.in_detail:
        return
    qualifier = n1.get(3) or None
    draft.parties.append(Party(role=n1.get(1), party_id=n1.get(4) or None,
                               id_scheme=ID_SCHEMES.get(qualifier or "", PartyIdScheme.OTHER) if qualifier else None,
                               id_qualifier=qualifier, name=n1.get(2) or None))


def _n2(draft: OrderDraft, n2: X12Segment) -> None:
    if draft.parties and not draft.in_detail:
        party = draft.parties[-1]
        extra = " ".join(filter(None, (n2.get(1), n2.get(2))))
        draft.parties[-1] = replace(party, name=f"{party.name} {extra}".strip() if party.name else extra)


def _n3(draft: OrderDraft, n3: X12Segment) -> None:
    if draft.parties and not draft.in_detail:
        party = draft.parties[-1]
        address = party.address or Address()
        street = address.street + tuple(filter(None, (n3.get(1), n3.get(2))))
        draft.parties[-1] = replace(party, address=replace(address, street=street))


def _n4(draft: OrderDraft, n4: X12Segment) -> None:
    if draft.parties and not draft.in_detail:
        party = draft.parties[-1]
        address = replace(party.address or Address(), city=n4.get(1) or None, region=n4.get(2) or None,
                          postal_code=n4.get(3) or None, country=n4.get(4) or None)
        draft.parties[-1] = replace(party, address=address)


def _po1(draft: OrderDraft, po1: X12Segment) -> None:
    draft.in_detail = True
    draft.po1_count += 1
    quantity = draft.number(po1, 2, required=True)
    price = draft.number(po1, 4)
    too_much = line_amount_problem(quantity, price) if quantity is not None else None
    if too_much:
        draft.error(po1, f"PO102 x PO104: {too_much}", "PO104", AK4_INVALID)
    if quantity is None or too_much:
        draft.line = LineDraft({})  # an unreadable line: its PID, SAC... land here and are dropped
        return
    elements = po1.elements
    ids = tuple(zip(elements[6::2], elements[7::2], strict=False))
    by_qualifier = {qualifier: value for qualifier, value in reversed(ids) if value}
    unit = po1.get(3)
    draft.line = LineDraft({
        "line_number": po1.get(1) or str(draft.po1_count), "quantity": quantity,
        "unit": normalise_unit(unit, X12_UNITS), "unit_code": unit or None, "unit_price": price,
        "price_basis": po1.get(5) or None, "buyer_item": _first(by_qualifier, BUYER_ITEM),
        "vendor_item": _first(by_qualifier, VENDOR_ITEM), "gtin": _first(by_qualifier, GTIN),
        "item_ids": tuple(pair for pair in ids if pair[1]),
    })
    draft.lines.append(draft.line)


def _first(ids: dict[str, str], qualifiers: tuple[str, ...]) -> str | None:
    for qualifier in qualifiers:
        if qualifier in ids:
            return ids[qualifier]
    return None


def _pid(draft: OrderDraft, pid: X12Segment) -> None:
    if draft.line is not None and pid.get(5) and pid.get(2) in ("", "08", "91", "GEN"):
        draft.line.descriptions.append(pid.get(5))


def _sac(draft: OrderDraft, sac: X12Segment) -> None:
    amount = None
    if sac.get(5):
        try:
            amount = parse_implied_decimal(sac.get(5), 2)
        except ValueError as error:
            draft.error(sac, f"SAC05 {error}", "SAC05", AK4_INVALID)
    charge = AllowanceCharge(kind="charge" if sac.get(1) == "C" else "allowance", code=sac.get(2) or None,
                             amount=amount, rate=draft.number(sac, 7), description=sac.get(15) or None)
    (draft.line.allowances if draft.line else draft.allowances).append(charge)


def _sdq(draft: OrderDraft, sdq: X12Segment) -> None:
    if draft.line is None:
        return
    for index in range(3, len(sdq.elements) - 1, 2):
        quantity = draft.number(sdq, index + 1, required=True)
        if quantity is not None:
            draft.line.destinations.append((sdq.get(index), quantity))


def _ctt(draft: OrderDraft, ctt: X12Segment) -> None:
    draft.line = None
    stated = ctt.get(1)
    if not stated.isdigit():
        draft.error(ctt, f"CTT01 {stated!r} is not a count of line items", "CTT01", AK4_INVALID)
    elif int(stated) != draft.po1_count:
        draft.error(ctt, f"CTT01 says {int(stated)} line items, the order has {draft.po1_count} PO1 segments",
                    "CTT01", AK4_INVALID)


def _amt(draft: OrderDraft, amt: X12Segment) -> None:
    if amt.get(1) != "1":
        return
    total = draft.number(amt, 2)
    draft.fields["stated_total"] = total
    priced = [(d.values["quantity"], d.values["unit_price"]) for d in draft.lines]
    if total is None or not priced or any(price is None for _, price in priced):
        return
    computed = sum((quantity * price for quantity, price in priced), Decimal(0))  # type: ignore[operator]
    if computed != total:
        draft.error(amt, f"AMT02 line item total {total} does not equal the lines' {computed}", "AMT02",
                    AK4_INVALID)


_READERS: dict[str, Callable[[OrderDraft, X12Segment], None]] = {
    "BEG": _beg, "CUR": _cur, "REF": _ref, "PER": _per, "DTM": _dtm, "MSG": _msg, "N9": _n9,
    "N1": _n1, "N2": _n2, "N3": _n3, "N4": _n4, "PO1": _po1, "PID": _pid, "SAC": _sac, "SDQ": _sdq,
    "CTT": _ctt, "AMT": _amt,
}


def _window(dates: dict[str, date], earliest: str, latest: str) -> DateWindow | None:
    if earliest in dates or latest in dates:
        return DateWindow(dates.get(earliest), dates.get(latest))
    return None


def _role(parties: list[Party], *roles: str) -> Party | None:
    return next((p for role in roles for p in parties if p.role == role), None)


def _finish(draft: OrderDraft, envelope: dict[str, str | None]) -> ParsedOrder:
    dates, parties = draft.dates, draft.parties
    return ParsedOrder(
        source_format="x12.850", lines=tuple(line.finish() for line in draft.lines),
        buyer=_role(parties, "BY"), ship_to=_role(parties, "ST"), bill_to=_role(parties, "BT"),
        supplier=_role(parties, "SU", "VN", "SE"), parties=tuple(parties),
        requested_delivery_date=dates.get("002"), delivery_window=_window(dates, "064", "063"),
        requested_ship_date=dates.get("010"), ship_window=_window(dates, "037", "038"),
        cancel_after=dates.get("001"), references=tuple(draft.references),
        allowances_charges=tuple(draft.allowances), notes=tuple(draft.notes),
        **envelope, **draft.fields,  # type: ignore[arg-type]
    )
