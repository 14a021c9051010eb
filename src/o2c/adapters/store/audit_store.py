"""The audit log: append-only, and chained with a key that lives outside the database.

Each record's hash is an HMAC-SHA256, under the audit key (``o2c.adapters.audit_seal``), of its
content and the previous record's hash, so an edited, deleted or inserted record breaks the chain at
a place ``verify`` names, and whoever edits the database without the key cannot re-chain what follows.
Records written before the key existed (before migration 0021) keep their plain SHA-256 chain; the
head row says where the keyed chain starts (``keyed_from``) and what the plain chain ended on
(``legacy_hash``). The head row also remembers the last sequence and hash, all of it signed with the
key (``seal``), so rewinding the head to hide deleted records needs the key too. Triggers refuse
UPDATE and DELETE on the records (``guards.audit_triggers``). Appends take a row lock on the head, so
concurrent writers chain in order.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update

from o2c.adapters.audit_seal import sign
from o2c.adapters.store import tables as t

GENESIS = "0" * 64


class AuditSealError(RuntimeError):
    """The audit head does not carry a seal made with this audit key: nothing is appended."""


def record_body(seq: int, at: datetime, actor: str, action: str, subject: str, reason: str, payload: Any) -> str:
    return json.dumps([seq, at.isoformat(), actor, action, subject, reason, payload],
                      sort_keys=True, separators=(",", ":"), default=str)


def keyed_hash(key: bytes, prev_hash: str, body: str) -> str:
    return hmac.digest(key, (prev_hash + body).encode(), "sha256").hex()


def legacy_hash(prev_hash: str, body: str) -> str:
    """The chain of records written before migration 0021: plain SHA-256, which anybody can recompute."""
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def head_seal(key: bytes, seq: int, digest: str, keyed_from: int, last_legacy_hash: str) -> str:
    return sign(key, f"o2c-audit-head|{seq}|{digest}|{keyed_from}|{last_legacy_hash}")


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    at: datetime
    actor: str
    action: str
    subject: str
    reason: str
    payload: Any


@dataclass(frozen=True, slots=True)
class AuditHead:
    seq: int
    hash: str
    keyed_from: int
    legacy_hash: str
    seal: str | None

    def sealed_by(self, key: bytes) -> bool:
        return self.seal is not None and hmac.compare_digest(
            self.seal, head_seal(key, self.seq, self.hash, self.keyed_from, self.legacy_hash))


class AuditLog:
    """Appends are kept in memory and chained and written together by ``flush`` before the commit.

    ``flush`` reads the head, checks its seal and locks it (``FOR UPDATE`` on PostgreSQL; on SQLite the
    transaction holds the write lock from ``BEGIN IMMEDIATE``), so no other writer can chain in
    between; the records and the new head are then written in one statement each. The head, which
    every audited transaction needs, is so locked only from the flush to the commit, not while the
    business work runs (several workers would otherwise take turns on it, and deadlock on it with the
    counters they lock in another order).
    """

    _WRITE_RECORD = insert(t.audit_log)
    _MOVE_HEAD = update(t.audit_head).where(t.audit_head.c.id == 1).values(
        seq=bindparam("head_seq"), hash=bindparam("head_hash"), seal=bindparam("head_seal"))
    _READ_HEAD = select(t.audit_head.c.seq, t.audit_head.c.hash, t.audit_head.c.keyed_from,
                        t.audit_head.c.legacy_hash, t.audit_head.c.seal).where(t.audit_head.c.id == 1)

    def __init__(self, conn: Connection, key: bytes | None) -> None:
        self.conn = conn
        self._key = key
        self._unwritten: list[tuple[datetime, str, str, str, str, Any]] = []

    @property
    def key(self) -> bytes:
        if self._key is None:
            raise AuditSealError("no audit key: build units of work through o2c.bootstrap (it reads the key)")
        return self._key

    def head(self) -> AuditHead | None:
        """The head row as stored (``None`` when it is missing)."""
        row = self.conn.execute(self._READ_HEAD).first()
        return None if row is None else AuditHead(int(row[0]), str(row[1]), int(row[2]), str(row[3]), row[4])

    def _locked_head(self) -> AuditHead:
        query = self._READ_HEAD.with_for_update() if self.conn.dialect.name == "postgresql" else self._READ_HEAD
        row = self.conn.execute(query).first()
        if row is None:
            raise AuditSealError("the audit head row is missing (deleted from the database?): nothing is appended")
        head = AuditHead(int(row[0]), str(row[1]), int(row[2]), str(row[3]), row[4])
        pristine = head.seal is None and head.seq == 0 and head.keyed_from == 1
        if not (pristine or head.sealed_by(self.key)):
            raise AuditSealError(
                "the audit head is not sealed with this audit key (another key is configured, or the head was "
                "altered): nothing is appended; run `o2c audit verify` and check O2C_AUDIT_KEY / O2C_AUDIT_KEY_FILE")
        return head

    def append(self, at: datetime, actor: str, action: str, subject: str, reason: str, payload: Any) -> None:
        """Add a record to this transaction's; it is numbered and chained by ``flush``."""
        self.key  # noqa: B018 - no key, no audit: refuse at the append, not at the commit
        self._unwritten.append((at, actor, action, subject, reason, json.loads(json.dumps(payload, default=str))))

    def flush(self) -> None:
        """Chain the records appended since the last flush onto the head, write them, and move the head
        past them (sealed)."""
        if not self._unwritten:
            return
        head = self._locked_head()
        seq, prev, rows = head.seq, head.hash, []
        for at, actor, action, subject, reason, payload in self._unwritten:
            seq += 1
            digest = keyed_hash(self.key, prev, record_body(seq, at, actor, action, subject, reason, payload))
            rows.append({"seq": seq, "at": at, "actor": actor, "action": action, "subject": subject,
                         "reason": reason, "payload": payload, "prev_hash": prev, "hash": digest})
            prev = digest
        self.conn.execute(self._WRITE_RECORD, rows)
        seal = head_seal(self.key, seq, prev, head.keyed_from, head.legacy_hash)
        self.conn.execute(self._MOVE_HEAD, {"head_seq": seq, "head_hash": prev, "head_seal": seal})
        self._unwritten = []

    def snapshot(self) -> int:
        return len(self._unwritten)

    def restore(self, kept: int) -> None:
        del self._unwritten[kept:]

    def forget(self) -> None:
        """After a commit or a rollback: nothing appended is kept."""
        self._unwritten = []

    def records(self, subject: str | None = None, actor: str | None = None, action: str | None = None,
                limit: int = 200) -> list[AuditRecord]:
        query = select(t.audit_log).order_by(t.audit_log.c.seq.desc()).limit(limit)
        for column, value in (("subject", subject), ("actor", actor), ("action", action)):
            if value:
                query = query.where(t.audit_log.c[column] == value)
        return [AuditRecord(r.seq, r.at, r.actor, r.action, r.subject, r.reason, r.payload)
                for r in self.conn.execute(query)]

    def since_checkpoint(self, seq: int, digest: str) -> str | None:
        """What changed since a checkpoint saw ``seq`` records ending on ``digest``; ``None`` if nothing."""
        if seq == 0:
            return None
        last = self.conn.execute(select(func.max(t.audit_log.c.seq))).scalar_one_or_none() or 0
        if last < seq:
            return f"truncated: the log has {last} records, the checkpoint saw {seq}"
        stored = self.conn.execute(select(t.audit_log.c.hash).where(t.audit_log.c.seq == seq)).scalar_one_or_none()
        if stored is None:
            return f"truncated: record {seq}, the checkpoint's head, is gone"
        if stored != digest:
            return f"rewritten: record {seq} no longer hashes to the checkpoint's head"
        return None

    def verify(self) -> list[str]:
        """Problems in the chain and its head, each naming the record; empty when the log is untouched."""
        self.flush()
        head = self.head()
        problems: list[str] = []
        keyed_from, last_legacy = (head.keyed_from, head.legacy_hash) if head else (1, GENESIS)
        head_sealed = True
        if head is None:
            problems.append("the audit head row is missing (deleted from the database)")
        elif head.seal is None:
            if (head.seq, head.keyed_from) != (0, 1):
                problems.append("the audit head carries no seal (removed, or migrated without the audit key)")
        elif not head.sealed_by(self.key):
            head_sealed = False
            problems.append("the audit head's seal does not match this audit key: another key is configured, or "
                            "the head was altered")
        prev, expected_seq, keyed, keyed_altered = GENESIS, 1, 0, []
        for r in self.conn.execute(select(t.audit_log).order_by(t.audit_log.c.seq)):
            if r.seq != expected_seq:
                problems.append(f"audit record {expected_seq} is missing (next is {r.seq})")
            if r.prev_hash != prev:
                problems.append(f"audit record {r.seq} does not follow record {r.seq - 1} (chain broken)")
            body = record_body(r.seq, r.at, r.actor, r.action, r.subject, r.reason, r.payload)
            altered = f"audit record {r.seq} was altered ({r.action} on {r.subject})"
            if r.seq < keyed_from:
                if legacy_hash(r.prev_hash, body) != r.hash or (r.seq == keyed_from - 1 and r.hash != last_legacy):
                    problems.append(altered)
            else:
                keyed += 1
                if not hmac.compare_digest(keyed_hash(self.key, r.prev_hash, body), r.hash):
                    keyed_altered.append(altered)
            prev, expected_seq = r.hash, r.seq + 1
        if not head_sealed and keyed and len(keyed_altered) == keyed:  # one line, not one per record
            problems.append(f"none of the {keyed} keyed records matches this audit key: it is not the key "
                            "the log was written with (or every record was rewritten)")
        else:
            problems.extend(keyed_altered)
        last_seq = expected_seq - 1
        if keyed_from - 1 > last_seq:
            problems.append(f"audit log ends at record {last_seq} but {keyed_from - 1} were written before the "
                            "keyed chain began (records deleted from the end)")
        if head is not None and (head.seq != last_seq or head.hash != prev):
            problems.append(f"audit log ends at record {last_seq} but {head.seq} were written "
                            "(records deleted from the end, or the head was moved)")
        return problems
