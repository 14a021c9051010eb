"""The customer-service agent's contract and what it may read: the customer's own records only.

``ServiceDeps`` is the agent's only door (the unit of work to read from, the identified customer, the
conversation); ``Request`` is what the customer asked, as understood; ``Answer`` is a reply template
with its values and at most one proposal for the policy gate.

A number a customer types is looked up among that customer's own orders and invoices: a bare number
("invoice 45") is matched only against the customer's own documents, and a full number of another
customer's document is treated exactly like one that does not exist (``foreign_documents`` names
those for the audit trail; the reply never does). Amounts and dates are written for the customer's
language with babel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency
from sqlalchemy import select

from o2c.adapters.nlp import Entities
from o2c.adapters.store import tables as t
from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.base import Proposal
from o2c.domain.conversations import Conversation
from o2c.domain.customers import Customer
from o2c.domain.invoices import Invoice
from o2c.domain.money import Money
from o2c.domain.orders import Delivery, Order


@dataclass(frozen=True, slots=True)
class ServiceDeps:
    """The agent's only door to the system; ``customer`` is None until the customer is identified;
    ``transcript`` is the conversation so far, for a person who takes it over."""

    uow: UnitOfWork
    customer: Customer | None
    conversation: Conversation
    transcript: str = ""

    @property
    def language(self) -> str:
        return self.conversation.language


@dataclass(frozen=True, slots=True)
class Request:
    """What the customer asked: the text, the intent read from it, how sure, and the entities in it."""

    text: str
    intent: str
    confidence: float
    entities: Entities


@dataclass(frozen=True, slots=True)
class Answer:
    """A reply (template and values) and at most one proposal. ``pending`` is the template used when a
    person must approve the proposal first; ``awaiting`` names the intent whose details the reply asks."""

    template: str
    values: dict[str, str] = field(default_factory=dict)
    proposal: Proposal | None = None
    pending: str = "action_pending"
    awaiting: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)


# --- the customer's own documents ---------------------------------------------------------------------
def _order_key(ref: str) -> str:
    return f"SO-{int(ref):06d}" if ref.isdigit() else ref.upper()


def own_order(uow: UnitOfWork, customer: Customer, ref: str) -> Order | None:
    order = uow.orders.get(_order_key(ref))
    return order if order is not None and order.customer_id == customer.id else None


def own_invoice(uow: UnitOfWork, customer: Customer, ref: str) -> Invoice | None:
    if ref.isdigit():
        found = uow.invoices.where(t.invoices.c.customer_id == customer.id,
                                   t.invoices.c.number.like(f"%-{int(ref):06d}"),
                                   order_by=t.invoices.c.issue_date.desc(), limit=1)
        return found[0] if found else None
    invoice = uow.invoices.get(ref.upper())
    return invoice if invoice is not None and invoice.customer_id == customer.id else None


def orders_named(uow: UnitOfWork, customer: Customer, entities: Entities) -> tuple[list[Order], list[str]]:
    """The customer's orders the message names (by order or PO number), and the numbers not found."""
    found: dict[str, Order] = {}
    unknown: list[str] = []
    for ref in entities.order_numbers:
        order = own_order(uow, customer, ref)
        if order is None:
            unknown.append(ref)
        else:
            found[order.id] = order
    for po in entities.po_numbers:
        for order in uow.orders.where(t.orders.c.customer_id == customer.id, t.orders.c.po_number == po):
            found[order.id] = order
    return list(found.values()), unknown


def invoices_named(uow: UnitOfWork, customer: Customer, entities: Entities) -> tuple[list[Invoice], list[str]]:
    """The customer's invoices the message names, and the numbers not found on its account."""
    found: dict[str, Invoice] = {}
    unknown: list[str] = []
    for ref in entities.invoice_numbers:
        invoice = own_invoice(uow, customer, ref)
        if invoice is None:
            unknown.append(ref)
        else:
            found[invoice.number] = invoice
    return list(found.values()), unknown


def foreign_documents(uow: UnitOfWork, customer: Customer, entities: Entities) -> list[str]:
    """Full document numbers in the message that exist but belong to another customer."""
    owners = [(ref, t.orders, t.orders.c.id, _order_key(ref)) for ref in entities.order_numbers if not ref.isdigit()]
    owners += [(ref, t.invoices, t.invoices.c.number, ref.upper()) for ref in entities.invoice_numbers
               if not ref.isdigit()]
    foreign = []
    for ref, table, key, value in owners:
        owner = uow.conn.execute(select(table.c.customer_id).where(key == value)).scalar_one_or_none()
        if owner is not None and owner != customer.id:
            foreign.append(ref)
    return foreign


def deliveries_of(uow: UnitOfWork, order_id: str) -> list[Delivery]:
    return uow.deliveries.where(t.deliveries.c.order_id == order_id, order_by=t.deliveries.c.ship_date)


def latest_delivery(uow: UnitOfWork, customer: Customer) -> Delivery | None:
    found = uow.deliveries.where(t.deliveries.c.customer_id == customer.id,
                                 order_by=t.deliveries.c.ship_date.desc(), limit=1)
    return found[0] if found else None


def recent_invoices(uow: UnitOfWork, customer: Customer, limit: int = 3) -> list[Invoice]:
    return uow.invoices.where(t.invoices.c.customer_id == customer.id, t.invoices.c.kind == "invoice",
                              order_by=t.invoices.c.issue_date.desc(), limit=limit)


# --- written for the customer -------------------------------------------------------------------------
def money(amount: Money, language: str) -> str:
    return format_currency(amount.amount, amount.currency, locale=language)


def day(value: date, language: str) -> str:
    return format_date(value, format="medium", locale=language)


def quantity(value: Decimal) -> str:
    return f"{value.normalize():f}"


def listing(items: list[str], joiner: str = ", ") -> str:
    return joiner.join(items)
