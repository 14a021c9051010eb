"""Read-only units of work: they take no write lock on SQLite, and the database refuses their writes."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError

from o2c.adapters.store import tables as t


def _commit_a_record(app, done: threading.Event) -> None:
    with app.uow() as uow:
        uow.audit.append(app.clock.now(), "clerk", "note", "order:SO-1", "written while a page reads", {})
        uow.commit()
    done.set()


def test_a_reader_does_not_hold_back_a_concurrent_writer(app):
    with app.uow(read_only=True) as reader:
        assert reader.audit.records() == []  # the read transaction has begun and read
        done = threading.Event()
        writer = threading.Thread(target=_commit_a_record, args=(app, done), daemon=True)
        writer.start()
        assert done.wait(timeout=10), "the writer waited for the reader's transaction"
    writer.join()
    with app.uow(read_only=True) as reader:
        assert [r.reason for r in reader.audit.records()] == ["written while a page reads"]


def test_writing_through_a_read_only_unit_of_work_is_refused(app):
    with app.uow(read_only=True) as reader, pytest.raises(DBAPIError, match=r"read-?only"):
        reader.conn.execute(insert(t.revisions).values(name="probe", value=1))
    with app.uow() as writer:  # the same pooled connection writes again once it is a writer's
        writer.conn.execute(insert(t.revisions).values(name="probe", value=1))
        writer.commit()
