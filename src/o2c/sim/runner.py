"""Run the demo company's days through the real services and agents.

Each simulated day: deliveries that arrive are confirmed and invoiced; customers pay what their
payment behaviour says is due today (some combine invoices, some short-pay); new orders arrive from
every channel; the agents handle the events (the credit agent confirms or holds, releases holds once
cash comes in); confirmed orders ship; at month end foreign receivables are revalued. Everything goes
through commands, the unit of work and the dispatcher — the same path production takes.
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from o2c.adapters.store.intake_store import seed_stock
from o2c.bootstrap import App
from o2c.domain import commands as c
from o2c.domain.customers import Customer, Segment
from o2c.domain.errors import DomainError
from o2c.domain.money import Money
from o2c.domain.order_checks import IntakeReference, ScheduledReceipt, StockPosition
from o2c.domain.orders import OrderStatus
from o2c.domain.payments import early_payment_discount
from o2c.services.billing import unsent_documents
from o2c.services.cash import import_bank_file
from o2c.services.clock import SimClock
from o2c.services.intake import IntakeService, OrderOutcome, load_reference
from o2c.sim import customers_behaviour, disruptions
from o2c.sim.bank_files import Credit, Noise, camt053, fee_for, payer_name_for, reference_for
from o2c.sim.order_errors import (
    EDI_KINDS,
    EMAIL_KINDS,
    ERROR_KINDS,
    MadeOrder,
    OrderMaker,
    render_csv,
    render_email,
    render_x12,
)
from o2c.sim.scenario import Scenario
from o2c.sim.world import World, load_billing_terms

CHANNEL = {Segment.RETAIL_CHAIN: "edi", Segment.WHOLESALER: "csv", Segment.HORECA: "email"}
COMPANY_ACCOUNTS = {"EUR": "NL91ABNA0417164300", "GBP": "GB29NWBK60161331926819", "USD": "DE89370400440532013000"}
BANK_NOISE = Noise()


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
        positions, receipts = demo_stock(world, scenario)
        seed_stock(uow.conn, positions, receipts)
        uow.audit.append(app.clock.now(), "sim", "load_master_data", "world",
                         f"demo world seed {scenario.seed}",
                         {"customers": len(world.customers), "products": len(world.products)})
        uow.commit()


def demo_stock(world: World, scenario: Scenario) -> tuple[list[StockPosition], list[ScheduledReceipt]]:
    """Plenty on hand in every warehouse, except scarce SKUs: little stock and a receipt mid-run."""
    skus = sorted(p.sku for p in world.products)
    scarce = set(random.Random(scenario.seed * 104729).sample(skus, round(len(skus) * scenario.scarce_sku_share)))
    positions = [StockPosition(sku, wh, Decimal(300) if sku in scarce else Decimal(100_000))
                 for sku in skus for wh in sorted(world.warehouses)]
    middle = scenario.start_date + timedelta(days=max(scenario.days // 2, 1))
    receipts = [ScheduledReceipt(sku, sorted(world.warehouses)[0], middle, Decimal(400)) for sku in sorted(scarce)]
    return positions, receipts


class Simulation:
    def __init__(self, app: App, clock: SimClock, scenario: Scenario, world: World) -> None:
        self.app, self.clock, self.scenario, self.world = app, clock, scenario, world
        self.rng = random.Random(scenario.seed * 7919 + 1)
        self.customers = {cu.id: cu for cu in world.customers}
        self.skus = [p.sku for p in world.products]
        self.planned: dict[date, list[PlannedPayment]] = defaultdict(list)
        self.bank_balances: dict[str, Money] = {}
        self.stats = SimStats()
        self.intake = IntakeService.for_app(app)
        self.interchanges = 0
        self.maker: OrderMaker | None = None

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
        disruptions.start_of_day(self, day)
        self._at(day, 6)
        self._deliver_and_invoice(day)
        self._at(day, 9)
        self._receive_payments(day)
        self._at(day, 11)
        self._capture_orders(day)
        self.app.dispatcher.drain()
        disruptions.before_pick(self, day)
        self._at(day, 16)
        self._ship(day)
        if (day + timedelta(days=1)).month != day.month:
            self._do(c.RevalueOpenItems(day), "finance", "month-end revaluation of foreign receivables")
        self.app.dispatcher.drain()
        customers_behaviour.run_day(self, day)

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
        """The day's orders arrive as files and e-mails (some with mistakes) and go through intake."""
        if day.weekday() == 6:
            return
        with self.app.uow() as uow:
            ref = load_reference(uow, day)
        if self.maker is None:
            self.maker = OrderMaker(ref, self.rng, base=self._base_quantity)
        maker = self.maker.use(ref)
        arriving: dict[str, list[MadeOrder]] = defaultdict(list)
        for customer in self.world.customers:
            rate = self.scenario.orders_per_week[customer.segment.value] / 6
            if self.rng.random() < rate:
                channel = CHANNEL[customer.segment]
                low, high = self.scenario.lines_per_order[customer.segment.value]
                order = maker.clean(customer, "email" if channel == "email" else "edi", self.rng.randint(low, high))
                arriving[channel].append(maker.price(self._with_mistake(maker, order, channel)))
        self._receive(day, arriving, ref)

    def _with_mistake(self, maker: OrderMaker, order: MadeOrder, channel: str) -> MadeOrder:
        if self.rng.random() >= self.scenario.order_error_rate:
            return order
        kinds = {k: w for k, w in (self.scenario.order_error_kinds or dict.fromkeys(ERROR_KINDS, 1.0)).items()
                 if k in (EMAIL_KINDS if channel == "email" else EDI_KINDS)}
        if not kinds:
            return order
        kind = self.rng.choices(sorted(kinds), weights=[kinds[k] for k in sorted(kinds)])[0]
        return maker.inject(order, kind) or order

    def _receive(self, day: date, arriving: dict[str, list[MadeOrder]], ref: IntakeReference) -> None:
        self.clock.tick()
        products: dict[str, object] = dict(ref.products)
        outcomes: list[OrderOutcome] = []
        if arriving["edi"]:
            data = render_x12(arriving["edi"], products, self._next_control(), today=day)
            outcomes += self.intake.import_file(data, f"850-{day.isoformat()}.x12", ref).orders
        if arriving["csv"]:
            data = render_csv(arriving["csv"], products)
            outcomes += self.intake.import_file(data, f"portal-{day.isoformat()}.csv", ref).orders
        if arriving["email"]:
            outcomes += self.intake.receive_emails([render_email(o, products) for o in arriving["email"]], ref)
        self.stats.orders += sum(1 for o in outcomes if o.order_id)

    def _next_control(self) -> int:
        self.interchanges += 1
        return self.interchanges

    def _base_quantity(self, customer: Customer, sku: str) -> Decimal:
        """What this customer usually orders of ``sku``: fixed per pair, in its segment's range."""
        low, high = {Segment.RETAIL_CHAIN: (20, 120), Segment.WHOLESALER: (10, 60),
                     Segment.HORECA: (2, 8)}[customer.segment]
        size = int(hashlib.sha256(customer.id.encode()).hexdigest()[:8], 16) % (high - low + 1) + low
        spread = int(hashlib.sha256(f"{customer.id}:{sku}".encode()).hexdigest()[:8], 16) % 60 + 75
        return max(Decimal(1), (Decimal(size * spread) / 100).to_integral_value())

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
        """PODs in, invoices out (held ones fixed by the billing agent), rebates accrued, documents sent."""
        if not self.world.billing_loaded:
            with self.app.uow() as uow:
                load_billing_terms(uow, self.world)
                uow.commit()
            self.world.billing_loaded = True
        with self.app.uow() as uow:
            arriving = uow.deliveries.arriving_by(day)
        held = []
        for delivery in arriving:
            self._do(c.ConfirmDelivery(delivery.id, f"POD-{delivery.id}"), f"carrier:{delivery.carrier}",
                     "proof of delivery received")
            result = self._do(c.InvoiceDelivery(delivery.id), "billing", "invoice delivered quantities")
            if result and result.startswith("invoice "):
                self.stats.invoices += 1
                self._plan_payment(result.split()[1], delivery.customer_id)
            elif result and " held " in result:
                held.append(delivery)
        if day >= self.scenario.start_date:
            self._do(c.AccrueRebates(day), "billing", "daily rebate accrual")
        self.app.dispatcher.drain()
        with self.app.uow() as uow:
            fixed = [(uow.invoices.for_delivery(d.id), d.customer_id) for d in held]
            unsent = unsent_documents(uow)
        for invoice, customer_id in fixed:
            if invoice is not None:
                self.stats.invoices += 1
                self._plan_payment(invoice.number, customer_id)
        if unsent:
            self._do(c.SendInvoice(tuple(unsent)), "billing", "send on the customers' channels")

    def _plan_payment(self, number: str, customer_id: str) -> None:
        with self.app.uow() as uow:
            invoice = uow.invoices.get(number)
        if invoice is None:
            return
        name = self.world.behaviour[customer_id]
        behaviour = self.scenario.payment_behaviour[name]
        pay_on = invoice.due_date + timedelta(days=self.rng.randint(*behaviour.delay))
        pay_on = max(pay_on, invoice.issue_date + timedelta(days=1))
        amount = invoice.gross_total
        terms = self.customers[customer_id].terms
        if terms.discount_days and name == "prompt" and self.rng.random() < 0.5:
            pay_on = invoice.issue_date + timedelta(days=terms.discount_days - self.rng.randint(0, 3))
            amount = amount - early_payment_discount(amount, terms.discount_percent)
        elif self.rng.random() < self.scenario.short_pay_rate:
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
        """Today's payments arrive as one camt.053 statement per currency, imported and left to the agent."""
        by_currency: dict[str, list[Credit]] = defaultdict(list)
        for n, plan in enumerate(self.planned.pop(day, [])):
            credit = self._credit_for(plan, day, n)
            by_currency[credit.amount.currency].append(credit)
        for ccy, credits in sorted(by_currency.items()):
            opening = self.bank_balances.get(ccy, Money.zero(ccy))
            data = camt053(COMPANY_ACCOUNTS[ccy], ccy, day, opening, credits, f"STMT{ccy}{day:%Y%m%d}")
            self.clock.tick()
            report = import_bank_file(self.app, data, f"camt053-{ccy}-{day.isoformat()}.xml", match=False)
            if report.refused:
                self.stats.errors.extend(report.errors)
                continue
            self.bank_balances[ccy] = opening + sum((c.amount for c in credits), Money.zero(ccy))
            self.stats.payments += report.payments_recorded

    def _credit_for(self, plan: PlannedPayment, day: date, n: int) -> Credit:
        """What the bank shows for a planned payment: noisy reference, payer name, fees."""
        customer = self.customers[plan.customer_id]
        with self.app.uow() as uow:
            invoices = [uow.invoices.get(d) for d in plan.documents]
            orders = [uow.orders.get(i.order_id) if i and i.order_id else None for i in invoices]
        reference = reference_for(plan.documents, [o.id if o else "" for o in orders],
                                  [o.po_number or "" if o else "" for o in orders], BANK_NOISE, self.rng)
        name, own = payer_name_for(customer.name, BANK_NOISE, self.rng)
        fee = fee_for(plan.paid, customer.country != "NL", BANK_NOISE, self.rng)
        account = customer.bank_accounts[0] if own else None
        return Credit(f"SIM{day:%Y%m%d}{n:04d}", day, plan.paid - fee, name, account, reference)
