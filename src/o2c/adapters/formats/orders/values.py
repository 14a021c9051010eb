"""Reading the plain values EDI carries: decimal numbers and dates.

Invariants: a number is digits with at most one decimal mark and an optional leading minus, so
``1e3``, ``NaN``, ``1,000.00`` and blanks are refused rather than guessed; every reader raises
``ValueError`` with the offending text, and callers turn that into a ``FormatError`` that names
the segment and field.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")


def parse_number(text: str, decimal_mark: str = ".") -> Decimal:
    """An exact Decimal from EDI numeric text; EDIFACT may use ',' as its decimal mark."""
    candidate = text.replace(decimal_mark, ".") if decimal_mark != "." else text
    if not _NUMBER.fullmatch(candidate):
        raise ValueError(f"{text!r} is not a number")
    return Decimal(candidate)


def parse_implied_decimal(text: str, places: int) -> Decimal:
    """X12 ``Nn`` numbers carry no decimal point: ``N2`` '420' is 4.20."""
    if not re.fullmatch(r"-?\d+", text):
        raise ValueError(f"{text!r} is not a whole number")
    return Decimal(text).scaleb(-places)


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
