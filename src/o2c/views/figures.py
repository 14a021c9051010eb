"""The headline figures every screen shows, computed here once: what waits for a person, open AR per
currency, DSO, the share of cash matched without a person, and the best candidate for a payment.

The demo summary, the dashboard, the inbox, the API and the CLI read these functions, so a figure is
the same wherever it is shown (``tests/integration/test_one_set_of_numbers.py`` holds them to it).

- *Waiting items* are everything a person must finish: pending proposals, payments not applied,
  quarantined files, dead letters and open cases — counted, never cut at a page size.
- *Cash matched automatically* is the share of payments received that an agent applied; payments still
  waiting count against it, so 15 unmatched payments can never show as 100 %.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import distinct, func, select

from o2c.adapters.store import tables as t
from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.cash_application import match_stored_payment
from o2c.auth.tables import users
from o2c.domain.payments import PaymentStatus
from o2c.views.common import business_date
from o2c.views.receivables import dso, open_ar_by_currency

UNMATCHED_STATUSES = (PaymentStatus.RECEIVED.value, PaymentStatus.UNMATCHED.value)
APPLICATION_ACTIONS = ("ApplyPayment", "apply_payment:executed")


INBOX_TASK_TEAMS = ("accounting",)
"""Teams whose open tasks wait in the inbox (held books); other teams' tasks go to their own queues."""


@dataclass(frozen=True, slots=True)
class WaitingItems:
    """What waits for a person, by kind; ``total`` is the one number shown as "waiting"."""

    proposals: int
    unmatched_payments: int
    quarantined_files: int
    dead_letters: int
    open_cases: int
    open_tasks: int = 0

    @property
    def total(self) -> int:
        return (
            self.proposals
            + self.unmatched_payments
            + self.quarantined_files
            + self.dead_letters
            + self.open_cases
            + self.open_tasks
        )


@dataclass(frozen=True, slots=True)
class BestCandidate:
    """The matching engine's best guess for a payment: who paid which documents, and how sure it is."""

    payment_id: str
    customer_id: str
    documents: tuple[str, ...]
    confidence: float


@dataclass(frozen=True, slots=True)
class Figures:
    as_of: date
    functional_currency: str
    waiting: WaitingItems
    open_ar_by_currency: dict[str, Decimal]
    dso: Decimal | None
    cash_auto_match_rate: float | None
    payments_received: int


def _count(uow: UnitOfWork, table: object, *where: object) -> int:
    return int(uow.conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())  # type: ignore[arg-type]


def waiting_items(uow: UnitOfWork) -> WaitingItems:
    return WaitingItems(
        proposals=_count(uow, t.proposals, t.proposals.c.status == "pending"),
        unmatched_payments=_count(uow, t.payments, t.payments.c.status.in_(UNMATCHED_STATUSES)),
        quarantined_files=_count(uow, t.quarantine, t.quarantine.c.status == "open"),
        dead_letters=_count(uow, t.dispatches, t.dispatches.c.status == "dead"),
        open_cases=_count(uow, t.cases, t.cases.c.status == "open"),
        open_tasks=_count(uow, t.tasks, t.tasks.c.status == "open", t.tasks.c.team.in_(INBOX_TASK_TEAMS)),
    )


def payments_received(uow: UnitOfWork) -> int:
    """Payments from customers (returned ones left out)."""
    return _count(uow, t.payments, t.payments.c.status != PaymentStatus.RETURNED.value)


def cash_auto_match_rate(uow: UnitOfWork) -> float | None:
    """Share of payments received that an agent applied without a person; ``None`` before the first."""
    received = payments_received(uow)
    if not received:
        return None
    by_agent = uow.conn.execute(
        select(func.count(distinct(t.audit_log.c.subject))).where(
            t.audit_log.c.action.in_(APPLICATION_ACTIONS),
            t.audit_log.c.actor.not_in(select(users.c.name)),
            t.audit_log.c.subject.like("payment:%"),
        )
    ).scalar_one()
    return round(min(int(by_agent), received) / received, 4)


def best_candidate(uow: UnitOfWork, payment_id: str) -> BestCandidate | None:
    """The engine's best match for a stored payment (the same engine the cash agent posts with)."""
    payment = uow.payments.get(payment_id)
    if payment is None:
        return None
    best = match_stored_payment(uow, payment).best
    if best is None:
        return None
    return BestCandidate(
        payment_id, best.customer_id, tuple(best.documents), round(float(best.confidence), 3)
    )


def figures(uow: UnitOfWork, as_of: date | None = None) -> Figures:
    as_of = as_of or business_date(uow)
    return Figures(
        as_of,
        uow.functional_ccy,
        waiting_items(uow),
        open_ar_by_currency(uow.conn),
        dso(uow.conn, as_of),
        cash_auto_match_rate(uow),
        payments_received(uow),
    )
