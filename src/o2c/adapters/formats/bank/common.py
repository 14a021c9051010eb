"""Helpers every bank format shares: amounts, entry keys, the balance check and text decoding.

Entry keys identify an entry by what the bank states about it, never by the free text around it:
the account, its currency, the booking date and either the bank's own reference for the entry or
its amount, plus its sequence among the statement's entries that share all of these. Reading the
same entry again (an overlapping statement that holds whole booking days, a corrected resend whose
narrative or payer reference changed, a CSV row with one byte changed in its text) gives the same
key; an entry that shares a bank reference but not the amount or the payer is a conflict the import
finds by comparing what it stored.

Amounts are refused outright (``ImpossibleValue``) when they carry more decimals than the currency
has, lie beyond Money's bound or are in no ISO 4217 currency; ``read_each`` reads a file's statements one by one, so a statement
cut short is reported while its neighbours are read.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from o2c.adapters.formats.bank.model import (
    BankStatement,
    FileRefused,
    FormatError,
    ImpossibleValue,
    UnbalancedStatement,
)
from o2c.domain.errors import AmountOutOfRange, UnknownCurrency
from o2c.domain.money import Money, minor_units

Source = TypeVar("Source")

PLACEHOLDER_REFERENCES = frozenset({"", "NONREF", "NOTPROVIDED", "NONE", "NOREF"})


def real_reference(reference: str | None) -> str | None:
    """The reference, or None when the bank wrote a placeholder such as NONREF or NOTPROVIDED."""
    if reference is None:
        return None
    reference = reference.strip()
    return None if reference.upper() in PLACEHOLDER_REFERENCES else reference


def to_money(amount: str, currency: str, place: tuple[str, int | None, str]) -> Money:
    """Money from the text of a file; ``place`` is (file, line, field) for the error."""
    try:
        money = Money(Decimal(amount), currency)
    except AmountOutOfRange as error:
        raise ImpossibleValue(place[0], str(error), line=place[1], field=place[2]) from None
    except (InvalidOperation, ValueError):
        raise FormatError(place[0], f"{amount!r} is not an amount", line=place[1], field=place[2]) from None
    except UnknownCurrency:
        raise ImpossibleValue(
            place[0], f"currency {currency!r} is not one o2c knows", line=place[1], field=place[2]
        ) from None
    return within_minor_units(money, place)


def within_minor_units(money: Money, place: tuple[str, int | None, str]) -> Money:
    """The money as stated, or ImpossibleValue when it is finer than its currency's minor unit."""
    exponent = money.amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -minor_units(money.currency):
        return money
    if money.quantize().amount != money.amount:
        raise ImpossibleValue(place[0], f"{money.amount} has more decimals than {money.currency} has "
                                        f"({minor_units(money.currency)})", line=place[1], field=place[2])
    return money


def read_each(sources: Iterable[Source], read: Callable[[Source], BankStatement], warnings: list[str],
              rejected: list[str]) -> list[BankStatement]:
    """Each statement ``read`` can make of its source, carrying the warnings met while reading it; one
    it cannot read is named in ``rejected`` and the rest are read. A value that cannot be right
    refuses the whole file, and so does a file of which no statement could be read."""
    statements: list[BankStatement] = []
    first: FormatError | None = None
    for source in sources:
        before = len(warnings)
        try:
            statement = read(source)
            statements.append(replace(statement, warnings=(*statement.warnings, *warnings[before:])))
        except FileRefused:
            raise
        except FormatError as error:
            first = first or error
            rejected.append(str(error))
    if not statements and first is not None:
        raise first
    return statements


class EntryKeys:
    """Deals out stable entry keys for the entries of one statement, in the order they appear."""

    def __init__(self, account: str, currency: str) -> None:
        self._account, self._currency = account, currency
        self._seen: Counter[tuple[str, ...]] = Counter()

    def key(self, bank_reference: str | None, booking_date: date | None, amount: Money) -> str:
        day = booking_date.isoformat() if booking_date else ""
        if real_reference(bank_reference):
            base: tuple[str, ...] = ("ref", self._account, self._currency, day, str(bank_reference))
        else:
            base = ("entry", self._account, self._currency, day, _plain(amount.amount))
        occurrence = self._seen[base]
        self._seen[base] += 1
        text = "\x1f".join((*base, str(occurrence)))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def _plain(amount: Decimal) -> str:
    return format(amount.normalize(), "f")


def check_balanced(
    statement: BankStatement, place: tuple[str, int | None, str], strict: bool, warnings: list[str]
) -> None:
    """Refuse an unbalanced statement (strict), or keep it and note why it does not balance."""
    for problem in statement.balance_problems():
        error = UnbalancedStatement(place[0], problem, line=place[1], field=place[2])
        if strict:
            raise error
        warnings.append(str(error))


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark) when it decodes, otherwise latin-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")
