"""``o2c bench billing``: pre-issue validation against issuing invoices as ordered, on the same deliveries.

A seeded set of delivered orders is written twice to SQLite: customers in six countries (domestic VAT
at two rates, exempt goods, intra-EU supplies, exports, US sales tax), three currencies, promotions,
contract prices, header terms, and three channels (EDI, Peppol, e-mail). A share of the deliveries
carries one injected master-data error whose consequence is known:

- ``stale_price``: the order system's price is 4 % above the signed contract (the customer short-pays);
- ``missing_promotion``: an eligible promotion is not on the order (the customer short-pays);
- ``missing_po``: a backorder lost the PO its original carried (the customer's AP rejects it);
- ``vat_id``: a foreign EU business's VAT id is malformed, so domestic VAT is charged (disputed);
- ``us_state``: a US customer without its state gets no sales tax (disputed);
- ``peppol_endpoint``: a Peppol customer with neither a valid GLN nor a VAT id (the document is invalid).

The **baseline** runs an ERP's pre-billing checks (``billing_baseline``: SAP SD's pricing check against
the price list, tax determination by country with the VAT-number check rule and US jurisdiction, the
incompletion log's mandatory PO) and blocks what fails for a person. **o2c** runs ``InvoiceDelivery``
(pre-issue validation) and the billing agent through the policy gate. Both render every issued document
as UBL and validate it with the rules shipped in o2c (XSD + EN 16931 + OpenPeppol's compiled Peppol BIS 3
XSLT, with Saxon). Figures: ``invoices_per_second`` (issued, rendered and validated per second),
``invalid_documents`` (failing the XSD or a fatal/error rule; the outgoing gate would hold them at
sending), ``disputes_prevented`` (injected errors stopped before issue *for the injected reason*: the hold
names one of ``EXPECTED_REASONS[error]``; fixed by the agent or held for a person), ``held_for_another_reason``
(held, but not for the injected error: a person clearing that hold would still let the error through, so
these count as disputes too), ``disputes`` (injected errors not prevented), ``clean_deliveries_held``
(false alarms).
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from o2c.adapters.formats.einvoice import render
from o2c.adapters.formats.einvoice.validate import UblValidator
from o2c.adapters.store.billing_store import BillingStore
from o2c.bench.billing_baseline import bill_or_block
from o2c.bootstrap import App, bootstrap
from o2c.config import Settings
from o2c.domain import commands as c
from o2c.domain.billing_checks import ReasonCode
from o2c.domain.catalog import PriceList, Product, Promotion, Scope
from o2c.domain.customers import Address, Channel, Customer, PaymentTerms, Segment, ShipTo
from o2c.domain.money import Money
from o2c.domain.orders import Delivery, DeliveryLine, Order, OrderLine, OrderStatus
from o2c.domain.rebates import InvoiceTerms
from o2c.services.billing import seller_for
from o2c.services.clock import SimClock
from o2c.services.proposals import run_command

TODAY = date(2026, 9, 15)
ERRORS = ("stale_price", "missing_promotion", "missing_po", "vat_id", "us_state", "peppol_endpoint")
COUNTRIES = (("NL", "EUR", "NL{d9}B01"), ("DE", "EUR", "DE{d9}"), ("BE", "EUR", "BE0{d9}"),
             ("FR", "EUR", "FR{d2}{d9}"), ("GB", "GBP", "GB{d9}"), ("US", "USD", ""))
RATES = {"EUR": Decimal(1), "GBP": Decimal("0.86"), "USD": Decimal("1.09")}
PRODUCTS = [Product(f"SKU-{n:03d}", "", f"Article {n}", "drinks", "case", "CS", 24, tax)
            for n, tax in enumerate(["standard"] * 6 + ["reduced"] * 5 + ["exempt"], start=1)]
EXPECTED_REASONS = {
    "stale_price": {ReasonCode.PRICE_VS_CONTRACT},
    "missing_promotion": {ReasonCode.PROMOTION_MISSING},
    "missing_po": {ReasonCode.PO_MISSING},
    "vat_id": {ReasonCode.VAT_ID_INVALID, ReasonCode.TAX_TREATMENT},
    "us_state": {ReasonCode.US_STATE_MISSING},
    "peppol_endpoint": {ReasonCode.ENDPOINT_MISSING, ReasonCode.GLN_INVALID},
}


def _gln(rng: random.Random) -> str:
    body = "87" + "".join(str(rng.randint(0, 9)) for _ in range(10))
    check = (10 - sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body)) % 10) % 10
    return body + str(check)


def _customer(rng: random.Random, n: int, error: str | None) -> Customer:
    country, ccy, vat = COUNTRIES[n % len(COUNTRIES)]
    if error == "vat_id":
        country, ccy, vat = COUNTRIES[1 + n % 3]
    if error == "us_state":
        country, ccy, vat = COUNTRIES[5]
    if error == "peppol_endpoint":
        country, ccy, vat = COUNTRIES[0]
    digits = {"d9": "".join(str(rng.randint(0, 9)) for _ in range(9)), "d2": f"{rng.randint(10, 99)}"}
    vat_id = vat.format(**digits) or None
    channel = Channel.PEPPOL if country in ("NL", "BE") else (Channel.EDI if n % 2 else Channel.EMAIL)
    region = "NY" if country == "US" else None
    address = Address(f"Main Street {n + 1}", "Springfield", f"{1000 + n}", country, region)
    cid = f"C{n + 1:04d}"
    customer = Customer(cid, f"Customer {n + 1} Trading", Segment.WHOLESALER, country, ccy, "en", address,
                        (ShipTo(f"{cid}-S1", "Main site", address),), PaymentTerms(30), Money.of(10**7, ccy),
                        channel, vat_id, _gln(rng), f"ap@{cid.lower()}.example", requires_po=True)
    if error == "vat_id":
        return replace(customer, vat_id=(vat_id or "")[:-2])
    if error == "us_state":
        return replace(customer, bill_to=replace(address, region=None))
    if error == "peppol_endpoint":
        return replace(customer, preferred_channel=Channel.PEPPOL, gln="8700000000000", vat_id=None)
    return customer


def _lines(rng: random.Random, customer: Customer, error: str | None, prices: dict[str, Decimal],
           promotion: Promotion) -> tuple[tuple[OrderLine, ...], bool]:
    """The order lines, and whether the error (if any) made it into them."""
    lines, injected = [], error not in ("missing_promotion", "stale_price")
    for n, product in enumerate(sorted(rng.sample(PRODUCTS, rng.randint(2, 6)), key=lambda p: p.sku), start=1):
        qty = Decimal(rng.randint(1, 40))
        price = prices[product.sku]
        if product.sku in promotion.skus:
            net = (price * (100 - promotion.discount_percent) / 100).quantize(Decimal("0.0001"))
            line = OrderLine(n, product.sku, qty, net, price, promotion.id, promotion.discount_percent)
            if error == "missing_promotion" and not injected:
                line, injected = OrderLine(n, product.sku, qty, price, price), True
        else:
            line = OrderLine(n, product.sku, qty, price, price)
        if error == "stale_price" and n == 1:
            injected = True
            stale = (line.list_price * Decimal("1.04")).quantize(Decimal("0.01"))  # the promotion stays on it
            net = (stale * (100 - line.discount_percent) / 100).quantize(Decimal("0.0001"))
            line = replace(line, unit_price=net if line.promotion_id else stale, list_price=stale)
        lines.append(line)
    return tuple(lines), injected


def build_set(invoices: int, seed: int = 11, error_share: float = 0.25) -> dict[str, Any]:
    """Customers, prices and delivered orders (with the injected error per delivery, if any)."""
    rng = random.Random(seed)
    base = {p.sku: Decimal(rng.randint(500, 4000)) / 100 for p in PRODUCTS}
    promotion = Promotion("PROMO-1", "Autumn deal", ("SKU-002", "SKU-008"), Decimal(10), TODAY - timedelta(days=30),
                          TODAY + timedelta(days=30), Scope())
    customers, orders, deliveries, truth = [], [], [], {}
    for n in range(invoices):
        error = ERRORS[rng.randrange(len(ERRORS))] if rng.random() < error_share else None
        customer = _customer(rng, n, error)
        prices = {sku: (p * RATES[customer.currency]).quantize(Decimal("0.01")) for sku, p in base.items()}
        lines, injected = _lines(rng, customer, error, prices, promotion)
        order = Order(f"SO-{n + 1:06d}", customer.id, f"{customer.id}-S1", "edi", TODAY - timedelta(days=4),
                      TODAY - timedelta(days=1), customer.currency, lines, f"PO{700000 + n}",
                      OrderStatus.DELIVERED, source_ref=f"bench:{n}")
        if error == "missing_po":
            orders.append(replace(order, id=f"SO-{n + 1:06d}A", lines=lines[:1], source_ref=f"bench:{n}"))
            order = replace(order, po_number=None, source_ref=f"bench:{n}#backorder")
        orders.append(order)
        customers.append(customer)
        deliveries.append(Delivery(f"DL-{n + 1:06d}", order.id, customer.id, "RTM", "DSV", TODAY - timedelta(days=2),
                                   TODAY, tuple(DeliveryLine(ln.line_no, ln.sku, ln.quantity) for ln in lines),
                                   delivered_date=TODAY - timedelta(days=1), pod_reference="POD"))
        if error and injected:
            truth[deliveries[-1].id] = error
    return {"customers": customers, "orders": orders, "deliveries": deliveries, "truth": truth,
            "base": base, "promotion": promotion}


def _load(app: App, world: dict[str, Any]) -> None:
    with app.uow() as uow:
        uow.customers.add_many(world["customers"])
        uow.products.add_many(PRODUCTS)
        for ccy, rate in RATES.items():
            prices = {sku: (p * rate).quantize(Decimal("0.01")) for sku, p in world["base"].items()}
            uow.price_lists.add(PriceList(f"PL-{ccy}", ccy, date(2026, 1, 1), None, Scope(), prices))
            if ccy != "EUR":
                uow.fx.put(date(2026, 1, 1), ccy, rate)
        uow.promotions.add(world["promotion"])
        uow.orders.add_many(world["orders"])
        uow.deliveries.add_many(world["deliveries"])
        store = BillingStore(uow.conn)
        for cu in world["customers"]:
            if cu.country in ("NL", "DE"):
                store.put_terms(cu.id, InvoiceTerms(Decimal(250), Decimal("15.00"), Decimal(150), Decimal("1.5")))
        uow.commit()


def _validator() -> UblValidator:
    """The shipped rules (``RulesMissing`` / ``ValidatorUnavailable`` when they cannot run: never skipped)."""
    checker = UblValidator()
    checker.warm_up()
    return checker


def _validate_all(app: App, validator: UblValidator, advance: Callable[[int], None]) -> tuple[int, int, list[str]]:
    with app.uow() as uow:
        documents = uow.invoices.all()
        customers = {cu.id: cu for cu in uow.customers.all()}
    invalid, examples = 0, []
    seller = seller_for(app.company)
    for doc in documents:
        _name, xml = render(doc, customers[doc.customer_id], seller, "ubl")
        report = validator.validate(xml, doc.number)
        if not report.passed:
            invalid += 1
            examples.append(f"{doc.number}: {report.describe().splitlines()[0]}")
        advance(1)
    return len(documents), invalid, examples[:5]


def _run(name: str, world: dict[str, Any], folder: Path, validator: UblValidator,
         advance: Callable[[int], None]) -> dict[str, Any]:
    clock = SimClock(datetime.combine(TODAY, datetime.min.time().replace(hour=8)))
    app = bootstrap(Settings(database_url=f"sqlite:///{folder / name}.db"), clock=clock)
    try:
        _load(app, world)
        started = time.perf_counter()
        for delivery in world["deliveries"]:
            with app.uow() as uow:
                if name == "baseline":
                    bill_or_block(uow, delivery.id, app.company)
                else:
                    run_command(uow, c.InvoiceDelivery(delivery.id), "billing", "invoice delivered quantities",
                                app.company)
                uow.commit()
            advance(1)
        app.dispatcher.drain()
        issued, invalid, examples = _validate_all(app, validator, advance)
        seconds = time.perf_counter() - started
        return {**_outcome(app, world["truth"]), "invoices_per_second": round(issued / seconds, 2),
                "invalid_documents": invalid, "issued": issued, "invalid_examples": examples}
    finally:
        app.close()


def _outcome(app: App, truth: dict[str, str]) -> dict[str, Any]:
    with app.uow() as uow:
        store = BillingStore(uow.conn)
        held = {d: store.hold_of(d) for d in truth}
        clean_held = {h.delivery_id for status in ("open", "released") for h in store.holds(status)} - set(truth)
        invoiced = {d: uow.invoices.for_delivery(d) is not None for d in truth}
        problems = uow.ledger.problems()
    reasons = {d: {f.code for f in hold.findings} for d, hold in held.items() if hold is not None}
    caught = [d for d, found in reasons.items() if found & EXPECTED_REASONS[truth[d]]]
    return {"disputes_prevented": len(caught), "disputes": sum(1 for d in truth if d not in caught),
            "held_for_another_reason": len(reasons) - len(caught),
            "fixed_before_issue": sum(1 for d in caught if invoiced[d]),
            "held_for_a_person": sum(1 for d in caught if not invoiced[d]),
            "by_error": {kind: sum(1 for d in caught if truth[d] == kind) for kind in ERRORS},
            "clean_deliveries_held": len(clean_held), "ledger_problems": len(problems)}


def run_bench(invoices: int = 200, advance: Callable[[int], None] = lambda n: None, seed: int = 11) -> dict[str, Any]:
    world = build_set(invoices, seed)
    validator = _validator()
    folder = Path(tempfile.mkdtemp(prefix="o2c-bench-billing-"))
    try:
        report = {name: _run(name, world, folder, validator, advance) for name in ("baseline", "o2c")}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    injected = {kind: sum(1 for k in world["truth"].values() if k == kind) for kind in ERRORS}
    return {"deliveries": invoices, "injected_errors": len(world["truth"]), "injected_by_kind": injected,
            **report}
