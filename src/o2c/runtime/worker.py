"""A worker process: launch the durable runtime and process ``o2c-work`` until told to stop.

Run several, each with its own stable ``--executor-id`` (e.g. ``web-1``, ``worker-a``): the queue
spreads new flows across them. Flows a worker was running when it died wait until a worker with
the same id starts again; DBOS then requeues them and that worker or any peer resumes them.
``--take-over ID`` hands the flows of a worker that will never return to the others.
SIGTERM or SIGINT stop a worker gracefully: it takes no new flows, running ones get
``drain_timeout_s`` to finish, the rest resume as above.

    python -m o2c.runtime.worker --db sqlite:///o2c.db --executor-id worker-a --flows my.flows
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

from o2c.config import Settings
from o2c.runtime.durable import DEFAULT_WORKER_CONCURRENCY, start_runtime

READY_LINE = "o2c worker ready"


def run_worker(
    database_url: str,
    executor_id: str,
    *,
    stop_after: float | None = None,
    polling_interval: float | None = None,
    worker_concurrency: int = DEFAULT_WORKER_CONCURRENCY,
    hold_after_commit_s: float = 0.0,
    take_over: Sequence[str] = (),
    drain_timeout_s: int = 10,
) -> None:
    """Process flows until SIGTERM/SIGINT, or for ``stop_after`` seconds when given."""
    stop = threading.Event()
    with _stop_on_signals(stop):
        runtime = start_runtime(
            database_url,
            executor_id,
            polling_interval=polling_interval,
            worker_concurrency=worker_concurrency,
            hold_after_commit_s=hold_after_commit_s,
            take_over=take_over,
        )
        try:
            print(f"{READY_LINE} executor_id={executor_id} version={runtime.application_version}", flush=True)
            stop.wait(stop_after)
        finally:
            runtime.shutdown(drain_timeout_s)


@contextmanager
def _stop_on_signals(stop: threading.Event) -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handle(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="o2c-worker", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="database URL (default: O2C_DATABASE_URL)")
    parser.add_argument(
        "--executor-id", default=os.environ.get("O2C_EXECUTOR_ID"), help="stable id of this worker"
    )
    parser.add_argument(
        "--flows", action="append", default=[], metavar="MODULE",
        help="module whose register_flows() registers flows (repeatable)",
    )
    parser.add_argument("--polling-interval", type=float, default=None, metavar="SECONDS")
    parser.add_argument("--worker-concurrency", type=int, default=DEFAULT_WORKER_CONCURRENCY)
    parser.add_argument("--stop-after", type=float, default=None, metavar="SECONDS")
    parser.add_argument(
        "--hold-after-commit", type=float, default=0.0, metavar="SECONDS",
        help="fault injection for recovery drills: wait after each step commits, before DBOS records it",
    )
    parser.add_argument(
        "--take-over", action="append", default=[], metavar="EXECUTOR_ID",
        help="requeue the pending flows of a worker that will never come back (repeatable)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    if not args.executor_id:
        _parser().error("--executor-id (or O2C_EXECUTOR_ID) is required: it must be stable per worker")
    for module in args.flows:
        importlib.import_module(module).register_flows()
    run_worker(
        args.db or Settings().database_url,
        args.executor_id,
        stop_after=args.stop_after,
        polling_interval=args.polling_interval,
        worker_concurrency=args.worker_concurrency,
        hold_after_commit_s=args.hold_after_commit,
        take_over=args.take_over,
    )


if __name__ == "__main__":
    main()
