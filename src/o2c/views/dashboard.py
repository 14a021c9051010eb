"""The dashboard's read model, for an AR manager: the headline figures (``views.figures``), overdue
aging, the DSO trend from the first full sales period on (no warm-up spike), CEI, orders on credit hold
and their value, dispute root causes, how long payments wait in the cash queue, open AR by segment,
automation rates and agent activity per day. Rates are ``None`` where there is nothing to measure yet.
Amounts across currencies are converted to the functional currency at the day's reference rate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from o2c.adapters.store import tables as t
from o2c.adapters.store.ledger_store import FxRates
from o2c.adapters.store.uow import UnitOfWork
from o2c.auth.tables import users
from o2c.domain.money import minor_units
from o2c.views.collections import credit_sales, dispute_root_causes, kpis
from o2c.views.common import as_day, business_date, from_minor
from o2c.views.figures import UNMATCHED_STATUSES, Figures, figures
from o2c.views.receivables import aging, dso


@dataclass(frozen=True, slots=True)
class DsoPoint:
    day: date
    dso: Decimal | None


@dataclass(frozen=True, slots=True)
class CreditHolds:
    """Orders held for credit: how many, and their open value converted to the functional currency."""

    orders: int
    value: Decimal
    by_currency: dict[str, Decimal]


@dataclass(frozen=True, slots=True)
class Dashboard:
    as_of: date
    functional_currency: str
    figures: Figures
    dso_trend: list[DsoPoint]
    aging: dict[str, Decimal]
    open_ar_by_currency: dict[str, Decimal]
    open_ar_by_segment: dict[str, Decimal]
    touchless_order_rate: float | None
    cash_auto_match_rate: float | None
    disputes_by_reason: dict[str, int]
    agent_actions_per_day: dict[str, dict[str, int]]
    cei: Decimal | None
    credit_holds: CreditHolds
    dispute_root_causes: dict[str, int]
    cash_queue_age: dict[str, int]

    @property
    def overdue_aging(self) -> dict[str, Decimal]:
        return {k: v for k, v in self.aging.items() if k != "current"}

    @property
    def overdue(self) -> Decimal:
        return sum(self.overdue_aging.values(), Decimal(0))


CASH_AGE_BUCKETS = (("0-2", 0, 2), ("3-7", 3, 7), ("8-14", 8, 14), ("15+", 15, 100_000))


def dso_trend(uow: UnitOfWork, as_of: date, days: int = 90, step: int = 3, period_days: int = 30) -> list[DsoPoint]:
    """DSO every ``step`` days over ``days``. Leading points whose period had less than half the latest
    period's credit sales are left out: receivables over a thin history (a new company, the demo's
    seeded past) make a warm-up spike, not a trend."""
    days_shown = sorted(as_of - timedelta(days=n) for n in range(0, days + 1, step))
    sales = {d: credit_sales(uow.conn, d - timedelta(days=period_days - 1), d) for d in days_shown}
    floor = sales[as_of] / 2
    start = next((d for d in days_shown if sales[d] > 0 and sales[d] >= floor), None)
    if start is None:
        return []
    return [DsoPoint(d, dso(uow.conn, d, period_days)) for d in days_shown if d >= start]


def credit_holds(uow: UnitOfWork, as_of: date) -> CreditHolds:
    o = t.orders.c
    rows = uow.conn.execute(select(o.currency, func.count(), func.sum(o.open_value_minor))
                            .where(o.status == "on_hold", o.body["hold_reason"].as_string().like("credit%"))
                            .group_by(o.currency).order_by(o.currency)).all()
    by_currency = {ccy: from_minor(minor, ccy) for ccy, _, minor in rows}
    rates = FxRates(uow.conn, uow.functional_ccy)
    value = sum((amount * rates.to_functional(ccy, as_of) for ccy, amount in by_currency.items()), Decimal(0))
    return CreditHolds(sum(int(n) for _, n, _ in rows), value.quantize(Decimal("0.01")), by_currency)


def cash_queue_age(uow: UnitOfWork, as_of: date) -> dict[str, int]:
    """Payments not applied yet, by days since they were received."""
    days = [(as_of - p.received_on).days for p in uow.payments.where(t.payments.c.status.in_(UNMATCHED_STATUSES))]
    return {name: sum(1 for d in days if low <= d <= high) for name, low, high in CASH_AGE_BUCKETS}


def open_ar_by_segment(uow: UnitOfWork) -> dict[str, Decimal]:
    """Open receivables net of credits, in the functional currency (carrying amounts), per segment."""
    signed = func.sum(func.coalesce(t.open_items.c.carrying_minor, 0))
    rows = uow.conn.execute(select(t.customers.c.segment, t.open_items.c.side, signed)
                            .join(t.customers, t.customers.c.id == t.open_items.c.customer_id)
                            .where(t.open_items.c.open_minor > 0)
                            .group_by(t.customers.c.segment, t.open_items.c.side))
    result: dict[str, Decimal] = defaultdict(Decimal)
    for segment, side, minor in rows:
        result[segment] += (1 if side == "debit" else -1) * Decimal(int(minor)).scaleb(-minor_units(uow.functional_ccy))
    return dict(sorted(result.items()))


def touchless_order_rate(uow: UnitOfWork) -> float | None:
    """Share of orders the credit agent confirmed on its own, without a hold or a person."""
    orders = uow.orders.count()
    if not orders:
        return None
    auto = uow.conn.execute(select(func.count()).select_from(t.proposals).where(
        t.proposals.c.action == "confirm_order", t.proposals.c.status == "executed")).scalar_one()
    return round(int(auto) / orders, 4)


def disputes_by_reason(uow: UnitOfWork) -> dict[str, int]:
    rows = uow.conn.execute(select(t.cases.c.reason, func.count()).group_by(t.cases.c.reason)
                            .order_by(t.cases.c.reason))
    return {reason: int(n) for reason, n in rows}


def agent_actions_per_day(uow: UnitOfWork, since: date, until: date) -> dict[str, dict[str, int]]:
    """Per day (ISO text), how many proposals each agent made (people's proposals left out)."""
    day = func.date(t.proposals.c.created_at)
    rows = uow.conn.execute(select(day, t.proposals.c.agent, func.count())
                            .where(t.proposals.c.created_at >= since,
                                   t.proposals.c.created_at < until + timedelta(days=1),
                                   t.proposals.c.agent.not_in(select(users.c.name)))
                            .group_by(day, t.proposals.c.agent).order_by(day))
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for on, agent, n in rows:
        result[as_day(on).isoformat()][agent] = int(n)
    return dict(result)


def dashboard(uow: UnitOfWork, as_of: date | None = None) -> Dashboard:
    as_of = as_of or business_date(uow)
    headline = figures(uow, as_of)
    causes = {reason: sum(by_status.values()) for reason, by_status in dispute_root_causes(uow.conn).items()}
    return Dashboard(
        as_of=as_of, functional_currency=uow.functional_ccy, figures=headline, dso_trend=dso_trend(uow, as_of),
        aging=aging(uow.conn, as_of).functional, open_ar_by_currency=headline.open_ar_by_currency,
        open_ar_by_segment=open_ar_by_segment(uow), touchless_order_rate=touchless_order_rate(uow),
        cash_auto_match_rate=headline.cash_auto_match_rate, disputes_by_reason=disputes_by_reason(uow),
        agent_actions_per_day=agent_actions_per_day(uow, as_of - timedelta(days=30), as_of),
        cei=kpis(uow.conn, as_of, uow.functional_ccy).cei, credit_holds=credit_holds(uow, as_of),
        dispute_root_causes=causes, cash_queue_age=cash_queue_age(uow, as_of))
