"""Cash application use cases: import bank and remittance files, show the queue, confirm a match.

Importing a file (``import_bank_file``, ``preview_bank_file``, ``ImportReport``) lives in
``services.bank_import`` and is offered here too: every booked credit becomes a payment keyed by what
the bank states about it, a statement that does not add up is imported and flagged for treasury,
and every remittance advice is linked to the payment it describes, whichever arrived first. The
cash-application agent then matches the new payments; a person works the rest from the queue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from o2c.adapters.store import tables as t
from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.cash_application import apply_command, match_stored_payment
from o2c.domain import commands as c
from o2c.domain.errors import DomainError
from o2c.domain.matching import Match
from o2c.domain.payments import Payment, PaymentStatus
from o2c.services.bank_import import ImportReport, import_bank_file, preview_bank_file
from o2c.services.proposals import run_command

if TYPE_CHECKING:
    from o2c.bootstrap import App

__all__ = ["ImportReport", "QueueItem", "cash_queue", "confirm_match", "import_bank_file", "preview_bank_file"]


# --- the queue and a person's decision ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class QueueCandidate:
    customer_id: str
    documents: tuple[str, ...]
    cash: tuple[str, ...]
    unapplied: str
    confidence: float
    why: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A payment a person must look at: its candidates, best first, and why it was not posted."""

    payment_id: str
    received_on: date
    amount: str
    payer_name: str
    payer_account: str | None
    reference: str
    proposal_id: str | None
    not_automatic_because: str
    candidates: tuple[QueueCandidate, ...]


def _candidate(m: Match) -> QueueCandidate:
    return QueueCandidate(m.customer_id, m.documents, tuple(str(a.cash) for a in m.allocations), str(m.unapplied),
                          m.confidence, m.explanation)


def cash_queue(uow: UnitOfWork, limit: int = 200) -> list[QueueItem]:
    """Unapplied payments, each with its pending proposal (if any) and live candidates from the ledger."""
    pending = {row.subject: row for row in uow.proposals.list(status="pending", agent="cash_application")}
    waiting = uow.payments.where(t.payments.c.status.in_([PaymentStatus.RECEIVED.value,
                                                          PaymentStatus.UNMATCHED.value]),
                                 order_by=t.payments.c.received_on, limit=limit)
    items = []
    for payment in waiting:
        outcome = match_stored_payment(uow, payment)
        proposal = pending.get(f"payment:{payment.id}")
        matches = [m for m in (outcome.best, *outcome.alternatives) if m is not None]
        why = outcome.why_not_auto or ("waiting for approval under the policy" if proposal else
                                       "not matched yet")
        items.append(QueueItem(payment.id, payment.received_on, str(payment.amount), payment.payer_name,
                               payment.payer_account, payment.reference, proposal.id if proposal else None,
                               why, tuple(_candidate(m) for m in matches)))
    return items


def confirm_match(app: App, payment_id: str, customer_id: str | None, documents: tuple[str, ...],
                  user: str) -> str:
    """A person applies a payment to documents; the engine explains the amounts; the alias is learned."""
    with app.uow() as uow:
        payment = uow.payments.get(payment_id)
        if payment is None:
            raise DomainError(f"unknown payment {payment_id!r}")
        command = _person_command(uow, payment, customer_id, documents)
        result = run_command(uow, command, user, f"{user} matched {payment_id} by hand", app.company)
        uow.commit()
    app.dispatcher.drain()
    return result


def _person_command(uow: UnitOfWork, payment: Payment, customer_id: str | None,
                    documents: tuple[str, ...]) -> c.ApplyPayment:
    named = " ".join(documents)
    hinted = Payment(payment.id, payment.received_on, payment.amount, payment.payer_name, payment.payer_account,
                     named)
    best = match_stored_payment(uow, hinted).best
    if best is not None and set(best.documents) == set(documents) and customer_id in (None, best.customer_id):
        return apply_command(payment.id, best, learn_alias=True)
    owner = customer_id or _owner_of(uow, documents)
    left, amounts = payment.amount, []
    for document in documents:
        item = uow.ledger.item_for_document(document, "invoice")
        if item is None:
            raise DomainError(f"no open invoice {document}")
        cash = min(left, item.open)
        amounts.append(cash)
        left = left - cash
    return c.ApplyPayment(payment.id, owner, documents, tuple(amounts), learn_alias=True)


def _owner_of(uow: UnitOfWork, documents: tuple[str, ...]) -> str:
    owners = {item.customer_id for d in documents if (item := uow.ledger.item_for_document(d, "invoice"))}
    if len(owners) != 1:
        raise DomainError("name the customer: the documents belong to " + (", ".join(sorted(owners)) or "no one"))
    return owners.pop()
