"""The audit log: append-only and hash-chained.

Each record's hash covers its content and the previous record's hash, and the head row remembers the
last sequence and hash, so an edited, deleted, inserted or truncated record breaks the chain at a
place ``verify`` names. Appends take a row lock on the head, so concurrent writers chain in order.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from o2c.adapters.store import tables as t

GENESIS = "0" * 64


def record_hash(prev_hash: str, seq: int, at: datetime, actor: str, action: str, subject: str,
                reason: str, payload: Any) -> str:
    body = json.dumps([seq, at.isoformat(), actor, action, subject, reason, payload],
                      sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    reason: str
    payload: Any


class AuditLog:
    """Appends are chained in memory and written together by ``flush`` before the commit.

    The first append of a transaction reads the head and locks it (``FOR UPDATE`` on PostgreSQL; on
    SQLite the transaction holds the write lock from ``BEGIN IMMEDIATE``), so no other writer can
    chain in between; the records and the new head are then written in one statement each.
    """

    _WRITE_RECORD = insert(t.audit_log)
    _MOVE_HEAD = update(t.audit_head).where(t.audit_head.c.id == 1).values(
        seq=bindparam("head_seq"), hash=bindparam("head_hash"))

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._head_now: tuple[int, str] | None = None
        self._unwritten: list[dict[str, Any]] = []

    def _head(self) -> tuple[int, str]:
        if self._head_now is not None:
            return self._head_now
        query = select(t.audit_head.c.seq, t.audit_head.c.hash).where(t.audit_head.c.id == 1)
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        if row is None:
            self.conn.execute(insert(t.audit_head).values(id=1, seq=0, hash=GENESIS))
            return 0, GENESIS
        return int(row[0]), str(row[1])

    def append(self, at: datetime, actor: str, action: str, subject: str, reason: str,
               payload: Any) -> AuditRecord:
        seq, prev = self._head()
        seq += 1
        payload = json.loads(json.dumps(payload, default=str))
        digest = record_hash(prev, seq, at, actor, action, subject, reason, payload)
        self._unwritten.append({"seq": seq, "at": at, "actor": actor, "action": action, "subject": subject,
                                "reason": reason, "payload": payload, "prev_hash": prev, "hash": digest})
        self._head_now = (seq, digest)
        return AuditRecord(seq, at, actor, action, subject, reason, payload)

    def flush(self) -> None:
        """Write the records appended since the last flush, and move the head past them."""
        if not self._unwritten:
            return
        self.conn.execute(self._WRITE_RECORD, self._unwritten)
        last = self._unwritten[-1]
        self.conn.execute(self._MOVE_HEAD, {"head_seq": last["seq"], "head_hash": last["hash"]})
        self._unwritten = []

    def snapshot(self) -> tuple[tuple[int, str] | None, int]:
        return self._head_now, len(self._unwritten)

    def restore(self, state: tuple[tuple[int, str] | None, int]) -> None:
        self._head_now, kept = state
        del self._unwritten[kept:]

    def forget(self) -> None:
        """After a commit or a rollback: the next append reads the head again."""
        self._head_now = None
        self._unwritten = []

    def records(self, subject: str | None = None, actor: str | None = None, action: str | None = None,
                limit: int = 200) -> list[AuditRecord]:
        query = select(t.audit_log).order_by(t.audit_log.c.seq.desc()).limit(limit)
        for column, value in (("subject", subject), ("actor", actor), ("action", action)):
            if value:
                query = query.where(t.audit_log.c[column] == value)
        return [AuditRecord(r.seq, r.at, r.actor, r.action, r.subject, r.reason, r.payload)
                for r in self.conn.execute(query)]

    def verify(self) -> list[str]:
        """Problems in the chain, each naming the record; empty when the log is untouched."""
        self.flush()
        problems: list[str] = []
        prev, expected_seq = GENESIS, 1
        rows = self.conn.execute(select(t.audit_log).order_by(t.audit_log.c.seq))
        for r in rows:
            if r.seq != expected_seq:
                problems.append(f"audit record {expected_seq} is missing (next is {r.seq})")
            if r.prev_hash != prev:
                problems.append(f"audit record {r.seq} does not follow record {r.seq - 1} (chain broken)")
            digest = record_hash(r.prev_hash, r.seq, r.at, r.actor, r.action, r.subject, r.reason, r.payload)
            if digest != r.hash:
                problems.append(f"audit record {r.seq} was altered ({r.action} on {r.subject})")
            prev, expected_seq = r.hash, r.seq + 1
        head = self.conn.execute(select(t.audit_head.c.seq, t.audit_head.c.hash)).first()
        last_seq = expected_seq - 1
        if head is not None and (head[0] != last_seq or head[1] != prev):
            problems.append(f"audit log ends at record {last_seq} but {head[0]} were written "
                            "(records deleted from the end)")
        return problems
