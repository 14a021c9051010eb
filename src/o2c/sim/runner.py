"""Run the demo company's days through the real services and agents.

Each simulated day: deliveries that arrive are confirmed and invoiced; customers pay what their
payment behaviour says is due today (some combine invoices, some short-pay); new orders arrive from
every channel; the agents handle the events (the credit agent confirms or holds, releases holds once
cash comes in); confirmed orders ship; at month end foreign receivables are revalued. Everything goes
through commands, the unit of work and the dispatcher — the same path production takes.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from o2c.bootstrap import App
from o2c.domain import commands as c
from o2c.domain.customers import Customer, Segment
from o2c.domain.errors import DomainError
from o2c.domain.money import Money
from o2c.domain.orders import OrderStatus
from o2c.services.clock import SimClock
from o2c.sim.scenario import Scenario
from o2c.sim.world import World

CHANNEL = {Segment.RETAIL_CHAIN: "edi", Segment.WHOLESALER: "csv", Segment.HORECA: "email"}


@dataclass
class PlannedPayment:
    customer_id: str
    documents: list[str]
    amounts: list[Money]
    paid: Money


@dataclass
class SimStats:
    orders: int = 0
    refused_commands: int = 0
    shipments: int = 0
    invoices: int = 0
    payments: int = 0
    short_pays: int = 0
    errors: list[str] = field(default_factory=list)


def load_master_data(app: App, world: World, scenario: Scenario) -> None:
    with app.uow() as uow:
        uow.customers.add_many(world.customers)
        uow.products.add_many(world.products)
        uow.price_lists.add_many(world.price_lists)
        uow.promotions.add_many(world.promotions)
        for key, body in world.carriers.items():
            uow.reference.put("carrier", key, body)
        for key, body in world.warehouses.items():
            uow.reference.put("warehouse", key, body)
        uow.fx.put_many((day, ccy, rate) for day, rates in sorted(world.fx_path.items())
                        for ccy, rate in sorted(rates.items()))
        uow.audit.append(app.clock.now(), "sim", "load_master_data", "world",
                         f"demo world seed {scenario.seed}",
                         {"customers": len(world.customers), "products": len(world.products)})
        uow.commit()


class Simulation:
    def __init__(self, app: App, clock: SimClock, scenario: Scenario, world: World) -> None:
        self.app, self.clock, self.scenario, self.world = app, clock, scenario, world
        self.rng = random.Random(scenario.seed * 7919 + 1)
        self.customers = {cu.id: cu for cu in world.customers}
        self.skus = [p.sku for p in world.products]
        self.planned: dict[date, list[PlannedPayment]] = defaultdict(list)
        self.stats = SimStats()

    def run(self, on_day: Callable[[date], None] | None = None) -> SimStats:
        self.open_balances()
        for n in range(self.scenario.days):
            day = self.scenario.start_date + timedelta(days=n)
            self.run_day(day)
            if on_day:
                on_day(day)
        return self.stats

    def _at(self, day: date, hour: int) -> None:
        self.clock.advance_to(max(self.clock.now(), datetime.combine(day, time(hour))))

    def _do(self, command: c.Command, actor: str, reason: str) -> str | None:
        self.clock.tick()
        try:
            return self.app.execute(command, actor, reason)
        except DomainError as exc:
            self.stats.refused_commands += 1
            self.stats.errors.append(f"{command.name}: {exc}")
            return None

    def run_day(self, day: date) -> None:
        self._at(day, 6)
        self._deliver_and_invoice(day)
        self._at(day, 9)
        self._receive_payments(day)
        self._at(day, 11)
        self._capture_orders(day)
        self.app.dispatcher.drain()
        self._at(day, 16)
        self._ship(day)
        if (day + timedelta(days=1)).month != day.month:
            self._do(c.RevalueOpenItems(day), "finance", "month-end revaluation of foreign receivables")
        self.app.dispatcher.drain()

    def open_balances(self) -> None:
        """Orders invoiced before the period: what slower payers still owe when the demo starts."""
        history = []
        for customer in self.world.customers:
            if self.world.behaviour[customer.id] in ("late", "chronic"):
                for _ in range(self.rng.randint(1, 2)):
                    history.append((self.scenario.start_date - timedelta(days=self.rng.randint(20, 75)), customer.id))
        for day, customer_id in sorted(history):
            customer = self.customers[customer_id]
            self._at(day, 10)
            order_id = self._order(customer, day, source=f"sim:history:{customer.id}:{day.isoformat()}")
            self.app.dispatcher.drain()
            self._at(day, 15)
            if order_id and self._ship_order(order_id, day):
                self._at(day + timedelta(days=3), 7)
                self._deliver_and_invoice(day + timedelta(days=3))

    def _order(self, customer: Customer, day: date, source: str) -> str | None:
        low, high = self.scenario.lines_per_order[customer.segment.value]
        skus = self.rng.sample(self.skus, self.rng.randint(low, high))
        lines = tuple(c.CaptureOrderLine(sku, Decimal(self._quantity(customer))) for sku in sorted(skus))
        ship_to = self.rng.choice(customer.ship_tos).code
        po = f"PO{self.rng.randint(100000, 999999)}" if customer.requires_po else None
        command = c.CaptureOrder(customer.id, ship_to, CHANNEL[customer.segment],
                                 day + timedelta(days=self.rng.randint(2, 5)), lines, po, source_ref=source)
        result = self._do(command, f"channel:{command.channel}", "order received")
        if not result or not result.startswith("order "):
            return None
        self.stats.orders += 1
        return result.split()[1]

    def _capture_orders(self, day: date) -> None:
        if day.weekday() == 6:
            return
        for customer in self.world.customers:
            rate = self.scenario.orders_per_week[customer.segment.value] / 6
            if self.rng.random() < rate:
                self._order(customer, day, source=f"sim:{customer.id}:{day.isoformat()}")

    def _quantity(self, customer: Customer) -> int:
        return {Segment.RETAIL_CHAIN: self.rng.randint(20, 120), Segment.WHOLESALER: self.rng.randint(10, 60),
                Segment.HORECA: self.rng.randint(1, 8)}[customer.segment]

    def _ship(self, day: date) -> None:
        with self.app.uow() as uow:
            ready = [o.id for o in uow.orders.with_status(OrderStatus.CONFIRMED)]
            ready += [o.id for o in uow.orders.with_status(OrderStatus.PARTLY_DELIVERED)]
        for order_id in ready:
            self._ship_order(order_id, day)

    def _ship_order(self, order_id: str, day: date) -> bool:
        with self.app.uow() as uow:
            order = uow.orders.get(order_id)
        if order is None or order.status not in (OrderStatus.CONFIRMED, OrderStatus.PARTLY_DELIVERED):
            return False
        partial = order.status is OrderStatus.CONFIRMED and self.rng.random() < self.scenario.partial_shipment_rate
        quantities = {str(ln.line_no): (ln.open_quantity / 2).to_integral_value() if partial and ln.line_no % 2 == 0
                      else ln.open_quantity for ln in order.lines}
        carrier = self.rng.choice(sorted(self.world.carriers))
        transit = self.rng.randint(*self.scenario.transit_days)
        shipped = self._do(c.ShipOrder(order.id, self.rng.choice(sorted(self.world.warehouses)), carrier,
                                       day + timedelta(days=transit), quantities), "warehouse", "picked and loaded")
        if shipped:
            self.stats.shipments += 1
        return bool(shipped)

    def _deliver_and_invoice(self, day: date) -> None:
        with self.app.uow() as uow:
            arriving = uow.deliveries.arriving_by(day)
        for delivery in arriving:
            self._do(c.ConfirmDelivery(delivery.id, f"POD-{delivery.id}"), f"carrier:{delivery.carrier}",
                     "proof of delivery received")
            result = self._do(c.InvoiceDelivery(delivery.id), "billing", "invoice delivered quantities")
            if result and result.startswith("invoice "):
                self.stats.invoices += 1
                self._plan_payment(result.split()[1], delivery.customer_id)

    def _plan_payment(self, number: str, customer_id: str) -> None:
        with self.app.uow() as uow:
            invoice = uow.invoices.get(number)
        if invoice is None:
            return
        behaviour = self.scenario.payment_behaviour[self.world.behaviour[customer_id]]
        pay_on = invoice.due_date + timedelta(days=self.rng.randint(*behaviour.delay))
        pay_on = max(pay_on, invoice.issue_date + timedelta(days=1))
        amount = invoice.gross_total
        if self.rng.random() < self.scenario.short_pay_rate:
            amount = (amount * Decimal(self.rng.choice(["0.92", "0.95", "0.98"]))).quantize()
            self.stats.short_pays += 1
        pending = self.planned[pay_on]
        combined = [p for p in pending if p.customer_id == customer_id]
        if combined and self.rng.random() < self.scenario.combined_payment_rate:
            plan = combined[0]
            plan.documents.append(number)
            plan.amounts.append(amount)
            plan.paid = plan.paid + amount
        else:
            pending.append(PlannedPayment(customer_id, [number], [amount], amount))

    def _receive_payments(self, day: date) -> None:
        for plan in self.planned.pop(day, []):
            customer = self.customers[plan.customer_id]
            reference = " ".join(plan.documents)
            result = self._do(c.RecordPayment(day, plan.paid, customer.name, customer.bank_accounts[0],
                                              reference, f"sim:{day.isoformat()}:{reference}"),
                              "bank", "bank statement entry")
            if not result or not result.startswith("payment "):
                continue
            payment_id = result.split()[1]
            if self._do(c.ApplyPayment(payment_id, customer.id, tuple(plan.documents), tuple(plan.amounts)),
                        "cash-application", f"remittance names {reference}"):
                self.stats.payments += 1
