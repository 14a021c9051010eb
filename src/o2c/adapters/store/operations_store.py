"""Storage of operational events, incidents and their affected orders, and the carrier rate table.

Tables on the shared ``metadata`` (migration ``0013_operations``):
- ``operational_events``: every event received, as typed payload with its source (a ``source_ref``
  seen twice is stored once, so a file dropped twice changes nothing);
- ``incidents``: one row per thing that went wrong (``key``: what it is about; a later event with
  the same key updates or resolves it); ``record_key`` names the master record a billing block is on;
- ``incident_orders``: every affected order with its promised date, value at risk (minor units),
  the remedy chosen and when the customer was told;
- ``carrier_rates``: cost and transit days per carrier and region;
- ``order_warehouses``: an order's warehouse when a remedy moved it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    Text,
    cast,
    func,
    insert,
    or_,
    select,
    update,
)

from o2c.adapters.store import tables as t
from o2c.adapters.store.intake_store import stock_positions
from o2c.domain.codec import decode, encode
from o2c.domain.money import Money
from o2c.domain.operations import EVENT_KINDS, AffectedOrder, Assessment, OperationalEvent, SupplyGap
from o2c.domain.orders import OPEN_ORDER_STATUSES, Delivery, Order
from o2c.domain.remedies import CarrierRate

operational_events = Table(
    "operational_events", t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("received_at", DateTime, nullable=False, index=True),
    Column("source", String(32), nullable=False),
    Column("source_ref", String(200), unique=True),
    Column("kind", String(32), nullable=False, index=True),
    Column("payload", JSON, nullable=False),
    Column("incident_id", String(32), index=True),
)

incidents = Table(
    "incidents", t.metadata,
    Column("id", String(32), primary_key=True),
    Column("key", String(200), nullable=False, index=True),
    Column("kind", String(32), nullable=False),
    Column("title", String(300), nullable=False),
    Column("team", String(32), nullable=False),
    Column("status", String(12), nullable=False, index=True),
    Column("opened_at", DateTime, nullable=False),
    Column("resolved_at", DateTime),
    Column("customer_visible", Boolean, nullable=False),
    Column("blocks_billing", Boolean, nullable=False),
    Column("record_key", String(120), index=True),
    Column("gap_skus", JSON),
    Column("gap_warehouse", String(16)),
    Column("gap_until", Date),
    Column("wave", Integer, nullable=False),
    Column("evidence", JSON, nullable=False),
)

incident_orders = Table(
    "incident_orders", t.metadata,
    Column("incident_id", String(32), primary_key=True),
    Column("order_id", String(32), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("wave", Integer, nullable=False),
    Column("promised", Date, nullable=False),
    Column("expected", Date),
    Column("value_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("line_nos", JSON, nullable=False),
    Column("skus", JSON, nullable=False),
    Column("delivery_id", String(32)),
    Column("remedy", String(32)),
    Column("remedy_meets_promise", Boolean),
    Column("remedy_note", String(300)),
    Column("told_at", DateTime),
    Column("cleared", Boolean, nullable=False),
)

carrier_rates = Table(
    "carrier_rates", t.metadata,
    Column("carrier", String(16), primary_key=True),
    Column("region", String(8), primary_key=True),
    Column("days", Integer, nullable=False),
    Column("cost_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("express", Boolean, nullable=False),
)

order_warehouses = Table(
    "order_warehouses", t.metadata,
    Column("order_id", String(32), primary_key=True),
    Column("warehouse", String(16), nullable=False),
    Column("incident_id", String(32)),
)


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    key: str
    kind: str
    title: str
    team: str
    status: str
    opened_at: datetime
    resolved_at: datetime | None
    customer_visible: bool
    blocks_billing: bool
    record_key: str | None
    gap_skus: list[str] | None
    gap_warehouse: str | None
    gap_until: date | None
    wave: int
    evidence: dict[str, str]

    @property
    def gap(self) -> SupplyGap | None:
        if not self.gap_skus or self.gap_until is None:
            return None
        return SupplyGap(tuple(self.gap_skus), self.gap_warehouse, self.gap_until)


@dataclass(frozen=True, slots=True)
class IncidentOrder:
    incident_id: str
    order_id: str
    customer_id: str
    wave: int
    promised: date
    expected: date | None
    value_minor: int
    currency: str
    line_nos: list[int]
    skus: list[str]
    delivery_id: str | None
    remedy: str | None
    remedy_meets_promise: bool | None
    remedy_note: str | None
    told_at: datetime | None
    cleared: bool

    @property
    def affected(self) -> AffectedOrder:
        return AffectedOrder(self.order_id, self.customer_id, self.promised,
                             Money.from_minor(self.value_minor, self.currency), self.expected,
                             tuple(self.line_nos), tuple(self.skus), self.delivery_id)


def record_key(kind: str, evidence: dict[str, str]) -> str | None:
    """The master record a billing block sits on (``product:SKU``, ``ship_to:CODE``, ``customer:ID``)."""
    if kind != "master_data_error":
        return None
    return f"{evidence['record']}:{evidence['key']}"


class OperationsStore:
    """The operations tables on one connection (the caller's unit of work)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_event(self, event: OperationalEvent, at: datetime, source: str, source_ref: str | None) -> int | None:
        """Store a received event; None when ``source_ref`` was received before."""
        if source_ref and self.conn.execute(select(operational_events.c.id).where(
                operational_events.c.source_ref == source_ref)).first():
            return None
        return int(self.conn.execute(insert(operational_events).values(
            received_at=at, source=source, source_ref=source_ref, kind=event.kind, payload=encode(event))
            .returning(operational_events.c.id)).scalar_one())

    def link_event(self, event_id: int, incident_id: str) -> None:
        self.conn.execute(update(operational_events).where(operational_events.c.id == event_id)
                          .values(incident_id=incident_id))

    def events(self, kind: str | None = None) -> list[tuple[int, OperationalEvent, str | None]]:
        query = select(operational_events).order_by(operational_events.c.id)
        if kind:
            query = query.where(operational_events.c.kind == kind)
        return [(r.id, decode(EVENT_KINDS[r.kind], r.payload), r.incident_id) for r in self.conn.execute(query)]

    def open_incident(self, key: str) -> Incident | None:
        row = self.conn.execute(select(incidents).where(incidents.c.key == key, incidents.c.status == "open")
                                .order_by(incidents.c.opened_at.desc()).limit(1)).mappings().first()
        return Incident(**row) if row else None

    def incident(self, incident_id: str) -> Incident | None:
        row = self.conn.execute(select(incidents).where(incidents.c.id == incident_id)).mappings().first()
        return Incident(**row) if row else None

    def incidents(self, status: str | None = None) -> list[Incident]:
        query = select(incidents).order_by(incidents.c.opened_at, incidents.c.id)
        if status:
            query = query.where(incidents.c.status == status)
        return [Incident(**r) for r in self.conn.execute(query).mappings()]

    def new_incident(self, incident_id: str, kind: str, assessment: Assessment, at: datetime) -> None:
        gap = assessment.gap
        self.conn.execute(insert(incidents).values(
            id=incident_id, key=assessment.incident_key, kind=kind, title=assessment.title[:300],
            team=assessment.team.value, status="open", opened_at=at, resolved_at=None,
            customer_visible=assessment.customer_visible, blocks_billing=assessment.blocks_billing,
            record_key=record_key(kind, assessment.evidence), gap_skus=list(gap.skus) if gap else None,
            gap_warehouse=gap.warehouse if gap else None, gap_until=gap.until if gap else None, wave=0,
            evidence=assessment.evidence))

    def next_wave(self, incident_id: str) -> int:
        self.conn.execute(update(incidents).where(incidents.c.id == incident_id).values(wave=incidents.c.wave + 1))
        return int(self.conn.execute(select(incidents.c.wave).where(incidents.c.id == incident_id)).scalar_one())

    def extend_gap(self, incident_id: str, gap: SupplyGap) -> None:
        self.conn.execute(update(incidents).where(incidents.c.id == incident_id).values(
            gap_skus=list(gap.skus), gap_warehouse=gap.warehouse, gap_until=gap.until))

    def resolve(self, incident_id: str, at: datetime) -> None:
        self.conn.execute(update(incidents).where(incidents.c.id == incident_id)
                          .values(status="resolved", resolved_at=at))

    def add_affected(self, incident_id: str, wave: int, affected: Iterable[AffectedOrder]) -> list[AffectedOrder]:
        """Record newly affected orders; returns those not recorded for this incident before."""
        known = set(self.conn.execute(select(incident_orders.c.order_id)
                                      .where(incident_orders.c.incident_id == incident_id)).scalars())
        fresh = []
        for a in affected:
            if a.order_id not in known:
                known.add(a.order_id)
                fresh.append(a)
        if fresh:
            self.conn.execute(insert(incident_orders), [{
                "incident_id": incident_id, "order_id": a.order_id, "customer_id": a.customer_id, "wave": wave,
                "promised": a.promised, "expected": a.expected, "value_minor": a.value_at_risk.to_minor(),
                "currency": a.value_at_risk.currency, "line_nos": list(a.line_nos), "skus": list(a.skus),
                "delivery_id": a.delivery_id, "remedy": None, "remedy_meets_promise": None, "remedy_note": None, "told_at": None,
                "cleared": False} for a in fresh])
        return fresh

    def affected(self, incident_id: str, wave: int | None = None,
                 order_ids: Iterable[str] | None = None) -> list[IncidentOrder]:
        query = select(incident_orders).where(incident_orders.c.incident_id == incident_id)
        if wave is not None:
            query = query.where(incident_orders.c.wave == wave)
        if order_ids is not None:
            query = query.where(incident_orders.c.order_id.in_(sorted(set(order_ids))))
        return [IncidentOrder(**r) for r in self.conn.execute(query.order_by(incident_orders.c.order_id)).mappings()]

    def all_affected(self) -> list[IncidentOrder]:
        rows = self.conn.execute(select(incident_orders).order_by(incident_orders.c.incident_id,
                                                                  incident_orders.c.order_id)).mappings()
        return [IncidentOrder(**r) for r in rows]

    def record_remedy(self, incident_id: str, order_id: str, remedy: str, meets_promise: bool, note: str) -> None:
        self.conn.execute(update(incident_orders).where(incident_orders.c.incident_id == incident_id,
                                                        incident_orders.c.order_id == order_id)
                          .values(remedy=remedy, remedy_meets_promise=meets_promise, remedy_note=note[:300]))

    def mark_told(self, incident_id: str, order_ids: Iterable[str], at: datetime) -> None:
        self.conn.execute(update(incident_orders).where(incident_orders.c.incident_id == incident_id,
                                                        incident_orders.c.order_id.in_(list(order_ids)),
                                                        incident_orders.c.told_at.is_(None)).values(told_at=at))

    def clear_untold(self, incident_id: str) -> None:
        """An incident resolved before anyone was told: its orders are no longer affected."""
        self.conn.execute(update(incident_orders).where(incident_orders.c.incident_id == incident_id,
                                                        incident_orders.c.told_at.is_(None),
                                                        incident_orders.c.remedy.is_(None)).values(cleared=True))

    def billing_blockers(self, record_keys: Iterable[str]) -> list[str]:
        keys = sorted(set(record_keys))
        rows = self.conn.execute(select(incidents.c.id, incidents.c.title).where(
            incidents.c.status == "open", incidents.c.blocks_billing.is_(True), incidents.c.record_key.in_(keys))
            .order_by(incidents.c.id))
        return [f"{r.id}: {r.title}" for r in rows]

    def active_gaps(self) -> list[Incident]:
        return [i for i in self.incidents("open") if i.gap is not None]

    def put_rates(self, rates: Iterable[CarrierRate]) -> None:
        rows = [{"carrier": r.carrier, "region": r.region, "days": r.days, "cost_minor": r.cost.to_minor(),
                 "currency": r.cost.currency, "express": r.express} for r in rates]
        if rows:
            self.conn.execute(insert(carrier_rates), rows)

    def rates(self) -> tuple[CarrierRate, ...]:
        rows = self.conn.execute(select(carrier_rates).order_by(carrier_rates.c.carrier, carrier_rates.c.region))
        return tuple(CarrierRate(r.carrier, r.region, r.days, Money.from_minor(r.cost_minor, r.currency), r.express)
                     for r in rows)

    def assign_warehouse(self, order_id: str, warehouse: str, incident_id: str | None) -> None:
        self.conn.execute(order_warehouses.delete().where(order_warehouses.c.order_id == order_id))
        self.conn.execute(insert(order_warehouses).values(order_id=order_id, warehouse=warehouse,
                                                          incident_id=incident_id))

    def warehouses_of(self, order_ids: Iterable[str]) -> dict[str, str]:
        ids = list(order_ids)
        if not ids:
            return {}
        rows = self.conn.execute(select(order_warehouses).where(order_warehouses.c.order_id.in_(ids)))
        return {r.order_id: r.warehouse for r in rows}


def open_orders_with(conn: Connection, skus: Iterable[str], due_before: date | None = None) -> list[Order]:
    """Open orders with a line for any of ``skus`` (a text pre-filter on the stored body, then exact),
    requested before ``due_before`` when given."""
    wanted = sorted(set(skus))
    if not wanted:
        return []
    body = cast(t.orders.c.body, Text)
    query = select(t.orders.c.body).where(t.orders.c.status.in_([s.value for s in OPEN_ORDER_STATUSES]),
                                          or_(*[body.like(f'%"{sku}"%') for sku in wanted]))
    if due_before is not None:
        query = query.where(t.orders.c.requested_date < due_before)
    orders = [decode(Order, b) for b in conn.execute(query.order_by(t.orders.c.id)).scalars()]
    return [o for o in orders if any(ln.sku in wanted for ln in o.lines)]


def open_orders_where(conn: Connection, *conditions: Any) -> list[Order]:
    query = select(t.orders.c.body).where(t.orders.c.status.in_([s.value for s in OPEN_ORDER_STATUSES]), *conditions)
    return [decode(Order, b) for b in conn.execute(query.order_by(t.orders.c.id)).scalars()]


def undelivered(conn: Connection, *conditions: Any) -> list[Delivery]:
    query = select(t.deliveries.c.body).where(t.deliveries.c.delivered_date.is_(None), *conditions)
    return [decode(Delivery, b) for b in conn.execute(query.order_by(t.deliveries.c.id)).scalars()]


def on_the_road(conn: Connection, carrier: str, *, region: str | None = None, shipped: date | None = None,
                warehouse: str | None = None) -> list[Delivery]:
    """Undelivered deliveries of ``carrier`` (into ``region``, shipped on ``shipped`` from ``warehouse``)."""
    conditions: list[Any] = [cast(t.deliveries.c.body, Text).like(f'%"{carrier}"%')]
    if region is not None:
        conditions.append(t.deliveries.c.customer_id.in_(select(t.customers.c.id).where(t.customers.c.country == region)))
    if shipped is not None:
        conditions.append(t.deliveries.c.ship_date == shipped)
    return [d for d in undelivered(conn, *conditions)
            if d.carrier == carrier and (warehouse is None or d.warehouse == warehouse)]


def orders_by_id(conn: Connection, order_ids: Iterable[str]) -> dict[str, Order]:
    ids = sorted(set(order_ids))
    if not ids:
        return {}
    rows = conn.execute(select(t.orders.c.body).where(t.orders.c.id.in_(ids))).scalars()
    return {o.id: o for o in (decode(Order, b) for b in rows)}


def count_rows(conn: Connection, table: Table, *conditions: Any) -> int:
    return int(conn.execute(select(func.count()).select_from(table).where(*conditions)).scalar_one())


def decimal_or_zero(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def billing_blockers(conn: Connection, customer_id: str, ship_to: str, skus: Iterable[str]) -> list[str]:
    """Open master-data errors on the customer, ship-to or products an invoice would be built from."""
    keys = [f"customer:{customer_id}", f"ship_to:{ship_to}", *(f"product:{sku}" for sku in skus)]
    return OperationsStore(conn).billing_blockers(keys)


def adjust_stock(conn: Connection, sku: str, warehouse: str, quantity: Decimal) -> bool:
    """Add ``quantity`` (negative: remove) to on-hand in intake's ``stock_positions``; False if not tracked."""
    positions = stock_positions
    done = conn.execute(update(positions).where(positions.c.sku == sku, positions.c.warehouse == warehouse)
                        .values(on_hand_milli=positions.c.on_hand_milli + int((quantity * 1000).to_integral_value())))
    return bool(done.rowcount)
