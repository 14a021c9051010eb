"""Stored proposals: what agents suggested, what the policy gate decided, and who approved what."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from o2c.adapters.store import tables as t
from o2c.adapters.store.prepared import Prepared


@dataclass(frozen=True, slots=True)
class ProposalRow:
    id: str
    agent: str
    action: str
    status: str
    subject: str
    command_type: str
    command: dict[str, Any]
    reason: str
    evidence: dict[str, Any]
    confidence: float
    amount_minor: int | None
    currency: str | None
    policy_rule: str
    requested_by: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_comment: str | None
    result: str | None


class ProposalStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    _ADD = Prepared(insert(t.proposals), [c.name for c in t.proposals.c if c.name not in ("decision_comment",)])

    def add(self, **values: Any) -> None:
        self._ADD.run(self.conn, values)

    def get(self, proposal_id: str, *, for_update: bool = False) -> ProposalRow | None:
        query = select(t.proposals).where(t.proposals.c.id == proposal_id)
        if for_update and self.conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = self.conn.execute(query).mappings().first()
        return None if row is None else ProposalRow(**row)

    def decide(self, proposal_id: str, status: str, by: str, at: datetime, comment: str | None,
               result: str | None = None) -> None:
        self.conn.execute(update(t.proposals).where(t.proposals.c.id == proposal_id).values(
            status=status, decided_by=by, decided_at=at, decision_comment=comment, result=result))

    def list(self, status: str | None = None, agent: str | None = None, subject: str | None = None,
             limit: int = 500) -> list[ProposalRow]:
        query = select(t.proposals).order_by(t.proposals.c.created_at, t.proposals.c.id).limit(limit)
        for column, value in (("status", status), ("agent", agent), ("subject", subject)):
            if value:
                query = query.where(t.proposals.c[column] == value)
        return [ProposalRow(**row) for row in self.conn.execute(query).mappings()]

    def count(self, status: str | None = None) -> int:
        query = select(func.count()).select_from(t.proposals)
        return int(self.conn.execute(query.where(t.proposals.c.status == status) if status else query).scalar_one())

    def counts(self) -> dict[tuple[str, str, str], int]:
        rows = self.conn.execute(select(t.proposals.c.agent, t.proposals.c.action, t.proposals.c.status,
                                        func.count()).group_by(t.proposals.c.agent, t.proposals.c.action,
                                                               t.proposals.c.status))
        return {(a, ac, s): int(n) for a, ac, s, n in rows}
