"""BAI2 cash management balance reports (the US banks' statement file).

Records are comma-separated lines ending in ``/``; an ``88`` record continues the one before it
(for a ``16`` detail it continues the free text). The nesting is fixed::

    01 file header  (sender, receiver, creation date and time, file id)
      02 group header  (as-of date, default currency)
        03 account identifier  (account, currency, summaries: type code, amount, count, funds type)
          16 transaction detail  (type code, amount, funds type, bank ref, customer ref, text)
        49 account trailer  (control total, records 03..49)
      98 group trailer  (control total, accounts, records 02..98)
    99 file trailer  (control total, groups, all records)

Amounts are whole minor units, without a decimal point. The type code says the direction of a
detail: 100-399 and 920-959 are credits, 400-699 and 960-999 debits; among the status codes 010
is the opening ledger balance, 015 the closing ledger, 045 the closing available. The funds type
decides how many fields follow it (V: value date and time; S: three amounts; D: a count, then
pairs). Invariants: every control total is the sum of the amounts under it and every record count
matches, or the file is refused naming the trailer; a statement balances or is refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal

from o2c.adapters.formats.bank.common import EntryKeys, check_balanced, decode_text, real_reference
from o2c.adapters.formats.bank.model import (
    BankEntry,
    BankStatement,
    FormatError,
    ImpossibleValue,
    ParsedBankFile,
)
from o2c.domain.errors import AmountOutOfRange, UnknownCurrency
from o2c.domain.money import Money, minor_units

OPENING_LEDGER, CLOSING_LEDGER, CLOSING_AVAILABLE = "010", "015", "045"


def identify(data: bytes, filename: str) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \r\n\t")[:3] == b"01,"


def parse(data: bytes, filename: str, *, strict: bool = True) -> ParsedBankFile:
    """Every account report of the file; control totals always checked, balances per ``strict``."""
    reader = _FileReader(filename, strict)
    for record in _records(decode_text(data), filename):
        reader.take(record)
    return reader.finish()


@dataclass
class _Record:
    code: str
    raw: str
    line: int
    physical: int = 1
    text: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)

    def fields(self) -> list[str]:
        return self.raw.rstrip().removesuffix("/").split(",")


def _records(text: str, filename: str) -> list[_Record]:
    records: list[_Record] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.rstrip()
        if not line:
            continue
        code, _, rest = line.partition(",")
        if code != "88":
            records.append(_Record(code, rest, number, parts=[rest]))
            continue
        if not records:
            raise FormatError(filename, "a continuation (88) with nothing to continue", line=number, field="88")
        last = records[-1]
        last.physical += 1
        if last.code == "16":
            last.text.append(rest.removesuffix("/").strip())
        else:
            last.raw = last.raw.rstrip().removesuffix("/") + "," + rest
            last.parts.append(rest)
    return records


@dataclass
class _Account:
    record: _Record
    number: str
    currency: str
    balances: dict[str, Money]
    control_total: int
    entries: list[BankEntry] = field(default_factory=list)
    records: int = 0
    first_warning: int = 0

    def __post_init__(self) -> None:
        self.keys = EntryKeys(self.number, self.currency)


@dataclass
class _Group:
    record: _Record
    as_of: date
    currency: str
    control_total: int = 0
    accounts: int = 0
    records: int = 1


class _FileReader:
    def __init__(self, filename: str, strict: bool) -> None:
        self.filename, self.strict = filename, strict
        self.warnings: list[str] = []
        self.statements: list[BankStatement] = []
        self.header: _Record | None = None
        self.created_at: datetime | None = None
        self.group: _Group | None = None
        self.account: _Account | None = None
        self.totals = {"control": 0, "groups": 0, "records": 0}
        self.finished = False
        self.last_line = 0
        self.file_id = ""

    def error(self, record: _Record, message: str, name: str | None = None) -> FormatError:
        return FormatError(self.filename, message, line=record.line, field=name or record.code)

    def take(self, record: _Record) -> None:
        self.last_line = record.line + record.physical - 1
        if self.finished:
            raise self.error(record, "a record after the file trailer (99)")
        self.totals["records"] += record.physical
        if self.group is not None:
            self.group.records += record.physical
        if self.account is not None:
            self.account.records += record.physical
        handler = getattr(self, f"record_{record.code}", None)
        if handler is None:
            raise self.error(record, f"record type {record.code!r} is not a BAI2 record")
        handler(record)

    def expect(self, record: _Record, ok: bool, where: str) -> None:
        if not ok:
            raise self.error(record, f"record {record.code} is out of place: {where}")

    def open_group(self, record: _Record) -> _Group:
        if self.group is None:
            raise self.error(record, f"record {record.code} is out of place: outside a group (02)")
        return self.group

    def open_account(self, record: _Record) -> _Account:
        if self.account is None:
            raise self.error(record, f"record {record.code} is out of place: outside an account (03)")
        return self.account

    def record_01(self, record: _Record) -> None:
        self.expect(record, self.header is None, "a second file header")
        fields = record.fields()
        self.header = record
        self.created_at = _moment(self, record, fields[2], fields[3] if len(fields) > 3 else "")
        self.file_id = fields[4] if len(fields) > 4 else ""

    def record_02(self, record: _Record) -> None:
        self.expect(record, self.header is not None and self.group is None, "a group header outside a file")
        fields = _padded(record.fields(), 6)
        as_of = _moment(self, record, fields[3], "")
        self.group = _Group(record, as_of.date() if as_of else date.min, fields[5] or "USD")

    def record_03(self, record: _Record) -> None:
        group = self.open_group(record)
        self.expect(record, self.account is None, "an account inside an account")
        first_warning = len(self.warnings)
        lines = [_line_fields(part) for part in record.parts]
        fields = _padded(lines[0][0], 2)
        currency = fields[1] or group.currency
        summaries, bent = _summaries([(fields[2:], lines[0][1]), *lines[1:]])
        if bent:
            self.warnings.append(f"{self.filename}: line {record.line}, 03: a line of the account record ends "
                                 "early (an empty field before '/'); its 88 continuation is read as the next "
                                 "summary")
        balances, total = self.summaries(record, summaries, currency)
        self.account = _Account(record, fields[0], currency, balances, total, records=record.physical,
                                first_warning=first_warning)

    def summaries(self, record: _Record, groups: list[list[str]], currency: str) -> tuple[dict[str, Money], int]:
        balances: dict[str, Money] = {}
        total = 0
        for code, amount, *_ in groups:
            if amount:
                minor = _minor(self, record, amount, f"03 amount of type {code}")
                total += minor
                balances.setdefault(code, self.money(record, minor, currency))
        return balances, total

    def money(self, record: _Record, minor: int, currency: str) -> Money:
        try:
            return Money(Decimal(minor).scaleb(-minor_units(currency)), currency)
        except UnknownCurrency:
            raise ImpossibleValue(self.filename, f"currency {currency!r} is not one o2c knows", line=record.line,
                                  field=record.code) from None
        except AmountOutOfRange as error:
            raise ImpossibleValue(self.filename, str(error), line=record.line, field=record.code) from None

    def record_16(self, record: _Record) -> None:
        account, group = self.open_account(record), self.open_group(record)
        detail = _detail(self, record)
        account.control_total += detail.minor
        amount = self.money(record, detail.minor if detail.credit else -detail.minor, account.currency)
        account.entries.append(self.entry(account, group, detail, amount))

    def entry(self, account: _Account, group: _Group, detail: _Detail, amount: Money) -> BankEntry:
        keys = account.keys
        text = " ".join(" ".join(part for part in [detail.text, *detail.record.text] if part).split()) or None
        return BankEntry(
            entry_key=keys.key(detail.bank_reference, group.as_of, amount),
            booking_date=group.as_of,
            value_date=detail.value_date or group.as_of,
            amount=amount,
            bank_transaction_code=detail.type_code,
            bank_reference=detail.bank_reference,
            customer_reference=detail.customer_reference,
            remittance_text=text,
        )

    def record_49(self, record: _Record) -> None:
        account, group = self.open_account(record), self.open_group(record)
        fields = _padded(record.fields(), 2)
        self.check(record, "account control total", _minor(self, record, fields[0], "49"), account.control_total)
        self.check(record, "number of records", _count(self, record, fields[1]), account.records)
        group.control_total += account.control_total
        group.accounts += 1
        self.statements.append(self.statement(account, group))
        self.account = None

    def statement(self, account: _Account, group: _Group) -> BankStatement:
        statement = BankStatement(
            format="bai2",
            statement_id=f"{self.file_id}/{group.as_of.isoformat()}/{account.number}",
            account=account.number,
            currency=account.currency,
            opening_balance=account.balances.get(OPENING_LEDGER),
            closing_balance=account.balances.get(CLOSING_LEDGER),
            statement_date=group.as_of,
            created_at=self.created_at,
            entries=tuple(account.entries),
            closing_available=account.balances.get(CLOSING_AVAILABLE),
        )
        check_balanced(statement, (self.filename, account.record.line, "03"), self.strict, self.warnings)
        return replace(statement, warnings=tuple(self.warnings[account.first_warning:]))

    def record_98(self, record: _Record) -> None:
        group = self.open_group(record)
        self.expect(record, self.account is None, "a group trailer inside an account")
        fields = _padded(record.fields(), 3)
        self.check(record, "group control total", _minor(self, record, fields[0], "98"), group.control_total)
        self.check(record, "number of accounts", _count(self, record, fields[1]), group.accounts)
        self.check(record, "number of records", _count(self, record, fields[2]), group.records)
        self.totals["control"] += group.control_total
        self.totals["groups"] += 1
        self.group = None

    def record_99(self, record: _Record) -> None:
        self.expect(record, self.header is not None and self.group is None, "a file trailer inside a group")
        fields = _padded(record.fields(), 3)
        self.check(record, "file control total", _minor(self, record, fields[0], "99"), self.totals["control"])
        self.check(record, "number of groups", _count(self, record, fields[1]), self.totals["groups"])
        self.check(record, "number of records", _count(self, record, fields[2]), self.totals["records"])
        self.finished = True

    def check(self, record: _Record, what: str, stated: int, counted: int) -> None:
        if stated != counted:
            trailer = {"49": "account trailer", "98": "group trailer", "99": "file trailer"}[record.code]
            raise self.error(record, f"{trailer} states {what} {stated}, but the records add up to {counted}",
                             f"{record.code} {what}")

    def finish(self) -> ParsedBankFile:
        if not self.finished:
            inside = (f"account {self.account.number}" if self.account else
                      "a group" if self.group else "the file")
            missing = "49 account" if self.account else "98 group" if self.group else "99 file"
            raise FormatError(self.filename, f"the file ends inside {inside} without its {missing} trailer",
                              line=self.last_line or 1, field=missing.split()[0])
        return ParsedBankFile("bai2", tuple(self.statements), warnings=tuple(self.warnings))


@dataclass(frozen=True, slots=True)
class _Detail:
    record: _Record
    type_code: str
    minor: int
    credit: bool
    value_date: date | None
    bank_reference: str | None
    customer_reference: str | None
    text: str | None


def _detail(reader: _FileReader, record: _Record) -> _Detail:
    """A 16 record: the funds type decides where the references and the free text begin."""
    fields, rest = _take(record.raw, 3)
    type_code, amount, funds_type = _padded(fields, 3)[:3]
    extra_count = {"V": 2, "S": 3}.get(funds_type, 0)
    if funds_type == "D":
        counted, rest = _take(rest, 1)
        extra_count = 2 * _count(reader, record, counted[0] if counted else "0")
    extra, rest = _take(rest, extra_count)
    references, rest = _take(rest, 2)
    bank_reference, customer_reference = _padded(references, 2)[:2]
    value_date = _moment(reader, record, extra[0], "").date() if funds_type == "V" and extra[0] else None
    return _Detail(
        record, type_code, _minor(reader, record, amount, "16 amount"), _is_credit(reader, record, type_code),
        value_date, real_reference(bank_reference.removesuffix("/")),
        real_reference(customer_reference.removesuffix("/")), rest.strip().removesuffix("/").strip() or None,
    )


def _take(raw: str, count: int) -> tuple[list[str], str]:
    """The next ``count`` fields and the rest; a field ending in / ends the record."""
    taken: list[str] = []
    for _ in range(count):
        if raw is None or raw == "" or (taken and taken[-1].endswith("/")):
            break
        value, separator, raw = raw.partition(",")
        taken.append(value)
        if not separator:
            raw = ""
    if taken and taken[-1].endswith("/"):
        taken[-1], raw = taken[-1].removesuffix("/"), ""
    return _padded(taken, count), raw


def _padded(fields: list[str], count: int) -> list[str]:
    """The fields, with empty ones added so that there are at least ``count``."""
    return fields + [""] * (count - len(fields))


def _is_credit(reader: _FileReader, record: _Record, type_code: str) -> bool:
    code = int(type_code) if type_code.isdigit() else -1
    if 100 <= code <= 399 or 920 <= code <= 959:
        return True
    if 400 <= code <= 699 or 960 <= code <= 999:
        return False
    raise reader.error(record, f"type code {type_code!r} is neither a credit nor a debit", "16 type code")


def _line_fields(part: str) -> tuple[list[str], bool]:
    """The fields of one physical line of a record, and whether a '/' ended it."""
    text = part.rstrip()
    return text.removesuffix("/").split(","), text.endswith("/")


def _summaries(lines: list[tuple[list[str], bool]]) -> tuple[list[list[str]], bool]:
    """An account record's summaries (type code, amount, count, funds type and its fields), read
    across its 88 continuations: a '/' ends the summary it falls in, an empty field between two
    summaries is skipped. The flag says whether a line other than the last ended so."""
    groups: list[list[str]] = []
    current: list[str] = []
    bent = False
    for number, (fields, ended) in enumerate(lines):
        last_line = number == len(lines) - 1
        for value in fields:
            if not current and not value:
                bent = bent or not last_line
                continue
            current.append(value)
            if len(current) >= _summary_width(current):
                groups.append(current)
                current = []
        if ended and current:
            bent = bent or not last_line
            groups.append(_padded(current, 4))
            current = []
    if current:
        groups.append(_padded(current, 4))
    return groups, bent


def _summary_width(summary: list[str]) -> int:
    """How many fields a summary takes, as far as its funds type is known."""
    funds_type = summary[3] if len(summary) > 3 else ""
    if funds_type == "V":
        return 6
    if funds_type == "S":
        return 7
    if funds_type == "D":
        return 5 + 2 * int(summary[4]) if len(summary) > 4 and summary[4].isdigit() else 5
    return 4


def _minor(reader: _FileReader, record: _Record, amount: str, name: str) -> int:
    try:
        return int(amount) if amount else 0
    except ValueError:
        raise reader.error(record, f"{amount!r} is not an amount in minor units", name) from None


def _count(reader: _FileReader, record: _Record, count: str) -> int:
    if not count.isdigit():
        raise reader.error(record, f"{count!r} is not a count")
    return int(count)


def _moment(reader: _FileReader, record: _Record, yymmdd: str, hhmm: str) -> datetime:
    hhmm = hhmm if hhmm.isdigit() and len(hhmm) == 4 and hhmm < "2400" else "0000"
    try:
        return datetime.strptime(yymmdd + hhmm, "%y%m%d%H%M")
    except ValueError:
        raise reader.error(record, f"{yymmdd!r} is not a date (YYMMDD)") from None
