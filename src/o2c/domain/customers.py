"""Customers: who buys, where goods go, how they pay and how much credit they get.

A customer has one bill-to (its own record) and one or more ship-tos; payment terms set the due date
and any early-payment discount; the credit limit is in the customer's currency.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from o2c.domain.money import Money


class Segment(StrEnum):
    RETAIL_CHAIN = "retail_chain"
    WHOLESALER = "wholesaler"
    HORECA = "horeca"


class Channel(StrEnum):
    EMAIL = "email"
    EDI = "edi"
    PEPPOL = "peppol"
    PORTAL = "portal"
    LETTER = "letter"


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    city: str
    postcode: str
    country: str
    region: str | None = None


@dataclass(frozen=True, slots=True)
class ShipTo:
    code: str
    name: str
    address: Address
    gln: str | None = None
    blocked: bool = False


@dataclass(frozen=True, slots=True)
class PaymentTerms:
    """Net days, with an optional early-payment discount: '2/10 net 30' is (30, 10, 2)."""

    net_days: int
    discount_days: int = 0
    discount_percent: Decimal = Decimal(0)

    def due_date(self, invoice_date: date) -> date:
        return invoice_date + timedelta(days=self.net_days)

    def discount_date(self, invoice_date: date) -> date | None:
        if not self.discount_days:
            return None
        return invoice_date + timedelta(days=self.discount_days)

    @property
    def code(self) -> str:
        if self.discount_days:
            return f"{self.discount_percent}/{self.discount_days} net {self.net_days}"
        return f"net {self.net_days}"


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    name: str
    segment: Segment
    country: str
    currency: str
    language: str
    bill_to: Address
    ship_tos: tuple[ShipTo, ...]
    terms: PaymentTerms
    credit_limit: Money
    preferred_channel: Channel = Channel.EMAIL
    vat_id: str | None = None
    gln: str | None = None
    email: str | None = None
    bank_accounts: tuple[str, ...] = ()
    parent_id: str | None = None
    requires_po: bool = False
    allows_substitutes: bool = True
    item_aliases: dict[str, str] = field(default_factory=dict)

    def ship_to(self, code: str) -> ShipTo | None:
        return next((s for s in self.ship_tos if s.code == code), None)
