"""Prepared statements behave as SQLAlchemy's own execute does, on SQLite and PostgreSQL."""

from datetime import date, datetime

import pytest
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from o2c.adapters.store import tables as t
from o2c.adapters.store.prepared import Prepared

OUTBOX = Prepared(insert(t.outbox), ["event_type", "payload", "occurred_at"])
OUTBOX_ROWS = Prepared(select(t.outbox.c.event_type, t.outbox.c.payload, t.outbox.c.occurred_at,
                              t.outbox.c.fanned_out).order_by(t.outbox.c.id))
ITEMS = Prepared(insert(t.open_items), [c.name for c in t.open_items.c])
ITEM = Prepared(select(t.open_items.c.opened_on, t.open_items.c.open_minor)
                .where(t.open_items.c.id == bindparam("item_id")))
CLOSE = Prepared(update(t.open_items).where(t.open_items.c.id == bindparam("item_id"))
                 .values(open_minor=t.open_items.c.open_minor - bindparam("paid")), [])


def _item(item_id: str, open_minor: int) -> dict[str, object]:
    return {"id": item_id, "customer_id": "C1", "document": f"INV-{item_id}", "kind": "invoice", "side": "debit",
            "currency": "EUR", "original_minor": 1000, "open_minor": open_minor, "carrying_minor": 1000,
            "opened_on": date(2026, 9, 1), "due_date": date(2026, 10, 1)}


def test_values_go_in_and_come_back_as_their_column_types_make_them(app):
    at = datetime(2026, 9, 30, 9, 15, 1, 250)
    with app.uow() as uow:
        OUTBOX.run(uow.conn, [{"event_type": "A", "payload": {"n": 1, "x": ["y"]}, "occurred_at": at},
                              {"event_type": "B", "payload": {"n": 2}, "occurred_at": at}])
        assert OUTBOX_ROWS.rows(uow.conn) == [("A", {"n": 1, "x": ["y"]}, at, False), ("B", {"n": 2}, at, False)]
        uow.commit()
    with app.uow() as uow:  # what SQLAlchemy reads back is the same
        assert [tuple(r) for r in uow.conn.execute(OUTBOX_ROWS.statement)] == [
            ("A", {"n": 1, "x": ["y"]}, at, False), ("B", {"n": 2}, at, False)]


def test_the_first_statement_begins_the_unit_of_works_transaction_and_rollback_undoes_it(app):
    with app.uow() as uow:
        ITEMS.run(uow.conn, _item("OI1", 1000))
        assert uow.conn.in_transaction()
        CLOSE.run(uow.conn, {"item_id": "OI1", "paid": 400})
        assert ITEM.first(uow.conn, {"item_id": "OI1"}) == (date(2026, 9, 1), 600)
        uow.rollback()
        assert ITEM.first(uow.conn, {"item_id": "OI1"}) is None


def test_a_database_refusal_is_raised_as_sqlalchemy_raises_it_and_nothing_is_half_written(app):
    with app.uow() as uow:
        ITEMS.run(uow.conn, _item("OI1", 1000))
        uow.commit()
    with app.uow() as uow, pytest.raises(IntegrityError):
        CLOSE.run(uow.conn, {"item_id": "OI1", "paid": 1200})  # an open item never goes below zero
    with app.uow() as uow:
        assert ITEM.scalar(uow.conn, {"item_id": "OI1"}) == date(2026, 9, 1)
        assert ITEM.first(uow.conn, {"item_id": "OI1"})[1] == 1000


def test_a_parameter_the_statement_does_not_have_is_refused_not_dropped(app):
    with app.uow() as uow, pytest.raises(ValueError, match="typo"):
        OUTBOX.run(uow.conn, {"event_type": "A", "payload": {}, "occurred_at": datetime(2026, 1, 1), "typo": 1})


def test_a_statement_with_an_expanding_list_is_refused_with_the_reason(app):
    listed = Prepared(select(t.open_items.c.id).where(t.open_items.c.id.in_(["OI1", "OI2"])))
    with app.uow() as uow, pytest.raises(ValueError, match="one statement per list length"):
        listed.rows(uow.conn)
