"""SWIFT MT940 customer statements and MT942 interim transaction reports.

A file holds one or more messages; each is a list of tagged fields, one per line, a field running
on over the lines that follow until the next tag. A statement starts at :20: (reference) and
names the account (:25:), its number (:28:/:28C:), the opening balance (:60F: first, :60M:
intermediate), entries (:61: statement line, each optionally followed by its :86: narrative), the
closing balance (:62F:/:62M:) and the available balances (:64:, :65:). An MT942 has no balances
but a floor limit (:34F:), a date-time (:13D:) and the count and sum of debits and credits
(:90D:/:90C:). Headers (``{1:...}``, bank preambles such as ``ABNANL2A``/``940``) and the ``-``
that ends a message are skipped. Amounts use a decimal comma; dates are YYMMDD.

Real banks bend the format; each bend below is read, with a warning naming its line and field:

- a line that is just ``-`` inside the :86: narrative of a statement that has not reached its
  closing balance (ING wraps its ``/EREF/../MARF/`` narrative so) is narrative; only ``-}``, or a
  ``-`` followed by the end of the file, a header, a bank preamble (``ABNANL2A``, ``940``) or the
  next statement's :20:, ends a message;
- a line inside :86: that starts like a tag no statement has (a wrapped time ``T16`` + ``:26:37``)
  is narrative;
- a :61: broken after its D/C mark (some Sparkassen) is read across the break;
- a value date that does not exist (30 February, used for fees and interest) is the month's last
  day when the entry has a booking date of its own; a booking date or balance date that does not
  exist refuses the file;
- a :62F:/:62M:/:64: without a currency is in the statement's currency.

Invariants: a statement that does not balance (opening + entries != closing) is refused when
``strict``, otherwise kept with the figures among its warnings; an MT942's entries match its
:90D:/:90C: counts and sums. Files in UTF-8 or latin-1. A statement that cannot be read (cut short,
a field missing) is named in the file's ``rejected`` and its neighbours are read.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException

from o2c.adapters.formats.bank.common import (
    EntryKeys,
    check_balanced,
    decode_text,
    read_each,
    real_reference,
    to_money,
)
from o2c.adapters.formats.bank.model import (
    BankEntry,
    BankStatement,
    FormatError,
    ImpossibleValue,
    ParsedBankFile,
    RemittanceLine,
)
from o2c.adapters.formats.bank.mt940_narrative import Narrative, read_narrative
from o2c.domain.money import Money

_TAG = re.compile(r"^:(\d\d[A-Z]?):(.*)$")
_END = re.compile(r"^-(XXX)?\}?$")
_STATEMENT_TAGS = frozenset({"20", "21", "25", "28", "28C", "13", "13D", "34F", "60F", "60M", "61", "62F", "62M",
                             "64", "65", "86", "90D", "90C"})
_MESSAGE_START = re.compile(r"^(\{|:20:|[A-Z0-9]{3,11}$)")  # a header, the next :20:, a preamble (BIC, 940)
_IDENTIFY = re.compile(rb"^:(20|25|28C?|60[FM]|61|62[FM]|64|86|13D|34F):", re.MULTILINE)
_BALANCE = re.compile(r"^(?P<mark>[CD])(?P<date>\d{6})(?P<currency>[A-Z]{3})?(?P<amount>\d[\d,]*)$")
_BROKEN_LINE = re.compile(r"^\d{6}(\d{4})?R?[CD][A-Z]?$")
_LINE = re.compile(
    r"^(?P<value>\d{6})(?P<entry>\d{4})?(?P<mark>R?[CD])(?P<funds>[A-Z])?[ ]?"
    r"(?P<amount>\d[\d,]*)(?P<type>[A-Z][A-Z0-9]{3})?(?P<rest>.*)$"
)
_SUM = re.compile(r"^(?P<count>\d+)(?P<currency>[A-Z]{3})(?P<amount>\d[\d,]*)$")
_ACCOUNT = re.compile(r"^(?P<account>.+?\d)(?P<currency>[A-Z]{3})$")
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
_BIC_PREFIX = re.compile(r"^(?P<bic>[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?)/")


def identify(data: bytes, filename: str) -> bool:
    head = data[:8192]
    return not head.lstrip().startswith(b"<") and _IDENTIFY.search(head) is not None


def parse(data: bytes, filename: str, *, strict: bool = True) -> ParsedBankFile:
    """Every statement of the file; an unbalanced one is refused unless ``strict`` is False."""
    messages = _messages(decode_text(data))
    if not messages:
        raise FormatError(filename, "no MT940/MT942 field found", line=1, field=":20:")
    warnings: list[str] = []
    rejected: list[str] = []
    statements = read_each(messages, _StatementReader(filename, strict, warnings).read, warnings, rejected)
    formats = {s.format for s in statements}
    return ParsedBankFile("mt942" if formats == {"mt942"} else "mt940", tuple(statements), warnings=tuple(warnings),
                          rejected=tuple(rejected))


@dataclass
class _Field:
    tag: str
    line: int
    lines: list[str]
    notes: list[tuple[int, str]] = field(default_factory=list)

    @property
    def value(self) -> str:
        return self.lines[0].strip()


def _messages(text: str) -> list[list[_Field]]:
    """The fields of each statement, in order; lines outside a statement are headers and skipped."""
    messages: list[list[_Field]] = []
    current: list[_Field] | None = None
    lines = [raw[raw.index("{4:") + 3:] if "{4:" in raw else raw for raw in text.splitlines()]
    for number, line in enumerate(lines, start=1):
        tag = _TAG.match(line)
        if tag and current and current[-1].tag == "86" and tag.group(1) not in _STATEMENT_TAGS:
            current[-1].lines.append(line)
            current[-1].notes.append((number, f"a line that starts like a tag (:{tag.group(1)}:) no statement "
                                              "has: read as narrative"))
        elif tag:
            if tag.group(1) == "20" or current is None:
                current = []
                messages.append(current)
            current.append(_Field(tag.group(1), number, [tag.group(2)]))
        elif _END.match(line.strip()):
            if current and line.strip() == "-" and _inside_statement(current, lines[number:]):
                current[-1].lines.append("-")
                current[-1].notes.append((number, "a lone '-' inside the statement: read as narrative, not as "
                                                  "the end of the message"))
                continue
            current = None
        elif current and line.strip():
            current[-1].lines.append(line)
    return messages


def _inside_statement(fields: list[_Field], following: list[str]) -> bool:
    """A lone '-' is text when the statement has not closed yet and more of it follows."""
    if fields[-1].tag != "86" or any(f.tag.startswith("62") for f in fields):
        return False
    after = next((line.strip() for line in following if line.strip()), None)
    return after is not None and not _MESSAGE_START.match(after)


@dataclass
class _Entry:
    line: _Field
    narrative: list[str] = field(default_factory=list)


@dataclass
class _Statement:
    """The fields of one statement, gathered before the statement is built."""

    fields: dict[str, _Field] = field(default_factory=dict)
    entries: list[_Entry] = field(default_factory=list)
    sums: dict[str, _Field] = field(default_factory=dict)


class _StatementReader:
    def __init__(self, filename: str, strict: bool, warnings: list[str]) -> None:
        self.filename, self.strict, self.warnings = filename, strict, warnings

    def error(self, at: _Field, message: str) -> FormatError:
        return FormatError(self.filename, message, line=at.line, field=f":{at.tag}:")

    def warn(self, at: _Field, note: str, line: int | None = None) -> None:
        self.warnings.append(f"{self.filename}: line {line or at.line}, :{at.tag}: {note}")

    def read(self, fields: list[_Field]) -> BankStatement:
        for tagged in fields:
            for line, note in tagged.notes:
                self.warn(tagged, note, line)
        gathered = self.gather(fields)
        reference = gathered.fields.get("20")
        if reference is None:
            raise self.error(fields[0], f"a statement must start with its :20: reference, not :{fields[0].tag}:")
        account_field = self.required(gathered, "25", reference)
        opening = self.balance(gathered.fields.get("60"))
        known = opening[0].currency if opening else None
        closing = self.balance(gathered.fields.get("62"), known)
        if opening is not None and closing is None:
            raise self.error(fields[-1], f"statement {reference.value} ends without a closing balance :62F:")
        currency = self.currency(gathered, opening, reference)
        account, bic = _account(account_field.value)
        keys = EntryKeys(account, currency)
        statement = BankStatement(
            format="mt940" if opening is not None else "mt942",
            statement_id=_statement_id(gathered),
            account=account,
            currency=currency,
            opening_balance=opening[0] if opening else None,
            closing_balance=closing[0] if closing else None,
            statement_date=closing[1] if closing else self.report_date(gathered),
            servicer_bic=bic,
            entries=tuple(self.entry(raw, currency, keys) for raw in gathered.entries),
            closing_available=(self.balance(gathered.fields.get("64"), currency) or (None, None))[0],
        )
        place = (self.filename, gathered.fields["62"].line if closing else reference.line, ":62F:")
        check_balanced(statement, place, self.strict, self.warnings)
        self.check_sums(statement, gathered)
        return statement

    def gather(self, fields: list[_Field]) -> _Statement:
        gathered = _Statement()
        closed = False
        for tagged in fields:
            tag = tagged.tag
            if tag == "61":
                gathered.entries.append(_Entry(tagged))
            elif tag == "86" and gathered.entries and not closed:
                gathered.entries[-1].narrative.extend(tagged.lines)
            elif tag in ("90D", "90C"):
                gathered.sums[tag] = tagged
            elif tag != "86":
                closed = closed or tag[:2] in ("62", "64", "65")
                gathered.fields.setdefault(tag[:2], tagged)
        return gathered

    def required(self, gathered: _Statement, tag: str, reference: _Field) -> _Field:
        if tag not in gathered.fields:
            raise self.error(reference, f"statement {reference.value} has no :{tag}: field")
        return gathered.fields[tag]

    def balance(self, tagged: _Field | None, statement_currency: str | None = None) -> tuple[Money, date] | None:
        """A balance; one without a currency is in the statement's (with a warning)."""
        if tagged is None:
            return None
        found = _BALANCE.match(tagged.value)
        if not found or not (found["currency"] or statement_currency):
            raise self.error(tagged, f"{tagged.value!r} is not a balance (C/D, YYMMDD, currency, amount)")
        currency = found["currency"] or statement_currency or ""
        if not found["currency"]:
            self.warn(tagged, f"the balance names no currency: read in the statement's currency {currency}")
        amount = self.money(tagged, found["amount"], currency)
        return (amount if found["mark"] == "C" else -amount), self.day(tagged, found["date"])

    def money(self, tagged: _Field, amount: str, currency: str) -> Money:
        if amount.count(",") > 1:
            raise self.error(tagged, f"{amount!r} has more than one decimal comma")
        return to_money(amount.replace(",", "."), currency, (self.filename, tagged.line, f":{tagged.tag}:"))

    def day(self, tagged: _Field, yymmdd: str) -> date:
        year = int(yymmdd[:2])
        try:
            return date(year + (2000 if year < 80 else 1900), int(yymmdd[2:4]), int(yymmdd[4:6]))
        except ValueError:
            raise ImpossibleValue(self.filename, f"{yymmdd!r} is not a date (YYMMDD)", line=tagged.line,
                                  field=f":{tagged.tag}:") from None

    def value_day(self, tagged: _Field, yymmdd: str) -> date:
        """A value date; one past its month's end (30 February) is the month's last day, with a warning."""
        year, month, day = int(yymmdd[:2]) + (2000 if int(yymmdd[:2]) < 80 else 1900), int(yymmdd[2:4]), int(yymmdd[4:6])
        if 1 <= month <= 12 and 28 < day <= 31 and day > calendar.monthrange(year, month)[1]:
            last = date(year, month, calendar.monthrange(year, month)[1])
            self.warn(tagged, f"value date {yymmdd!r} does not exist: read as the month's last day {last.isoformat()}")
            return last
        return self.day(tagged, yymmdd)

    def currency(self, gathered: _Statement, opening: tuple[Money, date] | None, reference: _Field) -> str:
        if opening is not None:
            return opening[0].currency
        floor = gathered.fields.get("34")
        if floor is not None and re.match(r"^[A-Z]{3}", floor.value):
            return floor.value[:3]
        for sums in gathered.sums.values():
            found = _SUM.match(sums.value)
            if found:
                return found["currency"]
        raise self.error(reference, f"statement {reference.value} has no opening balance :60F: "
                                    "(and no :34F: floor limit for an MT942)")

    def report_date(self, gathered: _Statement) -> date | None:
        stamp = gathered.fields.get("13")
        return self.day(stamp, stamp.value[:6]) if stamp and stamp.value[:6].isdigit() else None

    def entry(self, raw: _Entry, currency: str, keys: EntryKeys) -> BankEntry:
        line = self.statement_line(raw.line, currency)
        narrative = read_narrative(raw.narrative) if raw.narrative else Narrative()
        account = narrative.counterparty_account
        extra = line.supplementary
        if account is None and extra and _IBAN_SHAPE.match(extra.replace(" ", "")):
            account, extra = extra.replace(" ", ""), None
        return BankEntry(
            entry_key=keys.key(line.bank_reference, line.booking_date, line.amount),
            booking_date=line.booking_date,
            value_date=line.value_date,
            amount=line.amount,
            bank_transaction_code=line.transaction_type,
            counterparty_name=narrative.counterparty_name or line.name_on_line,
            counterparty_account=account,
            counterparty_bic=narrative.counterparty_bic,
            end_to_end_id=narrative.end_to_end_id,
            bank_reference=line.bank_reference,
            customer_reference=line.customer_reference,
            remittance_text=narrative.text,
            remittance_lines=_creditor_reference_lines(narrative),
            reversal=line.reversal,
            additional_info=extra,
        )

    def statement_line(self, tagged: _Field, currency: str) -> _StatementLine:
        found, rest_lines = _LINE.match(tagged.value), tagged.lines[1:]
        if not found and _BROKEN_LINE.match(tagged.value) and len(tagged.lines) > 1:
            found, rest_lines = _LINE.match(tagged.value + tagged.lines[1].strip()), tagged.lines[2:]
            if found:
                self.warn(tagged, "the statement line breaks after its D/C mark: read across the break")
        if not found:
            raise self.error(tagged, f"{tagged.value!r} is not a statement line "
                                     "(value date, C/D mark, amount, transaction type)")
        if found["entry"]:
            booking_date = self.booking_day(tagged, found["value"], found["entry"])
            value_date = self.value_day(tagged, found["value"])
        else:
            value_date = booking_date = self.day(tagged, found["value"])
        amount = self.money(tagged, found["amount"], currency)
        mark = found["mark"]
        credit = mark in ("C", "RD")
        customer, bank, name = _references(found["rest"].rstrip())
        supplementary = " ".join(" ".join(rest_lines).split()) or None
        return _StatementLine(
            value_date, booking_date, amount if credit else -amount, mark.startswith("R"),
            found["type"], customer, bank, name, supplementary,
        )

    def booking_day(self, tagged: _Field, value_yymmdd: str, mmdd: str) -> date:
        """The booking date (MMDD) in the year that puts it nearest the value date; one that exists in
        no year near it is refused."""
        year = 2000 + int(value_yymmdd[:2]) if int(value_yymmdd[:2]) < 80 else 1900 + int(value_yymmdd[:2])
        near = date(year, int(value_yymmdd[2:4]), 15) if 1 <= int(value_yymmdd[2:4]) <= 12 else None
        candidates = []
        for candidate_year in (year - 1, year, year + 1):
            try:
                candidates.append(date(candidate_year, int(mmdd[:2]), int(mmdd[2:])))
            except ValueError:
                continue
        candidates = [c for c in candidates if near is not None and abs((c - near).days) <= 200]
        if not candidates or near is None:
            raise ImpossibleValue(self.filename, f"booking date {mmdd!r} (MMDD) does not exist", line=tagged.line,
                                  field=f":{tagged.tag}:")
        return min(candidates, key=lambda d: abs((d - near).days))

    def check_sums(self, statement: BankStatement, gathered: _Statement) -> None:
        """An MT942's :90D:/:90C: must count and sum its debit and credit entries."""
        for tag, tagged in gathered.sums.items():
            found = _SUM.match(tagged.value)
            if not found:
                raise self.error(tagged, f"{tagged.value!r} is not a count, currency and amount")
            credit = tag == "90C"
            entries = [e.amount.amount for e in statement.entries if e.credit == credit]
            stated = Decimal(found["amount"].replace(",", "."))
            if int(found["count"]) != len(entries) or stated != abs(sum(entries, Decimal(0))):
                problem = (f"{'credits' if credit else 'debits'} stated as {found['count']} for {stated}, "
                           f"but the report has {len(entries)} for {abs(sum(entries, Decimal(0)))}")
                if self.strict:
                    raise self.error(tagged, problem)
                self.warnings.append(f"{self.filename}: line {tagged.line}, :{tag}: {problem}")


@dataclass(frozen=True, slots=True)
class _StatementLine:
    value_date: date
    booking_date: date
    amount: Money
    reversal: bool
    transaction_type: str | None
    customer_reference: str | None
    bank_reference: str | None
    name_on_line: str | None
    supplementary: str | None


def _references(rest: str) -> tuple[str | None, str | None, str | None]:
    """Customer reference (16 characters), bank reference after //, and a name some banks add."""
    if "//" in rest:
        customer, after = rest.split("//", 1)
        return real_reference(customer), real_reference(after[:16]), after[16:].strip() or None
    return real_reference(rest[:16]), None, rest[16:].strip() or None




def _account(value: str) -> tuple[str, str | None]:
    """The account as the bank names it, less a trailing currency; a known BIC before / is its servicer."""
    trailing = _ACCOUNT.match(value)
    account = trailing["account"] if trailing and not _is_iban(value) else value
    prefix = _BIC_PREFIX.match(value)
    return account.strip(), (prefix["bic"] if prefix and _is_known_bic(prefix["bic"]) else None)


def _is_iban(value: str) -> bool:
    try:
        IBAN(value)
    except SchwiftyException:
        return False
    return True


def _is_known_bic(value: str) -> bool:
    try:
        return bool(BIC(value).exists)
    except SchwiftyException:
        return False


def _statement_id(gathered: _Statement) -> str:
    reference = gathered.fields["20"].value
    number = gathered.fields.get("28")
    return f"{reference}/{number.value}" if number else reference


def _creditor_reference_lines(narrative: Narrative) -> tuple[RemittanceLine, ...]:
    if narrative.creditor_reference is None:
        return ()
    return (RemittanceLine(document=narrative.creditor_reference, document_kind="SCOR",
                           creditor_reference=narrative.creditor_reference),)
