"""The impact of an operational event: which open orders, deliveries and customers it touches.

The events themselves live in ``operational_events`` (re-exported here). ``assess`` turns one event
and a ``Book`` (the open orders and deliveries it may concern, plain values) into an ``Assessment``:
the incident it opens or closes (``incident_key``: events about the same thing share it, so a stock
arrival closes the stockout it answers), the team that owns it, and every ``AffectedOrder`` with the
date the customer would notice (the promised date) and the value at risk.

Invariants:
- pure: no I/O and no clock; the same event and book always give the same assessment;
- an order is affected only when the customer would see it: late against its promised date, short,
  held, or (for billing-only problems) flagged ``customer_visible=False``;
- every affected order carries its value at risk in the order's currency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from o2c.domain.customers import Customer
from o2c.domain.money import Money
from o2c.domain.operational_events import (
    EVENT_KINDS,
    CarrierDelayNotice,
    CreditBlock,
    CreditBlockLifted,
    LineBreakdown,
    LineRestored,
    MasterDataChange,
    MasterDataError,
    MasterDataFixed,
    MissedPickup,
    OperationalEvent,
    ProofOfDelivery,
    ShipmentUpdate,
    StockAdjustment,
    StockArrival,
    Stockout,
)
from o2c.domain.orders import Delivery, Order

__all__ = [
    "CHANGE_OWNER",
    "EVENT_KINDS",
    "LEAD_DAYS",
    "RECOVERY_DAYS",
    "AffectedOrder",
    "Assessment",
    "Book",
    "CarrierDelayNotice",
    "CreditBlock",
    "CreditBlockLifted",
    "LineBreakdown",
    "LineRestored",
    "MasterDataChange",
    "MasterDataError",
    "MasterDataFixed",
    "MissedPickup",
    "OperationalEvent",
    "ProofOfDelivery",
    "ShipmentUpdate",
    "StockAdjustment",
    "StockArrival",
    "Stockout",
    "SupplyGap",
    "Team",
    "assess",
    "delivery_impact",
    "supply_impact",
]

RECOVERY_DAYS = 3
"""How long a supply gap lasts when nobody says when it ends."""
LEAD_DAYS = 2
"""Days from picking to the customer's door: goods back on day D reach customers on D + LEAD_DAYS."""


class Team(StrEnum):
    LOGISTICS = "logistics"
    FINANCE = "finance"
    MASTER_DATA = "master_data"
    SALES = "sales"


CHANGE_OWNER = {"price": Team.SALES, "ship_to_address": Team.LOGISTICS, "vat_id": Team.FINANCE,
                "bank_account": Team.FINANCE}


@dataclass(frozen=True, slots=True)
class Book:
    """The open orders and deliveries an event may concern, and who they belong to.

    ``warehouse_of`` says where each open order will ship from; ``line_skus`` maps a production line
    to what it makes (for a restored line); ``open_gaps`` are the supply gaps already known per SKU.
    """

    today: date
    orders: tuple[Order, ...] = ()
    deliveries: tuple[Delivery, ...] = ()
    customers: Mapping[str, Customer] = field(default_factory=dict)
    warehouse_of: Mapping[str, str] = field(default_factory=dict)

    def order(self, order_id: str) -> Order | None:
        return next((o for o in self.orders if o.id == order_id), None)


@dataclass(frozen=True, slots=True)
class AffectedOrder:
    order_id: str
    customer_id: str
    promised: date
    value_at_risk: Money
    expected: date | None = None
    line_nos: tuple[int, ...] = ()
    skus: tuple[str, ...] = ()
    delivery_id: str | None = None


@dataclass(frozen=True, slots=True)
class SupplyGap:
    """``skus`` cannot ship from ``warehouse`` (None: from anywhere) before ``until``."""

    skus: tuple[str, ...]
    warehouse: str | None
    until: date


@dataclass(frozen=True, slots=True)
class Assessment:
    incident_key: str
    title: str
    team: Team
    affected: tuple[AffectedOrder, ...] = ()
    customer_visible: bool = True
    resolves: bool = False
    blocks_billing: bool = False
    gap: SupplyGap | None = None
    evidence: dict[str, str] = field(default_factory=dict)

    @property
    def customers(self) -> tuple[str, ...]:
        return tuple(sorted({a.customer_id for a in self.affected}))

    def value_at_risk(self) -> dict[str, Money]:
        totals: dict[str, Money] = {}
        for a in self.affected:
            ccy = a.value_at_risk.currency
            totals[ccy] = totals.get(ccy, Money.zero(ccy)) + a.value_at_risk
        return totals


def _lines_value(order: Order, line_nos: tuple[int, ...]) -> Money:
    return Money(sum((ln.open_quantity * ln.unit_price for ln in order.lines if ln.line_no in line_nos),
                     Decimal(0)), order.currency).quantize()


def supply_impact(book: Book, gap: SupplyGap) -> tuple[AffectedOrder, ...]:
    """Open order lines that need ``gap.skus`` from the gap's warehouse before the gap ends."""
    found = []
    for order in book.orders:
        if not order.is_open or (gap.warehouse and book.warehouse_of.get(order.id, gap.warehouse) != gap.warehouse):
            continue
        ship_by = order.requested_date - timedelta(days=LEAD_DAYS)
        line_nos = tuple(ln.line_no for ln in order.lines
                         if ln.sku in gap.skus and ln.open_quantity > 0 and ship_by < gap.until)
        if line_nos:
            skus = tuple(sorted({ln.sku for ln in order.lines if ln.line_no in line_nos}))
            found.append(AffectedOrder(order.id, order.customer_id, order.requested_date, _lines_value(order, line_nos),
                                       gap.until + timedelta(days=LEAD_DAYS), line_nos, skus))
    return tuple(found)


def delivery_impact(book: Book, deliveries: list[tuple[Delivery, date]]) -> tuple[AffectedOrder, ...]:
    """Deliveries whose new expected date falls after the order's promised date."""
    found = []
    orders = {o.id: o for o in book.orders}
    for delivery, expected in deliveries:
        order = orders.get(delivery.order_id)
        if order is None or delivery.delivered_date is not None or expected <= order.requested_date:
            continue
        line_nos = tuple(dl.order_line_no for dl in delivery.lines)
        value = Money(sum((dl.quantity * ln.unit_price for dl in delivery.lines for ln in order.lines
                           if ln.line_no == dl.order_line_no), Decimal(0)), order.currency).quantize()
        found.append(AffectedOrder(order.id, order.customer_id, order.requested_date, value, expected, line_nos,
                                   tuple(sorted({dl.sku for dl in delivery.lines})), delivery.id))
    return _one_per_order(found)


def _one_per_order(found: list[AffectedOrder]) -> tuple[AffectedOrder, ...]:
    """An order with several late deliveries is affected once: values summed, the latest delivery kept."""
    merged: dict[str, AffectedOrder] = {}
    for a in found:
        if (b := merged.get(a.order_id)) is None:
            merged[a.order_id] = a
            continue
        late = max(a, b, key=lambda x: x.expected or date.min)
        merged[a.order_id] = AffectedOrder(a.order_id, a.customer_id, a.promised, a.value_at_risk + b.value_at_risk,
                                           late.expected, tuple(sorted({*a.line_nos, *b.line_nos})),
                                           tuple(sorted({*a.skus, *b.skus})), late.delivery_id)
    return tuple(merged.values())


def _whole_orders(orders: tuple[Order, ...] | list[Order]) -> tuple[AffectedOrder, ...]:
    return tuple(AffectedOrder(o.id, o.customer_id, o.requested_date, o.open_value(),
                               line_nos=tuple(ln.line_no for ln in o.lines if ln.open_quantity > 0))
                 for o in orders if o.is_open)


def _gap_until(today: date, back: date | None) -> date:
    return back if back is not None else today + timedelta(days=RECOVERY_DAYS)


def _breakdown(ev: LineBreakdown, book: Book) -> Assessment:
    until = book.today + timedelta(days=max(1, -(-ev.expected_hours // 24)))
    gap = SupplyGap(tuple(sorted(ev.skus)), None, until)
    return Assessment(f"line:{ev.line}", f"production line {ev.line} stopped for about {ev.expected_hours} h",
                      Team.LOGISTICS, supply_impact(book, gap), gap=gap,
                      evidence={"line": ev.line, "skus": ",".join(gap.skus), "until": until.isoformat()})


def _stockout(ev: Stockout, book: Book) -> Assessment:
    gap = SupplyGap((ev.sku,), ev.warehouse, _gap_until(book.today, ev.expected_back))
    where = ev.warehouse or "all warehouses"
    return Assessment(f"supply:{ev.sku}@{ev.warehouse or '*'}", f"{ev.sku} out of stock at {where}",
                      Team.LOGISTICS, supply_impact(book, gap), gap=gap,
                      evidence={"sku": ev.sku, "warehouse": where, "until": gap.until.isoformat()})


def _adjustment(ev: StockAdjustment, book: Book) -> Assessment:
    key = f"supply:{ev.sku}@{ev.warehouse}"
    if ev.quantity >= 0:
        return Assessment(key, f"{ev.quantity} {ev.sku} found at {ev.warehouse}", Team.LOGISTICS, resolves=True)
    gap = SupplyGap((ev.sku,), ev.warehouse, _gap_until(book.today, None))
    return Assessment(key, f"{-ev.quantity} {ev.sku} written off at {ev.warehouse}: {ev.reason}", Team.LOGISTICS,
                      supply_impact(book, gap), gap=gap,
                      evidence={"sku": ev.sku, "warehouse": ev.warehouse, "quantity": str(ev.quantity)})


def _shipment(ev: ShipmentUpdate, book: Book) -> Assessment:
    key = f"shipment:{ev.delivery_id}"
    delivery = next((d for d in book.deliveries if d.id == ev.delivery_id), None)
    if ev.status == "delivered" or delivery is None or ev.eta is None:
        return Assessment(key, f"delivery {ev.delivery_id} {ev.status}", Team.LOGISTICS, resolves=True)
    return Assessment(key, f"delivery {ev.delivery_id} {ev.status}, now expected {ev.eta.isoformat()}",
                      Team.LOGISTICS, delivery_impact(book, [(delivery, ev.eta)]),
                      evidence={"delivery": ev.delivery_id, "carrier": delivery.carrier, "eta": ev.eta.isoformat()})


def _carrier_delay(ev: CarrierDelayNotice, book: Book) -> Assessment:
    late = [(d, d.expected_date + timedelta(days=ev.delay_days)) for d in book.deliveries
            if d.carrier == ev.carrier and d.delivered_date is None
            and (c := book.customers.get(d.customer_id)) is not None and c.country == ev.region]
    return Assessment(f"carrier:{ev.carrier}:{ev.region}:{book.today.isoformat()}",
                      f"{ev.carrier} deliveries into {ev.region} run {ev.delay_days} day(s) late", Team.LOGISTICS,
                      delivery_impact(book, late),
                      evidence={"carrier": ev.carrier, "region": ev.region, "delay_days": str(ev.delay_days)})


def _missed_pickup(ev: MissedPickup, book: Book) -> Assessment:
    slip = ev.next_pickup - ev.on
    stuck = [(d, d.expected_date + slip) for d in book.deliveries
             if d.carrier == ev.carrier and d.warehouse == ev.warehouse and d.ship_date == ev.on
             and d.delivered_date is None]
    return Assessment(f"pickup:{ev.carrier}@{ev.warehouse}:{ev.on.isoformat()}",
                      f"{ev.carrier} missed the pickup at {ev.warehouse} on {ev.on.isoformat()}", Team.LOGISTICS,
                      delivery_impact(book, stuck),
                      evidence={"carrier": ev.carrier, "warehouse": ev.warehouse,
                                "next_pickup": ev.next_pickup.isoformat()})


def _pod(ev: ProofOfDelivery, book: Book) -> Assessment:
    key = f"pod:{ev.delivery_id}"
    delivery = next((d for d in book.deliveries if d.id == ev.delivery_id), None)
    order = book.order(delivery.order_id) if delivery else None
    missing = {sku: ev.shortages.get(sku, Decimal(0)) + ev.damages.get(sku, Decimal(0))
               for sku in {*ev.shortages, *ev.damages}}
    if delivery is None or order is None or not any(missing.values()):
        return Assessment(key, f"delivery {ev.delivery_id} received in full", Team.LOGISTICS, resolves=True)
    prices = {ln.sku: ln.unit_price for ln in order.lines}
    value = Money(sum((q * prices.get(sku, Decimal(0)) for sku, q in missing.items()), Decimal(0)),
                  order.currency).quantize()
    affected = AffectedOrder(order.id, order.customer_id, delivery.delivered_date or book.today, value,
                             skus=tuple(sorted(missing)), delivery_id=delivery.id)
    return Assessment(key, f"delivery {delivery.id} arrived short or damaged (POD {ev.reference})", Team.LOGISTICS,
                      (affected,), evidence={"delivery": delivery.id, "pod": ev.reference,
                                             **{f"missing:{s}": str(q) for s, q in sorted(missing.items())}})


def _credit_block(ev: CreditBlock, book: Book) -> Assessment:
    orders = [o for o in book.orders if o.customer_id == ev.customer_id]
    return Assessment(f"credit:{ev.customer_id}", f"customer {ev.customer_id} blocked for credit: {ev.reason}",
                      Team.FINANCE, _whole_orders(orders), evidence={"customer": ev.customer_id, "reason": ev.reason})


def _data_scope(record: str, key: str, book: Book) -> list[Order]:
    if record == "product":
        return [o for o in book.orders if any(ln.sku == key for ln in o.lines)]
    if record == "ship_to":
        return [o for o in book.orders if o.ship_to == key]
    return [o for o in book.orders if o.customer_id == key]


def _data_error(ev: MasterDataError, book: Book) -> Assessment:
    blocks_shipping = ev.problem == "blocked_ship_to"
    return Assessment(f"masterdata:{ev.record}:{ev.key}:{ev.problem}",
                      f"{ev.record} {ev.key}: {ev.problem.replace('_', ' ')} {ev.detail}".strip(), Team.MASTER_DATA,
                      _whole_orders(_data_scope(ev.record, ev.key, book)), customer_visible=blocks_shipping,
                      blocks_billing=True, evidence={"record": ev.record, "key": ev.key, "problem": ev.problem,
                                                     "detail": ev.detail})


def _data_change(ev: MasterDataChange, book: Book) -> Assessment:
    return Assessment(f"change:{ev.record}:{ev.key}:{ev.field}:{ev.new}",
                      f"{ev.record} {ev.key}: {ev.field.replace('_', ' ')} changed", CHANGE_OWNER.get(ev.field, Team.SALES),
                      _whole_orders(_data_scope(ev.record, ev.key, book)), customer_visible=False,
                      evidence={"record": ev.record, "key": ev.key, "field": ev.field, "old": ev.old, "new": ev.new})


def _resolution(key: str, title: str, team: Team) -> Assessment:
    return Assessment(key, title, team, resolves=True)


def assess(event: OperationalEvent, book: Book) -> Assessment:
    """The incident ``event`` opens (or closes) and every open order it touches."""
    match event:
        case LineBreakdown():
            return _breakdown(event, book)
        case LineRestored():
            return _resolution(f"line:{event.line}", f"production line {event.line} running again", Team.LOGISTICS)
        case Stockout():
            return _stockout(event, book)
        case StockArrival():
            return _resolution(f"supply:{event.sku}@{event.warehouse or '*'}",
                               f"{event.quantity} {event.sku} arrived at {event.warehouse or 'the network'}",
                               Team.LOGISTICS)
        case StockAdjustment():
            return _adjustment(event, book)
        case ShipmentUpdate():
            return _shipment(event, book)
        case CarrierDelayNotice():
            return _carrier_delay(event, book)
        case MissedPickup():
            return _missed_pickup(event, book)
        case ProofOfDelivery():
            return _pod(event, book)
        case CreditBlock():
            return _credit_block(event, book)
        case CreditBlockLifted():
            return _resolution(f"credit:{event.customer_id}", f"credit block on {event.customer_id} lifted",
                               Team.FINANCE)
        case MasterDataError():
            return _data_error(event, book)
        case MasterDataFixed():
            return _resolution(f"masterdata:{event.record}:{event.key}:{event.problem}",
                               f"{event.record} {event.key}: {event.problem.replace('_', ' ')} fixed",
                               Team.MASTER_DATA)
        case MasterDataChange():
            return _data_change(event, book)
    raise TypeError(f"not an operational event: {event!r}")
