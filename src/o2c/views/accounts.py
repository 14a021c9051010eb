"""Account 360: one customer's orders, deliveries, invoices, payments, open items, cases, promises and
every agent action with its reason — and the customer list to find them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, or_, select

from o2c.adapters.store import tables as t
from o2c.adapters.store.audit_store import AuditRecord
from o2c.adapters.store.uow import UnitOfWork
from o2c.views import documents as docs
from o2c.views.common import from_minor
from o2c.views.inbox import CaseView, PaymentView, ProposalView, case_view, proposal_view
from o2c.views.paging import Page, Window, window


@dataclass(frozen=True, slots=True)
class CustomerRow:
    id: str
    name: str
    segment: str
    country: str
    currency: str
    credit_limit: Decimal
    open_ar: Decimal


@dataclass(frozen=True, slots=True)
class PromiseView:
    id: str
    invoice_numbers: list[str]
    amount: Decimal
    currency: str
    promised_date: date
    made_on: date
    status: str


@dataclass(frozen=True, slots=True)
class Account360:
    customer: CustomerRow
    terms: str
    email: str | None
    vat_id: str | None
    orders: list[docs.OrderView]
    deliveries: list[docs.DeliveryView]
    invoices: list[docs.InvoiceView]
    payments: list[PaymentView]
    open_items: list[docs.OpenItemView]
    cases: list[CaseView]
    promises: list[PromiseView]
    agent_actions: list[ProposalView]
    activity: list[AuditRecord]


def _open_ar_minor(functional: bool = False) -> Any:
    """Each customer's open receivables net of credits, in its currency's minor units or converted to the
    functional currency (the carrying amounts, to rank customers across currencies): a subquery."""
    oi = t.open_items.c
    amount = func.coalesce(oi.carrying_minor, 0) if functional else oi.open_minor
    signed = case((oi.side == "debit", amount), else_=-amount)
    return (select(func.coalesce(func.sum(signed), 0)).where(oi.customer_id == t.customers.c.id)
            .scalar_subquery())


def _customer_sort(key: str) -> Any:
    c = t.customers.c
    return {"id": c.id, "name": c.name, "segment": c.segment, "country": c.country, "credit_limit": c.credit_limit_minor,
            "open_ar": _open_ar_minor(functional=True)}.get(key, c.name)


def customer_page(uow: UnitOfWork, w: Window, segment: str = "") -> Page[CustomerRow]:
    """Customers matching ``w.q`` (name or id) and a segment, sorted by any column, a page at a time,
    with the total."""
    c = t.customers.c
    where = [c.segment == segment] if segment else []
    if w.q:
        like = f"%{w.q.lower()}%"
        where.append(or_(func.lower(c.name).like(like), func.lower(c.id).like(like)))
    order = _customer_sort(w.key)
    stmt = (select(c.id, c.name, c.segment, c.country, c.currency, c.credit_limit_minor, _open_ar_minor().label("ar"))
            .where(*where).order_by(order.desc() if w.descending else order, c.id).offset(w.offset).limit(w.limit))
    total = uow.conn.execute(select(func.count()).select_from(t.customers).where(*where)).scalar_one()
    rows = [CustomerRow(r.id, r.name, r.segment, r.country, r.currency, from_minor(r.credit_limit_minor, r.currency),
                        from_minor(r.ar, r.currency)) for r in uow.conn.execute(stmt)]
    return Page(rows, int(total), w.offset, w.limit)


def customers(uow: UnitOfWork, query: str = "", limit: int = 100) -> list[CustomerRow]:
    return customer_page(uow, window(q=query, limit=limit)).items


def customer_row(uow: UnitOfWork, customer_id: str) -> CustomerRow | None:
    customer = uow.customers.get(customer_id)
    if customer is None:
        return None
    return CustomerRow(customer.id, customer.name, customer.segment.value, customer.country, customer.currency,
                       customer.credit_limit.amount,
                       from_minor(uow.ledger.open_receivable_minor(customer.id), customer.currency))


def _subjects(customer_id: str, order_ids: list[str], invoice_numbers: list[str], payment_ids: list[str]) -> list[str]:
    return ([f"customer:{customer_id}"] + [f"order:{o}" for o in order_ids]
            + [f"invoice:{i}" for i in invoice_numbers] + [f"payment:{p}" for p in payment_ids])


def _agent_actions(uow: UnitOfWork, subjects: list[str], limit: int = 100) -> list[ProposalView]:
    rows = uow.conn.execute(select(t.proposals.c.id).where(t.proposals.c.subject.in_(subjects))
                            .order_by(t.proposals.c.created_at.desc()).limit(limit)).scalars().all()
    found = [uow.proposals.get(pid) for pid in rows]
    return [proposal_view(r) for r in found if r is not None]


def _activity(uow: UnitOfWork, subjects: list[str], limit: int = 50) -> list[AuditRecord]:
    rows = uow.conn.execute(select(t.audit_log).where(t.audit_log.c.subject.in_(subjects))
                            .order_by(t.audit_log.c.seq.desc()).limit(limit))
    return [AuditRecord(r.seq, r.at, r.actor, r.action, r.subject, r.reason, r.payload) for r in rows]


def account_360(uow: UnitOfWork, customer_id: str) -> Account360 | None:
    customer = uow.customers.get(customer_id)
    row = customer_row(uow, customer_id)
    if customer is None or row is None:
        return None
    orders = docs.orders(uow, customer_id=customer_id, limit=50)
    invoices = docs.invoices(uow, customer_id=customer_id, limit=50)
    payments = docs.payments(uow, customer_id=customer_id, limit=50)
    subjects = _subjects(customer_id, [o.id for o in orders], [i.number for i in invoices], [p.id for p in payments])
    promises = [PromiseView(p.id, list(p.invoice_numbers), p.amount.amount, p.amount.currency, p.promised_date,
                            p.made_on, p.status)
                for p in uow.promises.where(t.promises.c.customer_id == customer_id)]
    return Account360(
        customer=row, terms=customer.terms.code, email=customer.email, vat_id=customer.vat_id, orders=orders,
        deliveries=docs.deliveries(uow, customer_id, limit=50), invoices=invoices, payments=payments,
        open_items=docs.open_items(uow, customer_id),
        cases=[case_view(c) for c in uow.cases.where(t.cases.c.customer_id == customer_id)],
        promises=promises, agent_actions=_agent_actions(uow, subjects), activity=_activity(uow, subjects))
