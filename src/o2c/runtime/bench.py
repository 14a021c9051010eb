"""Throughput of the durable runtime for tiny flows: ``python -m o2c.runtime.bench --db URL``.

Runs one in-process worker, enqueues ``--flows`` flows of ``--steps`` no-op idempotent steps
(each step still commits its ``flow_step_runs`` row and a DBOS checkpoint) and reports flows and
steps per second from the first enqueue to the last completion.
"""

from __future__ import annotations

import argparse
import json
import time
import uuid
from collections.abc import Sequence

from sqlalchemy import Connection

from o2c.runtime.client import FlowClient
from o2c.runtime.durable import start_runtime
from o2c.runtime.flows import register_flow
from o2c.runtime.steps import StepFunction

BENCH_FLOW = "bench-tiny"


def _no_op_step(index: int) -> StepFunction:
    def step(_conn: Connection, _flow_id: str) -> None:
        return None

    step.__name__ = f"tiny_step_{index}"
    return step


def run_bench(database_url: str, flows: int, steps: int, concurrency: int) -> dict[str, float]:
    register_flow(BENCH_FLOW, [_no_op_step(index) for index in range(steps)])
    runtime = start_runtime(
        database_url, f"bench-{uuid.uuid4().hex[:6]}", polling_interval=0.02, worker_concurrency=concurrency
    )
    client = FlowClient(database_url)
    prefix = f"bench-{uuid.uuid4().hex[:8]}-"
    try:
        started = time.perf_counter()
        for number in range(flows):
            client.enqueue(BENCH_FLOW, f"{prefix}{number}")
        enqueued = time.perf_counter() - started
        while client.finished_count(prefix) < flows:
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
    finally:
        client.close()
        runtime.shutdown(drain_timeout_s=0)
    return {"flows": flows, "steps_per_flow": steps, "enqueue_s": round(enqueued, 2), "seconds": round(elapsed, 2),
            "flows_per_s": round(flows / elapsed, 1), "steps_per_s": round(flows * steps / elapsed, 1)}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="o2c-durable-bench", description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="database URL (use a scratch database)")
    parser.add_argument("--flows", type=int, default=200)
    parser.add_argument("--steps", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16, help="flows running at once")
    args = parser.parse_args(argv)
    print(json.dumps(run_bench(args.db, args.flows, args.steps, args.concurrency)))


if __name__ == "__main__":
    main()
