"""Enqueue flows and watch them from any process, worker or not.

``FlowClient`` talks only to DBOS's system tables (a ``DBOSClient``), so the web, the CLI or a
test can start flows without running workflow code. A flow is enqueued on ``o2c-work`` under the
workflow id ``flow_id``: enqueueing the same id again returns the existing flow instead of
starting a second one. ``enqueue_in_transaction`` enqueues inside the caller's transaction, so a
business change and the flow it triggers commit together (the system database is the
application database).
"""

from __future__ import annotations

import time
from typing import Any

from dbos import DBOSClient, EnqueueOptions
from sqlalchemy import Connection

from o2c.runtime.durable import APP_NAME, FLOW_WORKFLOW, WORK_QUEUE, system_database_url
from o2c.runtime.flows import WAITING_EVENT

FINISHED = frozenset({"SUCCESS", "ERROR", "CANCELLED", "MAX_RECOVERY_ATTEMPTS_EXCEEDED"})


class FlowTimeoutError(TimeoutError):
    """A flow did not finish within the time a caller was prepared to wait."""


class FlowClient:
    """A connection to the durable runtime's queue; ``close()`` it when done."""

    def __init__(self, database_url: str) -> None:
        self._client = DBOSClient(
            system_database_url=system_database_url(database_url), application_name=APP_NAME
        )

    def enqueue(self, flow_name: str, flow_id: str, *, pause_s: float = 0.0) -> str:
        self._client.enqueue(_options(flow_id), flow_name, flow_id, pause_s)
        return flow_id

    def enqueue_in_transaction(
        self, conn: Connection, flow_name: str, flow_id: str, *, pause_s: float = 0.0
    ) -> str:
        """Enqueue within ``conn``'s open transaction; nothing runs unless it commits."""
        self._client.enqueue_in_transaction(conn, _options(flow_id), flow_name, flow_id, pause_s)
        return flow_id

    def status(self, flow_id: str) -> str | None:
        """DBOS's status of the flow (ENQUEUED, PENDING, SUCCESS, ERROR, ...), None if unknown."""
        workflow = self._client.list_workflows(workflow_ids=[flow_id], load_input=False, load_output=False)
        return workflow[0].status if workflow else None

    def error(self, flow_id: str) -> str | None:
        """Why a flow ended in ERROR (DBOS's recorded exception), None otherwise."""
        workflow = self._client.list_workflows(workflow_ids=[flow_id], load_input=False, load_output=True)
        return None if not workflow or workflow[0].error is None else repr(workflow[0].error)[:500]

    def waiting_for(self, flow_id: str) -> str | None:
        """What a PENDING flow waits for (``"<step>: <reason>"``, e.g. a billing hold), None if nothing."""
        value = self._client.get_event(flow_id, WAITING_EVENT, timeout_seconds=0)
        return None if value is None else str(value)

    def wait(self, flow_id: str, timeout_s: float, *, poll_s: float = 0.05) -> Any:
        """Wait until the flow finishes and return its result (step name -> step result)."""
        deadline = time.monotonic() + timeout_s
        while self.status(flow_id) not in FINISHED:
            if time.monotonic() > deadline:
                raise FlowTimeoutError(f"flow {flow_id!r} still {self.status(flow_id)} after {timeout_s}s")
            time.sleep(poll_s)
        return self._client.retrieve_workflow(flow_id).get_result()

    def finished_count(self, flow_id_prefix: str) -> int:
        """How many flows whose id starts with the prefix have finished (in any terminal state)."""
        workflows = self._client.list_workflows(
            workflow_id_prefix=flow_id_prefix, status=sorted(FINISHED), load_input=False, load_output=False
        )
        return len(workflows)

    def recorded_steps(self, flow_id: str) -> list[str]:
        """Names of the operations DBOS has checkpointed for the flow (steps and sleeps)."""
        return [step["function_name"] for step in self._client.list_workflow_steps(flow_id, load_output=False)]

    def close(self) -> None:
        self._client.destroy()


def _options(flow_id: str) -> EnqueueOptions:
    return {"queue_name": WORK_QUEUE, "workflow_name": FLOW_WORKFLOW, "workflow_id": flow_id}
