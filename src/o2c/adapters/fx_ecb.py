"""Import foreign-exchange reference rates in the ECB's CSV format into o2c's rate table.

The ECB publishes euro reference rates as CSV: a header ``Date,USD,JPY,...`` and one row per day,
each rate the units of that currency per 1 EUR (``N/A`` where none was fixed). The daily file writes
dates as ``04 January 2024`` with spaces after the commas; the history file as ``2024-01-04``. Both
are read. o2c stores rates per unit of its functional currency: for EUR that is the ECB figure; for
another functional currency the cross rate (rate of the currency / rate of the functional one, and
EUR itself at 1 / rate of the functional one).

Invariants: a rate is a positive Decimal read from text, never a float; importing the same file twice
stores nothing twice; a day already stored with another rate is reported, not overwritten; a
malformed row is refused by line and column, and then nothing is stored.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from o2c.adapters.store import tables as t
from o2c.adapters.store.uow import UnitOfWork

RATE_PLACES = Decimal("0.0000000001")


class EcbFormatError(ValueError):
    pass


@dataclass
class FxImport:
    stored: int = 0
    unchanged: int = 0
    conflicts: list[str] = field(default_factory=list)
    days: int = 0
    currencies: list[str] = field(default_factory=list)


def read_ecb_csv(data: bytes, name: str = "ECB CSV") -> list[tuple[date, str, Decimal]]:
    """``(day, currency, units per EUR)`` for every fixed rate in the file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EcbFormatError(f"{name}: not UTF-8 text ({exc})") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or rows[0][0].strip().lower() != "date":
        raise EcbFormatError(f"{name}: line 1 must start with 'Date' (the ECB header)")
    currencies = [h.strip().upper() for h in rows[0][1:]]
    rates: list[tuple[date, str, Decimal]] = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not row or not "".join(row).strip():
            continue
        day = _day(row[0].strip(), name, line_no)
        for currency, cell in zip(currencies, row[1:], strict=False):
            value = cell.strip()
            if currency and value and value.upper() != "N/A":
                rates.append((day, currency, _rate(value, name, line_no, currency)))
    return rates


def _day(text: str, name: str, line_no: int) -> date:
    for pattern in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise EcbFormatError(f"{name} line {line_no}, column Date: {text!r} is not a date")


def _rate(text: str, name: str, line_no: int, currency: str) -> Decimal:
    try:
        rate = Decimal(text)
    except InvalidOperation:
        raise EcbFormatError(f"{name} line {line_no}, column {currency}: {text!r} is not a rate") from None
    if not rate.is_finite() or rate <= 0:
        raise EcbFormatError(f"{name} line {line_no}, column {currency}: the rate must be positive")
    return rate


def per_functional(rates: list[tuple[date, str, Decimal]], functional: str) -> list[tuple[date, str, Decimal]]:
    """ECB rates (per EUR) as rates per unit of ``functional`` (cross rates when it is not EUR)."""
    if functional == "EUR":
        return [r for r in rates if r[1] != "EUR"]
    base = {day: rate for day, ccy, rate in rates if ccy == functional}
    crossed = []
    for day in sorted(base):
        crossed.append((day, "EUR", (Decimal(1) / base[day]).quantize(RATE_PLACES)))
    crossed += [(day, ccy, (rate / base[day]).quantize(RATE_PLACES))
                for day, ccy, rate in rates if ccy != functional and day in base]
    return crossed


def import_ecb(uow: UnitOfWork, data: bytes, name: str = "ECB CSV") -> FxImport:
    """Store the file's rates in ``uow.fx`` (the caller commits)."""
    rates = per_functional(read_ecb_csv(data, name), uow.fx.functional_ccy)
    existing = {(r.day, r.currency): Decimal(r.per_functional)
                for r in uow.conn.execute(select(t.fx_rates.c.day, t.fx_rates.c.currency, t.fx_rates.c.per_functional))}
    report = FxImport(days=len({d for d, _, _ in rates}), currencies=sorted({c for _, c, _ in rates}))
    new = []
    for day, currency, rate in rates:
        known = existing.get((day, currency))
        if known is None:
            new.append((day, currency, rate))
            existing[(day, currency)] = rate
        elif known == rate:
            report.unchanged += 1
        else:
            report.conflicts.append(f"{day} {currency}: stored {known}, file says {rate}")
    uow.fx.put_many(new)
    report.stored = len(new)
    return report
