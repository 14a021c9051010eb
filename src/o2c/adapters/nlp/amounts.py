"""Money amounts with a currency, as customers write them: ``€1.234,50``, ``1,234.50 EUR``, ``£300``.

A number counts as an amount only next to a currency (symbol, ISO code or word). The decimal
separator is read from the number itself: with both ``.`` and ``,`` the last one is decimal; with
one kind used once and followed by exactly three digits it groups thousands (``€1.234`` is
1234), otherwise it is decimal (``€4.50``, ``14,20 €``). Values are `Decimal`, never float.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_CURRENCIES = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP",
    "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD",
    "chf": "CHF",
}  # fmt: skip
_NUMBER = r"\d{1,3}(?:[.,\u00a0\u202f' ]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d+(?:[.,]\d{1,2})?(?!\d)"
_BEFORE = r"(?P<pre>€|£|\$|\b(?:EUR|GBP|USD|CHF)(?![a-z]))\s?(?P<num1>" + _NUMBER + ")"
_AFTER = (
    r"(?<![\w.,])(?P<num2>" + _NUMBER + r")\s?(?P<post>€|£|\$|(?:EUR|GBP|USD|CHF|euros?|pounds?|dollars?)\b)"
)
_AMOUNT = re.compile(f"{_BEFORE}|{_AFTER}", re.IGNORECASE)


@dataclass(frozen=True)
class Amount:
    """A sum of money named in a message."""

    text: str
    value: Decimal
    currency: str


def parse_number(raw: str) -> Decimal:
    """Read a customer-written number, whichever separators it uses."""
    digits = re.sub(r"[\u00a0\u202f' ]", "", raw)
    if "." in digits and "," in digits:
        decimal_mark = "." if digits.rfind(".") > digits.rfind(",") else ","
    elif digits.count(".") + digits.count(",") == 1:
        mark = "." if "." in digits else ","
        decimal_mark = "" if len(digits) - digits.index(mark) - 1 == 3 else mark
    else:
        decimal_mark = ""
    grouping = {".", ","} - {decimal_mark}
    cleaned = "".join(ch for ch in digits if ch not in grouping)
    return Decimal(cleaned.replace(",", "."))


def find_amounts(text: str) -> list[Amount]:
    """Every amount with a currency in `text`, in reading order."""
    amounts = []
    for m in _AMOUNT.finditer(text):
        number = m["num1"] or m["num2"]
        currency = _CURRENCIES[(m["pre"] or m["post"]).lower()]
        amounts.append(Amount(m[0].strip(), parse_number(number), currency))
    return amounts
