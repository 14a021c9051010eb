"""What a person can do, as use cases shared by the web UI, the REST API and the MCP server.

Each function takes the application and the acting user, goes through the service layer (commands
via ``App.execute``, proposals via the policy gate and the approvals service) and returns a short
result text. Nothing here checks roles: the entrypoint does that before calling. Every change is
audited with the user's name in the same transaction as the change.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from o2c.agents.base import Proposal
from o2c.auth.store import User
from o2c.bootstrap import App
from o2c.domain import commands as c
from o2c.domain.codec import decode, encode
from o2c.domain.errors import DomainError
from o2c.domain.events import EVENT_TYPES
from o2c.domain.money import Money
from o2c.services import proposals as approvals
from o2c.services.proposals import ApprovalError, Submitted, run_command, submit
from o2c.views.inbox import EDITABLE_AMOUNT_COMMANDS


def approve(app: App, user: User, proposal_id: str, comment: str) -> str:
    with app.uow() as uow:
        result = approvals.approve(uow, proposal_id, user.name, comment, app.company)
        uow.commit()
    return result


def reject(app: App, user: User, proposal_id: str, comment: str) -> str:
    with app.uow() as uow:
        approvals.reject(uow, proposal_id, user.name, comment)
        uow.commit()
    return f"proposal {proposal_id} rejected"


def _edited(command: c.Command, amount: Decimal) -> c.Command:
    old: Money = command.amount  # type: ignore[attr-defined]
    if amount <= 0 or amount > old.amount:
        raise ApprovalError(f"an edited amount must be above zero and at most the proposed {old}")
    return dataclasses.replace(command, amount=Money(amount, old.currency).quantize())  # type: ignore[call-arg]


def edit_and_approve(app: App, user: User, proposal_id: str, amount: Decimal, comment: str) -> str:
    """Approve a proposal with a lower amount; the original and the edit are both in the audit record."""
    with app.uow() as uow:
        row = uow.proposals.get(proposal_id, for_update=True)
        if row is None or row.command_type not in EDITABLE_AMOUNT_COMMANDS:
            raise ApprovalError(f"proposal {proposal_id} has no amount a person can edit")
        if row.status != "pending":
            raise ApprovalError(f"proposal {proposal_id} is {row.status}, not waiting for approval")
        if row.requested_by == user.name:
            raise ApprovalError(f"{user.name} requested {proposal_id} and cannot approve it")
        command = _edited(decode(c.COMMAND_TYPES[row.command_type], row.command), amount)
        note = f"edited to {amount}: {comment}".strip(": ")
        result = run_command(uow, command, user.name, f"approved {proposal_id} with an edit: {note}", app.company)
        uow.proposals.decide(proposal_id, "approved", user.name, uow.clock.now(), note, result)
        uow.audit.append(uow.clock.now(), user.name, f"{row.action}:approved", row.subject, note,
                         {"proposal": proposal_id, "original": row.command, "edited": encode(command),
                          "requested_by": row.requested_by, "result": result})
        uow.commit()
    return result


def propose(app: App, user: User, action: str, command: c.Command, subject: str, reason: str,
            amount: Money | None = None, evidence: dict[str, Any] | None = None) -> Submitted:
    """A person's proposal through the same policy gate as an agent's; they cannot approve it themselves."""
    if not reason.strip():
        raise DomainError("a proposal needs a reason")
    proposal = Proposal(user.name, action, command, subject, reason, evidence or {}, 1.0, amount)
    with app.uow() as uow:
        submitted = submit(uow, proposal, app.policy, app.company)
        uow.commit()
    return submitted


def propose_credit_note(app: App, user: User, invoice_number: str, amount: Decimal, reason: str) -> Submitted:
    with app.uow() as uow:
        invoice = uow.invoices.get(invoice_number)
    if invoice is None:
        raise DomainError(f"unknown invoice {invoice_number!r}")
    money = Money(amount, invoice.currency).quantize()
    return propose(app, user, "issue_credit_note", c.IssueCreditNote(invoice_number, money, reason),
                   f"invoice:{invoice_number}", reason, money, {"invoice": invoice_number,
                                                                "gross_total": str(invoice.gross_total)})


def propose_write_off(app: App, user: User, document: str, amount: Decimal, reason: str) -> Submitted:
    with app.uow() as uow:
        item = uow.ledger.item_for_document(document, "invoice")
    if item is None or item.is_settled:
        raise DomainError(f"no open item for {document!r}")
    money = Money(amount, item.open.currency).quantize()
    return propose(app, user, "write_off", c.WriteOffOpenItem(document, money, reason), f"invoice:{document}",
                   reason, money, {"document": document, "open": str(item.open)})


def record_payment(app: App, user: User, received_on: date, amount: Decimal, currency: str, payer_name: str,
                   payer_account: str | None, reference: str) -> str:
    command = c.RecordPayment(received_on, Money(amount, currency).quantize(), payer_name, payer_account or None,
                              reference)
    return app.execute(command, user.name, "payment entered by hand")


def apply_payment(app: App, user: User, payment_id: str, customer_id: str,
                  allocations: list[tuple[str, Decimal]], reason: str) -> str:
    """Apply a payment to the chosen open items; what is left over stays on account, unapplied."""
    with app.uow() as uow:
        payment = uow.payments.get(payment_id)
    if payment is None:
        raise DomainError(f"unknown payment {payment_id!r}")
    ccy = payment.amount.currency
    command = c.ApplyPayment(payment_id, customer_id, tuple(d for d, _ in allocations),
                             tuple(Money(a, ccy).quantize() for _, a in allocations))
    return app.execute(command, user.name, reason or "matched by hand")


def hold_order(app: App, user: User, order_id: str, reason: str) -> str:
    return app.execute(c.HoldOrder(order_id, reason), user.name, reason)


def receive_event(app: App, user: User, event_type: str, payload: dict[str, Any]) -> str:
    """An event from outside (a carrier, a sensor, another system) into the outbox, for the agents."""
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise DomainError(f"unknown event type {event_type!r}; known: {', '.join(sorted(EVENT_TYPES))}")
    try:
        event = decode(cls, payload)
    except (KeyError, TypeError, ValueError) as exc:
        raise DomainError(f"event {event_type} payload does not fit: {exc}") from exc
    with app.uow() as uow:
        uow.emit(event)
        uow.audit.append(uow.clock.now(), user.name, "event_received", f"event:{event_type}",
                         "event received through the API", {"event": encode(event)})
        uow.commit()
    return f"{event_type} received"
