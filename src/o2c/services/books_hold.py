"""The books hold: a customer whose open items in o2c and in the system of record disagree.

Set by the reconciliation check after a sync (``services.erp_sync``); while it holds, the policy gate
sends every proposal about the customer to a person instead of executing it. Only a person lifts it.
"""

from __future__ import annotations

from typing import Any

from o2c.adapters.store.uow import UnitOfWork

HOLD = "books_hold"


def held_customers(uow: UnitOfWork) -> dict[str, dict[str, Any]]:
    """Customers whose books disagree and whom no person has released yet."""
    return {key: body for key, body in uow.reference.of_kind(HOLD) if body.get("held")}


def is_held(uow: UnitOfWork, customer_id: str | None) -> bool:
    if customer_id is None:
        return False
    body = uow.reference.get(HOLD, customer_id)
    return bool(body and body.get("held"))


def release(uow: UnitOfWork, customer_id: str, person: str, reason: str) -> bool:
    body = uow.reference.get(HOLD, customer_id)
    if not body or not body.get("held"):
        return False
    uow.reference.upsert(HOLD, customer_id, {**body, "held": False, "released_by": person, "reason": reason})
    uow.audit.append(uow.clock.now(), person, "books_hold:released", customer_id, reason, {})
    return True
