"""Helpers every bank format shares: amounts, entry keys, the balance check and text decoding.

Entry keys: a key is a hash of the account, its currency and either the bank's own reference for
the entry or (booking date, amount, the references the entry carries), plus how many identical
entries came before it in the same statement. Reading the same entry again from an overlapping
statement that holds whole booking days gives the same key.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation

from o2c.adapters.formats.bank.model import BankStatement, FormatError
from o2c.domain.errors import UnknownCurrency
from o2c.domain.money import Money

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
        return Money(Decimal(amount), currency)
    except (InvalidOperation, ValueError):
        raise FormatError(place[0], f"{amount!r} is not an amount", line=place[1], field=place[2]) from None
    except UnknownCurrency:
        raise FormatError(
            place[0], f"currency {currency!r} is not one o2c knows", line=place[1], field=place[2]
        ) from None


class EntryKeys:
    """Deals out stable entry keys for the entries of one statement, in the order they appear."""

    def __init__(self, account: str, currency: str) -> None:
        self._account, self._currency = account, currency
        self._seen: Counter[tuple[str, ...]] = Counter()

    def key(
        self, bank_reference: str | None, booking_date: date | None, amount: Money, *references: str | None
    ) -> str:
        if real_reference(bank_reference):
            base: tuple[str, ...] = ("ref", self._account, self._currency, str(bank_reference))
        else:
            day = booking_date.isoformat() if booking_date else ""
            refs = tuple(real_reference(r) or "" for r in references)
            base = ("entry", self._account, self._currency, day, _plain(amount.amount), *refs)
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
        error = FormatError(place[0], problem, line=place[1], field=place[2])
        if strict:
            raise error
        warnings.append(str(error))


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte order mark) when it decodes, otherwise latin-1."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")
