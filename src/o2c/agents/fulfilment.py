"""The fulfilment agent: for every order an incident touches, the best remedy, costed and ranked.

On ``IncidentAssessed`` it looks at the orders affected in that wave and proposes, per order, the
top-ranked remedy (substitute, another warehouse, split, another carrier, new window; see
``domain.remedies``). When the best one is costly (emergency delivery, free goods) it also proposes
the best ordinary one, so the customer is served now and a person decides on the costly option.
Orders held by a credit block or a blocked ship-to are held; on ``IncidentResolved`` every order held
for the incident is released. The policy gate decides what runs by itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from o2c.adapters.store import tables as t
from o2c.adapters.store.operations_store import Incident, IncidentOrder, OperationsStore, orders_by_id
from o2c.agents.base import AgentDeps, Proposal
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.catalog import PriceList, Product, quote
from o2c.domain.customers import Customer
from o2c.domain.operations import AffectedOrder
from o2c.domain.orders import Order, OrderStatus
from o2c.domain.remedies import (
    COSTLY,
    CarrierRate,
    Remedy,
    RemedyContext,
    RemedyKind,
    delivery_remedies,
    replacement_remedies,
    supply_remedies,
)
from o2c.services.operations import carrier_rates, home_warehouse, warehouses
from o2c.services.remedy_handlers import hold_prefix

SUPPLY = frozenset({"line_breakdown", "stockout", "stock_adjustment"})
IN_TRANSIT = frozenset({"carrier_delay", "shipment_update"})
HOLDING = frozenset({"credit_block", "master_data_error"})


@dataclass
class _Scene:
    """What one handle() call reads once: the incident, catalogue, rates and warehouses."""

    incident: Incident
    products: dict[str, Product]
    deps: AgentDeps
    sites: dict[str, str] = field(default_factory=dict)
    gaps: list[Incident] = field(default_factory=list)
    rates: tuple[CarrierRate, ...] = ()
    assigned: dict[str, str] = field(default_factory=dict)
    price_lists: dict[str, list[PriceList]] = field(default_factory=dict)

    def lists_in(self, currency: str) -> list[PriceList]:
        if currency not in self.price_lists:
            self.price_lists[currency] = self.deps.uow.price_lists.in_currency(currency)
        return self.price_lists[currency]


@dataclass
class FulfilmentAgent:
    name: str = "fulfilment"
    subscribes: frozenset[str] = frozenset({"IncidentAssessed", "IncidentResolved", "DeliveryShipped"})

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        store = OperationsStore(deps.uow.conn)
        if isinstance(event, e.IncidentResolved):
            return self._release(event.incident_id, deps)
        if isinstance(event, e.DeliveryShipped):
            return self._rebook_if_late(event.delivery_id, deps)
        if not isinstance(event, e.IncidentAssessed):
            return []
        incident = store.incident(event.incident_id)
        if incident is None or incident.status != "open":
            return []
        rows = [r for r in store.affected(incident.id, event.wave) if not r.cleared and r.remedy is None]
        scene = _Scene(incident, {p.sku: p for p in deps.uow.products.all()}, deps, warehouses(deps.uow),
                       store.active_gaps(), carrier_rates(deps.uow), store.warehouses_of(r.order_id for r in rows))
        orders = orders_by_id(deps.uow.conn, (r.order_id for r in rows))
        customers = {c.id: c for c in deps.uow.customers.where(
            t.customers.c.id.in_(sorted({r.customer_id for r in rows})))}
        return [p for row in rows if row.order_id in orders and row.customer_id in customers
                for p in self._for_order(scene, row, orders[row.order_id], customers[row.customer_id])]

    def _for_order(self, scene: _Scene, row: IncidentOrder, order: Order, customer: Customer) -> list[Proposal]:
        if scene.incident.kind in HOLDING:
            return self._hold(scene.incident, order, customer)
        remedies = self._remedies(scene, row.affected, order, customer)
        return self._proposals(scene.incident, row.affected, remedies, customer)

    def _remedies(self, scene: _Scene, affected: AffectedOrder, order: Order, customer: Customer) -> list[Remedy]:
        ctx = self._context(scene, order, customer, affected)
        kind = scene.incident.kind
        if kind in SUPPLY:
            return supply_remedies(ctx, affected) if order.is_open else []
        if kind == "proof_of_delivery":
            missing = {k.removeprefix("missing:"): Decimal(v) for k, v in scene.incident.evidence.items()
                       if k.startswith("missing:")}
            return replacement_remedies(ctx, affected, missing)
        return delivery_remedies(ctx, affected, collected=kind in IN_TRANSIT)

    def _context(self, scene: _Scene, order: Order, customer: Customer,
                 affected: AffectedOrder) -> RemedyContext:
        uow = scene.deps.uow
        delivery = uow.deliveries.get(affected.delivery_id) if affected.delivery_id else None
        site = scene.assigned.get(order.id) or home_warehouse(customer, scene.sites)
        blocked = {sku for g in scene.gaps if g.gap and g.gap.warehouse in (None, site) for sku in g.gap.skus}
        own = {ln.sku for ln in order.lines} & blocked
        free = tuple(w for w in sorted(scene.sites) if w != site and not any(
            g.gap and g.gap.warehouse in (None, w) and own & set(g.gap.skus) for g in scene.gaps))
        return RemedyContext(scene.deps.clock.today(), customer, order, scene.products,
                             self._prices(scene, order, customer), scene.rates, frozenset(blocked), site,
                             free, uow.functional_ccy, delivery.carrier if delivery else None)

    def _prices(self, scene: _Scene, order: Order, customer: Customer) -> Mapping[str, Decimal]:
        wanted = {s for ln in order.lines for s in (ln.sku, *(scene.products[ln.sku].substitutes
                                                             if ln.sku in scene.products else ()))}
        lists = scene.lists_in(customer.currency)
        today = scene.deps.clock.today()
        quotes = {sku: quote(customer, sku, today, Decimal(1), lists, []) for sku in sorted(wanted)}
        return {sku: q.list_price for sku, q in quotes.items() if q is not None}

    def _proposals(self, incident: Incident, affected: AffectedOrder, remedies: list[Remedy],
                   customer: Customer) -> list[Proposal]:
        if not remedies:
            return []
        chosen = [remedies[0]]
        if remedies[0].kind in COSTLY:
            chosen += [r for r in remedies if r.kind not in COSTLY][:1]
        chosen = [r for r in chosen if not _only_informs(r, affected)]
        alternatives = [f"{r.kind.value}: {r.description} ({r.cost})" for r in remedies]
        return [self._proposal(incident, affected, r, customer, alternatives) for r in chosen]

    def _proposal(self, incident: Incident, affected: AffectedOrder, remedy: Remedy, customer: Customer,
                  alternatives: list[str]) -> Proposal:
        stake = affected.value_at_risk if remedy.kind is RemedyKind.SUBSTITUTE else remedy.cost
        evidence = {"incident": incident.id, "cause": incident.title, "promised": affected.promised.isoformat(),
                    "value_at_risk": str(affected.value_at_risk), "cost": str(remedy.cost),
                    "arrives": remedy.arrives.isoformat() if remedy.arrives else None,
                    "keeps_promise": remedy.meets_promise, "ranked": alternatives}
        return Proposal(self.name, remedy.kind.value, command_for(remedy, incident.id, affected),
                        f"order:{affected.order_id}", f"{incident.title}: {remedy.description}", evidence,
                        0.9, stake, customer.segment.value)

    def _hold(self, incident: Incident, order: Order, customer: Customer) -> list[Proposal]:
        if order.status is not OrderStatus.CONFIRMED:
            return []
        reason = f"{hold_prefix(incident.id)} {incident.title}"
        return [Proposal(self.name, "hold_order", c.HoldOrder(order.id, reason[:200]), f"order:{order.id}",
                         f"Hold until resolved: {incident.title}", {"incident": incident.id}, 1.0,
                         order.open_value(), customer.segment.value)]

    def _rebook_if_late(self, delivery_id: str, deps: AgentDeps) -> list[Proposal]:
        """A shipment booked today to arrive after the promise goes with a carrier that keeps it, if one can."""
        uow, today = deps.uow, deps.clock.today()
        delivery = uow.deliveries.get(delivery_id)
        order = uow.orders.get(delivery.order_id) if delivery else None
        if (delivery is None or order is None or delivery.ship_date != today or delivery.delivered_date
                or delivery.expected_date <= order.requested_date):
            return []
        customer = uow.customers.get(order.customer_id)
        if customer is None:
            return []
        ctx = RemedyContext(today, customer, order, {}, {}, carrier_rates(uow), failed_carrier=delivery.carrier)
        rate = ctx.cheapest(by=order.requested_date)
        if rate is None:
            return []
        arrives = today + timedelta(days=rate.days)
        return [Proposal(self.name, "change_carrier", c.RebookDelivery(delivery.id, rate.carrier, arrives),
                         f"order:{order.id}", f"Booked to arrive {delivery.expected_date.isoformat()}, after the "
                         f"promised {order.requested_date.isoformat()}: {rate.carrier} delivers {arrives.isoformat()}",
                         {"delivery": delivery.id, "carrier": rate.carrier, "cost": str(rate.cost)}, 0.9, rate.cost,
                         customer.segment.value)]

    def _release(self, incident_id: str, deps: AgentDeps) -> list[Proposal]:
        prefix = hold_prefix(incident_id)
        held = [o for o in deps.uow.orders.with_status(OrderStatus.ON_HOLD) if (o.hold_reason or "").startswith(prefix)]
        return [Proposal(self.name, "release_incident_hold", c.ReleaseOrderHold(o.id), f"order:{o.id}",
                         f"Incident {incident_id} resolved: release the order", {"incident": incident_id},
                         1.0, o.open_value()) for o in held]


def _only_informs(remedy: Remedy, affected: AffectedOrder) -> bool:
    """A new window for a delivery already on the road changes nothing but what the customer is told:
    the notice carries it (``notify_customer`` records it), no command is needed."""
    return remedy.kind is RemedyKind.NEW_WINDOW and affected.delivery_id is not None


def command_for(remedy: Remedy, incident_id: str, affected: AffectedOrder) -> c.Command:
    """The command that carries out ``remedy``."""
    p, order_id = remedy.params, remedy.order_id
    match remedy.kind:
        case RemedyKind.SUBSTITUTE:
            pairs = (part.split(":") for part in p["lines"].split(","))
            return c.SubstituteOrderLines(order_id, {n: sku for n, sku in pairs}, incident_id)
        case RemedyKind.CHANGE_WAREHOUSE:
            return c.AssignOrderWarehouse(order_id, p["warehouse"], incident_id)
        case RemedyKind.SPLIT:
            return c.SplitOrderDelivery(order_id, tuple(int(n) for n in p["lines"].split(",")),
                                        _date(p["later"]), incident_id)
        case RemedyKind.CHANGE_CARRIER | RemedyKind.EMERGENCY:
            return c.RebookDelivery(p["delivery"], p["carrier"], _date(p["date"]), incident_id)
        case RemedyKind.FREE_GOODS:
            return c.ReplaceGoods(order_id, {sku: Decimal(q) for sku, q in p.items()}, incident_id)
    return c.RescheduleDelivery(order_id, _date(p["date"]), p.get("delivery") or affected.delivery_id, incident_id)


def _date(text: str) -> date:
    return date.fromisoformat(text)
