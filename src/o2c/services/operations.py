"""One intake for operational events: API, file drop and the demo world all come through ``receive``.

``receive`` stores the event (a ``source_ref`` seen before is ignored), assesses its impact against
the open orders and deliveries it may concern, opens, widens or resolves the incident it is about,
records every newly affected order, applies the facts it carries (a carrier's new ETA, a stock
count), and raises ``IncidentAssessed`` / ``IncidentResolved`` for the agents — all in the caller's
unit of work, audited. ``parse_file`` reads a JSON or CSV file drop into typed events.
"""

from __future__ import annotations

import csv
import io
import json
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from o2c.adapters.store import tables as t
from o2c.adapters.store.operations_store import (
    Incident,
    OperationsStore,
    adjust_stock,
    on_the_road,
    open_orders_where,
    open_orders_with,
    orders_by_id,
)
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import events as e
from o2c.domain import operations as op
from o2c.domain.codec import decode, encode
from o2c.domain.customers import Customer
from o2c.domain.errors import DomainError
from o2c.domain.money import Money
from o2c.domain.orders import Delivery, Order
from o2c.domain.remedies import CarrierRate

DEFAULT_RATES = {  # carrier: (transit days, EUR per delivery, express)
    "PNLP": (1, "95.00", False), "DHLF": (2, "68.00", False), "DSV": (2, "62.00", False),
    "KN": (3, "55.00", False), "EXPR": (1, "340.00", True)}
REGIONS = ("NL", "BE", "DE", "FR", "GB", "US")


@dataclass(frozen=True, slots=True)
class Received:
    event_id: int | None
    incident_id: str | None
    outcome: str
    affected: int = 0


def default_rates(company_currency: str = "EUR") -> list[CarrierRate]:
    """The seeded carrier rate table: the demo carriers into every region, plus an express courier."""
    far = {"GB": 1, "US": 4}
    return [CarrierRate(carrier, region, days + far.get(region, 0), Money.of(cost, company_currency)
                        * (3 if region == "US" else 1), express)
            for carrier, (days, cost, express) in sorted(DEFAULT_RATES.items()) for region in REGIONS]


def carrier_rates(uow: UnitOfWork) -> tuple[CarrierRate, ...]:
    store = OperationsStore(uow.conn)
    rates = store.rates()
    if not rates:
        store.put_rates(default_rates(uow.functional_ccy))
        rates = store.rates()
    return rates


def home_warehouse(customer: Customer | None, warehouses: Mapping[str, str], company_country: str = "NL") -> str:
    """The warehouse an order ships from: one in the customer's country, else the company's main one."""
    for country in ((customer.country,) if customer else ()) + (company_country,):
        found = sorted(code for code, where in warehouses.items() if where == country)
        if found:
            return found[0]
    return sorted(warehouses)[0] if warehouses else "MAIN"


def warehouses(uow: UnitOfWork) -> dict[str, str]:
    return {code: str(body.get("country", "")) for code, body in uow.reference.of_kind("warehouse")}


def _customers(uow: UnitOfWork, ids: Iterable[str] | None = None) -> dict[str, Customer]:
    if ids is None:
        return {c.id: c for c in uow.customers.all()}
    return {c.id: c for c in uow.customers.where(t.customers.c.id.in_(sorted(set(ids))))}


def _book(uow: UnitOfWork, orders: list[Order], deliveries: list[Delivery]) -> op.Book:
    customers = _customers(uow, [o.customer_id for o in orders] + [d.customer_id for d in deliveries])
    sites = warehouses(uow)
    assigned = OperationsStore(uow.conn).warehouses_of(o.id for o in orders)
    warehouse_of = {o.id: assigned.get(o.id) or home_warehouse(customers.get(o.customer_id), sites) for o in orders}
    return op.Book(uow.clock.today(), tuple(orders), tuple(deliveries), customers, warehouse_of)


def _with_orders(uow: UnitOfWork, deliveries: list[Delivery]) -> op.Book:
    return _book(uow, list(orders_by_id(uow.conn, {d.order_id for d in deliveries}).values()), deliveries)


def book_for(uow: UnitOfWork, event: op.OperationalEvent) -> op.Book:
    """The open orders and deliveries ``event`` may concern (narrowed in the database where possible)."""
    today = uow.clock.today()
    match event:
        case op.LineBreakdown(skus=skus, expected_hours=hours):
            until = today + timedelta(days=max(1, -(-hours // 24)) + op.LEAD_DAYS)
            return _book(uow, open_orders_with(uow.conn, skus, due_before=until), [])
        case op.Stockout(sku=sku, expected_back=back) if back is not None:
            return _book(uow, open_orders_with(uow.conn, [sku], due_before=back + timedelta(days=op.LEAD_DAYS)), [])
        case op.Stockout(sku=sku) | op.StockAdjustment(sku=sku):
            return _book(uow, open_orders_with(uow.conn, [sku]), [])
        case op.CarrierDelayNotice(carrier=carrier, region=region):
            return _with_orders(uow, on_the_road(uow.conn, carrier, region=region))
        case op.MissedPickup(carrier=carrier, warehouse=site, on=on):
            return _with_orders(uow, on_the_road(uow.conn, carrier, shipped=on, warehouse=site))
        case op.ShipmentUpdate(delivery_id=did) | op.ProofOfDelivery(delivery_id=did):
            delivery = uow.deliveries.get(did)
            return _with_orders(uow, [delivery] if delivery else [])
        case op.CreditBlock(customer_id=cid):
            return _book(uow, open_orders_where(uow.conn, t.orders.c.customer_id == cid), [])
        case op.MasterDataError() | op.MasterDataChange():
            return _book(uow, _data_orders(uow, event.record, event.key), [])
    return op.Book(uow.clock.today())


def _data_orders(uow: UnitOfWork, record: str, key: str) -> list[Order]:
    if record == "product":
        return open_orders_with(uow.conn, [key])
    owner = next((c.id for c in uow.customers.all() if c.ship_to(key)), None) if record == "ship_to" else key
    return open_orders_where(uow.conn, t.orders.c.customer_id == owner) if owner else []


def _apply_facts(uow: UnitOfWork, event: op.OperationalEvent, book: op.Book) -> None:
    """What the event says has already happened in the world: carriers' new ETAs, stock counts.

    ``book.deliveries`` are the deliveries the event concerns (``book_for`` found them)."""
    match event:
        case op.ShipmentUpdate(eta=eta) if eta is not None:
            _move_eta(uow, book.deliveries, lambda d: eta)
        case op.CarrierDelayNotice(delay_days=days):
            _move_eta(uow, book.deliveries, lambda d: d.expected_date + timedelta(days=days))
        case op.MissedPickup(on=on, next_pickup=nxt):
            _move_eta(uow, book.deliveries, lambda d: d.expected_date + (nxt - on))
        case op.StockAdjustment(sku=sku, warehouse=site, quantity=qty):
            adjust_stock(uow.conn, sku, site, qty)
        case op.StockArrival(sku=sku, warehouse=site, quantity=qty) if site:
            adjust_stock(uow.conn, sku, site, qty)


def _move_eta(uow: UnitOfWork, deliveries: Iterable[Delivery], new_date: Any) -> None:
    for delivery in deliveries:
        uow.deliveries.save(replace(delivery, expected_date=new_date(delivery)))


def receive(uow: UnitOfWork, event: op.OperationalEvent, *, source: str = "api",
            source_ref: str | None = None) -> Received:
    """Take in one operational event; see the module docstring. The caller commits."""
    store = OperationsStore(uow.conn)
    event_id = store.add_event(event, uow.clock.now(), source, source_ref)
    if event_id is None:
        return Received(None, None, "duplicate")
    book = book_for(uow, event)
    assessment = op.assess(event, book)
    _apply_facts(uow, event, book)
    incident = store.open_incident(assessment.incident_key)
    if assessment.resolves:
        return _resolve(uow, store, event_id, incident)
    return _record(uow, store, event_id, event.kind, assessment, incident)


def _resolve(uow: UnitOfWork, store: OperationsStore, event_id: int, incident: Incident | None) -> Received:
    if incident is None:
        return Received(event_id, None, "nothing open")
    store.resolve(incident.id, uow.clock.now())
    store.clear_untold(incident.id)
    store.link_event(event_id, incident.id)
    uow.emit(e.IncidentResolved(incident.id, incident.kind))
    uow.audit.append(uow.clock.now(), "operations", "incident_resolved", f"incident:{incident.id}",
                     incident.title, {"event": event_id})
    return Received(event_id, incident.id, "resolved")


def _record(uow: UnitOfWork, store: OperationsStore, event_id: int, kind: str, assessment: op.Assessment,
            incident: Incident | None) -> Received:
    is_new = incident is None
    if incident is None:
        incident_id = uow.sequences.next("incident", "INC")
        store.new_incident(incident_id, kind, assessment, uow.clock.now())
    else:
        incident_id = incident.id
        if assessment.gap and (incident.gap_until is None or assessment.gap.until > incident.gap_until):
            store.extend_gap(incident_id, assessment.gap)
    store.link_event(event_id, incident_id)
    wave = store.next_wave(incident_id)
    fresh = store.add_affected(incident_id, wave, assessment.affected)
    if is_new or fresh:
        uow.emit(e.IncidentAssessed(incident_id, kind, wave))
    at_risk = {ccy: str(m) for ccy, m in assessment.value_at_risk().items()}
    uow.audit.append(uow.clock.now(), "operations", "incident_assessed", f"incident:{incident_id}",
                     assessment.title, {"event": event_id, "wave": wave, "affected_orders": len(fresh),
                                        "customers": len({a.customer_id for a in fresh}), "at_risk": at_risk})
    return Received(event_id, incident_id, "opened" if is_new else "updated", len(fresh))


def event_from(kind: str, fields: Mapping[str, Any]) -> op.OperationalEvent:
    """A typed event from plain fields (a JSON object or a CSV row); raises DomainError naming the problem."""
    cls = op.EVENT_KINDS.get(kind)
    if cls is None:
        raise DomainError(f"unknown operational event kind {kind!r}")
    hints = typing.get_type_hints(cls)
    try:
        return decode(cls, {k: int(v) if hints.get(k) is int else _plain(k, v)
                            for k, v in fields.items() if v not in (None, "")})
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise DomainError(f"{kind}: {type(exc).__name__}: {exc}") from exc


def _plain(name: str, value: Any) -> Any:
    if name in ("skus",) and isinstance(value, str):
        return [s.strip() for s in value.split(";") if s.strip()]
    if name in ("shortages", "damages") and isinstance(value, str):
        return dict(part.split("=", 1) for part in value.split(";") if "=" in part)
    return value


def parse_file(path: Path) -> list[tuple[str, op.OperationalEvent]]:
    """A file drop: a JSON list of objects, or a CSV with a ``kind`` column; each with its source ref.

    Every record names its ``kind``; a ``ref`` field, when present, names the record for the
    duplicate guard (else the file name and position do). Errors name the file and record.
    """
    text = path.read_text(encoding="utf-8")
    records = json.loads(text) if path.suffix.lower() == ".json" else list(csv.DictReader(io.StringIO(text)))
    parsed = []
    for n, record in enumerate(records, start=1):
        fields = dict(record)
        kind = str(fields.pop("kind", ""))
        ref = str(fields.pop("ref", "") or f"{path.name}#{n}")
        try:
            parsed.append((f"file:{ref}", event_from(kind, fields)))
        except DomainError as exc:
            raise DomainError(f"{path.name} record {n}: {exc}") from exc
    return parsed


def describe(event: op.OperationalEvent) -> dict[str, Any]:
    return {"kind": event.kind, **encode(event)}
