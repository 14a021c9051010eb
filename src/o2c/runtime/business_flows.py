"""The product's durable flows: business work that must finish exactly once, whatever crashes.

``deliver-and-bill`` (flow id ``deliver-and-bill:<delivery id>``) takes a delivery from proof of
delivery to an invoice in the customer's hands: record the POD, issue the invoice, queue it on the
customer's channel. Each step runs the ordinary command handlers on a unit of work bound to the
step's transaction, so the business effect, its outbox events and the step's completion record
commit together; a worker killed anywhere resumes at the first unfinished step and repeats nothing.

An invoice that pre-issue validation holds (a *billing hold*: off-contract price, bad VAT id, ...) is
not an error of the flow: it waits, PENDING, with ``FlowClient.waiting_for`` naming the hold and its
findings, and queues the invoice once the billing agent or a person has released the hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from o2c.adapters.audit_seal import audit_key as read_audit_key
from o2c.adapters.store.billing_store import BillingStore
from o2c.adapters.store.uow import BoundUnitOfWork
from o2c.config import Settings
from o2c.domain import commands as c
from o2c.domain.errors import DomainError
from o2c.runtime.flows import register_flow
from o2c.runtime.steps import StepWaiting
from o2c.services.billing import send_document
from o2c.services.clock import Clock, SystemClock
from o2c.services.handlers import Company, handle

DELIVER_AND_BILL = "deliver-and-bill"


@dataclass
class _Context:
    company: Company
    clock: Clock
    audit_key: bytes | None = None


_context = _Context(Company("o2c", "NL", "EUR"), SystemClock())


def configure(company: Company, clock: Clock, key: bytes | None = None) -> None:
    """Set what the steps run with (the worker calls this once at start)."""
    _context.company, _context.clock = company, clock
    if key is not None:
        _context.audit_key = key


def _audit_key(conn: Connection) -> bytes:
    """The audit key configured, else the one for the database the step runs on (read once)."""
    if _context.audit_key is None:
        url = conn.engine.url.render_as_string(hide_password=False)
        _context.audit_key = read_audit_key(Settings().model_copy(update={"database_url": url}))
    return _context.audit_key


def _delivery_id(flow_id: str) -> str:
    prefix = f"{DELIVER_AND_BILL}:"
    if not flow_id.startswith(prefix):
        raise DomainError(f"flow id {flow_id!r} does not name a delivery")
    return flow_id[len(prefix):]


def _run(conn: Connection, command: c.Command, actor: str, reason: str) -> str:
    uow = BoundUnitOfWork(conn, _context.clock, _context.company.currency, audit_key=_audit_key(conn))
    result = handle(uow, command, _context.company)
    uow.audit.append(_context.clock.now(), actor, command.name, f"delivery:{getattr(command, 'delivery_id', '')}",
                     reason, {"result": result})
    uow.commit()
    return result


def record_proof_of_delivery(conn: Connection, flow_id: str) -> Mapping[str, Any]:
    delivery_id = _delivery_id(flow_id)
    return {"result": _run(conn, c.ConfirmDelivery(delivery_id, f"POD-{delivery_id}"), "carrier",
                           "proof of delivery received")}


def issue_invoice(conn: Connection, flow_id: str) -> Mapping[str, Any]:
    return {"result": _run(conn, c.InvoiceDelivery(_delivery_id(flow_id)), "billing",
                           "invoice delivered quantities")}


def queue_invoice_to_customer(conn: Connection, flow_id: str) -> Mapping[str, Any]:
    """Hand the invoice to the customer's channel (``services.billing.send_document``, once per channel);
    wait while the delivery's invoice is on a billing hold."""
    uow = BoundUnitOfWork(conn, _context.clock, _context.company.currency, audit_key=_audit_key(conn))
    delivery_id = _delivery_id(flow_id)
    invoice = uow.invoices.for_delivery(delivery_id)
    if invoice is None:
        hold = BillingStore(conn).hold_of(delivery_id)
        if hold is not None and hold.status == "open":
            findings = "; ".join(finding.message for finding in hold.findings) or "fixes pending"
            raise StepWaiting(f"billing hold on delivery {delivery_id}: {findings}")
        raise DomainError(f"delivery {delivery_id} has no invoice and no billing hold")
    queued = send_document(uow, invoice.number, _context.company)
    uow.commit()
    return {"invoice": invoice.number, "queued": queued}


def register_flows(settings: Settings | None = None) -> None:
    key = read_audit_key(settings) if settings is not None else None  # else: the step's database tells
    settings = settings or Settings()
    company = Company(settings.company_name, settings.company_country, settings.company_currency,
                      settings.send_unvalidated_einvoices)
    configure(company, SystemClock(), key)
    register_flow(DELIVER_AND_BILL, [record_proof_of_delivery, issue_invoice, queue_invoice_to_customer])
