"""The sentinel and fulfilment agents end to end on both databases: event in, remedy, notice, task.

Today is 2026-09-01. C1 (English, takes substitutes) and C2 (German, no substitutes) order cola for
2026-09-04; COLA2 is a like-for-like substitute for COLA.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from o2c.adapters.store import tables as t
from o2c.adapters.store.operations_store import OperationsStore
from o2c.domain import commands as c
from o2c.domain import operations as op
from o2c.domain.catalog import PriceList, Product, Scope
from o2c.domain.errors import DomainError
from o2c.services.operations import receive
from o2c.services.proposals import approve
from tests.factories import PRODUCTS, customer, seed

DAY = date(2026, 9, 1)
PROMISED = date(2026, 9, 4)


def _world(app) -> None:
    seed(app, customer("C1"), replace(customer("C2"), language="de", allows_substitutes=False))
    with app.uow() as uow:
        uow.products.save(replace(PRODUCTS[0], substitutes=("COLA2",)))
        uow.products.add(Product("COLA2", "8712345000032", "Cola (private label) 24x33cl can", "soft_drinks",
                                 "24x33cl can", "CS", 24, "standard"))
        uow.price_lists.add(PriceList("PL-EUR-2", "EUR", date(2026, 1, 1), None, Scope(), {"COLA2": Decimal("9.50")}))
        uow.reference.put("warehouse", "RTM", {"name": "Rotterdam DC", "country": "NL"})
        uow.reference.put("warehouse", "DUI", {"name": "Duisburg DC", "country": "DE"})
        uow.commit()


def _order(app, customer_id: str, *lines: tuple[str, int]) -> str:
    result = app.execute(c.CaptureOrder(customer_id, f"{customer_id}-S1", "email", PROMISED,
                                        tuple(c.CaptureOrderLine(sku, Decimal(q)) for sku, q in lines)),
                         "channel:email", "order")
    app.dispatcher.drain()
    return result.split()[1]


def _ship(app, order_id: str, carrier: str = "DHLF", expected: date = date(2026, 9, 3)) -> str:
    with app.uow() as uow:
        order = uow.orders.get(order_id)
    result = app.execute(c.ShipOrder(order_id, "RTM", carrier, expected,
                                     {str(ln.line_no): ln.quantity for ln in order.lines}), "warehouse", "ship")
    app.dispatcher.drain()
    return result.split()[1]


def _receive(app, event, ref: str | None = None, drain: bool = True):
    with app.uow() as uow:
        received = receive(uow, event, source="test", source_ref=ref)
        uow.commit()
    if drain:
        app.dispatcher.drain()
    return received


def _notices(app):
    with app.uow() as uow:
        return uow.messages.where(t.customer_messages.c.kind == "disruption_notice")


def test_a_stockout_substitutes_where_allowed_and_tells_each_customer_once_in_their_language(app):
    _world(app)
    first, second = _order(app, "C1", ("COLA", 10), ("WATER", 5)), _order(app, "C2", ("COLA", 4))
    received = _receive(app, op.Stockout(None, "COLA", date(2026, 9, 8)))
    assert received.outcome == "opened" and received.affected == 2
    with app.uow() as uow:
        assert [ln.sku for ln in uow.orders.get(first).lines] == ["COLA2", "WATER"]
        assert uow.orders.get(second).status.value == "on_hold"
        rows = {r.order_id: r for r in OperationsStore(uow.conn).affected(received.incident_id)}
    assert rows[first].remedy == "substitute_item" and rows[first].remedy_meets_promise
    assert rows[second].remedy in ("new_delivery_window", "change_warehouse")
    notices = {n.customer_id: n for n in _notices(app)}
    assert set(notices) == {"C1", "C2"}
    assert notices["C1"].language == "en" and "equivalent product" in notices["C1"].body
    assert notices["C2"].language == "de" and "Bestellung" in notices["C2"].body
    assert all(n.created_at.date() < PROMISED for n in notices.values())
    _receive(app, op.Stockout(None, "COLA", date(2026, 9, 8)))
    assert len(_notices(app)) == 2


def test_a_stock_arrival_before_the_agents_act_cancels_the_stockout(app):
    _world(app)
    _order(app, "C2", ("COLA", 4))
    opened = _receive(app, op.Stockout(None, "COLA"), drain=False)
    closed = _receive(app, op.StockArrival(None, "COLA", Decimal(500)))
    assert closed.outcome == "resolved" and closed.incident_id == opened.incident_id
    assert _notices(app) == []
    with app.uow() as uow:
        assert all(r.cleared for r in OperationsStore(uow.conn).affected(opened.incident_id))
        assert uow.orders.with_status(uow.orders.get("SO-000001").status)[0].status.value == "confirmed"


def test_an_order_held_for_a_stockout_is_released_when_stock_arrives(app):
    _world(app)
    order_id = _order(app, "C2", ("COLA", 4))
    _receive(app, op.Stockout(None, "COLA", date(2026, 9, 8)))
    with app.uow() as uow:
        assert uow.orders.get(order_id).status.value == "on_hold"
    _receive(app, op.StockArrival(None, "COLA", Decimal(100)))
    with app.uow() as uow:
        assert uow.orders.get(order_id).status.value == "confirmed"


def test_a_carrier_delay_notice_moves_the_eta_and_the_customer_hears_before_the_promised_date(app):
    _world(app)
    delivery_id = _ship(app, _order(app, "C1", ("WATER", 3)))
    received = _receive(app, op.CarrierDelayNotice("DHLF", "NL", 3))
    with app.uow() as uow:
        assert uow.deliveries.get(delivery_id).expected_date == date(2026, 9, 6)
        pending = uow.proposals.list(status="pending", agent="fulfilment")
    assert received.affected == 1
    assert [p.action for p in pending] == ["emergency_delivery"]
    [notice] = _notices(app)
    assert "emergency delivery" in notice.body and notice.created_at.date() < PROMISED


def test_an_emergency_delivery_waits_for_a_person_and_then_rebooks_the_delivery(app):
    _world(app)
    delivery_id = _ship(app, _order(app, "C1", ("WATER", 3)))
    _receive(app, op.CarrierDelayNotice("DHLF", "NL", 3))
    with app.uow() as uow:
        [pending] = uow.proposals.list(status="pending", agent="fulfilment")
        approve(uow, pending.id, "lisa", "key account", app.company)
        uow.commit()
    with app.uow() as uow:
        delivery = uow.deliveries.get(delivery_id)
    assert delivery.carrier == "EXPR" and delivery.expected_date == date(2026, 9, 2)


def test_a_missed_pickup_is_rebooked_on_a_carrier_that_keeps_the_promise(app):
    _world(app)
    delivery_id = _ship(app, _order(app, "C1", ("WATER", 3)), carrier="KN", expected=date(2026, 9, 4))
    _receive(app, op.MissedPickup("KN", "RTM", DAY, date(2026, 9, 3)))
    with app.uow() as uow:
        delivery = uow.deliveries.get(delivery_id)
        executed = [p.action for p in uow.proposals.list(status="executed", agent="fulfilment")]
    assert executed == ["change_carrier"]
    assert delivery.carrier != "KN" and delivery.expected_date <= PROMISED
    [notice] = _notices(app)
    assert "another carrier" in notice.body


def test_a_shipment_booked_to_arrive_after_the_promise_goes_with_a_faster_carrier(app):
    _world(app)
    delivery_id = _ship(app, _order(app, "C1", ("WATER", 3)), carrier="KN", expected=date(2026, 9, 5))
    with app.uow() as uow:
        delivery = uow.deliveries.get(delivery_id)
    assert delivery.carrier != "KN" and delivery.expected_date <= PROMISED


def test_the_same_event_received_twice_is_stored_once(app):
    _world(app)
    _order(app, "C1", ("COLA", 10))
    first = _receive(app, op.Stockout(None, "COLA"), ref="wms:4711")
    again = _receive(app, op.Stockout(None, "COLA"), ref="wms:4711")
    assert first.outcome == "opened" and again.outcome == "duplicate"
    assert len(_notices(app)) == 1


def test_a_master_data_error_reaches_master_data_and_blocks_invoicing_until_fixed(app):
    _world(app)
    delivery_id = _ship(app, _order(app, "C1", ("WATER", 3)))
    app.execute(c.ConfirmDelivery(delivery_id, "POD-1"), "carrier", "pod")
    _receive(app, op.MasterDataError("product", "WATER", "missing_gtin", "GTIN empty in ERP"))
    with app.uow() as uow:
        teams = sorted(task.team for task in uow.tasks.open_for())
    assert teams == ["finance", "master_data"]
    assert _notices(app) == []
    try:
        app.execute(c.InvoiceDelivery(delivery_id), "billing", "invoice")
        raise AssertionError("invoiced from an erroneous master record")
    except DomainError as exc:
        assert "master data first" in str(exc)
    _receive(app, op.MasterDataFixed("product", "WATER", "missing_gtin"))
    assert app.execute(c.InvoiceDelivery(delivery_id), "billing", "invoice").startswith("invoice ")


def test_a_short_delivery_offers_free_goods_for_approval_and_tells_logistics_and_finance(app):
    _world(app)
    delivery_id = _ship(app, _order(app, "C1", ("WATER", 3)))
    app.execute(c.ConfirmDelivery(delivery_id, "POD-9"), "carrier", "pod")
    _receive(app, op.ProofOfDelivery(delivery_id, "POD-9", shortages={"WATER": Decimal(1)}))
    with app.uow() as uow:
        [pending] = uow.proposals.list(status="pending", agent="fulfilment")
        teams = sorted(task.team for task in uow.tasks.open_for())
    assert pending.action == "free_goods" and teams == ["finance", "logistics"]
    assert len(_notices(app)) == 1


def test_a_credit_block_holds_confirmed_orders_and_lifting_it_releases_them(app):
    _world(app)
    order_id = _order(app, "C1", ("WATER", 3))
    _receive(app, op.CreditBlock("C1", "insolvency notice"))
    with app.uow() as uow:
        assert uow.orders.get(order_id).status.value == "on_hold"
        assert sorted(task.team for task in uow.tasks.open_for()) == ["finance", "sales"]
    _receive(app, op.CreditBlockLifted("C1"))
    with app.uow() as uow:
        assert uow.orders.get(order_id).status.value == "confirmed"
