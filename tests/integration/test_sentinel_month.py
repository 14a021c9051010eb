"""A simulated month with many disruptions: every one is detected, every hit customer hears before the
promised date, with a remedy, and nothing lands in the dead-letter queue."""

from datetime import datetime, time, timedelta

from o2c.sim import disruptions
from o2c.sim.runner import Simulation, load_master_data
from o2c.sim.scenario import load_scenario
from o2c.sim.world import HISTORY_DAYS, build_world

MANY = {"stockout": 0.7, "line_breakdown": 0.3, "carrier_delay": 0.6, "missed_pickup": 0.6, "pod_shortage": 0.2,
        "master_data_error": 0.2}


def _month(app, clock):
    scenario = load_scenario(days=30, customers={"retail_chain": 2, "wholesaler": 4, "horeca": 8},
                             disruptions=MANY)
    clock.current = datetime.combine(scenario.start_date - timedelta(days=HISTORY_DAYS), time(8))
    world = build_world(scenario)
    load_master_data(app, world, scenario)
    sim = Simulation(app, clock, scenario, world)
    sim.run()
    return disruptions.figures(sim)


def test_every_disruption_is_detected_and_every_hit_customer_is_told_before_the_promised_date(app, clock):
    figures = _month(app, clock)
    assert figures["disruptions_injected"] >= 40
    assert figures["disruptions_detected"] == figures["disruptions_injected"]
    assert figures["affected_orders"] >= 5
    assert figures["told_in_time"] == figures["affected_orders"]
    assert figures["remedied_orders"] == figures["affected_orders"]
    with app.uow() as uow:
        assert uow.ledger.problems() == []
        assert uow.outbox.dead_letters() == []
