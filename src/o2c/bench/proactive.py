"""``o2c bench proactive``: the same disrupted month with and without the sentinel, plus latency at scale.

Two parts, one run:
- **the month**: a compact demo company (the shipped scenario with fewer customers and more frequent
  disruptions: stockouts, line breakdowns, carrier delays, missed pickups, short deliveries, master
  data errors) simulated for ``days`` days twice on the same seed: the *baseline* has the credit and
  cash agents only (people hear of a problem when the customer calls), *o2c* adds the fulfilment and
  sentinel agents. The world's own ground truth says which orders each disruption hit; a customer
  complains ("where is my order") the day after a promised date passes without goods or word, and a
  complaint about goods still missing is answered with an emergency delivery.
- **latency**: a database holding ``open_orders`` open orders (plus deliveries on the road) takes a
  stream of operational events; for each, the wall-clock time from the event entering the intake to
  its customer notices being stored (the dispatcher drained) is measured.

Reported per run: ``told_in_time_share`` (hit orders whose customer was told before the promised
date), ``latency_p50_s`` / ``latency_p95_s`` (o2c: processing time event -> notice at scale; baseline:
time until the customer is told, which is when they call), ``complaints``, ``emergency_deliveries``,
``value_saved`` (EUR value at risk of hit orders whose remedy kept the promised date).
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as day_time
from decimal import Decimal
from pathlib import Path
from typing import Any

from o2c.adapters.store.operations_store import OperationsStore
from o2c.bootstrap import App, bootstrap, default_agents
from o2c.config import Settings
from o2c.domain import operations as op
from o2c.domain.money import Money
from o2c.domain.orders import Delivery, DeliveryLine, Order, OrderLine, OrderStatus
from o2c.services.clock import SimClock
from o2c.services.operations import receive
from o2c.sim import disruptions
from o2c.sim.runner import Simulation, load_master_data
from o2c.sim.scenario import Scenario, load_scenario
from o2c.sim.world import HISTORY_DAYS, World, build_world

PROACTIVE_AGENTS = ("fulfilment", "sentinel")
BENCH_CUSTOMERS = {"retail_chain": 8, "wholesaler": 16, "horeca": 36}
BENCH_DISRUPTIONS = {"stockout": 0.9, "line_breakdown": 0.4, "carrier_delay": 0.7, "missed_pickup": 0.7,
                     "pod_shortage": 0.2, "master_data_error": 0.2}


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 4)


def _app(folder: Path, name: str, clock: SimClock, proactive: bool) -> App:
    agents = [a for a in default_agents() if proactive or a.name not in PROACTIVE_AGENTS]
    return bootstrap(Settings(database_url=f"sqlite:///{folder / name}.db"), clock=clock, agents=agents)


def _value_saved(app: App, hits: set[str], day: date) -> Decimal:
    total, counted = Decimal(0), set()
    with app.uow() as uow:
        for row in OperationsStore(uow.conn).all_affected():
            if row.order_id in hits and row.order_id not in counted and row.remedy_meets_promise:
                counted.add(row.order_id)
                value = Money.from_minor(row.value_minor, row.currency)
                total += value.amount * uow.fx.to_functional(value.currency, day)
    return total.quantize(Decimal("0.01"))


def _month(folder: Path, scenario: Scenario, proactive: bool) -> dict[str, Any]:
    clock = SimClock(datetime.combine(scenario.start_date - timedelta(days=HISTORY_DAYS), day_time(8)))
    app = _app(folder, "baseline" if not proactive else "o2c", clock, proactive)
    try:
        world = build_world(scenario)
        load_master_data(app, world, scenario)
        sim = Simulation(app, clock, scenario, world)
        sim.run()
        figures = disruptions.figures(sim)
        log = disruptions.for_simulation(sim).log
        figures["value_saved"] = float(_value_saved(app, set(log.hits), clock.today()))
        with app.uow() as uow:
            figures["emergency_proposed"] = sum(n for (_agent, action, _status), n in uow.proposals.counts().items()
                                                if action == "emergency_delivery")
        figures["latencies_s"] = log.latencies_s if proactive else log.reactive_latencies_s
        return figures
    finally:
        app.close()


def _orders(world: World, count: int, today: date, rng: random.Random) -> list[Order]:
    skus = [p.sku for p in world.products]
    orders = []
    for n in range(1, count + 1):
        customer = rng.choice(world.customers)
        lines = tuple(OrderLine(i, sku, Decimal(rng.randint(1, 40)), Decimal("12.50"), Decimal("12.50"))
                      for i, sku in enumerate(sorted(rng.sample(skus, rng.randint(1, 6))), start=1))
        orders.append(Order(f"SO-{n:06d}", customer.id, customer.ship_tos[0].code, "edi", today,
                            today + timedelta(days=rng.randint(2, 30)), customer.currency, lines,
                            status=OrderStatus.CONFIRMED))
    return orders


def _on_the_road(orders: list[Order], today: date, rng: random.Random, carriers: list[str]) -> list[Delivery]:
    shipped = []
    for n, order in enumerate(orders, start=1):
        lines = tuple(DeliveryLine(ln.line_no, ln.sku, ln.quantity) for ln in order.lines)
        shipped.append(Delivery(f"DL-{n:06d}", order.id, order.customer_id, rng.choice(["RTM", "ANR", "DUI"]),
                                rng.choice(carriers), today, today + timedelta(days=rng.randint(1, 3)), lines))
    return shipped


def _load_backlog(app: App, world: World, open_orders: int, rng: random.Random) -> None:
    today = app.clock.today()
    backlog = _orders(world, open_orders + open_orders // 10, today, rng)
    shipped = backlog[open_orders:]
    road = _on_the_road(shipped, today, rng, sorted(world.carriers))
    with app.uow() as uow:
        uow.orders.add_many(backlog[:open_orders])
        uow.orders.add_many([o.record_delivery({ln.line_no: ln.quantity for ln in o.lines}) for o in shipped])
        uow.deliveries.add_many(road)
        uow.commit()


def _event_stream(world: World, rng: random.Random, today: date, count: int) -> list[op.OperationalEvent]:
    skus = [p.sku for p in world.products]
    countries = sorted({c.country for c in world.customers})
    carriers = sorted(world.carriers)
    makers: list[Callable[[], op.OperationalEvent]] = [
        lambda: op.Stockout(rng.choice([None, "RTM", "ANR", "DUI"]), rng.choice(skus),
                            today + timedelta(days=rng.randint(1, 3))),
        lambda: op.LineBreakdown(f"LINE-{rng.randint(1, 9)}", tuple(rng.sample(skus, 2)), rng.choice([12, 24, 36])),
        lambda: op.CarrierDelayNotice(rng.choice(carriers), rng.choice(countries), rng.randint(1, 2)),
        lambda: op.MissedPickup(rng.choice(carriers), rng.choice(["RTM", "ANR", "DUI"]), today,
                                today + timedelta(days=1)),
    ]
    return [makers[n % len(makers)]() for n in range(count)]


def _latency(folder: Path, scenario: Scenario, open_orders: int, events: int,
             advance: Callable[[int], None]) -> dict[str, Any]:
    clock = SimClock(datetime.combine(scenario.start_date, day_time(7)))
    app = _app(folder, "latency", clock, proactive=True)
    rng = random.Random(scenario.seed)
    try:
        world = build_world(scenario)
        load_master_data(app, world, scenario)
        _load_backlog(app, world, open_orders, rng)
        timings, notified = [], 0
        for n, event in enumerate(_event_stream(world, rng, clock.today(), events)):
            clock.tick(60)
            started = time.perf_counter()
            with app.uow() as uow:
                received = receive(uow, event, source="bench", source_ref=f"bench:{n}")
                uow.commit()
            app.dispatcher.drain()
            if received.affected:
                timings.append(time.perf_counter() - started)
                notified += received.affected
            advance(1)
        return {"events": events, "events_with_affected_orders": len(timings), "affected_orders": notified,
                "latencies_s": timings}
    finally:
        app.close()


def _report(month: dict[str, Any], latencies: list[float]) -> dict[str, Any]:
    return {"told_in_time_share": month["told_in_time_share"],
            "latency_p50_s": _percentile(latencies, 0.5), "latency_p95_s": _percentile(latencies, 0.95),
            "complaints": month["complaints"], "emergency_deliveries": month["emergency_deliveries"],
            "value_saved": month["value_saved"], "affected_orders": month["affected_orders"],
            "emergency_deliveries_proposed": month["emergency_proposed"],
            "disruptions_injected": month["disruptions_injected"],
            "disruptions_detected": month["disruptions_detected"]}


def run_bench(open_orders: int = 10_000, days: int = 30, seed: int = 7, events: int = 40,
              advance: Callable[[int], None] = lambda n: None) -> dict[str, Any]:
    """Both runs of the month, then the latency stream; see the module docstring."""
    scenario = load_scenario(days=days, seed=seed, customers=BENCH_CUSTOMERS, disruptions=BENCH_DISRUPTIONS)
    with tempfile.TemporaryDirectory(prefix="o2c-bench-proactive-") as tmp:
        folder = Path(tmp)
        baseline = _month(folder, scenario, proactive=False)
        advance(1)
        o2c = _month(folder, scenario, proactive=True)
        advance(1)
        latency = _latency(folder, scenario, open_orders, events, advance)
    return {
        "setup": {"days": days, "seed": seed, "customers": sum(BENCH_CUSTOMERS.values()), "open_orders": open_orders,
                  "latency_events": latency["events"],
                  "latency_events_with_affected_orders": latency["events_with_affected_orders"],
                  "latency_affected_orders": latency["affected_orders"],
                  "month_event_to_notice_p95_s": _percentile(o2c["latencies_s"], 0.95)},
        "baseline": _report(baseline, baseline["latencies_s"]),
        "o2c": _report(o2c, latency["latencies_s"]),
    }
