"""MT940 statements written for tests, with the quirks real banks put in them.

``statement`` writes one message; ``QUIRKS`` are the bends o2c must read (each with a warning):
a lone '-' inside :86:, a :61: broken after its D/C mark, a value date of 30 February, a ':NN:'
line inside :86:, a closing balance without currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

QUIRKS = ("lone_dash", "broken_61", "february_30", "tag_in_86", "closing_without_currency")


@dataclass(frozen=True)
class Line:
    """One statement line: booked on ``day``, signed ``amount``, the bank's ``reference``."""

    day: date
    amount: Decimal
    reference: str | None
    payer: str = "Customer One"
    text: str = "INV-2026-000001"


def _amount(value: Decimal) -> str:
    return f"{abs(value):.2f}".replace(".", ",")


def _balance(tag: str, day: date, value: Decimal, currency: str | None) -> str:
    return f":{tag}:{'C' if value >= 0 else 'D'}{day:%y%m%d}{currency or ''}{_amount(value)}"


def _line(line: Line, quirks: frozenset[str]) -> list[str]:
    mark = "C" if line.amount >= 0 else "D"
    value_date = f"{line.day:%y}0230" if "february_30" in quirks else f"{line.day:%y%m%d}"
    head = f"{value_date}{line.day:%m%d}{mark}"
    tail = f"{_amount(line.amount)}NTRFNONREF" + (f"//{line.reference}" if line.reference else "")
    statement_line = [f":61:{head}", tail] if "broken_61" in quirks else [f":61:{head}{tail}"]
    narrative = [f":86:/NAME/{line.payer}/REMI/{line.text}"]
    if "lone_dash" in quirks:
        narrative += ["-", "/MARF/MANDATE-1"]
    if "tag_in_86" in quirks:
        narrative += ["paid 2026-01-01T16", ":26:37 by the payer"]
    return statement_line + narrative


def statement(
    reference: str,
    account: str,
    opening: Decimal,
    lines: list[Line],
    *,
    closing: Decimal | None = None,
    day: date | None = None,
    quirks: frozenset[str] = frozenset(),
    currency: str = "EUR",
    cut_short: bool = False,
) -> str:
    """One MT940 message; ``closing`` defaults to the balance the lines make (a statement that adds up)."""
    day = day or (lines[-1].day if lines else date(2026, 1, 2))
    closing = opening + sum((line.amount for line in lines), Decimal(0)) if closing is None else closing
    fields = [
        f":20:{reference}",
        f":25:{account}",
        f":28C:{reference[-5:]}/1",
        _balance("60F", day, opening, currency),
    ]
    for line in lines:
        fields += _line(line, quirks)
    if not cut_short:
        fields.append(
            _balance("62F", day, closing, None if "closing_without_currency" in quirks else currency)
        )
    return "\n".join(fields) + "\n-\n"


def mt940_file(*statements: str) -> bytes:
    return "".join(statements).encode("utf-8")
