"""The demo's closing summary: what happened, what is owed, how the ledger stands, what agents did."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from sqlalchemy import func, select

from o2c.adapters.store import tables as t
from o2c.bootstrap import App
from o2c.views.figures import figures
from o2c.views.receivables import aging


def _count(conn: Any, table: Any, *where: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one())


def summarise(app: App, as_of: date, days: int, seed: int) -> dict[str, Any]:
    with app.uow() as uow:
        conn = uow.conn
        ledger_problems = uow.ledger.problems()
        audit_problems = uow.audit.verify()
        actions: dict[str, dict[str, int]] = {}
        for (agent, action, status), n in sorted(uow.proposals.counts().items()):
            actions.setdefault(f"{agent}.{action}", {})[status] = n
        age = aging(conn, as_of)
        headline = figures(uow, as_of)
        orders_by_status: dict[str, int] = dict(conn.execute(select(t.orders.c.status, func.count())
                                             .group_by(t.orders.c.status).order_by(t.orders.c.status)).all())
        return {
            "seed": seed,
            "days": days,
            "as_of": as_of.isoformat(),
            "customers": _count(conn, t.customers),
            "products": _count(conn, t.products),
            "orders": _count(conn, t.orders),
            "orders_by_status": {k: int(v) for k, v in orders_by_status.items()},
            "deliveries": _count(conn, t.deliveries),
            "invoices": _count(conn, t.invoices, t.invoices.c.kind == "invoice"),
            "credit_notes": _count(conn, t.invoices, t.invoices.c.kind == "credit_note"),
            "payments": _count(conn, t.payments),
            "journal_entries": _count(conn, t.journal_entries),
            "open_ar": {ccy: str(v) for ccy, v in headline.open_ar_by_currency.items()},
            "aging": {k: str(v) for k, v in age.functional.items()},
            "aging_currency": app.company.currency,
            "unapplied_credits": str(age.unapplied_credits),
            "dso": None if headline.dso is None else float(headline.dso),
            "cash_auto_match_rate": headline.cash_auto_match_rate,
            "waiting_for_a_person": headline.waiting.total,
            "waiting": asdict(headline.waiting),
            "agent_actions": actions,
            "awaiting_approval": headline.waiting.proposals,
            "dead_letters": headline.waiting.dead_letters,
            "ledger_balanced": not ledger_problems,
            "ledger_problems": ledger_problems[:20],
            "audit_verified": not audit_problems,
            "audit_records": _count(conn, t.audit_log),
        }
