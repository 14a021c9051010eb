"""Writing o2c's decisions back to the system of record, through the outbox.

``ErpPush`` subscribes to events like an agent does, so the dispatcher gives it each event exactly once
per commit and retries a failed push with back-off, then dead-letters it where a person sees it
(``o2c events dead``). It proposes nothing: it turns the event into a push with an idempotency key made
from the event's identity, and the system of record writes it only if that key is not there yet. A
system of record that is down therefore delays pushes but never loses or doubles one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from o2c.agents.base import AgentDeps, Proposal
from o2c.domain import events as e
from o2c.domain.errors import DomainError
from o2c.domain.money import Money
from o2c.ports.system_of_record import (
    SETTLED_IN_BOOKS,
    AdjustmentPush,
    CreditHoldPush,
    DunningPush,
    InvoicePush,
    PaymentPush,
    SaleLine,
    SalePush,
    SystemOfRecord,
)

TONE_LEVELS = {"friendly": 1, "firm": 2, "final": 3}
"""Dunning level in the books for each reminder tone."""


@dataclass
class ErpPush:
    books: SystemOfRecord
    name: str = "erp"
    subscribes: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.subscribes = frozenset(PUSHES)

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        PUSHES[event.name](self.books, event, deps)
        return []


def _payment(books: SystemOfRecord, event: Any, deps: AgentDeps) -> None:
    payment = deps.uow.payments.get(event.payment_id)
    if payment is None or not event.documents or not event.amounts:
        return
    if (payment.bank_entry_key or "").startswith(SETTLED_IN_BOOKS):
        return
    amounts = tuple(Money(Decimal(a), event.currency) for a in event.amounts)
    books.push_payment(
        PaymentPush(
            f"o2c-payment:{event.payment_id}",
            event.customer_id,
            payment.received_on,
            event.documents,
            amounts,
            f"{payment.payer_name} {payment.reference}",
        )
    )


def _sale_of(order: Any) -> SalePush:
    lines = tuple(SaleLine(ln.sku, ln.quantity, Money(ln.unit_price, order.currency)) for ln in order.lines)
    return SalePush(
        f"o2c-order:{order.id}", order.customer_id, order.po_number or order.id, order.order_date, lines
    )


def _sale(books: SystemOfRecord, event: Any, deps: AgentDeps) -> None:
    order = deps.uow.orders.get(event.order_id)
    if order is None:
        raise DomainError(f"order {event.order_id} not found")
    books.push_sale(_sale_of(order))


def _hold(books: SystemOfRecord, event: Any, deps: AgentDeps) -> None:
    order = deps.uow.orders.get(event.order_id)
    reference = (order.po_number if order else None) or event.order_id
    sale = _sale_of(order) if order is not None else None
    books.push_credit_hold(
        CreditHoldPush(f"o2c-hold:{event.order_id}", event.customer_id, reference, event.reason, sale)
    )


def _reminder(books: SystemOfRecord, event: Any, deps: AgentDeps) -> None:
    key = f"o2c-dunning:{event.customer_id}:{event.step}:{','.join(event.documents)}"
    books.push_dunning(DunningPush(key, event.customer_id, event.documents, TONE_LEVELS.get(event.step, 1)))


def _invoice(books: SystemOfRecord, event: Any, deps: AgentDeps) -> None:
    invoice = deps.uow.invoices.get(event.number)
    if invoice is None:
        raise DomainError(f"invoice {event.number} not found")
    books.push_invoice(
        InvoicePush(
            f"o2c-invoice:{invoice.number}",
            invoice.customer_id,
            invoice.number,
            invoice.issue_date,
            invoice.net_total,
            invoice.gross_total,
            invoice.po_number,
        )
    )


def _credit_note(books: SystemOfRecord, event: Any, deps: AgentDeps) -> None:
    note = deps.uow.invoices.get(event.number)
    if note is None:
        raise DomainError(f"credit note {event.number} not found")
    books.push_adjustment(
        AdjustmentPush(
            f"o2c-credit-note:{note.number}",
            "credit_note",
            note.customer_id,
            event.corrects,
            Money(abs(note.gross_total.amount), note.gross_total.currency),
            note.issue_date,
            note.number,
        )
    )


PUSHES: dict[str, Callable[[SystemOfRecord, Any, AgentDeps], None]] = {
    "PaymentApplied": _payment,
    "OrderConfirmed": _sale,
    "InvoiceIssued": _invoice,
    "OrderPutOnHold": _hold,
    "ReminderSent": _reminder,
    "CreditNoteIssued": _credit_note,
}
