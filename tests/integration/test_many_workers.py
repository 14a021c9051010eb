"""Several workers on one database: outbox fan-out never collides, a failed round never ends a worker."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from o2c.adapters.store import tables as t
from o2c.bootstrap import bootstrap
from o2c.config import Settings
from o2c.domain import events as e

EVENTS = 200


def _new_events(app, count: int) -> None:
    with app.uow() as uow:
        uow.outbox.add_many(
            [e.OrderCaptured(f"SO-{n:06d}", "C1") for n in range(count)], datetime(2026, 9, 1, tzinfo=UTC)
        )
        uow.commit()


@pytest.mark.parametrize("attempt", range(5))
def test_two_threads_fanning_out_the_same_new_events_never_fail_and_create_each_dispatch_once(
    database_url, clock, attempt
):
    app = bootstrap(Settings(database_url=database_url), clock=clock)
    _new_events(app, EVENTS)
    subscribers = app.dispatcher.subscriptions()["OrderCaptured"]
    start, failures, fanned = threading.Barrier(2), [], []

    def fan_out() -> None:
        start.wait()
        try:
            fanned.append(app.dispatcher.fan_out())
        except Exception as exc:  # the test reports what a worker would have died of
            failures.append(exc)

    threads = [threading.Thread(target=fan_out) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert failures == []
    assert sum(fanned) == EVENTS
    with app.uow() as uow:
        rows = uow.conn.execute(select(t.dispatches.c.event_id, t.dispatches.c.subscriber)).all()
        assert len(rows) == len(set(rows)) == EVENTS * len(subscribers)
        assert (
            uow.conn.execute(
                select(func.count()).select_from(t.outbox).where(t.outbox.c.fanned_out.is_(False))
            ).scalar_one()
            == 0
        )
    app.close()


def test_a_worker_fanning_out_while_another_holds_the_new_events_skips_them_instead_of_colliding(
    database_url, clock
):
    app = bootstrap(Settings(database_url=database_url), clock=clock)
    _new_events(app, EVENTS)
    other: list[object] = []
    second = threading.Thread(target=lambda: other.append(_fan_out_or_error(app)))
    with app.uow() as uow:
        assert uow.outbox.fan_out(app.dispatcher.subscriptions()) == EVENTS
        second.start()
        second.join(0.5)  # on PostgreSQL it returns at once; on SQLite it waits for the write lock
        uow.commit()
    second.join(60)
    assert other == [0]
    with app.uow() as uow:
        assert uow.conn.execute(select(func.count()).select_from(t.dispatches)).scalar_one() == (
            EVENTS * len(app.dispatcher.subscriptions()["OrderCaptured"])
        )
    app.close()


def _fan_out_or_error(app) -> object:
    try:
        return app.dispatcher.fan_out()
    except Exception as exc:  # what the worker would have died of
        return exc
