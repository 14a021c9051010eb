"""The demo world's disruptions: stockouts, line breakdowns, carrier delays, missed pickups, short
deliveries and master-data errors, injected through the same operational-event intake production uses.

The world also keeps the ground truth the sentinel is measured against: which orders a disruption
really hit (found here, by the world's own rules, before any agent acts), when their promised date
was, and the customers' reaction when that date passes without goods or word ("where is my order":
a complaint, answered reactively with an emergency delivery when the goods are still missing).

Two calls from ``Simulation.run_day``: ``start_of_day`` (complaints about yesterday's promises,
supply coming back, master data fixed, new carrier and master-data disruptions) and ``before_pick``
(the warehouse restates its open stockouts, finds new ones where today's demand is, then cannot pick
what it does not have). Deterministic per scenario seed.
"""

from __future__ import annotations

import random
import time as wallclock
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from o2c.adapters.store import tables as t
from o2c.adapters.store.operations_store import OperationsStore, open_orders_where, undelivered
from o2c.domain import commands as c
from o2c.domain import operations as op
from o2c.domain.errors import DomainError
from o2c.domain.operations import LEAD_DAYS
from o2c.domain.orders import Delivery, Order, OrderStatus
from o2c.services.operations import home_warehouse, receive, warehouses

if TYPE_CHECKING:
    from o2c.sim.runner import Simulation

DEFAULT_RATES = {"stockout": 0.35, "line_breakdown": 0.12, "carrier_delay": 0.3, "missed_pickup": 0.3,
                 "pod_shortage": 0.15, "master_data_error": 0.1}
WAREHOUSE_HOLD = "warehouse: out of stock"
SUPPLY = frozenset({"stockout", "line_breakdown"})
ON_THE_ROAD = frozenset({"carrier_delay", "missed_pickup", "pod_shortage", "master_data_error"})


@dataclass(frozen=True, slots=True)
class Gap:
    skus: tuple[str, ...]
    warehouse: str | None
    until: date
    event: op.OperationalEvent
    ending: op.OperationalEvent


@dataclass
class Hit:
    """An order a disruption really hit, by the world's rules."""

    order_id: str
    customer_id: str
    promised: date
    kind: str
    at: datetime


@dataclass
class DisruptionLog:
    injected: list[dict[str, Any]] = field(default_factory=list)
    hits: dict[str, Hit] = field(default_factory=dict)
    too_late: set[str] = field(default_factory=set)
    complaints: list[tuple[str, date]] = field(default_factory=list)
    emergency_deliveries: int = 0
    latencies_s: list[float] = field(default_factory=list)
    reactive_latencies_s: list[float] = field(default_factory=list)


class Disruptions:
    def __init__(self, sim: Simulation) -> None:
        self.sim, self.app = sim, sim.app
        self.rates = {**DEFAULT_RATES, **getattr(sim.scenario, "disruptions", {})}
        self.rng = random.Random(sim.scenario.seed * 104723 + 17)
        self.skus = sorted(p.sku for p in sim.world.products)
        self.categories = {p.sku: p.category for p in sim.world.products}
        self.countries = sorted({cu.country for cu in sim.world.customers})
        self.carriers = sorted(sim.world.carriers)
        self.sites = sorted(sim.world.warehouses)
        self.gaps: list[Gap] = []
        self.fixes: dict[date, list[op.OperationalEvent]] = {}
        self.log = DisruptionLog()
        self._told_ids: set[str] = set()

    # -- the two calls from run_day -------------------------------------------------------------

    def start_of_day(self, day: date) -> None:
        self._at(day, 5)
        self._complaints(day)
        for gap in [g for g in self.gaps if g.until <= day]:
            self.gaps.remove(gap)
            self._send(gap.ending, f"restored:{day}")
        for fix in self.fixes.pop(day, []):
            self._send(fix, f"fixed:{day}")
        self._release_warehouse_holds()
        self._at(day, 7)
        self._inject(day, ON_THE_ROAD)

    def before_pick(self, day: date) -> None:
        self._at(day, 15)
        for n, gap in enumerate(self.gaps):
            self._record_supply_hits(gap, gap.event.kind)
            self._send(self._restated(gap, day), f"restated:{day}:{n}")
        self._inject(day, SUPPLY)
        self._pick_check()

    # -- plumbing --------------------------------------------------------------------------------

    def _at(self, day: date, hour: int) -> None:
        clock = self.sim.clock
        clock.advance_to(max(clock.now(), datetime.combine(day, time(hour))))

    def _send(self, event: op.OperationalEvent, ref: str) -> str | None:
        started = wallclock.perf_counter()
        self.sim.clock.tick()
        with self.app.uow() as uow:
            received = receive(uow, event, source="sim", source_ref=f"sim:{event.kind}:{ref}")
            uow.commit()
        self.app.dispatcher.drain()
        if received.affected and self._newly_told(received.incident_id):
            self.log.latencies_s.append(wallclock.perf_counter() - started)
        if self.log.injected and self.log.injected[-1].get("incident") == "?":
            self.log.injected[-1]["incident"] = received.incident_id or ""
        return received.incident_id

    def _newly_told(self, incident_id: str | None) -> bool:
        if incident_id is None:
            return False
        with self.app.uow() as uow:
            told = {r.order_id for r in OperationsStore(uow.conn).affected(incident_id) if r.told_at}
        fresh = told - self._told_ids
        self._told_ids |= told
        return bool(fresh)

    def _execute(self, command: c.Command, actor: str, reason: str) -> bool:
        self.sim.clock.tick()
        try:
            self.app.execute(command, actor, reason)
            return True
        except DomainError:
            return False

    def _note(self, day: date, kind: str, **detail: Any) -> None:
        self.log.injected.append({"day": day.isoformat(), "kind": kind, "incident": "?",
                                  **{k: str(v) for k, v in detail.items()}})

    # -- injecting -------------------------------------------------------------------------------

    def _inject(self, day: date, kinds: frozenset[str]) -> None:
        for kind in sorted(k for k in self.rates if k in kinds):
            if self.rng.random() < self.rates[kind]:
                getattr(self, f"_{kind}")(day)

    def _in_demand(self) -> str:
        """A SKU open orders ask for (stock runs out where demand is), else any SKU."""
        with self.app.uow() as uow:
            wanted = sorted(ln.sku for o in uow.orders.with_status(OrderStatus.CONFIRMED) for ln in o.lines)
        return self.rng.choice(wanted or self.skus)

    def _stockout(self, day: date) -> None:
        sku = self._in_demand()
        site = self.rng.choice([None, *self.sites])
        until = day + timedelta(days=self.rng.randint(2, 5))
        gap = Gap((sku,), site, until, op.Stockout(site, sku, until), op.StockArrival(site, sku, Decimal(500)))
        self._open_gap(day, gap, f"stockout:{sku}")

    def _line_breakdown(self, day: date) -> None:
        category = self.categories[self._in_demand()]
        skus = tuple(sorted(self.rng.sample([s for s in self.skus if self.categories[s] == category],
                                            k=min(3, sum(1 for s in self.skus if self.categories[s] == category)))))
        hours = self.rng.choice([24, 36, 48, 72])
        line = f"LINE-{category}"
        until = day + timedelta(days=-(-hours // 24))
        gap = Gap(skus, None, until, op.LineBreakdown(line, skus, hours), op.LineRestored(line))
        self._open_gap(day, gap, line)

    def _restated(self, gap: Gap, day: date) -> op.OperationalEvent:
        if isinstance(gap.event, op.LineBreakdown):
            return op.LineBreakdown(gap.event.line, gap.event.skus, max(1, (gap.until - day).days) * 24)
        return gap.event

    def _open_gap(self, day: date, gap: Gap, ref: str) -> None:
        if any(set(g.skus) & set(gap.skus) for g in self.gaps):
            return
        self.gaps.append(gap)
        self._record_supply_hits(gap, gap.event.kind)
        self._note(day, gap.event.kind, skus=",".join(gap.skus), warehouse=gap.warehouse or "*", until=gap.until)
        self._send(gap.event, f"{ref}:{day}")

    def _carrier_delay(self, day: date) -> None:
        carrier, region, days = self.rng.choice(self.carriers), self.rng.choice(self.countries), self.rng.randint(1, 3)
        customers = {cu.id: cu.country for cu in self.sim.world.customers}
        moved = [(d, d.expected_date + timedelta(days=days)) for d in self._in_transit(day)
                 if d.carrier == carrier and customers.get(d.customer_id) == region]
        self._record_delivery_hits(moved, "carrier_delay")
        self._note(day, "carrier_delay", carrier=carrier, region=region, days=days)
        self._send(op.CarrierDelayNotice(carrier, region, days), f"{carrier}:{region}:{day}")

    def _missed_pickup(self, day: date) -> None:
        yesterday = day - timedelta(days=1)
        stuck = [d for d in self._in_transit(day) if d.ship_date == yesterday]
        if not stuck:
            return
        first = self.rng.choice(stuck)
        moved = [(d, d.expected_date + timedelta(days=1)) for d in stuck
                 if d.carrier == first.carrier and d.warehouse == first.warehouse]
        self._record_delivery_hits(moved, "missed_pickup")
        self._note(day, "missed_pickup", carrier=first.carrier, warehouse=first.warehouse)
        self._send(op.MissedPickup(first.carrier, first.warehouse, yesterday, day), f"{first.carrier}:{day}")

    def _pod_shortage(self, day: date) -> None:
        with self.app.uow() as uow:
            arrived = uow.deliveries.where(t.deliveries.c.delivered_date == day - timedelta(days=1))
        if not arrived:
            return
        delivery = self.rng.choice(arrived)
        line = self.rng.choice(delivery.lines)
        short = min(line.quantity, Decimal(self.rng.randint(1, 3)))
        self._note(day, "proof_of_delivery", delivery=delivery.id, sku=line.sku, short=short)
        self._send(op.ProofOfDelivery(delivery.id, delivery.pod_reference or f"POD-{delivery.id}",
                                      shortages={line.sku: short}), f"{delivery.id}")

    def _master_data_error(self, day: date) -> None:
        sku = self.rng.choice(self.skus)
        self._note(day, "master_data_error", sku=sku, problem="missing_gtin")
        self._send(op.MasterDataError("product", sku, "missing_gtin", "GTIN missing after ERP import"),
                   f"{sku}:{day}")
        fix_on = day + timedelta(days=self.rng.randint(1, 2))
        self.fixes.setdefault(fix_on, []).append(op.MasterDataFixed("product", sku, "missing_gtin"))

    # -- the world's truth -----------------------------------------------------------------------

    def _in_transit(self, day: date) -> list[Delivery]:
        with self.app.uow() as uow:
            return [d for d in undelivered(uow.conn) if d.expected_date > day]

    def _site_of(self, uow: Any, orders: Iterable[Order]) -> dict[str, str]:
        sites = warehouses(uow)
        customers = self.sim.customers
        assigned = OperationsStore(uow.conn).warehouses_of(o.id for o in orders)
        return {o.id: assigned.get(o.id) or home_warehouse(customers.get(o.customer_id), sites) for o in orders}

    def _blocked(self, order: Order, site: str, gaps: Iterable[Gap], by_promise: bool = True) -> bool:
        """Whether ``order`` needs a SKU in a gap (before its promise needs it, unless ``by_promise`` is off)."""
        ship_by = order.requested_date - timedelta(days=LEAD_DAYS)
        return any(ln.open_quantity > 0 and ln.sku in g.skus and g.warehouse in (None, site)
                   and (ship_by < g.until or not by_promise) for g in gaps for ln in order.lines)

    def _record_supply_hits(self, gap: Gap, kind: str) -> None:
        with self.app.uow() as uow:
            orders = [o for o in open_orders_where(uow.conn) if o.status is not OrderStatus.ON_HOLD
                      or not (o.hold_reason or "").startswith("incident")]
            sites = self._site_of(uow, orders)
        for order in orders:
            if self._blocked(order, sites[order.id], [gap]):
                self._hit(order, kind)

    def _record_delivery_hits(self, moved: list[tuple[Delivery, date]], kind: str) -> None:
        with self.app.uow() as uow:
            for delivery, eta in moved:
                order = uow.orders.get(delivery.order_id)
                if order and eta > order.requested_date:
                    self._hit(order, kind)

    def _hit(self, order: Order, kind: str) -> None:
        """Count ``order`` as hit; one whose promised date is today or past cannot be warned before it."""
        if order.id in self.log.hits or order.id in self.log.too_late:
            return
        if order.requested_date <= self.sim.clock.today():
            self.log.too_late.add(order.id)
            return
        self.log.hits[order.id] = Hit(order.id, order.customer_id, order.requested_date, kind, self.sim.clock.now())

    def _pick_check(self) -> None:
        """The warehouse cannot pick what it does not have: such orders wait (the world, in both runs)."""
        with self.app.uow() as uow:
            ready = [o for o in uow.orders.with_status(OrderStatus.CONFIRMED)]
            sites = self._site_of(uow, ready)
        for order in ready:
            if self._blocked(order, sites[order.id], self.gaps, by_promise=False):
                self._execute(c.HoldOrder(order.id, WAREHOUSE_HOLD), "warehouse", "cannot pick: out of stock")

    def _release_warehouse_holds(self) -> None:
        with self.app.uow() as uow:
            held = [o for o in uow.orders.with_status(OrderStatus.ON_HOLD) if o.hold_reason == WAREHOUSE_HOLD]
            sites = self._site_of(uow, held)
        for order in held:
            if not self._blocked(order, sites[order.id], self.gaps, by_promise=False):
                self._execute(c.ReleaseOrderHold(order.id), "warehouse", "stock back: pick")

    # -- customers noticing ----------------------------------------------------------------------

    def _complaints(self, day: date) -> None:
        """Yesterday's promises that were neither kept nor warned about become complaints."""
        yesterday = day - timedelta(days=1)
        with self.app.uow() as uow:
            orders = uow.orders.where(t.orders.c.requested_date == yesterday)
            late = [o for o in orders if o.status is not OrderStatus.CANCELLED and self._late(uow, o)]
            told = self._told_in_time(uow, [o.id for o in late])
        for order in late:
            if order.id not in told:
                self._complain(order, day)

    def _late(self, uow: Any, order: Order) -> bool:
        if order.is_open:
            return True
        deliveries = uow.deliveries.where(t.deliveries.c.order_id == order.id)
        return any(d.delivered_date is None or d.delivered_date > order.requested_date for d in deliveries)

    def _told_in_time(self, uow: Any, order_ids: list[str]) -> set[str]:
        rows = [r for r in OperationsStore(uow.conn).all_affected() if r.order_id in set(order_ids)]
        return {r.order_id for r in rows if r.told_at is not None
                and r.told_at < datetime.combine(r.promised, time(0))}

    def _complain(self, order: Order, day: date) -> None:
        self.log.complaints.append((order.id, day))
        hit = self.log.hits.get(order.id)
        if hit is not None:
            self.log.reactive_latencies_s.append((datetime.combine(day, time(9)) - hit.at).total_seconds())
            if order.is_open or self._still_missing(order.id):
                self.log.emergency_deliveries += 1

    def _still_missing(self, order_id: str) -> bool:
        with self.app.uow() as uow:
            return any(d.delivered_date is None for d in uow.deliveries.where(t.deliveries.c.order_id == order_id))

    # -- figures ---------------------------------------------------------------------------------

    def figures(self) -> dict[str, Any]:
        """What the demo summary shows: disruptions detected, customers told in time, complaints."""
        with self.app.uow() as uow:
            store = OperationsStore(uow.conn)
            with_remedy = {r.order_id for r in store.all_affected() if r.remedy is not None}
            told = self._told_in_time(uow, list(self.log.hits))
        hits = self.log.hits.values()
        remedied = [h for h in hits if h.order_id in with_remedy]
        injected = self.log.injected
        return {
            "disruptions_injected": len(injected),
            "disruptions_detected": sum(1 for d in injected if d["incident"] not in ("", "?")),
            "affected_orders": len(self.log.hits),
            "affected_customers": len({h.customer_id for h in hits}),
            "hit_on_or_after_promised_date": len(self.log.too_late),
            "told_in_time": len(told),
            "told_in_time_share": round(len(told) / len(self.log.hits), 4) if self.log.hits else 1.0,
            "remedied_orders": len(remedied),
            "complaints": len(self.log.complaints),
            "emergency_deliveries": self.log.emergency_deliveries,
            "by_kind": {k: sum(1 for d in injected if d["kind"] == k) for k in sorted({d["kind"] for d in injected})},
        }


def figures(sim: Simulation) -> dict[str, Any]:
    """The disruption figures of a simulation run (for the demo summary)."""
    return for_simulation(sim).figures()


_BY_SIMULATION: WeakKeyDictionary[Any, Disruptions] = WeakKeyDictionary()


def for_simulation(sim: Simulation) -> Disruptions:
    if sim not in _BY_SIMULATION:
        _BY_SIMULATION[sim] = Disruptions(sim)
    return _BY_SIMULATION[sim]


def start_of_day(sim: Simulation, day: date) -> None:
    """Called by ``Simulation.run_day`` first thing: complaints, recoveries and new disruptions."""
    if getattr(sim.scenario, "disruptions_enabled", True):
        for_simulation(sim).start_of_day(day)


def before_pick(sim: Simulation, day: date) -> None:
    """Called by ``Simulation.run_day`` before shipping: open stockouts restated, then the pick check."""
    if getattr(sim.scenario, "disruptions_enabled", True):
        for_simulation(sim).before_pick(day)
