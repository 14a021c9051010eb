"""Bank statements exported as CSV, read through a layout that names the columns.

Banks' CSV exports differ in everything: column names, one signed amount or a debit and a credit
column, decimal comma or point, date format, delimiter. ``CsvLayout`` says which is which;
``DEFAULT_LAYOUT`` reads the plain export o2c documents::

    date,amount,currency,counterparty,iban,reference
    2024-03-01,1250.00,EUR,Acme BV,NL91ABNA0417164300,INV-1001

A CSV export carries no balances, so its statements (one per currency) have none and balance
trivially; the account is the layout's ``account`` (exports rarely name it). With a debit/credit
split, a debit column amount is money out (negative) whatever its sign in the file.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from o2c.adapters.formats.bank.common import EntryKeys, decode_text, within_minor_units
from o2c.adapters.formats.bank.model import (
    BankEntry,
    BankStatement,
    FormatError,
    ImpossibleValue,
    ParsedBankFile,
)
from o2c.domain.errors import AmountOutOfRange, UnknownCurrency
from o2c.domain.money import Money


@dataclass(frozen=True, slots=True)
class CsvLayout:
    """Column names (None: the file has no such column) and how numbers and dates are written."""

    date: str = "date"
    amount: str | None = "amount"
    currency: str | None = "currency"
    counterparty: str | None = "counterparty"
    iban: str | None = "iban"
    reference: str | None = "reference"
    debit: str | None = None
    credit: str | None = None
    value_date: str | None = None
    bank_reference: str | None = None
    default_currency: str = "EUR"
    account: str = ""
    delimiter: str = ","
    decimal_separator: str = "."
    date_format: str = "%Y-%m-%d"

    def amount_columns(self) -> tuple[str, ...]:
        if self.debit and self.credit:
            return (self.debit, self.credit)
        if self.amount:
            return (self.amount,)
        raise ValueError("a CSV layout needs an amount column or both a debit and a credit column")


DEFAULT_LAYOUT = CsvLayout()


def identify(data: bytes, filename: str, layout: CsvLayout = DEFAULT_LAYOUT) -> bool:
    header = decode_text(data[:4096]).splitlines()[:1]
    if not header:
        return False
    names = {name.strip() for name in header[0].split(layout.delimiter)}
    return layout.date in names and set(layout.amount_columns()) <= names


def parse(
    data: bytes, filename: str, *, strict: bool = True, layout: CsvLayout = DEFAULT_LAYOUT
) -> ParsedBankFile:
    """One statement per currency, entries in file order; a bad row is refused naming its line."""
    rows = csv.DictReader(io.StringIO(decode_text(data)), delimiter=layout.delimiter)
    _check_header(rows.fieldnames, layout, filename)
    by_currency: dict[str, list[BankEntry]] = defaultdict(list)
    keys: dict[str, EntryKeys] = {}
    for row in rows:
        if not any((value or "").strip() for value in row.values()):
            continue
        line = rows.line_num
        entry = _RowReader(layout, filename, line, row).entry(keys)
        by_currency[entry.amount.currency].append(entry)
    statements = tuple(_statement(layout, filename, currency, entries) for currency, entries in by_currency.items())
    return ParsedBankFile("csv", statements)


def _check_header(fieldnames: Sequence[str] | None, layout: CsvLayout, filename: str) -> None:
    names = {str(name).strip() for name in (fieldnames or [])}
    for column in (layout.date, *layout.amount_columns()):
        if column not in names:
            raise FormatError(filename, f"the header has no {column!r} column (it has {sorted(names)})",
                              line=1, field=column)


def _statement(layout: CsvLayout, filename: str, currency: str, entries: list[BankEntry]) -> BankStatement:
    days = [e.booking_date for e in entries if e.booking_date]
    return BankStatement(
        format="csv",
        statement_id=f"{filename}/{currency}",
        account=layout.account,
        currency=currency,
        opening_balance=None,
        closing_balance=None,
        statement_date=max(days) if days else None,
        entries=tuple(entries),
    )


class _RowReader:
    def __init__(self, layout: CsvLayout, filename: str, line: int, row: dict[str, str]) -> None:
        self.layout, self.filename, self.line = layout, filename, line
        self.row = {str(k).strip(): (v or "").strip() for k, v in row.items() if k is not None}

    def error(self, column: str, message: str) -> FormatError:
        return FormatError(self.filename, message, line=self.line, field=column)

    def cell(self, column: str | None) -> str | None:
        return (self.row.get(column) or None) if column else None

    def entry(self, keys: dict[str, EntryKeys]) -> BankEntry:
        layout = self.layout
        amount = self.amount()
        booking_date = self.day(layout.date)
        account_keys = keys.setdefault(amount.currency, EntryKeys(layout.account, amount.currency))
        reference, iban = self.cell(layout.reference), self.cell(layout.iban)
        bank_reference = self.cell(layout.bank_reference)
        return BankEntry(
            entry_key=account_keys.key(bank_reference, booking_date, amount),
            booking_date=booking_date,
            value_date=self.day(layout.value_date) if self.cell(layout.value_date) else booking_date,
            amount=amount,
            counterparty_name=self.cell(layout.counterparty),
            counterparty_account="".join(iban.split()) if iban else None,
            bank_reference=bank_reference,
            remittance_text=reference,
        )

    def amount(self) -> Money:
        layout = self.layout
        currency = self.cell(layout.currency) or layout.default_currency
        if layout.debit and layout.credit and (self.cell(layout.debit) or self.cell(layout.credit)):
            debit = self.number(layout.debit) if self.cell(layout.debit) else Decimal(0)
            credit = self.number(layout.credit) if self.cell(layout.credit) else Decimal(0)
            value = abs(credit) - abs(debit)
        else:
            value = self.number(layout.amount_columns()[0])
        column = layout.amount_columns()[0]
        try:
            money = Money(value, currency.upper())
        except UnknownCurrency:
            raise self.error(layout.currency or "currency", f"currency {currency!r} is not one o2c knows") from None
        except AmountOutOfRange as error:
            raise ImpossibleValue(self.filename, str(error), line=self.line, field=column) from None
        return within_minor_units(money, (self.filename, self.line, column))

    def number(self, column: str) -> Decimal:
        text = self.cell(column) or ""
        cleaned = text.replace(" ", "").replace("\u00a0", "").replace("'", "")
        negative = cleaned.endswith("-") or (cleaned.startswith("(") and cleaned.endswith(")"))
        cleaned = cleaned.strip("()+-") if negative else cleaned.lstrip("+")
        thousands = "." if self.layout.decimal_separator == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(self.layout.decimal_separator, ".")
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise self.error(column, f"{text!r} is not an amount") from None
        return -value if negative else value

    def day(self, column: str | None) -> date | None:
        text = self.cell(column)
        if column is None or text is None:
            raise self.error(column or "date", "the date is missing")
        try:
            return datetime.strptime(text, self.layout.date_format).date()
        except ValueError:
            raise self.error(column, f"{text!r} is not a date in the form {self.layout.date_format}") from None
