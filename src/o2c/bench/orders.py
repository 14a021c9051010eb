"""``o2c bench orders``: order intake against a plain ERP import, on the same generated orders, in one run.

The test set: the demo world (customers, catalog, price lists) in a SQLite database, with four past
orders per customer (the ordering pattern), stock with a few scarce SKUs, current and lapsed
promotions; then ``n`` new orders, mostly X12 850 (batched in interchanges of 250) and some e-mails,
of which about 40 % carry exactly one injected mistake of a known kind (``sim.order_errors``).

- baseline: what a plain ERP import does: accept each order as sent, refusing only what it cannot
  look up exactly (buyer GLN, ship-to GLN, our SKU or GTIN);
- o2c: the intake path: parse, map to an ``OrderRequest``, ``check_order`` against the reference data
  read once from SQLite.
Per error kind: recall (mistakes caught) and precision (flags that were right), scored per order;
touchless rate: clean orders passed without a flag; orders per second: EDI parse + validation,
wall clock (``cpu_orders_per_second``: the same on this process's CPU time, which other work on a
shared machine does not slow down).
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as day_time
from decimal import Decimal
from pathlib import Path
from typing import Any

from o2c.adapters.formats.orders import parse_order_file
from o2c.adapters.store.intake_store import seed_stock
from o2c.bootstrap import bootstrap
from o2c.config import Settings
from o2c.domain.catalog import Promotion, Scope
from o2c.domain.customers import Segment
from o2c.domain.order_checks import (
    IntakeReference,
    OrderRequest,
    ScheduledReceipt,
    StockPosition,
    check_order,
)
from o2c.domain.orders import Order, OrderLine, OrderStatus
from o2c.services.clock import SimClock
from o2c.services.intake import load_reference
from o2c.services.intake_channels import request_from_email, request_from_parsed
from o2c.sim.order_errors import (
    EDI_KINDS,
    EMAIL_KINDS,
    ERROR_KINDS,
    MadeOrder,
    OrderMaker,
    render_email,
    render_x12,
)
from o2c.sim.scenario import load_scenario
from o2c.sim.world import World, build_world

BATCH = 250
STRUCTURAL = ("unknown_customer", "unknown_ship_to", "unknown_sku")
BASE_QTY = {Segment.RETAIL_CHAIN: (40, 100), Segment.WHOLESALER: (15, 50), Segment.HORECA: (2, 8)}


@dataclass
class Scored:
    truth: list[str | None] = field(default_factory=list)
    flagged: list[frozenset[str]] = field(default_factory=list)
    seconds: float = 0.0
    edi_orders: int = 0
    edi_seconds: float = 0.0
    edi_cpu_seconds: float = 0.0


def bench_world(seed: int, today: date) -> tuple[World, list[Promotion], set[str]]:
    """The demo world with controlled promotions and scarce SKUs for the benchmark."""
    world = build_world(load_scenario(seed=seed))
    rng = random.Random(seed)
    skus = sorted(p.sku for p in world.products)
    picked = rng.sample(skus, 28)
    current, lapsed, scarce = picked[:10], picked[10:20], set(picked[20:])
    promotions = [Promotion(f"BP-{n:02d}", f"Bench promo {n}", (sku,), Decimal(rng.choice(["5", "10", "15"])),
                            today - timedelta(days=3), today + timedelta(days=10), Scope())
                  for n, sku in enumerate(current, start=1)]
    promotions += [Promotion(f"BL-{n:02d}", f"Lapsed promo {n}", (sku,), Decimal(rng.choice(["5", "10"])),
                             today - timedelta(days=40), today - timedelta(days=8), Scope())
                   for n, sku in enumerate(lapsed, start=1)]
    customers = [replace(c, item_aliases={f"{c.id}-{sku[-4:]}": sku for sku in rng.sample(skus, 8)})
                 if c.segment is Segment.RETAIL_CHAIN else c for c in world.customers]
    return replace(world, customers=customers, promotions=promotions), promotions, scarce


def history(world: World, today: date, rng: random.Random, scarce: set[str]) -> list[Order]:
    """Four past orders per customer over its usual SKUs: what the quantity check learns from."""
    skus = sorted(p.sku for p in world.products if p.sku not in scarce)
    orders = []
    for customer in world.customers:
        low, high = BASE_QTY[customer.segment]
        usual = {sku: Decimal(rng.randint(low, high)) for sku in rng.sample(skus, 12)}
        for n in range(4):
            day = today - timedelta(days=7 * (n + 1))
            lines = tuple(OrderLine(i, sku, max(Decimal(1), (q * Decimal(rng.randint(85, 118)) / 100)
                                                .to_integral_value()), Decimal(1), Decimal(1))
                          for i, (sku, q) in enumerate(sorted(usual.items()), start=1))
            orders.append(Order(f"SO-B{customer.id}-{n}", customer.id, customer.ship_tos[0].code, "edi", day, day,
                                customer.currency, lines, f"H{customer.id}-{n}", OrderStatus.DELIVERED,
                                source_ref=f"bench:history:{customer.id}:{n}"))
    return orders


def load_bench_reference(db_path: Path, seed: int, today: date) -> tuple[IntakeReference, set[str]]:
    world, _promotions, scarce = bench_world(seed, today)
    app = bootstrap(Settings(database_url=f"sqlite:///{db_path}"),
                    clock=SimClock(datetime.combine(today, day_time(8))))
    try:
        with app.uow() as uow:
            uow.customers.add_many(world.customers)
            uow.products.add_many(world.products)
            uow.price_lists.add_many(world.price_lists)
            uow.promotions.add_many(world.promotions)
            uow.orders.add_many(history(world, today, random.Random(seed + 1), scarce))
            seed_stock(uow.conn, [StockPosition(p.sku, "RTM", Decimal(0) if p.sku in scarce else Decimal(10**7))
                                  for p in world.products],
                       [ScheduledReceipt(sku, "RTM", today + timedelta(days=30), Decimal(500)) for sku in scarce])
            uow.commit()
        with app.uow() as uow:
            return load_reference(uow, today), scarce
    finally:
        app.close()


def make_orders(ref: IntakeReference, scarce: set[str], n: int, seed: int) -> list[MadeOrder]:
    rng = random.Random(seed)
    maker = OrderMaker(ref, rng, scarce)
    customers = sorted(ref.customers.values(), key=lambda c: c.id)
    orders: list[MadeOrder] = []
    needs_po = [c for c in customers if c.requires_po]
    while len(orders) < n:
        channel = "email" if rng.random() < 0.1 else "edi"
        kind = rng.choice(sorted(EMAIL_KINDS if channel == "email" else EDI_KINDS)) if rng.random() < 0.4 else None
        customer = rng.choice(needs_po if kind == "po_missing" else customers)
        order = maker.clean(customer, channel, rng.randint(2, 8) if channel == "edi" else rng.randint(1, 4))
        for line in order.lines:
            line.use_alias = rng.random() < 0.3
        if kind:
            order = maker.inject(order, kind) or order
        orders.append(maker.price(order))
    return orders


def _flags_o2c(request: OrderRequest, ref: IntakeReference) -> frozenset[str]:
    return frozenset(p.reason.value for p in check_order(request, ref).problems)


def _flags_baseline(request: OrderRequest, ref: IntakeReference) -> frozenset[str]:
    """A plain import: exact look-ups only, no customer item codes, everything else as sent."""
    customer = ref.customers.get(request.buyer or "") or ref.customer_by_gln.get(request.buyer or "")
    if customer is None:
        return frozenset({"unknown_customer"})
    flags = set()
    if request.ship_to and not any(request.ship_to in (s.code, s.gln) for s in customer.ship_tos):
        flags.add("unknown_ship_to")
    if any(not (ln.sku in ref.products or ln.gtin in ref.product_by_gtin) for ln in request.lines):
        flags.add("unknown_sku")
    return frozenset(flags)


def run_path(orders: list[MadeOrder], ref: IntakeReference, flag: Callable[[OrderRequest, IntakeReference],
             frozenset[str]], on_batch: Callable[[int], None]) -> Scored:
    scored = Scored()
    products: dict[str, object] = dict(ref.products)
    edi = [o for o in orders if o.channel == "edi"]
    emails = [o for o in orders if o.channel == "email"]
    files = [render_x12(edi[i:i + BATCH], products, 1000 + i // BATCH, today=ref.today)
             for i in range(0, len(edi), BATCH)]
    started, cpu_started = time.perf_counter(), time.process_time()
    for number, data in enumerate(files):
        parsed = parse_order_file(data, f"bench-{number}.x12")
        for order in parsed.orders:
            scored.flagged.append(flag(request_from_parsed(order, "bench"), ref))
        on_batch(len(parsed.orders))
    scored.edi_seconds = time.perf_counter() - started
    scored.edi_cpu_seconds = time.process_time() - cpu_started
    scored.edi_orders = len(edi)
    catalog = list(ref.products.values())
    for made in emails:
        request = request_from_email(render_email(made, products), ref.today, ref.customers.values(), catalog)
        scored.flagged.append(flag(request, ref))
        on_batch(1)
    scored.seconds = time.perf_counter() - started
    scored.truth = [o.error for o in edi] + [o.error for o in emails]
    return scored


def figures(scored: Scored) -> dict[str, Any]:
    recall, precision = {}, {}
    for kind in ERROR_KINDS:
        truth = [t == kind for t in scored.truth]
        said = [kind in f for f in scored.flagged]
        hits = sum(t and s for t, s in zip(truth, said, strict=True))
        recall[kind] = round(hits / sum(truth), 4) if sum(truth) else 0.0
        precision[kind] = round(hits / sum(said), 4) if sum(said) else 0.0
    clean = [not f for t, f in zip(scored.truth, scored.flagged, strict=True) if t is None]
    return {"recall_by_error": recall, "precision_by_error": precision,
            "touchless_rate": round(sum(clean) / len(clean), 4) if clean else 0.0,
            "orders_per_second": round(scored.edi_orders / scored.edi_seconds, 1) if scored.edi_seconds else 0.0,
            "cpu_orders_per_second": round(scored.edi_orders / scored.edi_cpu_seconds, 1)
            if scored.edi_cpu_seconds else 0.0,
            "all_channels_orders_per_second": round(len(scored.truth) / scored.seconds, 1) if scored.seconds else 0.0,
            "orders": len(scored.truth), "edi_orders": scored.edi_orders,
            "errors_by_kind": {k: sum(t == k for t in scored.truth) for k in ERROR_KINDS}}


def run_bench(n: int = 10_000, seed: int = 7, progress: Callable[[str, int], Callable[[int], None]] | None = None,
              today: date = date(2026, 9, 15)) -> dict[str, Any]:
    """Both paths on the same ``n`` orders; ``progress(label, total)`` returns an advance callback."""
    with tempfile.TemporaryDirectory() as folder:
        ref, scarce = load_bench_reference(Path(folder) / "bench.db", seed, today)
    orders = make_orders(ref, scarce, n, seed)
    results = {}
    for name, flag in (("baseline", _flags_baseline), ("o2c", _flags_o2c)):
        advance = progress(name, len(orders)) if progress else (lambda _n: None)
        results[name] = figures(run_path(orders, ref, flag, advance))
    results["setup"] = {"orders": n, "seed": seed, "today": today.isoformat(),
                        "injected": sum(o.error is not None for o in orders),
                        "database": "sqlite (reference data read once into memory)"}
    return results


def misses(n: int = 2000, seed: int = 7) -> Iterable[tuple[str | None, frozenset[str]]]:
    """Orders where o2c's flags differ from the truth: for tuning and for tests."""
    today = date(2026, 9, 15)
    with tempfile.TemporaryDirectory() as folder:
        ref, scarce = load_bench_reference(Path(folder) / "bench.db", seed, today)
    orders = make_orders(ref, scarce, n, seed)
    scored = run_path(orders, ref, _flags_o2c, lambda _n: None)
    return [(t, f) for t, f in zip(scored.truth, scored.flagged, strict=True) if f != (frozenset({t}) if t else frozenset())]
