"""Credit exposure: what a customer owes plus what it has ordered and not yet been invoiced for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from o2c.adapters.store.uow import UnitOfWork
from o2c.domain.customers import Customer
from o2c.domain.ledger import Side
from o2c.domain.money import Money


@dataclass(frozen=True, slots=True)
class Exposure:
    open_ar: Money
    open_orders: Money
    overdue: Money
    oldest_overdue_days: int

    @property
    def total(self) -> Money:
        return self.open_ar + self.open_orders


def exposure(uow: UnitOfWork, customer: Customer, today: date, grace_days: int = 0) -> Exposure:
    ccy = customer.currency
    open_ar = Money.from_minor(uow.ledger.open_receivable_minor(customer.id), ccy)
    open_orders = Money.from_minor(uow.orders.open_value_minor(customer.id), ccy)
    overdue, oldest = Money.zero(ccy), 0
    cutoff = today - timedelta(days=grace_days)
    for item in uow.ledger.open_items_of(customer.id, Side.DEBIT):
        if item.due_date < cutoff and item.original.currency == ccy:
            overdue = overdue + item.open
            oldest = max(oldest, (today - item.due_date).days)
    return Exposure(open_ar, open_orders, overdue, oldest)
