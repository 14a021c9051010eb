"""Payments received, and how they were applied to open items.

A payment is what the bank says arrived (amount, payer details, reference text). Cash application
splits it into applications against open items, plus possibly a bank charge, an early-payment
discount, a short-pay difference left open (with a deduction case) and an unapplied rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from o2c.domain.money import Money


class PaymentStatus(StrEnum):
    RECEIVED = "received"
    APPLIED = "applied"
    PARTLY_APPLIED = "partly_applied"
    UNMATCHED = "unmatched"
    RETURNED = "returned"
    OTHER_RECEIPT = "other_receipt"
    """Not a customer's payment (a supplier's refund, interest, a loan): posted to its own account."""


@dataclass(frozen=True, slots=True)
class Payment:
    id: str
    received_on: date
    amount: Money
    payer_name: str
    payer_account: str | None
    reference: str
    customer_id: str | None = None
    bank_entry_key: str | None = None
    status: PaymentStatus = PaymentStatus.RECEIVED


@dataclass(frozen=True, slots=True)
class Application:
    """Part of a payment settling one open item; ``discount`` and ``charges`` settle it too."""

    open_item_id: str
    amount: Money
    discount: Money | None = None
    charges: Money | None = None


@dataclass(frozen=True, slots=True)
class PromiseToPay:
    id: str
    customer_id: str
    invoice_numbers: tuple[str, ...]
    amount: Money
    promised_date: date
    made_on: date
    status: str = "open"
    source: str = ""
    closed_on: date | None = None


class CaseStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class Case:
    """A dispute or deduction: why a customer does not (fully) pay an invoice."""

    id: str
    customer_id: str
    invoice_number: str | None
    reason: str
    amount: Money
    opened_on: date
    source: str
    status: CaseStatus = CaseStatus.OPEN
    notes: str = ""
    resolution: str | None = None
    reason_code: str | None = None
    resolved_on: date | None = None


def early_payment_discount(gross: Money, percent: Decimal) -> Money:
    return (gross * percent / 100).quantize()
