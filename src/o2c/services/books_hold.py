"""The books hold: a customer whose open items in o2c and in the system of record disagree.

Set by the reconciliation check after a sync (``services.erp_sync``); while it holds, the policy gate
sends every proposal about the customer to a person instead of executing it. A hold opens one task for
the accounting team (in the inbox) with the difference; only a person lifts the hold, which closes it.
"""

from __future__ import annotations

from typing import Any

from o2c.adapters.store.uow import UnitOfWork
from o2c.domain.messages import Task

HOLD = "books_hold"
TEAM = "accounting"


def held_customers(uow: UnitOfWork) -> dict[str, dict[str, Any]]:
    """Customers whose books disagree and whom no person has released yet."""
    return {key: body for key, body in uow.reference.of_kind(HOLD) if body.get("held")}


def is_held(uow: UnitOfWork, customer_id: str | None) -> bool:
    if customer_id is None:
        return False
    body = uow.reference.get(HOLD, customer_id)
    return bool(body and body.get("held"))


def hold(uow: UnitOfWork, customer_id: str, difference: dict[str, Any]) -> None:
    """Hold ``customer_id`` (or keep holding it, with the latest difference) and make sure a person has
    a task for it: one task per hold, however many syncs find the same difference."""
    body = uow.reference.get(HOLD, customer_id)
    since = body["since"] if body and body.get("held") else uow.clock.now().isoformat()
    task_id = body.get("task") if body and body.get("held") else None
    if task_id is None:
        task_id = uow.sequences.next("task", "TASK")
        uow.tasks.add(
            Task(
                id=task_id,
                created_at=uow.clock.now(),
                team=TEAM,
                kind=HOLD,
                subject=f"customer:{customer_id}"[:100],
                title=_title(customer_id, difference)[:300],
                detail="Documents that differ: " + ", ".join(difference.get("documents", [])),
                evidence=difference,
                dedupe_key=f"{HOLD}:{customer_id}:{since}"[:200],
            )
        )
    uow.reference.upsert(
        HOLD, customer_id, {"held": True, "since": since, "task": task_id, "difference": difference}
    )


def _title(customer_id: str, difference: dict[str, Any]) -> str:
    return (
        f"Books disagree for {customer_id}: o2c {difference['o2c']} {difference['currency']}, "
        f"books {difference['books']}; o2c acts on nothing for it until released (o2c erp release)"
    )


def release(uow: UnitOfWork, customer_id: str, person: str, reason: str) -> bool:
    body = uow.reference.get(HOLD, customer_id)
    if not body or not body.get("held"):
        return False
    uow.reference.upsert(HOLD, customer_id, {**body, "held": False, "released_by": person, "reason": reason})
    if body.get("task"):
        uow.tasks.close(body["task"])
    uow.audit.append(uow.clock.now(), person, "books_hold:released", customer_id, reason, {})
    return True
