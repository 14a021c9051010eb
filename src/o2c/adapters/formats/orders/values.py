"""Reading the plain values EDI carries: decimal numbers and dates.

Invariants: a number is digits with at most one decimal mark and an optional leading minus, so
``1e3``, ``NaN``, ``1,000.00`` and blanks are refused rather than guessed; every reader raises
``ValueError`` with the offending text, and callers turn that into a ``FormatError`` that names
the segment and field. A number whose size is a quadrillion or more (the ``Money`` limit) is refused
here too, and so is a line whose quantity times unit price reaches it: no order carries such
figures, and letting one in would fail later, deep in pricing or in the store's 64-bit integers.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from o2c.domain.money import MAX_ABS_AMOUNT

_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")


def parse_number(text: str, decimal_mark: str = ".") -> Decimal:
    """An exact Decimal from EDI numeric text; EDIFACT may use ',' as its decimal mark."""
    candidate = text.replace(decimal_mark, ".") if decimal_mark != "." else text
    if not _NUMBER.fullmatch(candidate):
        raise ValueError(f"{text!r} is not a number")
    return _in_range(Decimal(candidate), text)


def parse_implied_decimal(text: str, places: int) -> Decimal:
    """X12 ``Nn`` numbers carry no decimal point: ``N2`` '420' is 4.20."""
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError(f"{text!r} is not a whole number")
    return _in_range(Decimal(text).scaleb(-places), text)


def _in_range(value: Decimal, text: str) -> Decimal:
    if abs(value) >= MAX_ABS_AMOUNT:
        raise ValueError(f"{text!r} is out of range (a quadrillion, {MAX_ABS_AMOUNT:,.0f}, or more)")
    return value


def line_amount_problem(quantity: Decimal, unit_price: Decimal | None) -> str | None:
    """Why quantity x unit price is beyond any order line (None when it is not)."""
    if unit_price is None or abs(quantity * unit_price) < MAX_ABS_AMOUNT:
        return None
    return (f"quantity {decimal_text(quantity)} x unit price {decimal_text(unit_price)} is out of range "
            f"(a quadrillion, {MAX_ABS_AMOUNT:,.0f}, or more)")


def parse_ccyymmdd(text: str) -> date:
    if len(text) != 8 or not text.isdigit():
        raise ValueError(f"{text!r} is not a CCYYMMDD date")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


def parse_yymmdd(text: str) -> date:
    """Six-digit dates in envelopes: years below 70 are this century (the usual EDI window)."""
    if len(text) != 6 or not text.isdigit():
        raise ValueError(f"{text!r} is not a YYMMDD date")
    year = int(text[:2])
    return date(2000 + year if year < 70 else 1900 + year, int(text[2:4]), int(text[4:]))


def decimal_text(value: Decimal) -> str:
    """A Decimal written without exponent and without trailing zeros beyond the ones sent."""
    return format(value, "f")
