"""The credit review agent: periodic credit-limit recommendations from payment behaviour and exposure.

On the first collections day of each month it looks at every customer with enough history: its
monthly sales over the last ``window_days``, how late it pays (the mean of its settled invoices'
days past due), and its exposure now. The limit that covers a month's sales over terms plus the usual
delay, with ``headroom``, rounded to 500, is the recommendation; a customer paying more than
``slow_days`` late, or with anything overdue beyond ``blocked_overdue_days``, is never raised.
Only a change of more than ``min_change`` is proposed: raising needs approval (policy), lowering is
protective and may run automatically.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from o2c.adapters.store import tables as t
from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.base import AgentDeps, Proposal
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.customers import Customer
from o2c.domain.money import Money
from o2c.services.exposure import exposure
from o2c.services.prediction import paid_history


@dataclass(frozen=True, slots=True)
class Behaviour:
    monthly_sales: Decimal
    mean_delay: float
    paid_invoices: int


def recommend_limit(customer: Customer, behaviour: Behaviour, headroom: Decimal = Decimal("1.25"),
                    slow_days: int = 30) -> Money:
    """Sales of the days the customer really takes to pay, with headroom, rounded to 500 (minimum 500)."""
    days = Decimal(customer.terms.net_days + max(behaviour.mean_delay, 0.0)).quantize(Decimal(1))
    needed = behaviour.monthly_sales * days / 30 * headroom
    if behaviour.mean_delay > slow_days:
        needed = min(needed * Decimal("0.7"), customer.credit_limit.amount)
    rounded = max((needed / 500).quantize(Decimal(1), ROUND_HALF_UP) * 500, Decimal(500))
    return Money(rounded, customer.currency)


@dataclass
class CreditReviewAgent:
    name: str = "credit_review"
    subscribes: frozenset[str] = frozenset({"CollectionsDayStarted"})
    window_days: int = 90
    min_invoices: int = 3
    min_change: Decimal = Decimal("0.25")
    blocked_overdue_days: int = 45
    review_day: int = 1

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        if not isinstance(event, e.CollectionsDayStarted) or date.fromisoformat(event.day).day != self.review_day:
            return []
        return self.review(deps.uow, date.fromisoformat(event.day))

    def _behaviour(self, uow: UnitOfWork, today: date) -> dict[str, Behaviour]:
        since = today - timedelta(days=self.window_days)
        sales: dict[str, int] = defaultdict(int)
        rows = uow.conn.execute(t.invoices.select().with_only_columns(t.invoices.c.customer_id, t.invoices.c.gross_minor)
                                .where(t.invoices.c.kind == "invoice", t.invoices.c.issue_date >= since))
        for customer_id, gross in rows:
            sales[customer_id] += int(gross)
        delays: dict[str, list[int]] = defaultdict(list)
        for paid in paid_history(uow.conn):
            delays[paid.customer_id].append(paid.delay)
        months = Decimal(self.window_days) / 30
        return {cid: Behaviour(Decimal(sales[cid]) / 100 / months, sum(d) / len(d), len(d))
                for cid, d in delays.items()}

    def review(self, uow: UnitOfWork, today: date) -> list[Proposal]:
        pending = {p.subject for p in uow.proposals.list(status="pending", agent=self.name)}
        found = []
        for cid, behaviour in sorted(self._behaviour(uow, today).items()):
            customer = uow.customers.get(cid)
            if customer is None or behaviour.paid_invoices < self.min_invoices or f"credit:{cid}" in pending:
                continue
            proposal = self._proposal(uow, customer, behaviour, today)
            if proposal:
                found.append(proposal)
        return found

    def _proposal(self, uow: UnitOfWork, customer: Customer, behaviour: Behaviour, today: date) -> Proposal | None:
        current = customer.credit_limit
        target = recommend_limit(customer, behaviour)
        exp = exposure(uow, customer, today)
        if target > current and exp.oldest_overdue_days > self.blocked_overdue_days:
            return None
        if current.is_zero() or abs(target.amount - current.amount) / current.amount <= self.min_change:
            return None
        action = "raise_credit_limit" if target > current else "lower_credit_limit"
        return Proposal(self.name, action, c.ChangeCreditLimit(customer.id, target, "periodic credit review"),
                        f"credit:{customer.id}",
                        f"limit {current} -> {target}: monthly sales {behaviour.monthly_sales:.0f}, pays "
                        f"{behaviour.mean_delay:.1f} days after due on average, exposure {exp.total}",
                        {"monthly_sales": str(behaviour.monthly_sales.quantize(Decimal('0.01'))),
                         "mean_delay_days": round(behaviour.mean_delay, 1), "paid_invoices": behaviour.paid_invoices,
                         "exposure": str(exp.total), "oldest_overdue_days": exp.oldest_overdue_days},
                        0.85, (target - current).abs(), customer.segment.value)
