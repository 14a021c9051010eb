"""Acceptance over a simulated quarter (a small world, SQLite): no reminder ever reaches an invoice that
is disputed, paid or under a valid promise, and every broken promise the system knows is followed up."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import select

from o2c.adapters.store import tables as t
from o2c.bench.collections import bench_scenario
from o2c.bootstrap import bootstrap
from o2c.config import Settings
from o2c.services.clock import SimClock
from o2c.sim.customers_behaviour import behaviour_of
from o2c.sim.runner import Simulation, load_master_data
from o2c.sim.world import HISTORY_DAYS, build_world
from o2c.views.collections import reminder_violations


@pytest.mark.slow
def test_over_a_quarter_no_reminder_reaches_a_disputed_paid_or_promised_invoice_and_broken_promises_are_chased(
        tmp_path):
    scenario = bench_scenario(seed=7, days=91, scale=0.05)
    clock = SimClock(datetime.combine(scenario.start_date - timedelta(days=HISTORY_DAYS), time(8)))
    app = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'quarter.db'}"), clock=clock)
    try:
        world = build_world(scenario)
        load_master_data(app, world, scenario)
        sim = Simulation(app, clock, scenario, world)
        sim.run()
        behaviour = behaviour_of(sim)
        with app.uow() as uow:
            violations = reminder_violations(uow.conn)
            notices = uow.conn.execute(select(t.customer_messages.c.id)
                                       .where(t.customer_messages.c.kind.like("dunning%"))).all()
            broken = [p for p in uow.promises.all() if p.status == "broken"]
            followed = {m.related.removeprefix("promise:") for m in uow.messages.where(
                t.customer_messages.c.kind == "promise_followup")}
            assert not uow.ledger.problems()
    finally:
        app.close()
    assert len(notices) > 10 and behaviour.counts["replies"] > 5
    assert violations == []
    assert broken and {p.id for p in broken} <= followed
