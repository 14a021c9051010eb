"""Handlers for fulfilment remedies, carrier facts, customer notices and incident tasks. Thin.

Each remedy handler changes one order or delivery and records, on the incident's affected order, the
remedy taken (kind, whether it keeps the promised date, and its details for the notice). A notice is
stored once per customer and incident wave (dedupe key); a task once per incident and team.
``HANDLERS`` is merged into the service layer's command table in ``services.handlers``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from o2c.adapters.store import tables as t
from o2c.adapters.store.operations_store import Incident, IncidentOrder, OperationsStore
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.customers import Customer
from o2c.domain.errors import DomainError
from o2c.domain.messages import CustomerMessage, Task
from o2c.domain.orders import Delivery, Order, OrderLine, OrderStatus
from o2c.domain.remedies import COSTLY
from o2c.services.notices import OrderNotice, language_of, render_notice

if TYPE_CHECKING:
    from o2c.services.handlers import Company


def hold_prefix(incident_id: str | None) -> str:
    """How an order held for an incident says so: released when the incident is resolved."""
    return f"incident {incident_id or '-'}:"


def _order(uow: UnitOfWork, order_id: str) -> Order:
    order = uow.orders.get(order_id, for_update=True)
    if order is None:
        raise DomainError(f"unknown order {order_id!r}")
    return order


def _delivery(uow: UnitOfWork, delivery_id: str) -> Delivery:
    delivery = uow.deliveries.get(delivery_id)
    if delivery is None:
        raise DomainError(f"unknown delivery {delivery_id!r}")
    return delivery


def _remember(uow: UnitOfWork, incident_id: str | None, order_id: str, kind: str, meets: bool,
              **details: str) -> None:
    if incident_id:
        OperationsStore(uow.conn).record_remedy(incident_id, order_id, kind, meets, json.dumps(details))


def _promised(uow: UnitOfWork, order_id: str) -> Any:
    order = uow.orders.get(order_id)
    return order.requested_date if order else None


def substitute_order_lines(uow: UnitOfWork, cmd: c.SubstituteOrderLines, company: Company) -> str:
    for sku in cmd.substitutions.values():
        if uow.products.get(sku) is None:
            raise DomainError(f"unknown substitute SKU {sku!r}")
    order = _order(uow, cmd.order_id)
    was = {ln.line_no: ln.sku for ln in order.lines}
    uow.orders.save(order.substitute({int(n): sku for n, sku in cmd.substitutions.items()}))
    items = ", ".join(f"{was[int(n)]} -> {sku}" for n, sku in sorted(cmd.substitutions.items()))
    _remember(uow, cmd.incident_id, order.id, "substitute_item", True, items=items)
    return f"order {order.id}: substituted {items}"


def assign_order_warehouse(uow: UnitOfWork, cmd: c.AssignOrderWarehouse, company: Company) -> str:
    order = _order(uow, cmd.order_id)
    OperationsStore(uow.conn).assign_warehouse(order.id, cmd.warehouse, cmd.incident_id)
    _remember(uow, cmd.incident_id, order.id, "change_warehouse", True, warehouse=cmd.warehouse)
    return f"order {order.id} ships from {cmd.warehouse}"


def _backorder(uow: UnitOfWork, order: Order, lines: tuple[OrderLine, ...], cmd: c.SplitOrderDelivery) -> Order:
    renumbered = tuple(replace(ln, line_no=n) for n, ln in enumerate(lines, start=1))
    skus = ", ".join(sorted({ln.sku for ln in lines}))
    return Order(id=uow.sequences.next("order", "SO"), customer_id=order.customer_id, ship_to=order.ship_to,
                 channel=order.channel, order_date=uow.clock.today(), requested_date=cmd.later_date,
                 currency=order.currency, lines=renumbered, po_number=order.po_number,
                 status=OrderStatus.ON_HOLD, hold_reason=f"{hold_prefix(cmd.incident_id)} waiting for {skus}",
                 source_ref=f"split:{order.id}:{cmd.incident_id or '-'}")


def split_order_delivery(uow: UnitOfWork, cmd: c.SplitOrderDelivery, company: Company) -> str:
    order = _order(uow, cmd.order_id)
    kept, moving = order.split_off(cmd.line_nos)
    later = _backorder(uow, order, moving, cmd)
    uow.orders.save(kept)
    uow.orders.add(later)
    uow.emit(e.OrderPutOnHold(later.id, later.customer_id, later.hold_reason or "incident"))
    _remember(uow, cmd.incident_id, order.id, "split_delivery", False, date=cmd.later_date.isoformat(),
              backorder=later.id)
    return f"order {order.id} split: lines {list(cmd.line_nos)} moved to {later.id} for {cmd.later_date.isoformat()}"


def reschedule_delivery(uow: UnitOfWork, cmd: c.RescheduleDelivery, company: Company) -> str:
    """A new window: a confirmed order waits (held for supply) until the incident is resolved."""
    order = _order(uow, cmd.order_id)
    if cmd.delivery_id is None and order.status is OrderStatus.CONFIRMED:
        held = order.hold(f"{hold_prefix(cmd.incident_id)} new date {cmd.new_date.isoformat()}")
        uow.orders.save(held)
        uow.emit(e.OrderPutOnHold(order.id, order.customer_id, held.hold_reason or "incident"))
    meets = cmd.new_date <= order.requested_date
    _remember(uow, cmd.incident_id, order.id, "new_delivery_window", meets, date=cmd.new_date.isoformat())
    return f"order {order.id}: new delivery date {cmd.new_date.isoformat()}"


def rebook_delivery(uow: UnitOfWork, cmd: c.RebookDelivery, company: Company) -> str:
    delivery = _delivery(uow, cmd.delivery_id)
    if delivery.delivered_date is not None:
        raise DomainError(f"delivery {delivery.id} is already delivered")
    note = f"rebooked {delivery.carrier} -> {cmd.carrier}"
    uow.deliveries.save(replace(delivery, carrier=cmd.carrier, expected_date=cmd.expected_date,
                                notes=(*delivery.notes, note)))
    kind = "emergency_delivery" if cmd.carrier == "EXPR" else "change_carrier"
    meets = cmd.expected_date <= (_promised(uow, delivery.order_id) or cmd.expected_date)
    _remember(uow, cmd.incident_id, delivery.order_id, kind, meets, date=cmd.expected_date.isoformat(),
              carrier=cmd.carrier)
    return f"delivery {delivery.id} {note}, expected {cmd.expected_date.isoformat()}"


def update_delivery_eta(uow: UnitOfWork, cmd: c.UpdateDeliveryEta, company: Company) -> str:
    delivery = _delivery(uow, cmd.delivery_id)
    uow.deliveries.save(replace(delivery, expected_date=cmd.expected_date))
    return f"delivery {delivery.id} now expected {cmd.expected_date.isoformat()}"


def replace_goods(uow: UnitOfWork, cmd: c.ReplaceGoods, company: Company) -> str:
    from o2c.services.handlers import handle

    order = _order(uow, cmd.order_id)
    lines = tuple(c.CaptureOrderLine(sku, qty, Decimal(0)) for sku, qty in sorted(cmd.quantities.items()) if qty > 0)
    result = handle(uow, c.CaptureOrder(order.customer_id, order.ship_to, "replacement",
                                        uow.clock.today(), lines, order.po_number,
                                        source_ref=f"replacement:{order.id}:{cmd.incident_id or '-'}"), company)
    _remember(uow, cmd.incident_id, order.id, "free_goods", False)
    return result


def _pending_options(uow: UnitOfWork, order_ids: list[str]) -> dict[str, tuple[tuple[str, dict[str, str]], ...]]:
    """Costly remedies waiting for a person, per order: what the customer may still choose."""
    rows = uow.conn.execute(select(t.proposals.c.subject, t.proposals.c.action, t.proposals.c.command).where(
        t.proposals.c.status == "pending", t.proposals.c.action.in_(sorted(COSTLY)),
        t.proposals.c.subject.in_([f"order:{o}" for o in order_ids])).order_by(t.proposals.c.id))
    options: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for subject, action, command in rows:
        options.setdefault(subject.removeprefix("order:"), []).append(
            (action, {"date": str(command.get("expected_date", ""))}))
    return {order_id: tuple(found) for order_id, found in options.items()}


def _notice_key(incident_id: str, customer_id: str, order_ids: tuple[str, ...]) -> str:
    digest = hashlib.sha256(",".join(sorted(order_ids)).encode()).hexdigest()[:10]
    return f"disruption:{incident_id}:{customer_id}:{digest}"


def _customer(uow: UnitOfWork, customer_id: str) -> Customer:
    customer = uow.customers.get(customer_id)
    if customer is None:
        raise DomainError(f"unknown customer {customer_id!r}")
    return customer


def _incident(store: OperationsStore, incident_id: str) -> Incident:
    incident = store.incident(incident_id)
    if incident is None:
        raise DomainError(f"unknown incident {incident_id!r}")
    return incident


def _order_notice(store: OperationsStore, row: IncidentOrder,
                  pending: tuple[tuple[str, dict[str, str]], ...]) -> OrderNotice:
    """One order in a notice; a delivery with no remedy taken gets its new expected date as the new window."""
    if row.remedy is None and row.delivery_id and row.expected:
        details = {"date": row.expected.isoformat()}
        store.record_remedy(row.incident_id, row.order_id, "new_delivery_window", False, json.dumps(details))
        return OrderNotice(row.order_id, row.promised, "new_delivery_window", details, pending)
    return OrderNotice(row.order_id, row.promised, row.remedy, json.loads(row.remedy_note or "{}"), pending)


def notify_customer(uow: UnitOfWork, cmd: c.NotifyCustomer, company: Company) -> str:
    store = OperationsStore(uow.conn)
    incident, customer = _incident(store, cmd.incident_id), _customer(uow, cmd.customer_id)
    key = _notice_key(incident.id, customer.id, cmd.order_ids)
    if uow.messages.where(t.customer_messages.c.dedupe_key == key, limit=1):
        return f"customer {customer.id} already told about {incident.id}"
    rows = [r for r in store.affected(incident.id, order_ids=cmd.order_ids) if not r.cleared]
    if not rows:
        return f"nothing left to tell {customer.id} about {incident.id}"
    pending = _pending_options(uow, [r.order_id for r in rows])
    notices = [_order_notice(store, r, pending.get(r.order_id, ())) for r in rows]
    lang = language_of(customer.language)
    subject, body = render_notice(lang, customer.name, incident.kind, notices)
    now = uow.clock.now()
    uow.messages.add(CustomerMessage(
        id=uow.sequences.next("message", "MSG"), created_at=now, customer_id=customer.id, direction="out",
        channel=customer.preferred_channel.value, kind="disruption_notice", subject=subject[:300], body=body,
        language=lang, related=f"incident:{incident.id}", dedupe_key=key,
        meta={"incident": incident.id, "orders": [r.order_id for r in rows]}))
    store.mark_told(incident.id, [r.order_id for r in rows], now)
    return f"customer {customer.id} told about {incident.id} ({len(rows)} order(s), {lang})"


def raise_task(uow: UnitOfWork, cmd: c.RaiseTask, company: Company) -> str:
    store = OperationsStore(uow.conn)
    incident = _incident(store, cmd.incident_id)
    affected = store.affected(incident.id)
    evidence = {**incident.evidence, "incident": incident.id, "affected_orders": len(affected),
                "customers": len({r.customer_id for r in affected}),
                "orders": [r.order_id for r in affected][:50]}
    added = uow.tasks.add(Task(id=uow.sequences.next("task", "TASK"), created_at=uow.clock.now(), team=cmd.team,
                               kind=f"incident:{incident.kind}"[:32], subject=f"incident:{incident.id}",
                               title=cmd.title[:300], detail=cmd.detail, evidence=evidence,
                               dedupe_key=f"incident:{incident.id}:{cmd.team}"))
    return f"task for {cmd.team} on {incident.id}" + ("" if added else " (already open)")


HANDLERS: dict[type, Callable[[UnitOfWork, Any, Any], str]] = {
    c.SubstituteOrderLines: substitute_order_lines,
    c.AssignOrderWarehouse: assign_order_warehouse,
    c.SplitOrderDelivery: split_order_delivery,
    c.RescheduleDelivery: reschedule_delivery,
    c.RebookDelivery: rebook_delivery,
    c.UpdateDeliveryEta: update_delivery_eta,
    c.ReplaceGoods: replace_goods,
    c.NotifyCustomer: notify_customer,
    c.RaiseTask: raise_task,
}
