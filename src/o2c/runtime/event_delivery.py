"""The worker's event round: deliver outbox events to the agents until told to stop.

Each round drains what is due (``services.dispatcher.Dispatcher.drain``: fan out new events, handle
due dispatches). A round that fails — the database went away, a deadlock, a bug outside any one
agent — is logged with its traceback and tried again after a back-off that doubles from the poll
interval up to ``max_backoff_s``; the worker never ends because of one failed round. What the round
had not committed stays in the outbox and is delivered by the next successful round (here or on
another worker), so nothing is lost and nothing is done twice.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

DEFAULT_MAX_BACKOFF_S = 60.0


@dataclass
class Rounds:
    """What the loop did: rounds run, rounds that failed, dispatches handled."""

    run: int = 0
    failed: int = 0
    handled: int = 0


def deliver_events_until_stopped(
    drain: Callable[[], int],
    stop: threading.Event,
    *,
    poll_s: float = 1.0,
    max_backoff_s: float = DEFAULT_MAX_BACKOFF_S,
) -> Rounds:
    """Call ``drain`` every ``poll_s`` until ``stop`` is set, surviving any failed round."""
    rounds, failures_in_a_row = Rounds(), 0
    while not stop.is_set():
        rounds.run += 1
        try:
            rounds.handled += drain()
        except Exception:  # any one failed round: log it, back off, go on
            rounds.failed += 1
            failures_in_a_row += 1
            delay = min(poll_s * 2**failures_in_a_row, max_backoff_s)
            log.exception("event round failed (%d in a row); next round in %.1f s", failures_in_a_row, delay)
            stop.wait(delay)
            continue
        failures_in_a_row = 0
        stop.wait(poll_s)
    return rounds
