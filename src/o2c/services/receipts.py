"""Receipts that are not customer payments: a supplier's refund, interest, a loan paid out to us.

Such a receipt sits in the cash-application queue like any bank credit until a person says what it
is. ``RecordOtherReceipt`` posts it from the bank to the chosen account (``OTHER_RECEIPT_ACCOUNTS``:
accounts payable, interest income, loans, other income, suspense) in one balanced entry, touches no
customer's open items, and takes it out of the queue (status ``other_receipt``). A payment already
applied to a customer cannot be marked.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain.errors import DomainError
from o2c.domain.ledger import OTHER_RECEIPT_ACCOUNTS, Account, other_receipt
from o2c.domain.payments import PaymentStatus

if TYPE_CHECKING:
    from o2c.services.handlers import Company

OPEN_STATUSES = (PaymentStatus.RECEIVED, PaymentStatus.UNMATCHED)


def account_named(code: str) -> Account:
    """An account a receipt may go to, by number (8100) or name (interest_income)."""
    wanted = code.strip().lower()
    for account in OTHER_RECEIPT_ACCOUNTS:
        if wanted in (account.value, account.name.lower()):
            return account
    choices = ", ".join(f"{a.value} {a.name.lower()}" for a in OTHER_RECEIPT_ACCOUNTS)
    raise DomainError(f"{code!r} is not an account for a receipt; choose one of {choices}")


def record_other_receipt(uow: UnitOfWork, cmd: c.RecordOtherReceipt, company: Company) -> str:
    if not cmd.reason.strip():
        raise DomainError("say what the receipt is (a supplier's refund, interest, a loan...)")
    account = account_named(cmd.account)
    payment = uow.payments.get(cmd.payment_id, for_update=True)
    if payment is None:
        raise DomainError(f"unknown payment {cmd.payment_id!r}")
    if payment.status not in OPEN_STATUSES:
        raise DomainError(
            f"payment {payment.id} is {payment.status.value.replace('_', ' ')}, not in the cash queue"
        )
    rate = uow.fx.to_functional(payment.amount.currency, payment.received_on)
    uow.ledger.post(
        other_receipt(
            uow.sequences.next("journal", "JE"),
            payment.received_on,
            payment.id,
            payment.amount,
            rate,
            account,
            company.currency,
        )
    )
    uow.payments.save(replace(payment, status=PaymentStatus.OTHER_RECEIPT))
    return (
        f"payment {payment.id} ({payment.amount}) is not a customer payment: posted to {account.value} "
        f"{OTHER_RECEIPT_ACCOUNTS[account]}"
    )


HANDLERS: dict[type, Any] = {c.RecordOtherReceipt: record_other_receipt}
