"""``o2c bench scale``: the same day of work with 1, 2, 4, ... worker processes on one PostgreSQL.

A day of work is what lands on the workers of a distributor in a morning: deliveries to take from
proof of delivery to an invoice in the customer's hands (``deliver-and-bill`` durable flows), new
orders for the credit agent and the others, and a bank file of payments for the cash-application
agent (payments and open items from ``bench.cash``'s generators, with their noise). Products, prices
and stock come from the demo world (``sim.world``); the orders and deliveries are placed on the cash
world's euro customers.

The world is seeded once into a template database; each run gets a fresh copy (``CREATE DATABASE
... TEMPLATE``), starts N ``o2c worker`` processes with stable executor ids, waits until they are
ready, then times the day from the first flow enqueued to the moment nothing is left: no event
waiting to be fanned out, no dispatch pending, every flow finished. Reported per worker count:

- ``events_per_second``: outbox events raised during the day (by the day's input and by the agents'
  and flows' effects), each dispatched to all its agents, per second of the day;
- ``payments_per_second``: payments of the bank file per second from the start of the import to the
  last ``PaymentReceived`` dispatch done;
- ``p95_latency_s``: 95th percentile of event-to-effect latency, from an event's commit
  (``outbox.occurred_at``) to the commit of one of its dispatches (``dispatches.done_at``);
- ``dispatches_done_once``: every (event, agent) dispatch done, none pending or dead, none missing,
  no executed proposal twice for one subject, every flow SUCCESS with each of its steps recorded once;
- ``ledger_problems`` and ``audit_verified``: the ledger invariants and the audit chain afterwards.

The table also shows the CPU seconds the workers and the PostgreSQL server used during the day, which
says where the time went (``/proc``; the server's share includes any other client of that server).
"""

from __future__ import annotations

import math
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, func, insert, make_url, select, text
from sqlalchemy.exc import DBAPIError

from o2c.adapters.store import tables as t
from o2c.bench import cash
from o2c.bootstrap import App, bootstrap
from o2c.config import Settings, normalise_database_url
from o2c.domain import commands as c
from o2c.domain.customers import Customer
from o2c.domain.invoices import DocumentKind, Invoice, InvoiceLine, TaxSubtotal
from o2c.domain.money import Money
from o2c.domain.orders import Order, OrderLine, OrderStatus
from o2c.runtime.business_flows import DELIVER_AND_BILL
from o2c.runtime.client import FlowClient
from o2c.runtime.durable import prepare_database
from o2c.runtime.steps import is_transient
from o2c.runtime.tables import flow_step_runs
from o2c.services.clock import SystemClock
from o2c.services.proposals import run_command
from o2c.sim import runner
from o2c.sim.scenario import load_scenario
from o2c.sim.world import build_world as build_demo_world

READY_TEXT = "ready"
PAYMENT_BATCH = 250
DAY_TIMEOUT_S = 1800.0
T = TypeVar("T")


@dataclass(frozen=True)
class Day:
    """The size of the day: payments in the bank file, open items they pay, new orders, deliveries."""

    payments: int = 5000
    open_items: int = 0
    orders: int = 200
    deliveries: int = 200

    def items(self) -> int:
        return self.open_items or 2 * self.payments


@dataclass
class Run:
    workers: int
    events_per_second: float
    payments_per_second: float
    p95_latency_s: float
    dispatches_done_once: bool
    ledger_problems: int
    audit_verified: bool
    seconds: float = 0.0
    events: int = 0
    cpu_workers_s: float = 0.0
    cpu_postgres_s: float = 0.0
    cpu_driver_s: float = 0.0
    load_average: float = 0.0
    not_once: list[str] = field(default_factory=list)

    def reported(self) -> dict[str, Any]:
        """The figures outside checks read, in their order."""
        keys = (
            "workers",
            "events_per_second",
            "payments_per_second",
            "p95_latency_s",
            "dispatches_done_once",
            "ledger_problems",
            "audit_verified",
        )
        return {key: asdict(self)[key] for key in keys}


Progress = Callable[[int, str, int, int], None]  # workers, phase, done, total


def run_scale(
    database_url: str, worker_counts: Sequence[int], day: Day, progress: Progress | None = None
) -> list[Run]:
    """Seed the day once, then run it with each worker count on a fresh copy; one ``Run`` per count."""
    url = make_url(normalise_database_url(database_url))
    if url.get_backend_name() != "postgresql":
        raise ValueError(
            f"bench scale needs a PostgreSQL URL (several worker processes), got {url.drivername}"
        )
    report = progress or (lambda *_: None)
    world = cash.build_world(day.payments, day.items())
    runs = []
    with _scratch_database(url, "seed") as seed_url:
        report(0, "seeding", 0, 1)
        deliveries = _seed(seed_url, world, day)
        report(0, "seeding", 1, 1)
        for count in worker_counts:
            with _scratch_database(url, f"w{count}", template=seed_url) as run_url:
                runs.append(_run(run_url, count, world, day, deliveries, report))
    return runs


# --- databases --------------------------------------------------------------------------------------
@contextmanager
def _scratch_database(server: Any, label: str, template: str | None = None) -> Iterator[str]:
    name = f"o2c_scale_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    source = f' TEMPLATE "{make_url(template).database}"' if template else ""
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{source}'))
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _seed(url: str, world: cash.World, day: Day) -> list[str]:
    """Master data, open items, and ``day.deliveries`` shipped orders; the ids of their deliveries."""
    app = bootstrap(Settings(database_url=url))
    try:
        demo = build_demo_world(load_scenario())
        runner.load_master_data(app, replace(demo, customers=[]), load_scenario())
        _seed_receivables(app, world)
        _advance_numbers(app, len(world.receivables))
        with app.uow() as uow:
            uow.customers.add_many(_buyers(world))
            uow.commit()
        deliveries = [
            _shipped(app, order_id) for order_id in _orders(app, _buyers(world), day.deliveries, "seed")
        ]
        app.dispatcher.drain()
    finally:
        app.close()
    prepare_database(url)
    return [d for d in deliveries if d]


def _seed_receivables(app: App, world: cash.World) -> None:
    """The cash world as ``bench.cash.seed_database`` writes it, but with whole orders and invoices (one
    zero-rated line each) instead of stubs: all agents run here, and the disputes agent reads the
    invoice and order a short payment pays."""
    with app.uow() as uow:
        uow.customers.add_many(world.customers)
        for ccy, rate in cash.RATES.items():
            if ccy != "EUR":
                uow.fx.put(cash.TODAY - timedelta(days=365), ccy, rate)
        uow.conn.execute(
            insert(t.open_items),
            [
                {
                    "id": r.item.id,
                    "customer_id": r.item.customer_id,
                    "document": r.document,
                    "kind": "invoice",
                    "side": "debit",
                    "currency": r.item.original.currency,
                    "original_minor": r.item.original.to_minor(),
                    "open_minor": r.item.open.to_minor(),
                    "carrying_minor": r.item.carrying.to_minor(),
                    "opened_on": r.item.opened_on,
                    "due_date": r.item.due_date,
                }
                for r in world.receivables
            ],
        )
        uow.orders.add_many(_order(r) for r in world.receivables)
        uow.invoices.add_many(_invoice(r) for r in world.receivables)
        for ccy in cash.RATES:
            cash._opening_entry(uow, ccy, [r for r in world.receivables if r.item.original.currency == ccy])
        uow.commit()


def _order(receivable: Any) -> Order:
    gross = receivable.item.original
    line = OrderLine(1, "GOODS", Decimal(1), gross.amount, gross.amount, delivered=Decimal(1))
    return Order(
        receivable.order_id,
        receivable.item.customer_id,
        f"{receivable.item.customer_id}-S1",
        "edi",
        receivable.issue_date,
        receivable.issue_date,
        gross.currency,
        (line,),
        receivable.po_number,
        OrderStatus.DELIVERED,
    )


def _invoice(receivable: Any) -> Invoice:
    gross, zero = receivable.item.original, Money.zero(receivable.item.original.currency)
    line = InvoiceLine(1, "GOODS", "goods delivered", Decimal(1), gross.amount, "Z", Decimal(0))
    return Invoice(
        receivable.document,
        DocumentKind.INVOICE,
        receivable.item.customer_id,
        receivable.issue_date,
        receivable.item.due_date,
        gross.currency,
        (line,),
        (TaxSubtotal("Z", Decimal(0), gross, zero),),
        gross,
        zero,
        gross,
        order_id=receivable.order_id,
        po_number=receivable.po_number,
    )


def _advance_numbers(app: App, used: int) -> None:
    """Start order and invoice numbers after those the cash world's documents already use."""
    with app.uow() as uow:
        uow.conn.execute(insert(t.sequences).values(name="order", value=used))
        uow.conn.execute(
            insert(t.number_series),
            [{"series": "INV", "year": year, "last": used} for year in range(2024, 2031)],
        )
        uow.commit()


def _buyers(world: cash.World, count: int = 40) -> list[Customer]:
    """Euro customers like the cash world's, under their own ids and with nothing overdue (the cash
    world's customers are months in arrears, and the credit agent would hold every order)."""
    found: list[Customer] = []
    for customer in world.customers:
        if customer.currency == "EUR" and customer.parent_id is None and len(found) < count:
            buyer_id = f"B{customer.id[1:]}"
            found.append(
                replace(
                    customer,
                    id=buyer_id,
                    bank_accounts=(),
                    ship_tos=tuple(
                        replace(ship_to, code=f"{buyer_id}-S1") for ship_to in customer.ship_tos[:1]
                    ),
                )
            )
    return found


def _orders(app: App, buyers: list[Customer], count: int, label: str) -> list[str]:
    rng, today = random.Random(f"{label}:{count}"), SystemClock().today()
    with app.uow() as uow:
        skus = sorted(p.sku for p in uow.products.all())[:12]
    placed = []
    for n in range(count):
        buyer = buyers[n % len(buyers)]
        lines = tuple(c.CaptureOrderLine(sku, Decimal(rng.randint(1, 6))) for sku in rng.sample(skus, 2))
        order = c.CaptureOrder(
            buyer.id,
            buyer.ship_tos[0].code,
            "edi",
            today + timedelta(days=2),
            lines,
            source_ref=f"bench-scale:{label}:{n}",
        )
        result = _again_if_transient(partial(app.execute, order, "bench", "order received"))
        if result.startswith("order "):
            placed.append(result.split()[1])
    return placed


def _shipped(app: App, order_id: str) -> str | None:
    app.dispatcher.drain()
    with app.uow() as uow:
        order = uow.orders.get(order_id)
    if order is None or order.status is not OrderStatus.CONFIRMED:
        return None
    result = app.execute(
        c.ShipOrder(
            order.id,
            _first("warehouse", app),
            _first("carrier", app),
            SystemClock().today(),
            {str(ln.line_no): ln.open_quantity for ln in order.lines},
        ),
        "warehouse",
        "picked and loaded",
    )
    return result.split()[1] if result.startswith("delivery ") else None


def _first(kind: str, app: App) -> str:
    with app.uow() as uow:
        return min(key for key, _ in uow.reference.of_kind(kind))


# --- one run ----------------------------------------------------------------------------------------
def _run(url: str, count: int, world: cash.World, day: Day, deliveries: list[str], report: Progress) -> Run:
    app = bootstrap(Settings(database_url=url), migrate_schema=False)
    client = FlowClient(url)
    try:
        with _workers(url, count, report) as pids:
            last_event = _scalar(app, select(func.coalesce(func.max(t.outbox.c.id), 0)))
            cpu_before = _cpu(pids), _cpu(_postgres_pids()), time.process_time()
            started = time.perf_counter()
            for delivery_id in deliveries:
                client.enqueue(DELIVER_AND_BILL, f"{DELIVER_AND_BILL}:{delivery_id}")
            _orders(app, _buyers(world), day.orders, f"day-{count}")
            bank_file_at = SystemClock().now()
            _bank_file(app, world)
            _wait_until_quiet(
                app,
                client,
                len(deliveries),
                last_event,
                lambda done, total: report(count, "running", done, total),
            )
            seconds = time.perf_counter() - started
            cpu_workers, cpu_server = _cpu(pids) - cpu_before[0], _cpu(_postgres_pids()) - cpu_before[1]
            cpu_driver, load = time.process_time() - cpu_before[2], os.getloadavg()[0]
        figures = _figures(app, last_event, bank_file_at)
        problems_found = _done_once(app, client, deliveries, last_event)
        with app.uow() as uow:
            problems, audit = len(uow.ledger.problems()), uow.audit.verify() == []
    finally:
        client.close()
        app.close()
    return Run(
        count,
        round(figures["events"] / seconds, 1),
        round(len(world.payments) / figures["payments_s"], 1),
        round(figures["p95"], 3),
        not problems_found,
        problems,
        audit,
        round(seconds, 2),
        figures["events"],
        round(cpu_workers, 1),
        round(cpu_server, 1),
        round(cpu_driver, 1),
        round(load, 1),
        problems_found,
    )


def _bank_file(app: App, world: cash.World) -> None:
    """The bank file's payments, recorded as the bank import records them (a batch per transaction)."""
    for start in range(0, len(world.payments), PAYMENT_BATCH):
        _again_if_transient(partial(_record_payments, app, world.payments[start : start + PAYMENT_BATCH]))


def _record_payments(app: App, payments: list[Any]) -> None:
    with app.uow() as uow:
        for payment, _truth in payments:
            run_command(
                uow,
                c.RecordPayment(
                    payment.received_on,
                    payment.amount,
                    payment.payer_name,
                    payment.payer_account,
                    payment.reference,
                    payment.payment_id,
                ),
                "bank-import",
                "bank statement entry",
                app.company,
            )
        uow.commit()


def _again_if_transient(work: Callable[[], T], attempts: int = 8) -> T:
    """Run the day's own transactions as an importer would: one that loses a deadlock with a worker (or
    is refused a connection) was rolled back whole and is run again."""
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except DBAPIError as error:
            if not is_transient(error) or attempt == attempts:
                raise
            time.sleep(min(0.05 * 2**attempt, 5.0))
    raise AssertionError("unreachable")


def _wait_until_quiet(
    app: App, client: FlowClient, flows: int, last_event: int, report: Callable[[int, int], None]
) -> None:
    deadline, quiet = time.monotonic() + DAY_TIMEOUT_S, 0
    while quiet < 2:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the day did not finish within {DAY_TIMEOUT_S:.0f} s")
        time.sleep(0.25)
        with app.uow() as uow:
            unfanned = uow.outbox.unfanned()
            by_status: dict[str, int] = dict(
                uow.conn.execute(  # type: ignore[arg-type]
                    select(t.dispatches.c.status, func.count())
                    .where(t.dispatches.c.event_id > last_event)
                    .group_by(t.dispatches.c.status)
                ).all()
            )
        finished = client.finished_count(f"{DELIVER_AND_BILL}:")
        done = by_status.get("done", 0) + by_status.get("dead", 0)
        report(done, done + by_status.get("pending", 0) + unfanned)
        quiet = quiet + 1 if unfanned == 0 and by_status.get("pending", 0) == 0 and finished >= flows else 0


def _figures(app: App, last_event: int, bank_file_at: datetime) -> dict[str, Any]:
    with app.uow() as uow:
        events = uow.conn.execute(
            select(func.count()).select_from(t.outbox).where(t.outbox.c.id > last_event)
        ).scalar_one()
        lags = uow.conn.execute(
            select(t.dispatches.c.done_at, t.outbox.c.occurred_at, t.outbox.c.event_type)
            .join(t.outbox, t.outbox.c.id == t.dispatches.c.event_id)
            .where(t.outbox.c.id > last_event, t.dispatches.c.status == "done")
        ).all()
    latencies = sorted(max(0.0, (done - occurred).total_seconds()) for done, occurred, _ in lags)
    paid = max((done for done, _, kind in lags if kind == "PaymentReceived"), default=bank_file_at)
    return {
        "events": int(events),
        "p95": _percentile(latencies, 0.95),
        "payments_s": max((paid - bank_file_at).total_seconds(), 1e-3),
    }


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    return values[min(len(values) - 1, math.ceil(share * len(values)) - 1)]


def _done_once(app: App, client: FlowClient, deliveries: list[str], last_event: int) -> list[str]:
    """Every dispatch of the day done, none missing or doubled, no effect twice, every flow once: what
    is not so (empty when all is well)."""
    with app.uow() as uow:
        conn, subscribers = uow.conn, app.dispatcher.subscriptions()
        not_done = conn.execute(
            select(func.count())
            .select_from(t.dispatches)
            .where(t.dispatches.c.event_id > last_event, t.dispatches.c.status != "done")
        ).scalar_one()
        kinds = conn.execute(
            select(t.outbox.c.event_type, func.count())
            .where(t.outbox.c.id > last_event)
            .group_by(t.outbox.c.event_type)
        ).all()
        expected = sum(len(subscribers.get(kind, ())) * number for kind, number in kinds)
        made = conn.execute(
            select(func.count()).select_from(t.dispatches).where(t.dispatches.c.event_id > last_event)
        ).scalar_one()
        failed = conn.execute(
            select(t.dispatches.c.subscriber, t.dispatches.c.status, t.dispatches.c.last_error)
            .where(t.dispatches.c.event_id > last_event, t.dispatches.c.status != "done")
            .limit(3)
        ).all()
        doubled = conn.execute(
            select(t.proposals.c.agent, t.proposals.c.action, t.proposals.c.subject)
            .where(t.proposals.c.status == "executed")
            .group_by(t.proposals.c.agent, t.proposals.c.action, t.proposals.c.subject)
            .having(func.count() > 1)
        ).all()
        step_runs = conn.execute(select(func.count()).select_from(flow_step_runs)).scalar_one()
        invoices = conn.execute(
            select(func.count(t.invoices.c.delivery_id.distinct()), func.count()).where(
                t.invoices.c.delivery_id.is_not(None)
            )
        ).one()
    unfinished = {
        d: status for d in deliveries if (status := client.status(f"{DELIVER_AND_BILL}:{d}")) != "SUCCESS"
    }
    problems = [f"{not_done} dispatches not done, e.g. {[tuple(row) for row in failed]}"] if not_done else []
    problems += [f"{made} dispatches for {expected} (event, agent) pairs"] if made != expected else []
    problems += [f"executed more than once: {[tuple(row) for row in doubled[:5]]}"] if doubled else []
    if unfinished:
        first = next(iter(unfinished))
        problems.append(
            f"flows not SUCCESS: {dict(list(unfinished.items())[:5])}; DL {first}: "
            f"{client.error(f'{DELIVER_AND_BILL}:{first}')}"
        )
    if step_runs != 3 * len(deliveries) or not invoices[0] == invoices[1] == len(deliveries):
        problems.append(f"{step_runs} step runs, {invoices[1]} invoices for {len(deliveries)} deliveries")
    return problems


def _scalar(app: App, query: Any) -> int:
    with app.uow() as uow:
        return int(uow.conn.execute(query).scalar_one())


# --- worker processes -------------------------------------------------------------------------------
@contextmanager
def _workers(url: str, count: int, report: Progress) -> Iterator[list[int]]:
    """``count`` ``o2c worker`` processes with stable ids, ready; stopped with SIGTERM afterwards."""
    processes: list[tuple[subprocess.Popen[str], list[str]]] = []
    try:
        for number in range(1, count + 1):
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "o2c.cli",
                    "worker",
                    "--db",
                    url,
                    "--executor-id",
                    f"scale-{number}",
                    "--poll",
                    "0.2",
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                env={**os.environ, "COLUMNS": "200"},
            )
            lines: list[str] = []
            threading.Thread(target=_collect, args=(process, lines), daemon=True).start()
            processes.append((process, lines))
        for ready, (process, lines) in enumerate(processes, 1):
            _wait_ready(process, lines)
            report(count, "starting workers", ready, count)
        yield [process.pid for process, _ in processes]
    finally:
        for process, _ in processes:
            if process.poll() is None:
                process.terminate()
        for process, _ in processes:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _collect(process: subprocess.Popen[str], lines: list[str]) -> None:
    lines.extend(process.stdout or ())


def _wait_ready(process: subprocess.Popen[str], lines: list[str], timeout_s: float = 120) -> None:
    deadline = time.monotonic() + timeout_s
    while not any(READY_TEXT in line for line in lines):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("a worker did not start:\n" + "".join(lines[-30:]))
        time.sleep(0.05)


# --- CPU from /proc ---------------------------------------------------------------------------------
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu(pids: Sequence[int]) -> float:
    """CPU seconds the processes and their ended children have used so far (user + system; a
    PostgreSQL backend that exits moves its time to the postmaster's children's time)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15])
    return total / _TICKS


def _postgres_pids() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def as_json(runs: list[Run]) -> dict[str, Any]:
    return {"runs": [run.reported() for run in runs]}
