"""Order intake end to end on SQLite and PostgreSQL: files and e-mails in, orders, proposals and
acknowledgements out, credit checked after intake, nothing half-created, nothing booked twice."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from o2c.adapters.store import tables as t
from o2c.adapters.store.intake_store import IntakeStore
from o2c.domain import commands as c
from o2c.domain.errors import DomainError
from o2c.services.intake import IntakeService, intake_summary
from o2c.services.intake_channels import EmailOrder
from o2c.services.proposals import approve
from tests.unit.intake.world import seed_intake, x12_850


@pytest.fixture
def intake(app):  # type: ignore[no-untyped-def]
    seed_intake(app)
    return IntakeService.for_app(app)


def _orders(app) -> list:  # type: ignore[no-untyped-def]
    with app.uow() as uow:
        return [o for o in uow.orders.all() if not o.id.startswith("SO-H")]


def _outbound(app, kind: str) -> list[dict]:  # type: ignore[no-untyped-def]
    with app.uow() as uow:
        return [m for m in IntakeStore(uow.conn).outbound.for_source("") if m["kind"] == kind]


def test_a_clean_x12_order_is_booked_touchless_confirmed_by_credit_and_acknowledged(app, intake):
    report = intake.import_file(x12_850(), "850-clean.x12")
    app.dispatcher.drain()
    [outcome] = report.orders
    assert (report.status, outcome.status, outcome.action) == ("imported", "captured", "capture_order")
    assert outcome.source_ref == "x12:HOEKSTRA:000000001:0001:PO-NEW-1"
    [order] = _orders(app)
    assert (order.status.value, order.ship_to, order.po_number) == ("confirmed", "C1-S2", "PO-NEW-1")
    with app.uow() as uow:
        actions = [(p.agent, p.action, p.status) for p in uow.proposals.list()]
        assert intake_summary(uow)["touchless_rate"] == 1.0
    assert actions == [("intake", "capture_order", "executed"), ("credit", "confirm_order", "executed")]
    [ack] = _outbound(app, "855")
    assert "BAK*00*AD*PO-NEW-1" in ack["content"] and "ACK*IA*20*CA" in ack["content"]
    assert "AK9*A*1*1*1" in _outbound(app, "997")[0]["content"]


def test_importing_the_same_file_twice_books_nothing_twice(app, intake):
    data = x12_850()
    intake.import_file(data, "850.x12")
    again = intake.import_file(data, "850-copy.x12")
    assert again.status == "already_imported" and again.orders == ()
    assert len(_orders(app)) == 1


def test_the_same_interchange_sent_again_in_another_file_creates_one_order(app, intake):
    intake.import_file(x12_850(), "850.x12")
    resent = intake.import_file(x12_850() + b"\n", "850-resent.x12")
    assert [o.status for o in resent.orders] == ["duplicate"]
    assert len(_orders(app)) == 1


@pytest.mark.parametrize("damage, segment", [
    (lambda data: data[: data.index(b"CTT")], "SE"),
    (lambda data: data.replace(b"SE*8*0001", b"SE*5*0001"), "SE"),
    (lambda data: data.replace(b"IEA*1*000000001", b"IEA*1*000000999"), "IEA"),
], ids=["truncated", "wrong segment count", "bad control number"])
def test_a_malformed_x12_file_is_quarantined_naming_the_segment_and_nothing_is_created(app, intake, damage,
                                                                                        segment):
    report = intake.import_file(damage(x12_850()), "850-bad.x12")
    assert report.status == "quarantined" and report.orders == ()
    assert any(segment in error for error in report.errors), report.errors
    assert _orders(app) == []
    with app.uow() as uow:
        store = IntakeStore(uow.conn)
        assert store.quarantine.count() == 1 and store.log.all() == []
        assert uow.proposals.list() == []
    assert _outbound(app, "997"), "the sender is told the interchange was rejected"


def test_short_stock_books_the_substitute_and_tells_the_customer(app, intake):
    report = intake.import_file(x12_850("PO1*1*40*CA*14.40**VN*COLA*EN*8712345000018"), "850-short.x12")
    app.dispatcher.drain()
    assert [(o.action, o.reasons) for o in report.orders] == [("substitute_item", ("stock_short",))]
    [order] = _orders(app)
    assert [(ln.sku, ln.quantity) for ln in order.lines] == [("COLAZ", Decimal(40))]
    assert "ACK*IS*40*CA" in _outbound(app, "855")[0]["content"]
    assert "COLAZ" in _outbound(app, "draft")[0]["content"]


def test_a_reused_po_waits_for_a_person_and_credit_checks_it_once_approved(app, intake):
    report = intake.import_file(x12_850(po="PO-OLD-2"), "850-dup-po.x12")
    [outcome] = report.orders
    assert (outcome.status, outcome.action, outcome.reasons) == ("pending", "review_order", ("po_duplicate",))
    assert _orders(app) == [] and _outbound(app, "855") == []
    with app.uow() as uow:
        approve(uow, outcome.proposal_id, "sales-lead", "customer confirmed it is a new order", app.company)
        uow.commit()
    app.dispatcher.drain()
    [order] = _orders(app)
    assert order.status.value == "confirmed"


def test_a_wrong_price_is_booked_at_the_customers_price_with_a_drafted_message(app, intake):
    report = intake.import_file(x12_850("PO1*1*20*CA*13.90**VN*COLA*EN*8712345000018"), "850-price.x12")
    assert [o.action for o in report.orders] == ["correct_order_price"]
    [order] = _orders(app)
    assert order.lines[0].unit_price == Decimal("14.4")
    assert "ACK*IP*20*CA" in _outbound(app, "855")[0]["content"]
    assert "differs from the customer's price" in _outbound(app, "draft")[0]["content"]


def test_an_email_order_is_extracted_booked_and_the_same_email_twice_creates_one_order(app, intake):
    text = "Please send 40 cases of Cola Zero 24x33cl and 10 kegs of lager to our Antwerp store Thursday, PO 4711"
    message = EmailOrder("orders@hoekstra.example", text, "<m-1@hoekstra.example>")
    [first] = intake.receive_emails([message])
    [second] = intake.receive_emails([message])
    app.dispatcher.drain()
    assert (first.status, first.action, second.status) == ("captured", "capture_order", "duplicate")
    [order] = _orders(app)
    assert [(ln.sku, ln.quantity) for ln in order.lines] == [("COLAZ", Decimal(40)), ("LAGER", Decimal(10))]
    assert (order.ship_to, order.po_number, order.requested_date.isoformat()) == ("C1-S2", "4711", "2026-09-03")
    assert order.status.value == "confirmed"


def test_an_email_without_a_message_id_is_recognised_by_its_content(app, intake):
    text = "Please send 5 cases of Spring Water to our Utrecht store on 2026-09-03, PO 77"
    intake.receive_emails([EmailOrder("orders@hoekstra.example", text)])
    [again] = intake.receive_emails([EmailOrder("Orders@Hoekstra.example", text + "\n")])
    assert again.status == "duplicate" and len(_orders(app)) == 1


def test_an_unknown_buyer_is_rejected_with_an_855_and_no_order(app, intake):
    report = intake.import_file(x12_850(buyer="5400000000001"), "850-stranger.x12")
    assert [(o.status, o.reasons) for o in report.orders] == [("rejected", ("unknown_customer",))]
    assert _orders(app) == []
    assert "BAK*00*RD" in _outbound(app, "855")[0]["content"]


def test_capture_order_names_every_structural_problem_at_once(app, intake):
    command = c.CaptureOrder("C1", "C1-S9", "email", intake_day(), (c.CaptureOrderLine("NOPE", Decimal(1)),
                                                                  c.CaptureOrderLine("GONE", Decimal(1))))
    with pytest.raises(DomainError) as refused:
        app.execute(command, "clerk", "typed in")
    assert str(refused.value) == ("customer C1 has no ship-to 'C1-S9'; line 1: unknown SKU 'NOPE'; "
                                  "line 2: unknown SKU 'GONE'")
    with app.uow() as uow:
        assert uow.conn.execute(select(func.count()).select_from(t.orders)).scalar_one() == 3


def intake_day():  # type: ignore[no-untyped-def]
    from datetime import date
    return date(2026, 9, 3)
