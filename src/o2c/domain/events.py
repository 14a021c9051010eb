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
class OrderChanged(Event):
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
    amounts: tuple[str, ...] = ()
    """The cash applied to each document (alongside ``documents``), in ``currency``."""
    currency: str = ""


@dataclass(frozen=True, slots=True)
class DeductionOpened(Event):
    case_id: str
    customer_id: str
    invoice_number: str
    reason: str


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


@dataclass(frozen=True, slots=True)
class IncidentAssessed(Event):
    """An operational incident touched (more) open orders; ``wave`` numbers the assessments."""

    incident_id: str
    kind: str
    wave: int


@dataclass(frozen=True, slots=True)
class IncidentResolved(Event):
    incident_id: str
    kind: str


@dataclass(frozen=True, slots=True)
class CollectionsDayStarted(Event):
    """The daily collections run: promises checked, reminders planned, credit reviewed."""

    day: str


@dataclass(frozen=True, slots=True)
class ReminderSent(Event):
    customer_id: str
    documents: tuple[str, ...]
    step: str


@dataclass(frozen=True, slots=True)
class CustomerReplyReceived(Event):
    message_id: str
    customer_id: str | None


@dataclass(frozen=True, slots=True)
class PromiseRecorded(Event):
    promise_id: str
    customer_id: str


@dataclass(frozen=True, slots=True)
class PromiseBroken(Event):
    promise_id: str
    customer_id: str


@dataclass(frozen=True, slots=True)
class DisputeOpened(Event):
    case_id: str
    customer_id: str
    invoice_number: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class CaseResolved(Event):
    case_id: str
    customer_id: str
    resolution: str


@dataclass(frozen=True, slots=True)
class PaymentAnnounced(Event):
    announcement_id: str
    customer_id: str


@dataclass(frozen=True, slots=True)
class CreditLimitChanged(Event):
    customer_id: str
    limit: str
    currency: str


@dataclass(frozen=True, slots=True)
class InvoiceHeld(Event):
    """Pre-issue validation stopped a delivery's invoice; ``reasons`` are the findings' reason codes."""

    delivery_id: str
    customer_id: str
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InvoiceSent(Event):
    number: str
    customer_id: str
    channel: str


@dataclass(frozen=True, slots=True)
class RebatePeriodEnded(Event):
    agreement_id: str
    customer_id: str
    accrued: str
    currency: str


EVENT_TYPES: dict[str, type[Event]] = {
    cls.__name__: cls for cls in Event.__subclasses__()
}
