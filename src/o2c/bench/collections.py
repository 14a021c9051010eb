"""``o2c bench collections``: the demo quarter twice in one run — a reactive baseline against the agents.

Both runs use the same seed, world and customer behaviour (``sim.customers_behaviour``), each in its
own SQLite database:
- baseline: the ERP's dunning run (a reminder at 7, 21 and 35 days past due for every open invoice,
  nothing else); people read every reply, investigate disputes, search "already paid" claims;
- o2c: the collections, disputes and credit-review agents with the segment strategies, reply reading,
  promise tracking and the policy gate; a collector decides what waits for approval.
Reported per run: countback DSO at the end, overdue share, invoices due in the period paid on time,
reminders sent, reminders that reached an invoice already paid or under an open case, broken promises
never followed up, disputes open at the end, manual hours implied; for o2c also the payment-date
model's MAE (days) on held-out history against "pays on the due date" and "pays like last time", and the
share of those predictions that fell back to the segment or the due date (``model_fallback_share``).
"""

from __future__ import annotations

import tempfile
import time as clock_time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from o2c.adapters.store import tables as t
from o2c.adapters.store.collections_store import CollectionsStore
from o2c.bootstrap import App, bootstrap, default_agents
from o2c.config import Settings
from o2c.services.clock import SimClock
from o2c.services.prediction import evaluate, invoice_history, paid_history
from o2c.sim.customers_behaviour import behaviour_of
from o2c.sim.runner import Simulation, load_master_data
from o2c.sim.scenario import Scenario, load_scenario
from o2c.sim.world import HISTORY_DAYS, build_world
from o2c.views.collections import kpis, reminder_violations

COLLECTIONS_AGENTS = {"collections", "disputes", "credit_review"}


def bench_scenario(seed: int, days: int, scale: float) -> Scenario:
    """The demo scenario at ``scale`` of its customers, without supply disruptions or order mistakes
    (other benches measure those; they only slow this one down)."""
    base = load_scenario(seed=seed, days=days)
    customers = {k: max(2, round(v * scale)) for k, v in base.customers.items()}
    return replace(base, customers=customers, disruptions={}, order_error_rate=0.0)


def on_time_share(app: App, as_of: date) -> float | None:
    """Invoices due by ``as_of`` that were settled on or before their due date."""
    with app.uow() as uow:
        paid = {p.document: p for p in paid_history(uow.conn)}
        due = uow.conn.execute(select(t.open_items.c.document).where(
            t.open_items.c.kind == "invoice", t.open_items.c.due_date <= as_of)).scalars().all()
    if not due:
        return None
    return round(sum(1 for d in due if d in paid and paid[d].paid <= paid[d].due) / len(due), 3)


def measure(app: App, sim: Simulation, as_of: date, with_model: bool) -> dict[str, Any]:
    behaviour = behaviour_of(sim)
    with app.uow() as uow:
        k = kpis(uow.conn, as_of, app.company.currency)
        violations = reminder_violations(uow.conn)
        open_cases = int(uow.conn.execute(select(func.count()).select_from(t.cases)
                                          .where(t.cases.c.status == "open")).scalar_one())
        reminders = CollectionsStore(uow.conn).notice_count()
        history = invoice_history(uow.conn)
    broken, followed = behaviour.broken_promises()
    paid_or_disputed = {(v.document, v.sent_on) for v in violations if not v.why.startswith("under promise")}
    result: dict[str, Any] = {
        "dso": float(k.dso_countback) if k.dso_countback is not None else None,
        "dso_standard_30d": float(k.dso_standard) if k.dso_standard is not None else None,
        "best_possible_dso": float(k.best_possible_dso) if k.best_possible_dso is not None else None,
        "cei": float(k.cei) if k.cei is not None else None,
        "overdue_share": float(k.overdue_share) if k.overdue_share is not None else None,
        "on_time_share": on_time_share(app, as_of),
        "reminders_sent": reminders,
        "reminders_to_disputed_or_paid": len(paid_or_disputed),
        "reminders_under_promise": len({(v.document, v.sent_on) for v in violations
                                        if v.why.startswith("under promise")}),
        "broken_promises": broken,
        "broken_promises_unfollowed": broken - followed,
        "disputes_open": open_cases,
        "replies": behaviour.counts.get("replies", 0),
        "manual_hours": round(sum(behaviour.hours.values()) + behaviour.task_hours(), 1),
    }
    if with_model:
        ev = evaluate(history)
        result["payment_date_mae_days"] = ev.mae_days
        result["baseline_mae_days"] = {"due_date": ev.due_date_mae_days, "last_behaviour": ev.last_behaviour_mae_days}
        result["model_test_invoices"] = ev.test_invoices
        result["model_fallback_share"] = ev.fallback_share
    return result


def run_world(mode: str, scenario: Scenario, workdir: Path, on_day: Callable[[date], None] | None = None
              ) -> dict[str, Any]:
    settings = Settings(database_url=f"sqlite:///{workdir / f'bench-collections-{mode}.db'}",
                        company_name=scenario.company.get("name", "Demo"),
                        company_country=scenario.company.get("country", "NL"),
                        company_currency=scenario.company.get("currency", "EUR"))
    clock = SimClock(datetime.combine(scenario.start_date - timedelta(days=HISTORY_DAYS), time(8)))
    agents = default_agents()
    if mode == "baseline":
        agents = [a for a in agents if a.name not in COLLECTIONS_AGENTS]
    app = bootstrap(settings, clock=clock, agents=agents)
    try:
        world = build_world(scenario)
        load_master_data(app, world, scenario)
        sim = Simulation(app, clock, scenario, world)
        sim.collections_mode = mode  # type: ignore[attr-defined]
        started = clock_time.perf_counter()
        sim.run(on_day)
        as_of = scenario.start_date + timedelta(days=scenario.days - 1)
        result = measure(app, sim, as_of, with_model=mode == "agents")
        result["elapsed_s"] = round(clock_time.perf_counter() - started, 1)
        return result
    finally:
        app.close()


def run_bench(days: int = 90, seed: int = 7, scale: float = 0.25,
              on_day: Callable[[str, date], None] | None = None) -> dict[str, Any]:
    scenario = bench_scenario(seed, days, scale)
    with tempfile.TemporaryDirectory() as tmp:
        baseline = run_world("baseline", scenario, Path(tmp), (lambda d: on_day("baseline", d)) if on_day else None)
        o2c = run_world("agents", scenario, Path(tmp), (lambda d: on_day("o2c", d)) if on_day else None)
    return {"days": days, "seed": seed, "customers": sum(scenario.customers.values()),
            "baseline": baseline, "o2c": o2c,
            "assumptions": "sim/customers_behaviour.py (reply, promise, dispute and desk-time model)",
            "hours_unit": str(Decimal("0.1"))}
