"""The credit agent: checks every new order against the customer's credit, and releases holds.

On a captured order it compares exposure (open receivables + open orders, this one included) with
the credit limit and looks for receivables overdue beyond the grace period: a clean order is
confirmed, anything else is held with the figures as evidence. When a payment or credit note lowers
the exposure, it proposes releasing the customer's held orders that now fit; the policy decides
whether a release above a threshold needs a credit manager.
"""

from __future__ import annotations

from dataclasses import dataclass

from o2c.agents.base import AgentDeps, Proposal
from o2c.domain import events as e
from o2c.domain.commands import ConfirmOrder, HoldOrder, ReleaseOrderHold
from o2c.domain.customers import Customer
from o2c.domain.orders import Order, OrderStatus
from o2c.services.exposure import Exposure, exposure


@dataclass
class CreditAgent:
    name: str = "credit"
    subscribes: frozenset[str] = frozenset({"OrderCaptured", "PaymentApplied", "CreditNoteIssued"})
    overdue_grace_days: int = 30

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        if isinstance(event, e.OrderCaptured):
            return self._check_order(event.order_id, deps)
        customer_id = getattr(event, "customer_id", None)
        return self._review_holds(customer_id, deps) if customer_id else []

    def _problems(self, customer: Customer, exp: Exposure) -> list[str]:
        found = []
        if exp.total > customer.credit_limit:
            found.append(f"exposure {exp.total} exceeds the credit limit {customer.credit_limit}")
        if exp.oldest_overdue_days > 0:
            found.append(f"{exp.overdue} overdue, oldest {exp.oldest_overdue_days} days past the grace period")
        return found

    def _evidence(self, customer: Customer, exp: Exposure, order: Order) -> dict[str, str]:
        return {"customer": customer.id, "credit_limit": str(customer.credit_limit),
                "open_ar": str(exp.open_ar), "open_orders": str(exp.open_orders),
                "overdue": str(exp.overdue), "order": order.id, "order_value": str(order.value())}

    def _check_order(self, order_id: str, deps: AgentDeps) -> list[Proposal]:
        uow = deps.uow
        order = uow.orders.get(order_id)
        if order is None or order.status is not OrderStatus.CAPTURED:
            return []
        customer = uow.customers.get(order.customer_id)
        if customer is None:
            return []
        exp = exposure(uow, customer, deps.clock.today(), self.overdue_grace_days)
        problems = self._problems(customer, exp)
        evidence = self._evidence(customer, exp, order)
        subject = f"order:{order.id}"
        if problems:
            return [Proposal(self.name, "hold_order", HoldOrder(order.id, "credit: " + "; ".join(problems)),
                             subject, "Hold: " + "; ".join(problems), evidence, 1.0, order.value(),
                             customer.segment.value)]
        return [Proposal(self.name, "confirm_order", ConfirmOrder(order.id), subject,
                         f"Credit OK: exposure {exp.total} within limit {customer.credit_limit}, nothing overdue",
                         evidence, 1.0, order.value(), customer.segment.value)]

    def _review_holds(self, customer_id: str, deps: AgentDeps) -> list[Proposal]:
        uow = deps.uow
        customer = uow.customers.get(customer_id)
        held = [o for o in uow.orders.open_for(customer_id)
                if o.status is OrderStatus.ON_HOLD and (o.hold_reason or "").startswith("credit")]
        if customer is None or not held:
            return []
        exp = exposure(uow, customer, deps.clock.today(), self.overdue_grace_days)
        if exp.oldest_overdue_days > 0 or exp.total > customer.credit_limit:
            return []
        pending = {p.subject for p in uow.proposals.list(status="pending", agent=self.name)}
        return [Proposal(self.name, "release_credit_hold", ReleaseOrderHold(o.id), f"order:{o.id}",
                         f"Release: exposure {exp.total} (held orders included) is now within "
                         f"{customer.credit_limit} and nothing is overdue",
                         self._evidence(customer, exp, o), 0.95, o.value(), customer.segment.value)
                for o in held if f"order:{o.id}" not in pending]
