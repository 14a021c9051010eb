"""The API's request and response models (pydantic), kept apart from the domain's classes.

Responses are built from the read models in ``o2c.views`` (``from_attributes``); amounts are decimal
strings with their currency beside them, never floats.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema


def _utc_text(value: datetime) -> str:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()


Timestamp = Annotated[datetime, PlainSerializer(_utc_text, return_type=str),
                      WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization")]
"""A moment in time; the store keeps UTC without a zone, the API states it (RFC 3339)."""


class Model(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Health(Model):
    status: str
    database: str


class Problem(Model):
    detail: str


class OrderLineOut(Model):
    line_no: int
    sku: str
    quantity: Decimal
    unit_price: Decimal
    delivered: Decimal


class OrderOut(Model):
    id: str
    customer_id: str
    status: str
    channel: str
    order_date: date
    requested_date: date
    currency: str
    value: Decimal
    po_number: str | None
    hold_reason: str | None
    lines: list[OrderLineOut]


class OrderLineIn(Model):
    sku: str = Field(min_length=1, max_length=32)
    quantity: Decimal = Field(gt=0, max_digits=12, decimal_places=3)


class OrderIn(Model):
    customer_id: str = Field(min_length=1, max_length=32)
    ship_to: str = Field(min_length=1, max_length=32)
    requested_date: date
    lines: list[OrderLineIn] = Field(min_length=1, max_length=200)
    po_number: str | None = Field(default=None, max_length=64)
    reference: str | None = Field(default=None, max_length=200, description="Your reference; the same "
                                  "reference twice captures the order once.")


class HoldIn(Model):
    reason: str = Field(min_length=1, max_length=300)


class InvoiceOut(Model):
    number: str
    kind: str
    customer_id: str
    issue_date: date
    due_date: date
    currency: str
    net_total: Decimal
    tax_total: Decimal
    gross_total: Decimal
    order_id: str | None
    corrects: str | None


class PaymentOut(Model):
    id: str
    received_on: date
    amount: Decimal
    currency: str
    payer_name: str
    payer_account: str | None
    reference: str
    customer_id: str | None
    status: str


class PaymentIn(Model):
    received_on: date
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    currency: str = Field(pattern="^[A-Z]{3}$")
    payer_name: str = Field(min_length=1, max_length=200)
    payer_account: str | None = Field(default=None, max_length=64)
    reference: str = Field(default="", max_length=500)


class AllocationIn(Model):
    document: str = Field(min_length=1, max_length=64)
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)


class ApplicationIn(Model):
    customer_id: str = Field(min_length=1, max_length=32)
    allocations: list[AllocationIn] = Field(max_length=100)
    reason: str = Field(default="matched by hand", max_length=300)


class CandidateOut(Model):
    customer_id: str
    customer_name: str
    document: str
    open: Decimal
    currency: str
    due_date: str
    score: float
    why: list[str]


class BestCandidateOut(Model):
    """The matching engine's best match for a payment (the one the CLI and the pages show)."""

    payment_id: str
    customer_id: str
    documents: list[str]
    confidence: float


class QueueEntryOut(Model):
    payment: PaymentOut
    candidates: list[CandidateOut]
    best: BestCandidateOut | None = None


class CaseOut(Model):
    id: str
    customer_id: str
    invoice_number: str | None
    reason: str
    amount: Decimal
    currency: str
    opened_on: date
    status: str
    source: str
    notes: str


class ProposalOut(Model):
    id: str
    agent: str
    action: str
    status: str
    subject: str
    command_type: str
    command: dict[str, Any]
    reason: str
    evidence: dict[str, Any]
    confidence: float
    amount: Decimal | None
    currency: str | None
    policy_rule: str
    requested_by: str
    created_at: Timestamp
    decided_by: str | None
    decided_at: Timestamp | None
    decision_comment: str | None
    result: str | None
    editable: bool


class DecisionIn(Model):
    comment: str = Field(default="", max_length=1000)


class EditDecisionIn(Model):
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    comment: str = Field(default="", max_length=1000)


class ResultOut(Model):
    result: str


class SubmittedOut(Model):
    proposal_id: str
    outcome: str
    result: str


class CreditNoteProposalIn(Model):
    invoice_number: str = Field(min_length=1, max_length=32)
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    reason: str = Field(min_length=1, max_length=300)


class WriteOffProposalIn(Model):
    document: str = Field(min_length=1, max_length=64)
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    reason: str = Field(min_length=1, max_length=300)


class EventIn(Model):
    type: str = Field(min_length=1, max_length=64, description="An event name, e.g. OrderCaptured.")
    payload: dict[str, Any]


class ImportPreviewOut(Model):
    filename: str
    kind: str | None = Field(description="bank, orders, or null when no format recognises the file")
    format: str | None
    summary: dict[str, Any]
    errors: list[str]
    posted: bool = Field(description="Whether anything was booked; a preview never books.")


class ConversationIn(Model):
    """A turn typed by a member of staff (clerk or above) on behalf of the customer ``customer_id``."""

    text: str = Field(min_length=1, max_length=2000)
    customer_id: str | None = Field(default=None, max_length=32)
    conversation_id: str | None = Field(default=None, max_length=64)


class PortalConversationIn(Model):
    """A turn typed by a customer with their portal token: the customer is the token's, never a field."""

    model_config = ConfigDict(from_attributes=True, extra="forbid")
    text: str = Field(min_length=1, max_length=2000)
    conversation_id: str | None = Field(default=None, max_length=64)


class ConversationOut(Model):
    available: bool
    reply: str
    conversation_id: str | None = None
    intent: str | None = None


class AgingOut(Model):
    as_of: date
    currency: str
    buckets: dict[str, Decimal]


class DsoPointOut(Model):
    day: date
    dso: Decimal | None = Field(description="Days sales outstanding on that day (last 30 days' sales)")


class WaitingItemsOut(Model):
    proposals: int
    unmatched_payments: int
    quarantined_files: int
    dead_letters: int
    open_cases: int
    total: int


class FiguresOut(Model):
    """The headline figures, computed once (``o2c.views.figures``) for every screen."""

    as_of: date
    functional_currency: str
    waiting: WaitingItemsOut
    open_ar_by_currency: dict[str, Decimal]
    dso: Decimal | None
    cash_auto_match_rate: float | None
    payments_received: int


class CreditHoldsOut(Model):
    orders: int
    value: Decimal
    by_currency: dict[str, Decimal]


class DashboardOut(Model):
    as_of: date
    functional_currency: str
    dso_trend: list[DsoPointOut]
    aging: dict[str, Decimal]
    open_ar_by_currency: dict[str, Decimal]
    open_ar_by_segment: dict[str, Decimal]
    touchless_order_rate: float | None
    cash_auto_match_rate: float | None
    disputes_by_reason: dict[str, int]
    agent_actions_per_day: dict[str, dict[str, int]]
    figures: FiguresOut
    cei: Decimal | None
    credit_holds: CreditHoldsOut
    dispute_root_causes: dict[str, int]
    cash_queue_age: dict[str, int]


class AuditRecordOut(Model):
    seq: int
    at: Timestamp
    actor: str
    action: str
    subject: str
    reason: str
    payload: Any


class AuditTrailOut(Model):
    records: list[AuditRecordOut]
    verified: bool
    problems: list[str]


class CustomerOut(Model):
    id: str
    name: str
    segment: str
    country: str
    currency: str
    credit_limit: Decimal
    open_ar: Decimal


class WorkItemOut(Model):
    customer_id: str
    customer_name: str
    segment: str
    document: str
    currency: str
    open: Decimal
    functional: Decimal
    due_date: date
    days_overdue: int
    priority: Decimal
    in_dispute: bool
    promised: bool
