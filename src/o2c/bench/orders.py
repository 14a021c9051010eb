"""``o2c bench orders``: order intake against an ERP's order-entry validation, on the same orders, in one run.

The test set (``bench.order_traffic``, drawn from a noise profile, ``bench.order_noise``): the demo
world with each customer's habits and seasonal peaks, a year of past orders, promotions (current,
ending today, lapsed), scarce SKUs; then ``n`` new orders, mostly X12 850 (interchanges of 250) and
some e-mails. Bad orders carry one or more mistakes, many close to the line; some clean orders are
unusual but right and must pass.

- baseline: ``ErpOrderEntry`` (``bench.order_baseline``), SAP SD's order-entry checks;
- o2c: ``check_order`` with the policy's ``order_intake`` thresholds.
Scored per order and kind: recall (orders with the mistake that were flagged with it) and precision
(orders flagged with it that had it); touchless: clean orders (unusual ones included) without a flag.
Speeds: ``orders_per_second`` is X12 parse + validation in memory; ``pipeline_orders_per_second`` is
the whole path on a database (SQLite by default, ``db_url`` for PostgreSQL): reading the reference
data, parsing, validating, and then for o2c the intake agent, the policy gate, the order booked,
the audit chain, the intake log and the 855 / 997 stored; for the baseline the order booked.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as day_time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from o2c.adapters.formats.orders import parse_order_file
from o2c.adapters.store.intake_store import seed_stock
from o2c.bench.order_baseline import ErpOrderEntry
from o2c.bench.order_noise import KINDS, OrderNoiseProfile, load_profile
from o2c.bench.order_traffic import BenchWorld, OrderTraffic, bench_world
from o2c.bootstrap import bootstrap
from o2c.config import Settings, normalise_database_url
from o2c.domain.order_checks import (
    IntakeReference,
    OrderRequest,
    ScheduledReceipt,
    StockPosition,
    check_order,
)
from o2c.domain.orders import Order, OrderLine
from o2c.policy.order_intake import load_intake_rules
from o2c.services.clock import SimClock
from o2c.services.intake import IntakeService, load_reference
from o2c.services.intake_channels import EmailOrder, request_from_email, request_from_parsed
from o2c.sim.order_documents import MadeOrder, render_email_text, render_x12

BATCH = 250
TODAY = date(2026, 12, 10)
Flagger = Callable[[OrderRequest, IntakeReference], frozenset[str]]


@dataclass
class Scored:
    truth: list[frozenset[str]] = field(default_factory=list)
    flagged: list[frozenset[str]] = field(default_factory=list)
    unusual: list[tuple[str, ...]] = field(default_factory=list)
    edi_orders: int = 0
    edi_seconds: float = 0.0
    edi_cpu_seconds: float = 0.0
    pipeline_orders: int = 0
    pipeline_seconds: float = 0.0
    pipeline_cpu_seconds: float = 0.0


# --- the databases ---------------------------------------------------------------------------------
def _seed(url: str, bench: BenchWorld) -> None:
    app = bootstrap(
        Settings(database_url=url), clock=SimClock(datetime.combine(TODAY, day_time(8))), agents=[]
    )
    try:
        with app.uow() as uow:
            world = bench.world
            uow.customers.add_many(world.customers)
            uow.products.add_many(world.products)
            uow.price_lists.add_many(world.price_lists)
            uow.promotions.add_many(world.promotions)
            uow.orders.add_many(bench.history)
            seed_stock(
                uow.conn,
                [
                    StockPosition(p.sku, "RTM", Decimal(0) if p.sku in bench.scarce else Decimal(10**7))
                    for p in world.products
                ],
                [
                    ScheduledReceipt(sku, "RTM", bench.restock_on, Decimal(500))
                    for sku in sorted(bench.scarce)
                ],
            )
            uow.commit()
    finally:
        app.close()


@contextmanager
def _databases(db_url: str | None, folder: Path, bench: BenchWorld) -> Iterator[dict[str, str]]:
    """A seeded database per path (reference, baseline, o2c); PostgreSQL ones are made beside ``db_url``."""
    names = ("reference", "baseline", "o2c")
    if db_url is None or normalise_database_url(db_url).startswith("sqlite"):
        seeded = folder / "seeded.db"
        _seed(f"sqlite:///{seeded}", bench)
        for name in names:
            shutil.copyfile(seeded, folder / f"{name}.db")
        yield {name: f"sqlite:///{folder / f'{name}.db'}" for name in names}
        return
    server = make_url(normalise_database_url(db_url))
    stem = f"o2c_bench_orders_{int(time.time())}_{random.randrange(10**6)}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    made: list[str] = []
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{stem}_seed"'))
        made.append(f"{stem}_seed")
        _seed(server.set(database=f"{stem}_seed").render_as_string(hide_password=False), bench)
        with admin.connect() as conn:
            for name in names:
                conn.execute(text(f'CREATE DATABASE "{stem}_{name}" TEMPLATE "{stem}_seed"'))
                made.append(f"{stem}_{name}")
        yield {
            name: server.set(database=f"{stem}_{name}").render_as_string(hide_password=False)
            for name in names
        }
    finally:
        with admin.connect() as conn:
            for db in made:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)'))
        admin.dispose()


def _reference(url: str) -> IntakeReference:
    app = bootstrap(
        Settings(database_url=url), clock=SimClock(datetime.combine(TODAY, day_time(8))), agents=[]
    )
    try:
        with app.uow() as uow:
            return load_reference(uow, TODAY, load_intake_rules())
    finally:
        app.close()


# --- validation in memory --------------------------------------------------------------------------
def _flags_o2c(request: OrderRequest, ref: IntakeReference) -> frozenset[str]:
    return frozenset(p.reason.value for p in check_order(request, ref).problems)


def _files(orders: list[MadeOrder], products: dict[str, object]) -> tuple[list[bytes], list[EmailOrder]]:
    edi = [o for o in orders if o.channel == "edi"]
    files = [
        render_x12(edi[i : i + BATCH], products, 1000 + i // BATCH, today=TODAY)
        for i in range(0, len(edi), BATCH)
    ]
    emails = [EmailOrder(*render_email_text(o, products)) for o in orders if o.channel == "email"]
    return files, emails


def validate(
    orders: list[MadeOrder], ref: IntakeReference, flag: Flagger, advance: Callable[[int], None]
) -> Scored:
    """Parse every order and flag it; the EDI part timed (wall clock and this process's CPU)."""
    scored = Scored()
    files, emails = _files(orders, dict(ref.products))
    started, cpu = time.perf_counter(), time.process_time()
    for number, data in enumerate(files):
        parsed = parse_order_file(data, f"bench-{number}.x12")
        scored.flagged += [flag(request_from_parsed(order, "bench"), ref) for order in parsed.orders]
        advance(len(parsed.orders))
    scored.edi_seconds, scored.edi_cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    scored.edi_orders = sum(o.channel == "edi" for o in orders)
    catalog = list(ref.products.values())
    for message in emails:
        scored.flagged.append(
            flag(request_from_email(message, ref.today, ref.customers.values(), catalog), ref)
        )
        advance(1)
    ordered = [o for o in orders if o.channel == "edi"] + [o for o in orders if o.channel == "email"]
    scored.truth = [o.errors for o in ordered]
    scored.unusual = [tuple(o.notes) for o in ordered]
    return scored


# --- the whole path on a database ------------------------------------------------------------------
def pipeline_o2c(url: str, orders: list[MadeOrder], products: dict[str, object]) -> tuple[int, float, float]:
    """Orders through o2c's intake service: read reference, parse, check, agent, gate, book, audit, 855."""
    files, emails = _files(orders, products)
    app = bootstrap(
        Settings(database_url=url), clock=SimClock(datetime.combine(TODAY, day_time(8))), agents=[]
    )
    try:
        service = IntakeService.for_app(app)
        started, cpu = time.perf_counter(), time.process_time()
        with app.uow() as uow:
            ref = load_reference(uow, TODAY, service.rules)
        done = sum(
            len(service.import_file(data, f"bench-{n}.x12", ref).orders) for n, data in enumerate(files)
        )
        done += len(service.receive_emails(emails, ref))
        return done, time.perf_counter() - started, time.process_time() - cpu
    finally:
        app.close()


def pipeline_baseline(
    url: str, orders: list[MadeOrder], products: dict[str, object]
) -> tuple[int, float, float]:
    """Orders through the ERP-style entry: read reference, parse, validate, book every order it could
    resolve (one transaction per file); no agent, gate, audit or acknowledgement."""
    files, _emails = _files(orders, products)
    app = bootstrap(
        Settings(database_url=url), clock=SimClock(datetime.combine(TODAY, day_time(8))), agents=[]
    )
    try:
        started, cpu = time.perf_counter(), time.process_time()
        with app.uow() as uow:
            ref = load_reference(uow, TODAY)
        entry, done = ErpOrderEntry(ref), 0
        for n, data in enumerate(files):
            with app.uow() as uow:
                booked = []
                for order in parse_order_file(data, f"bench-{n}.x12").orders:
                    request = request_from_parsed(order, f"bench-{n}")
                    done += 1
                    if (booked_order := _erp_order(request, entry(request, ref), ref, done)) is not None:
                        booked.append(booked_order)
                uow.orders.add_many(booked)
                uow.commit()
        return done, time.perf_counter() - started, time.process_time() - cpu
    finally:
        app.close()


def _erp_order(request: OrderRequest, flags: frozenset[str], ref: IntakeReference, n: int) -> Order | None:
    customer = ref.customer(request.buyer)
    if customer is None or "unknown_sku" in flags or "unit_mismatch" in flags:
        return None
    lines = []
    for i, line in enumerate(request.lines, start=1):
        product = ref.product(line, customer)
        q = ref.quote(customer, product.sku, line.quantity) if product else None
        if product is None or q is None:
            return None
        lines.append(
            OrderLine(
                i, product.sku, line.quantity, q.net_price, q.list_price, q.promotion_id, q.discount_percent
            )
        )
    return Order(
        f"SO-E{n:08d}",
        customer.id,
        customer.ship_tos[0].code,
        request.channel,
        ref.today,
        request.requested_date or ref.today,
        customer.currency,
        tuple(lines),
        request.po_number,
        source_ref=f"{request.source_ref}:{n}",
    )


# --- scoring ---------------------------------------------------------------------------------------
def figures(scored: Scored) -> dict[str, Any]:
    recall, precision = {}, {}
    for kind in KINDS:
        truth = [kind in t for t in scored.truth]
        said = [kind in f for f in scored.flagged]
        hits = sum(t and s for t, s in zip(truth, said, strict=True))
        recall[kind] = round(hits / sum(truth), 4) if sum(truth) else None
        precision[kind] = round(hits / sum(said), 4) if sum(said) else (None if not sum(truth) else 0.0)
    intake_flags = [f - {"credit_limit"} for f in scored.flagged]
    clean = [not f for t, f in zip(scored.truth, intake_flags, strict=True) if not t]
    unusual_clean = {
        note: [
            not f
            for t, f, u in zip(scored.truth, intake_flags, scored.unusual, strict=True)
            if not t and note in u
        ]
        for note in ("new_item", "far_ahead", "promotion_last_day")
    }
    return {
        "recall_by_error": recall,
        "precision_by_error": precision,
        "touchless_rate": round(sum(clean) / len(clean), 4) if clean else 0.0,
        "touchless_unusual": {k: round(sum(v) / len(v), 4) if v else None for k, v in unusual_clean.items()},
        "orders_per_second": round(scored.edi_orders / scored.edi_seconds, 1) if scored.edi_seconds else 0.0,
        "cpu_orders_per_second": round(scored.edi_orders / scored.edi_cpu_seconds, 1)
        if scored.edi_cpu_seconds
        else 0.0,
        "pipeline_orders_per_second": round(scored.pipeline_orders / scored.pipeline_seconds, 1)
        if scored.pipeline_seconds
        else 0.0,
        "pipeline_cpu_orders_per_second": round(scored.pipeline_orders / scored.pipeline_cpu_seconds, 1)
        if scored.pipeline_cpu_seconds
        else 0.0,
        "pipeline_orders": scored.pipeline_orders,
        "credit_blocks": sum("credit_limit" in f for f in scored.flagged),
        "orders": len(scored.truth),
        "edi_orders": scored.edi_orders,
        "errors_by_kind": {k: sum(k in t for t in scored.truth) for k in KINDS},
    }


def run_bench(
    n: int = 10_000,
    seed: int = 7,
    progress: Callable[[str, int], Callable[[int], None]] | None = None,
    profile: OrderNoiseProfile | None = None,
    db_url: str | None = None,
    pipeline: bool = True,
) -> dict[str, Any]:
    """Both paths on the same ``n`` orders; ``progress(label, total)`` returns an advance callback."""
    profile = profile or load_profile()
    bench = bench_world(profile, seed, TODAY)
    orders = OrderTraffic(bench, profile, random.Random(seed)).draw(n)
    products: dict[str, object] = {p.sku: p for p in bench.world.products}
    results: dict[str, Any] = {}
    with (
        tempfile.TemporaryDirectory(prefix="o2c-bench-orders-") as folder,
        _databases(db_url, Path(folder), bench) as urls,
    ):
        ref = _reference(urls["reference"])
        for name in ("baseline", "o2c"):
            flag = ErpOrderEntry(ref) if name == "baseline" else _flags_o2c
            advance = progress(f"{name}: parse + validate", n) if progress else (lambda _n: None)
            scored = validate(orders, ref, flag, advance)
            if pipeline:
                run = pipeline_baseline if name == "baseline" else pipeline_o2c
                scored.pipeline_orders, scored.pipeline_seconds, scored.pipeline_cpu_seconds = run(
                    urls[name], orders, products
                )
            results[name] = figures(scored)
    results["setup"] = {
        "orders": n,
        "seed": seed,
        "today": TODAY.isoformat(),
        "profile": profile.name,
        "bad_orders": sum(bool(o.errors) for o in orders),
        "mistakes": sum(len(o.errors) for o in orders),
        "unusual_clean_orders": sum(bool(o.notes) and not o.errors for o in orders),
        "database": "sqlite"
        if db_url is None
        else make_url(normalise_database_url(db_url)).get_backend_name(),
    }
    return results


def misses(
    n: int = 2000, seed: int = 7, profile: OrderNoiseProfile | None = None
) -> list[tuple[frozenset[str], frozenset[str]]]:
    """(truth, o2c's flags) where they differ: for looking into, and for tests."""
    profile = profile or load_profile()
    bench = bench_world(profile, seed, TODAY)
    orders = OrderTraffic(bench, profile, random.Random(seed)).draw(n)
    with (
        tempfile.TemporaryDirectory(prefix="o2c-bench-orders-") as folder,
        _databases(None, Path(folder), bench) as urls,
    ):
        ref = _reference(urls["reference"])
    scored = validate(orders, ref, _flags_o2c, lambda _n: None)
    return [(t, f) for t, f in zip(scored.truth, scored.flagged, strict=True) if t != f]
