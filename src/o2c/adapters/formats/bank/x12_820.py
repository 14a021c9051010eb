"""X12 820 Payment Order/Remittance Advice: which invoices a payment settles, and short pays.

An interchange (ISA ... IEA) holds functional groups (GS ... GE) of transaction sets (ST ... SE).
The ISA header is fixed width (106 characters): its 4th character separates elements, its 105th
separates components and its 106th ends segments, so they are read from there, never assumed.
One 820 transaction set is one payment:

- BPR: amount (BPR02), credit/debit (BPR03), method (BPR04: ACH, CHK, FWT), format (BPR05: CTX,
  CCP) and effective date (BPR16); TRN: the trace number that the bank entry will also carry;
- N1*PR / N1*PE: payer and payee; CUR: currency (USD when absent);
- ENT loops (one per paying entity), each with ADX (an adjustment of the whole entity: a line of
  its own) and RMR lines: RMR01/02 the document (IV invoice, PO order...), RMR04 amount paid,
  RMR05 invoice amount, RMR06 discount, RMR07/08 adjustment; the REF, DTM and ADX after an RMR
  belong to it.

Invariants checked, with the segment named: SE01 counts the segments from ST to SE, SE02 = ST02,
GE01 counts the sets and GE02 = GS06, IEA01 counts the groups and IEA02 = ISA13. A payment
whose lines do not add up to BPR02 is kept, with a warning naming the unexplained difference.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from o2c.adapters.formats.bank.common import decode_text
from o2c.adapters.formats.bank.model import (
    FormatError,
    ParsedBankFile,
    RemittanceAdvice,
    RemittanceLine,
    plain_amount,
)
from o2c.domain.errors import UnknownCurrency
from o2c.domain.money import Money

ISA_LENGTH = 106


def identify(data: bytes, filename: str) -> bool:
    head = data.lstrip(b"\xef\xbb\xbf \r\n\t")[:ISA_LENGTH + 400]
    if not head.startswith(b"ISA") or len(head) < ISA_LENGTH:
        return False
    separator = head[3:4]
    return b"ST" + separator + b"820" + separator in head


def parse(data: bytes, filename: str, *, strict: bool = True) -> ParsedBankFile:
    """Every 820 payment of the interchange; envelope counts and control numbers always checked."""
    segments = _segments(decode_text(data).lstrip("\ufeff \r\n\t"), filename)
    reader = _Interchange(filename)
    for segment in segments:
        reader.take(segment)
    reader.finish(segments[-1])
    return ParsedBankFile("x12.820", remittances=tuple(reader.remittances), warnings=tuple(reader.warnings))


@dataclass(frozen=True, slots=True)
class _Segment:
    tag: str
    elements: tuple[str, ...]
    line: int
    ordinal: int

    def get(self, position: int) -> str:
        """Element ``position`` (1-based, as X12 numbers them), '' when absent."""
        return self.elements[position - 1].strip() if position <= len(self.elements) else ""


def _segments(text: str, filename: str) -> list[_Segment]:
    if not text.startswith("ISA") or len(text) < ISA_LENGTH:
        raise FormatError(filename, "an X12 interchange starts with a 106-character ISA header",
                          line=1, field="ISA")
    element, terminator = text[3], text[ISA_LENGTH - 1]
    if text[:ISA_LENGTH].count(element) != 16:
        raise FormatError(filename, f"the ISA header does not have 16 elements separated by {element!r}",
                          line=1, field="ISA")
    segments: list[_Segment] = []
    line = 1
    for raw in text.split(terminator):
        body = raw.lstrip("\r\n")
        starts_on = line + raw[: len(raw) - len(body)].count("\n")
        line += raw.count("\n")
        if body.strip():
            parts = body.rstrip("\r\n").split(element)
            segments.append(_Segment(parts[0].strip(), tuple(parts[1:]), starts_on, len(segments) + 1))
    return segments


@dataclass
class _Payment:
    """An 820 transaction set being read."""

    start: _Segment
    payment_reference: str = ""
    payment_date: date | None = None
    payer: tuple[str | None, str | None] = (None, None)
    payee: tuple[str | None, str | None] = (None, None)
    method: str | None = None
    payment_format: str | None = None
    credit: bool = True
    currency: str = "USD"
    amount_text: str = "0"
    lines: list[RemittanceLine] = field(default_factory=list)
    references: list[tuple[str, str]] = field(default_factory=list)
    entity: str | None = None
    in_line: bool = False
    pending: list[tuple[_Segment, str]] = field(default_factory=list)


class _Interchange:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.remittances: list[RemittanceAdvice] = []
        self.warnings: list[str] = []
        self.isa: _Segment | None = None
        self.gs: _Segment | None = None
        self.payment: _Payment | None = None
        self.sets_in_group = 0
        self.groups = 0
        self.ended = False

    def error(self, segment: _Segment, message: str, element: str | None = None) -> FormatError:
        return FormatError(self.filename, f"segment {segment.ordinal} ({segment.tag}): {message}",
                           line=segment.line, field=element or segment.tag)

    def take(self, segment: _Segment) -> None:
        if self.ended:
            raise self.error(segment, "a segment after the IEA trailer")
        handler = getattr(self, f"segment_{segment.tag}", None)
        if handler is not None:
            handler(segment)
        elif self.payment is not None:
            self.body(segment)
        else:
            raise self.error(segment, "a segment outside a transaction set (ST ... SE)")

    def segment_ISA(self, segment: _Segment) -> None:
        if self.isa is not None:
            raise self.error(segment, "a second ISA inside the interchange")
        self.isa = segment

    def segment_GS(self, segment: _Segment) -> None:
        if self.isa is None or self.gs is not None:
            raise self.error(segment, "GS must follow ISA or GE")
        self.gs, self.sets_in_group = segment, 0

    def segment_ST(self, segment: _Segment) -> None:
        if self.gs is None or self.payment is not None:
            raise self.error(segment, "ST must be inside a group (GS) and after the previous SE")
        if segment.get(1) != "820":
            raise self.error(segment, f"transaction set {segment.get(1)!r} is not an 820", "ST01")
        self.payment = _Payment(segment)

    def segment_SE(self, segment: _Segment) -> None:
        payment = self.payment
        if payment is None:
            raise self.error(segment, "SE without its ST")
        counted = segment.ordinal - payment.start.ordinal + 1
        if segment.get(1) != str(counted):
            raise self.error(segment, f"SE01 says {segment.get(1) or 'nothing'} segments, but the transaction "
                                      f"set {payment.start.get(2)} has {counted} (ST to SE)", "SE01")
        if segment.get(2) != payment.start.get(2):
            raise self.error(segment, f"SE02 {segment.get(2)!r} does not match ST02 {payment.start.get(2)!r}",
                             "SE02")
        self.remittances.append(self.advice(payment, segment))
        self.payment, self.sets_in_group = None, self.sets_in_group + 1

    def segment_GE(self, segment: _Segment) -> None:
        if self.gs is None or self.payment is not None:
            raise self.error(segment, "GE without its GS, or before the SE of the last set")
        self.control(segment, "GE01", segment.get(1), str(self.sets_in_group), "transaction sets")
        self.control(segment, "GE02", segment.get(2), self.gs.get(6), "GS06")
        self.gs, self.groups = None, self.groups + 1

    def segment_IEA(self, segment: _Segment) -> None:
        if self.isa is None or self.gs is not None:
            raise self.error(segment, "IEA before the GE of the last group")
        self.control(segment, "IEA01", segment.get(1), str(self.groups), "functional groups")
        self.control(segment, "IEA02", segment.get(2), self.isa.get(13), "ISA13")
        self.ended = True

    def control(self, segment: _Segment, element: str, stated: str, expected: str, what: str) -> None:
        if stated.lstrip("0") != expected.lstrip("0"):
            raise self.error(segment, f"{element} says {stated!r}, but {what} is {expected!r}", element)

    def finish(self, last: _Segment) -> None:
        if not self.ended:
            open_part = "transaction set (no SE)" if self.payment else "group (no GE)" if self.gs else "interchange"
            raise self.error(last, f"the file ends inside a {open_part} without its IEA trailer", "IEA")

    def body(self, segment: _Segment) -> None:
        payment = self.payment
        if payment is None:
            raise self.error(segment, "a segment outside a transaction set")
        _BodyReader(self, payment).read(segment)

    def advice(self, payment: _Payment, end: _Segment) -> RemittanceAdvice:
        if not payment.payment_reference:
            raise self.error(end, f"transaction set {payment.start.get(2)} has no TRN trace number", "TRN02")
        amount = self.money(end, payment.amount_text, payment.currency, "BPR02")
        advice = RemittanceAdvice(
            payment_reference=payment.payment_reference,
            payment_amount=amount,
            payment_date=payment.payment_date,
            payer_name=payment.payer[0],
            payer_id=payment.payer[1],
            payee_name=payment.payee[0],
            payee_id=payment.payee[1],
            method=payment.method,
            payment_format=payment.payment_format,
            credit=payment.credit,
            lines=tuple(self.finish_line(line) for line in payment.lines),
            references=tuple(payment.references),
        )
        advice = replace(advice, advice_key=_advice_key(advice))
        if not advice.unexplained_difference.is_zero():
            self.warnings.append(
                f"{self.filename}: line {payment.start.line}, ST {payment.start.get(2)}: payment "
                f"{advice.payment_reference} is {plain_amount(amount)} {amount.currency}, its lines pay "
                f"{plain_amount(advice.lines_total)} {amount.currency}: "
                f"{plain_amount(advice.unexplained_difference)} {amount.currency} unexplained"
            )
        return advice

    def finish_line(self, line: RemittanceLine) -> RemittanceLine:
        """Give an RMR08 adjustment the sign that explains the line, when one does."""
        if line.adjustment is None or line.unexplained_difference is None:
            return line
        if line.unexplained_difference.is_zero():
            return line
        flipped = replace(line, adjustment=-line.adjustment)
        return flipped if flipped.unexplained_difference and flipped.unexplained_difference.is_zero() else line

    def money(self, segment: _Segment, amount: str, currency: str, element: str) -> Money:
        try:
            return Money(Decimal(amount), currency)
        except InvalidOperation:
            raise self.error(segment, f"{amount!r} is not an amount", element) from None
        except UnknownCurrency:
            raise self.error(segment, f"currency {currency!r} is not one o2c knows", element) from None

    def day(self, segment: _Segment, text: str, element: str) -> date | None:
        if not text:
            return None
        try:
            return datetime.strptime(text, "%Y%m%d" if len(text) == 8 else "%y%m%d").date()
        except ValueError:
            raise self.error(segment, f"{text!r} is not a date (CCYYMMDD)", element) from None


class _BodyReader:
    """Reads one segment of an 820 body into the payment being built."""

    def __init__(self, interchange: _Interchange, payment: _Payment) -> None:
        self.x, self.payment = interchange, payment

    def read(self, segment: _Segment) -> None:
        handler = getattr(self, segment.tag.lower(), None)
        if handler is not None:
            handler(segment)

    def bpr(self, segment: _Segment) -> None:
        payment = self.payment
        payment.amount_text = segment.get(2) or "0"
        payment.credit = segment.get(3) != "D"
        payment.method, payment.payment_format = segment.get(4) or None, segment.get(5) or None
        payment.payment_date = self.x.day(segment, segment.get(16), "BPR16") or payment.payment_date

    def trn(self, segment: _Segment) -> None:
        self.payment.payment_reference = segment.get(2)

    def cur(self, segment: _Segment) -> None:
        self.payment.currency = segment.get(2) or "USD"

    def n1(self, segment: _Segment) -> None:
        party = (segment.get(2) or None, segment.get(4) or None)
        if segment.get(1) == "PR":
            self.payment.payer = party
        elif segment.get(1) == "PE":
            self.payment.payee = party

    def ent(self, segment: _Segment) -> None:
        self.payment.entity = segment.get(4) or segment.get(1) or None
        self.payment.in_line = False

    def rmr(self, segment: _Segment) -> None:
        x, currency = self.x, self.payment.currency

        def amount(position: int) -> Money | None:
            text = segment.get(position)
            return x.money(segment, text, currency, f"RMR{position:02d}") if text else None

        self.payment.lines.append(RemittanceLine(
            document=segment.get(2) or None, document_kind=segment.get(1) or None,
            amount_paid=amount(4), invoice_amount=amount(5), discount=amount(6),
            adjustment=amount(8), adjustment_reason=segment.get(7) or None, entity=self.payment.entity,
        ))
        self.payment.in_line = True

    def adx(self, segment: _Segment) -> None:
        adjustment = self.x.money(segment, segment.get(1), self.payment.currency, "ADX01")
        if self.payment.in_line:
            line = self.payment.lines[-1]
            total = adjustment if line.adjustment is None else line.adjustment + adjustment
            self.payment.lines[-1] = replace(line, adjustment=total, adjustment_reason=segment.get(2) or None)
            return
        self.payment.lines.append(RemittanceLine(
            document=segment.get(4) or None, document_kind=segment.get(3) or "ADX", amount_paid=adjustment,
            adjustment=adjustment, adjustment_reason=segment.get(2) or None, entity=self.payment.entity,
        ))

    def ref(self, segment: _Segment) -> None:
        reference = (segment.get(1), segment.get(2) or segment.get(3))
        if self.payment.in_line:
            line = self.payment.lines[-1]
            self.payment.lines[-1] = replace(line, references=(*line.references, reference))
        else:
            self.payment.references.append(reference)

    def dtm(self, segment: _Segment) -> None:
        day = self.x.day(segment, segment.get(2), "DTM02")
        if self.payment.in_line and segment.get(1) == "003":
            self.payment.lines[-1] = replace(self.payment.lines[-1], document_date=day)
        elif self.payment.entity is None and self.payment.payment_date is None:
            self.payment.payment_date = day
        elif day is not None:
            self.payment.references.append((f"DTM{segment.get(1)}", day.isoformat()))


def _advice_key(advice: RemittanceAdvice) -> str:
    parts = (advice.payer_id or advice.payer_name or "", advice.payment_reference,
             str(advice.payment_amount.amount), advice.payment_date.isoformat() if advice.payment_date else "")
    return hashlib.sha256("\x1f".join(("x12.820", *parts)).encode()).hexdigest()[:24]
