"""Domain events: facts in the past tense, written to the outbox with the change that caused them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Event:
    @property
    def name(self) -> str:
        return type(self).__name__


@dataclass(frozen=True, slots=True)
class OrderCaptured(Event):
    order_id: str
    customer_id: str


@dataclass(frozen=True, slots=True)
class OrderConfirmed(Event):
    order_id: str
    customer_id: str


@dataclass(frozen=True, slots=True)
class OrderPutOnHold(Event):
    order_id: str
    customer_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class OrderCancelled(Event):
    order_id: str
    customer_id: str


@dataclass(frozen=True, slots=True)
class DeliveryShipped(Event):
    delivery_id: str
    order_id: str
    customer_id: str


@dataclass(frozen=True, slots=True)
class DeliveryCompleted(Event):
    delivery_id: str
    order_id: str
    customer_id: str


@dataclass(frozen=True, slots=True)
class InvoiceIssued(Event):
    number: str
    customer_id: str
    gross: str
    currency: str


@dataclass(frozen=True, slots=True)
class CreditNoteIssued(Event):
    number: str
    customer_id: str
    corrects: str


@dataclass(frozen=True, slots=True)
class PaymentReceived(Event):
    payment_id: str
    customer_id: str | None


@dataclass(frozen=True, slots=True)
class PaymentApplied(Event):
    payment_id: str
    customer_id: str
    documents: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProposalQueued(Event):
    proposal_id: str
    action: str
    agent: str


@dataclass(frozen=True, slots=True)
class ProposalDecided(Event):
    proposal_id: str
    action: str
    outcome: str


EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls for cls in Event.__subclasses__()
}
