"""The audit trail as people read it: filtered records, and whether the hash chain is intact."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from o2c.adapters.store import tables as t
from o2c.adapters.store.audit_store import AuditRecord
from o2c.adapters.store.uow import UnitOfWork
from o2c.views.paging import Page, Window


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


def record_page(uow: UnitOfWork, w: Window, subject: str = "", actor: str = "", action: str = "") -> Page[AuditRecord]:
    """Audit records, newest first (``sort=seq`` for oldest first), filtered exactly by subject, actor and
    action and by ``w.q`` anywhere in those or the reason, a page at a time with the total."""
    a = t.audit_log.c
    where = [a[column] == value for column, value in (("subject", subject), ("actor", actor), ("action", action))
             if value]
    if w.q:
        like = f"%{w.q.lower()}%"
        where.append(or_(*(func.lower(a[column]).like(like) for column in ("subject", "actor", "action", "reason"))))
    order = {"seq": a.seq, "actor": a.actor, "action": a.action, "subject": a.subject}.get(w.key, a.seq)
    descending = w.descending or not w.sort
    stmt = select(t.audit_log).where(*where).order_by(order.desc() if descending else order, a.seq.desc())
    rows = uow.conn.execute(stmt.offset(w.offset).limit(w.limit))
    total = uow.conn.execute(select(func.count()).select_from(t.audit_log).where(*where)).scalar_one()
    return Page([AuditRecord(r.seq, r.at, r.actor, r.action, r.subject, r.reason, r.payload) for r in rows],
                int(total), w.offset, w.limit)
