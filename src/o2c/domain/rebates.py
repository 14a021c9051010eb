"""Customer agreements beyond the price list: volume rebates and header allowances and charges.

A **rebate agreement** pays the customer back a share of what it bought in a period: the tier its net
volume reaches sets the percentage, and that percentage applies to the whole volume (retrospective
tiers, the common FMCG form). While the period runs the expected rebate is *accrued*; after it ends it
is *settled* by one credit note whose lines split the rebate over the VAT groups the volume was
invoiced in, by largest remainder, so the lines add up to the rebate exactly.

**Invoice terms** are the header allowances and charges a customer has agreed: a logistics charge
on a small drop (a delivery under a minimum value) and a discount for full pallets. A document-level
allowance or charge is split over the invoice's VAT groups in proportion to their net amounts, each
part carrying its group's category and rate; the parts add up to the agreed amount exactly.

Invariants: tiers are sorted and their thresholds distinct; amounts are in the agreement's currency;
an agreement is settled at most once (the store keeps the credit note's number).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from o2c.domain.errors import DomainError
from o2c.domain.invoices import AllowanceCharge
from o2c.domain.money import Money

VatGroup = tuple[str, Decimal]


@dataclass(frozen=True, slots=True)
class Tier:
    """From ``threshold`` net volume on, ``percent`` of the whole volume is paid back."""

    threshold: Decimal
    percent: Decimal


@dataclass(frozen=True, slots=True)
class RebateAgreement:
    id: str
    customer_id: str
    currency: str
    period_start: date
    period_end: date
    tiers: tuple[Tier, ...]

    def __post_init__(self) -> None:
        thresholds = [t.threshold for t in self.tiers]
        if thresholds != sorted(set(thresholds)):
            raise DomainError(f"rebate agreement {self.id}: tiers must have rising, distinct thresholds")
        if self.period_end < self.period_start:
            raise DomainError(f"rebate agreement {self.id}: the period ends before it starts")

    def covers(self, day: date) -> bool:
        return self.period_start <= day <= self.period_end

    def percent_for(self, volume: Money) -> Decimal:
        """The percentage of the highest tier ``volume`` reaches (0 below the first)."""
        reached = [t.percent for t in self.tiers if volume.amount >= t.threshold]
        return reached[-1] if reached else Decimal(0)

    def rebate_on(self, volume: Money) -> Money:
        if volume.currency != self.currency:
            raise DomainError(f"rebate agreement {self.id} is in {self.currency}, volume in {volume.currency}")
        if volume.is_negative():
            return Money.zero(self.currency)
        return (volume * (self.percent_for(volume) / 100)).quantize()


@dataclass(frozen=True, slots=True)
class Accrual:
    """What the agreement is expected to pay back, as of a day, on the volume invoiced so far."""

    agreement_id: str
    as_of: date
    volume: Money
    percent: Decimal
    amount: Money


def accrue(agreement: RebateAgreement, volume: Money, as_of: date) -> Accrual:
    return Accrual(agreement.id, as_of, volume, agreement.percent_for(volume), agreement.rebate_on(volume))


def split_over_groups(amount: Money, nets: Mapping[VatGroup, Money]) -> dict[VatGroup, Money]:
    """``amount`` split over VAT groups in proportion to their (positive) nets; the parts sum exactly."""
    groups = sorted(g for g, net in nets.items() if net.amount > 0)
    if not groups:
        raise DomainError(f"no positive VAT group to carry {amount}")
    parts = amount.allocate([nets[g].amount for g in groups])
    return {g: part for g, part in zip(groups, parts, strict=True) if not part.is_zero()}


@dataclass(frozen=True, slots=True)
class InvoiceTerms:
    """A customer's agreed header terms; amounts in the customer's currency, ``None`` = not agreed."""

    small_drop_below: Decimal | None = None
    small_drop_charge: Decimal = Decimal(0)
    pallet_cases: Decimal | None = None
    pallet_discount_percent: Decimal = Decimal(0)

    def header_items(self, nets: Mapping[VatGroup, Money], cases: Decimal,
                     currency: str) -> tuple[AllowanceCharge, ...]:
        """The document allowances and charges these terms give a delivery of ``cases`` with these nets."""
        line_total = sum((n.amount for n in nets.values()), Decimal(0))
        items: list[AllowanceCharge] = []
        if self.pallet_cases and cases >= self.pallet_cases and self.pallet_discount_percent:
            discount = Money(line_total * self.pallet_discount_percent / 100, currency).quantize()
            reason = f"Full pallet discount {self.pallet_discount_percent}%"
            items += _split_items(False, discount, reason, "95", nets)
        if self.small_drop_below is not None and line_total < self.small_drop_below and self.small_drop_charge:
            reason = f"Logistics charge: drop under {self.small_drop_below} {currency}"
            items += _split_items(True, Money(self.small_drop_charge, currency), reason, "FC", nets)
        return tuple(items)


def _split_items(charge: bool, amount: Money, reason: str, code: str,
                 nets: Mapping[VatGroup, Money]) -> list[AllowanceCharge]:
    if amount.is_zero():
        return []
    return [AllowanceCharge(charge, part.amount, reason, code, category, rate)
            for (category, rate), part in split_over_groups(amount, nets).items()]
