"""The audit trail as people read it: filtered records, and whether the hash chain is intact."""

from __future__ import annotations

from dataclasses import dataclass

from o2c.adapters.store.audit_store import AuditRecord
from o2c.adapters.store.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class AuditTrail:
    records: list[AuditRecord]
    verified: bool
    problems: list[str]


def trail(uow: UnitOfWork, subject: str | None = None, actor: str | None = None, action: str | None = None,
          limit: int = 200, verify: bool = True) -> AuditTrail:
    records = uow.audit.records(subject=subject or None, actor=actor or None, action=action or None, limit=limit)
    problems = uow.audit.verify() if verify else []
    return AuditTrail(records, not problems, problems)
