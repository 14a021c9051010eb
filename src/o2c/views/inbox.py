"""The inbox: everything waiting for a person — proposals to approve, unmatched payments, quarantined
files, dead letters and open cases — each with the reason and evidence a person needs to decide."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from o2c.adapters.store import tables as t
from o2c.adapters.store.proposal_store import ProposalRow
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain.payments import Case, Payment, PaymentStatus
from o2c.views.common import from_minor
from o2c.views.figures import INBOX_TASK_TEAMS
from o2c.views.paging import Page, Window, page_of

EDITABLE_AMOUNT_COMMANDS = frozenset({"IssueCreditNote", "WriteOffOpenItem"})
UNMATCHED_STATUSES = (PaymentStatus.RECEIVED.value, PaymentStatus.UNMATCHED.value)


@dataclass(frozen=True, slots=True)
class ProposalView:
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
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_comment: str | None
    result: str | None
    editable: bool
    customer_id: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentView:
    id: str
    received_on: date
    amount: Decimal
    currency: str
    payer_name: str
    payer_account: str | None
    reference: str
    customer_id: str | None
    status: str


@dataclass(frozen=True, slots=True)
class QuarantinedFile:
    id: int
    received_at: datetime
    source: str
    filename: str
    reason: str


@dataclass(frozen=True, slots=True)
class DeadLetter:
    event_id: int
    event_type: str
    subscriber: str
    attempts: int
    last_error: str


@dataclass(frozen=True, slots=True)
class CaseView:
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


@dataclass(frozen=True, slots=True)
class TaskView:
    """A task a person owns (held books, a call to make), from ``INBOX_TASK_TEAMS`` in the inbox."""

    id: str
    created_at: datetime
    team: str
    kind: str
    subject: str
    title: str
    detail: str


"""Teams whose open tasks show in the inbox (the other teams work from their own worklists)."""


@dataclass(frozen=True, slots=True)
class Inbox:
    proposals: list[ProposalView]
    unmatched_payments: list[PaymentView]
    quarantined: list[QuarantinedFile]
    dead_letters: list[DeadLetter]
    open_cases: list[CaseView]
    open_tasks: list[TaskView] = field(default_factory=list)

    @property
    def total(self) -> int:
        return (len(self.proposals) + len(self.unmatched_payments) + len(self.quarantined)
                + len(self.dead_letters) + len(self.open_cases) + len(self.open_tasks))


def _customer_of(row: ProposalRow) -> str | None:
    """The customer a proposal concerns, as its command or evidence names it (``None`` if neither does)."""
    best = row.evidence.get("best") if isinstance(row.evidence, dict) else None
    for found in (row.command.get("customer_id"), row.evidence.get("customer"),
                  best.get("customer") if isinstance(best, dict) else None):
        if isinstance(found, str) and found:
            return found
    kind, _, key = row.subject.partition(":")
    return key if kind == "customer" else None


def proposal_view(row: ProposalRow) -> ProposalView:
    amount = from_minor(row.amount_minor, row.currency) if row.amount_minor is not None and row.currency else None
    return ProposalView(
        id=row.id, agent=row.agent, action=row.action, status=row.status, subject=row.subject,
        command_type=row.command_type, command=row.command, reason=row.reason, evidence=row.evidence,
        confidence=row.confidence, amount=amount, currency=row.currency, policy_rule=row.policy_rule,
        requested_by=row.requested_by, created_at=row.created_at, decided_by=row.decided_by,
        decided_at=row.decided_at, decision_comment=row.decision_comment, result=row.result,
        editable=row.command_type in EDITABLE_AMOUNT_COMMANDS, customer_id=_customer_of(row))


def payment_view(p: Payment) -> PaymentView:
    return PaymentView(p.id, p.received_on, p.amount.amount, p.amount.currency, p.payer_name, p.payer_account,
                       p.reference, p.customer_id, p.status.value)


def case_view(c: Case) -> CaseView:
    return CaseView(c.id, c.customer_id, c.invoice_number, c.reason, c.amount.amount, c.amount.currency,
                    c.opened_on, c.status.value, c.source, c.notes)


def proposals(uow: UnitOfWork, status: str | None = "pending", limit: int = 200) -> list[ProposalView]:
    return [proposal_view(r) for r in uow.proposals.list(status=status, limit=limit)]


def proposal(uow: UnitOfWork, proposal_id: str) -> ProposalView | None:
    row = uow.proposals.get(proposal_id)
    return None if row is None else proposal_view(row)


def unmatched_payments(uow: UnitOfWork, limit: int = 200) -> list[PaymentView]:
    found = uow.payments.where(t.payments.c.status.in_(UNMATCHED_STATUSES),
                               order_by=t.payments.c.received_on, limit=limit)
    return [payment_view(p) for p in found]


def quarantined(uow: UnitOfWork, limit: int = 100) -> list[QuarantinedFile]:
    q = t.quarantine.c
    rows = uow.conn.execute(select(q.id, q.received_at, q.source, q.filename, q.reason)
                            .where(q.status == "open").order_by(q.id).limit(limit))
    return [QuarantinedFile(*row) for row in rows]


def dead_letters(uow: UnitOfWork) -> list[DeadLetter]:
    return [DeadLetter(r["event_id"], r["event_type"], r["subscriber"], r["attempts"], r["last_error"] or "")
            for r in uow.outbox.dead_letters()]


def _case_conditions(status: str | None, customer_id: str | None) -> list[Any]:
    return [t.cases.c[k] == v for k, v in (("status", status), ("customer_id", customer_id)) if v]


def cases(uow: UnitOfWork, status: str | None = None, customer_id: str | None = None,
          limit: int = 200, offset: int = 0) -> list[CaseView]:
    found = uow.cases.where(*_case_conditions(status, customer_id), limit=limit, offset=offset)
    return [case_view(c) for c in found]


def case_page(uow: UnitOfWork, status: str | None, customer_id: str | None, offset: int,
              limit: int) -> Page[CaseView]:
    total = uow.cases.count(*_case_conditions(status, customer_id))
    return Page(cases(uow, status, customer_id, limit, offset), total, offset, limit)


def open_cases(uow: UnitOfWork, limit: int = 200) -> list[CaseView]:
    return cases(uow, "open", limit=limit)


def inbox(uow: UnitOfWork) -> Inbox:
    return Inbox(proposals(uow), unmatched_payments(uow), quarantined(uow), dead_letters(uow), open_cases(uow),
                 open_tasks(uow))


def open_tasks(uow: UnitOfWork) -> list[TaskView]:
    return [TaskView(k.id, k.created_at, k.team, k.kind, k.subject, k.title, k.detail)
            for team in INBOX_TASK_TEAMS for k in uow.tasks.open_for(team)]


# --- the approvals queue a page at a time: filter, sort, group ----------------------------------------
PROPOSAL_SORTS: dict[str, Callable[[ProposalView], Any]] = {
    "created": lambda p: (p.created_at, p.id), "amount": lambda p: (p.amount is None, p.amount or 0, p.id),
    "action": lambda p: (p.action, p.id), "customer": lambda p: (p.customer_id or "~", p.id),
    "reason": lambda p: (p.policy_rule, p.id)}
GROUPINGS = ("action", "customer", "reason", "amount")
AMOUNT_BANDS = ((Decimal(1_000), "under 1,000"), (Decimal(10_000), "1,000 to 10,000"),
                (Decimal(100_000), "10,000 to 100,000"))


def _proposal_matches(p: ProposalView, q: str) -> bool:
    return any(q in (text or "").lower() for text in (p.id, p.subject, p.reason, p.action, p.customer_id, p.agent))


def proposal_page(uow: UnitOfWork, w: Window, action: str = "", customer_id: str = "") -> Page[ProposalView]:
    """Pending proposals, filtered by action, customer and ``w.q`` (id, subject, reason, agent), sorted
    (oldest first unless asked), a page at a time with the total."""
    rows = [proposal_view(r) for r in uow.proposals.list(status="pending", limit=1_000_000)]
    rows = [p for p in rows if action in ("", p.action) and customer_id in ("", p.customer_id)]
    return page_of(sorted(rows, key=PROPOSAL_SORTS["created"]), w, PROPOSAL_SORTS, _proposal_matches)


def amount_band(p: ProposalView) -> str:
    if p.amount is None:
        return "no amount"
    label = next((name for ceiling, name in AMOUNT_BANDS if abs(p.amount) < ceiling), "100,000 and more")
    return f"{label} {p.currency}"


def group_key(p: ProposalView, by: str) -> str:
    return {"action": p.action.replace("_", " "), "customer": p.customer_id or "no customer",
            "reason": p.policy_rule, "amount": amount_band(p)}.get(by, "")


def grouped(items: list[ProposalView], by: str) -> list[tuple[str, list[ProposalView]]]:
    """The page's proposals in groups (in order of first appearance); one unnamed group when ``by`` is none."""
    groups: dict[str, list[ProposalView]] = {}
    for p in items:
        groups.setdefault(group_key(p, by) if by in GROUPINGS else "", []).append(p)
    return list(groups.items())


def action_choices(uow: UnitOfWork) -> list[str]:
    return sorted(set(uow.conn.execute(select(t.proposals.c.action).where(t.proposals.c.status == "pending")
                                       .distinct()).scalars()))
