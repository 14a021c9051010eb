"""The dashboard's read model: DSO trend, aging, open AR by segment and currency, automation rates,
dispute reasons and agent activity per day. Rates are ``None`` where there is nothing to measure yet."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from o2c.adapters.store import tables as t
from o2c.adapters.store.uow import UnitOfWork
from o2c.auth.tables import users
from o2c.domain.money import minor_units
from o2c.views.common import as_day, business_date
from o2c.views.receivables import aging, dso, open_ar_by_currency


@dataclass(frozen=True, slots=True)
class DsoPoint:
    day: date
    dso: Decimal | None


@dataclass(frozen=True, slots=True)
class Dashboard:
    as_of: date
    functional_currency: str
    dso_trend: list[DsoPoint]
    aging: dict[str, Decimal]
    open_ar_by_currency: dict[str, Decimal]
    open_ar_by_segment: dict[str, Decimal]
    touchless_order_rate: float | None
    cash_auto_match_rate: float | None
    disputes_by_reason: dict[str, int]
    agent_actions_per_day: dict[str, dict[str, int]]


def dso_trend(uow: UnitOfWork, as_of: date, days: int = 30, step: int = 3) -> list[DsoPoint]:
    points = [as_of - timedelta(days=n) for n in range(0, days + 1, step)]
    return [DsoPoint(day, dso(uow.conn, day)) for day in sorted(points)]


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


def cash_auto_match_rate(uow: UnitOfWork) -> float | None:
    """Share of payment applications not made by a person (a user of the web UI, API or MCP)."""
    people = select(users.c.name)
    rows = uow.conn.execute(select(t.audit_log.c.actor.in_(people), func.count())
                            .where(t.audit_log.c.action.in_(["ApplyPayment", "apply_payment:executed"]))
                            .group_by(t.audit_log.c.actor.in_(people))).all()
    counts = {bool(by_person): int(n) for by_person, n in rows}
    total = sum(counts.values())
    return None if not total else round(counts.get(False, 0) / total, 4)


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
    return Dashboard(
        as_of=as_of, functional_currency=uow.functional_ccy, dso_trend=dso_trend(uow, as_of),
        aging=aging(uow.conn, as_of).functional, open_ar_by_currency=open_ar_by_currency(uow.conn),
        open_ar_by_segment=open_ar_by_segment(uow), touchless_order_rate=touchless_order_rate(uow),
        cash_auto_match_rate=cash_auto_match_rate(uow), disputes_by_reason=disputes_by_reason(uow),
        agent_actions_per_day=agent_actions_per_day(uow, as_of - timedelta(days=30), as_of))
