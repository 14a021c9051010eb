"""Money: a Decimal amount with an ISO 4217 currency.

Invariants: amounts are never floats; two amounts combine only in the same currency (raise, not assert);
rounding to the currency's minor unit happens only where ``quantize`` is called, half-up by default
(the commercial convention EN 16931 uses); every ``allocate`` returns parts that add up exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from iso4217 import Currency as IsoCurrency

from o2c.domain.errors import AmountOutOfRange, CurrencyMismatch, UnknownCurrency

MAX_ABS_AMOUNT = Decimal(10) ** 15
"""No O2C amount reaches a quadrillion units; the store keeps minor units in 64-bit integers (9.2e18)."""

HISTORICAL_MINOR_UNITS: dict[str, int] = {
    "DEM": 2, "FRF": 2, "NLG": 2, "BEF": 0, "ATS": 2, "ITL": 0, "ESP": 0, "FIM": 2, "IEP": 2, "PTE": 0,
}
"""Withdrawn currencies (ISO 4217 list three) that old statements and archives still name."""

MINOR_UNITS: dict[str, int] = {
    **HISTORICAL_MINOR_UNITS,
    **{currency.code: currency.exponent for currency in IsoCurrency if currency.exponent is not None},
}
"""Every active ISO 4217 currency with its minor unit, from the ``iso4217`` package (the ISO
maintenance agency's own table: BHD 3, CLF 4, JPY 0, ...), plus the historical codes above. Codes
without a minor unit (gold, SDR, XXX, XTS) are not money o2c books."""


def D(value: str | int | Decimal) -> Decimal:
    """Exact decimal from text or int; floats are refused because they are already wrong."""
    if isinstance(value, float):
        raise TypeError("money from a float is refused: pass a string")
    return value if isinstance(value, Decimal) else Decimal(value)


def minor_units(currency: str) -> int:
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise UnknownCurrency(f"unknown currency {currency!r}") from None


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if isinstance(self.amount, float):
            raise TypeError("Money amount must be Decimal, not float")
        if not isinstance(self.amount, Decimal):
            object.__setattr__(self, "amount", D(self.amount))
        minor_units(self.currency)
        if not self.amount.is_finite() or abs(self.amount) >= MAX_ABS_AMOUNT:
            raise AmountOutOfRange(f"amount {self.amount} {self.currency} is out of range (limit {MAX_ABS_AMOUNT:,.0f})")

    @classmethod
    def of(cls, amount: str | int | Decimal, currency: str) -> Money:
        return cls(D(amount), currency)

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def from_minor(cls, minor: int, currency: str) -> Money:
        """The amount of ``minor`` units of ``currency`` (what the database stores).

        Built without ``__post_init__``'s checks, which it meets by construction (a Decimal from an
        int, a currency ``minor_units`` knows): rows of open items are read by the hundred.
        """
        money = object.__new__(cls)
        object.__setattr__(money, "amount", Decimal(minor).scaleb(-minor_units(currency)))
        object.__setattr__(money, "currency", currency)
        return money

    def to_minor(self) -> int:
        """The amount in the currency's minor unit; the amount must already be quantized."""
        scaled = self.amount.scaleb(minor_units(self.currency))
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{self} has more precision than {self.currency} minor units")
        return int(scaled)

    def quantize(self, rounding: str = ROUND_HALF_UP) -> Money:
        exp = Decimal(1).scaleb(-minor_units(self.currency))
        return Money(self.amount.quantize(exp, rounding=rounding), self.currency)

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError(f"cannot combine Money with {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(self.currency, other.currency)

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, float):
            raise TypeError("multiply Money by Decimal or int, not float")
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        if isinstance(divisor, float):
            raise TypeError("divide Money by Decimal or int, not float")
        return Money(self.amount / divisor, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        self._same(other)
        return self.amount >= other.amount

    def __bool__(self) -> bool:
        return self.amount != 0

    def is_zero(self) -> bool:
        return self.amount == 0

    def is_negative(self) -> bool:
        return self.amount < 0

    def abs(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def convert(self, rate: Decimal, to: str) -> Money:
        """This amount in ``to`` at ``rate`` units of ``to`` per unit of this currency, quantized."""
        return Money(self.amount * rate, to).quantize()

    def allocate(self, weights: Sequence[Decimal | int]) -> list[Money]:
        """Split into parts proportional to ``weights`` by largest remainder; the parts sum exactly."""
        return allocate(self, weights)

    def __str__(self) -> str:
        return f"{self.amount:,.{minor_units(self.currency)}f} {self.currency}"


def allocate(total: Money, weights: Sequence[Decimal | int]) -> list[Money]:
    if not weights:
        raise ValueError("allocate needs at least one weight")
    ws = [D(w) for w in weights]
    if any(w < 0 for w in ws):
        raise ValueError("allocation weights must not be negative")
    weight_sum = sum(ws, Decimal(0))
    minor_total = total.quantize().to_minor()
    if weight_sum == 0:
        ws = [Decimal(1)] * len(ws)
        weight_sum = Decimal(len(ws))
    sign = -1 if minor_total < 0 else 1
    magnitude = abs(minor_total)
    exact = [Decimal(magnitude) * w / weight_sum for w in ws]
    floors = [int(x) for x in exact]
    short = magnitude - sum(floors)
    by_remainder = sorted(range(len(ws)), key=lambda i: (exact[i] - floors[i], -i), reverse=True)
    for i in by_remainder[:short]:
        floors[i] += 1
    parts = [Money.from_minor(sign * f, total.currency) for f in floors]
    if sum(p.to_minor() for p in parts) != minor_total:
        raise ArithmeticError("allocation does not sum back to the total")
    return parts


def total(amounts: Iterable[Money], currency: str) -> Money:
    result = Money.zero(currency)
    for amount in amounts:
        result = result + amount
    return result
