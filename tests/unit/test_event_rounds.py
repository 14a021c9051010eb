"""The worker's event rounds: a round that raises is logged and retried, never the end of the worker."""

from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy.exc import OperationalError

from o2c.runtime.event_delivery import deliver_events_until_stopped


def test_a_worker_round_that_raises_is_logged_and_the_worker_goes_on_delivering(caplog):
    stop, calls = threading.Event(), []

    def drain() -> int:
        calls.append(len(calls))
        if len(calls) == 1:
            raise OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))
        if len(calls) == 2:
            raise RuntimeError("duplicate key value violates unique constraint pk_dispatches")
        if len(calls) == 4:
            stop.set()
        return 5

    with caplog.at_level(logging.ERROR, logger="o2c.runtime.event_delivery"):
        rounds = deliver_events_until_stopped(drain, stop, poll_s=0.001)
    assert (rounds.run, rounds.failed, rounds.handled) == (4, 2, 10)
    assert [r.message for r in caplog.records] == [
        "event round failed (1 in a row); next round in 0.0 s",
        "event round failed (2 in a row); next round in 0.0 s",
    ]
    assert "server closed the connection" in caplog.records[0].exc_text


def test_failed_rounds_back_off_doubling_up_to_the_cap(caplog):
    stop, calls = threading.Event(), []

    def drain() -> int:
        calls.append(1)
        if len(calls) == 5:
            stop.set()
        raise RuntimeError("database down")

    with caplog.at_level(logging.ERROR, logger="o2c.runtime.event_delivery"):
        deliver_events_until_stopped(drain, stop, poll_s=0.001, max_backoff_s=0.006)
    delays = [r.args[1] for r in caplog.records]
    assert delays == pytest.approx([0.002, 0.004, 0.006, 0.006, 0.006])


def test_an_interrupt_still_ends_the_worker():
    def drain() -> int:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        deliver_events_until_stopped(drain, threading.Event(), poll_s=0.001)
