"""Outbox and dispatch bookkeeping: events written with the change, delivered once per subscriber."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Insert, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from o2c.adapters.store import tables as t
from o2c.domain.codec import decode, encode
from o2c.domain.events import EVENT_TYPES, Event


@dataclass(frozen=True, slots=True)
class StoredEvent:
    id: int
    event: Event
    occurred_at: datetime


class Outbox:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, event: Event, occurred_at: datetime) -> None:
        self.add_many([event], occurred_at)

    def add_many(self, events: list[Event], occurred_at: datetime) -> None:
        if events:
            self.conn.execute(insert(t.outbox), [
                {"event_type": event.name, "payload": encode(event), "occurred_at": occurred_at,
                 "fanned_out": False} for event in events])

    def fan_out(self, subscribers: dict[str, set[str]], limit: int = 1000) -> int:
        """Create one pending dispatch per (new event, subscribed agent); returns events handled.

        Several workers may fan out at once: on PostgreSQL the new events are claimed ``FOR UPDATE
        SKIP LOCKED`` (another worker's claim is skipped, not waited for nor read twice), and on both
        dialects a dispatch that already exists is left as it is (``ON CONFLICT DO NOTHING``).
        """
        query = (select(t.outbox.c.id, t.outbox.c.event_type).where(t.outbox.c.fanned_out.is_(False))
                 .order_by(t.outbox.c.id).limit(limit))
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = self.conn.execute(query).all()
        dispatch_rows = [{"event_id": event_id, "subscriber": name, "status": "pending", "attempts": 0}
                         for event_id, event_type in rows
                         for name in sorted(subscribers.get(event_type, ()))]
        if dispatch_rows:
            self.conn.execute(self._insert_new_dispatches(), dispatch_rows)
        if rows:
            self.conn.execute(update(t.outbox).where(t.outbox.c.id.in_([r[0] for r in rows]))
                              .values(fanned_out=True))
        return len(rows)

    def _insert_new_dispatches(self) -> Insert:
        statement = (pg_insert(t.dispatches) if self.conn.dialect.name == "postgresql"
                     else sqlite_insert(t.dispatches))
        return statement.on_conflict_do_nothing(index_elements=["event_id", "subscriber"])

    def claim(self, now: datetime) -> tuple[int, str] | None:
        """The oldest due dispatch, locked for this transaction (skipping ones other workers hold)."""
        query = (select(t.dispatches.c.event_id, t.dispatches.c.subscriber)
                 .where(t.dispatches.c.status == "pending")
                 .where((t.dispatches.c.next_attempt_at.is_(None)) | (t.dispatches.c.next_attempt_at <= now))
                 .order_by(t.dispatches.c.event_id, t.dispatches.c.subscriber).limit(1))
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        row = self.conn.execute(query).first()
        return None if row is None else (int(row[0]), str(row[1]))

    def claim_batch(self, now: datetime, size: int) -> list[tuple[int, str]]:
        """The oldest due dispatch and up to ``size - 1`` more for the same agent, in event order, locked."""
        first = self.claim(now)
        if first is None or size <= 1:
            return [] if first is None else [first]
        query = (select(t.dispatches.c.event_id)
                 .where(t.dispatches.c.status == "pending", t.dispatches.c.subscriber == first[1],
                        t.dispatches.c.event_id > first[0])
                 .where((t.dispatches.c.next_attempt_at.is_(None)) | (t.dispatches.c.next_attempt_at <= now))
                 .order_by(t.dispatches.c.event_id).limit(size - 1))
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        return [first, *((int(row[0]), first[1]) for row in self.conn.execute(query))]

    def event(self, event_id: int) -> StoredEvent:
        row = self.conn.execute(select(t.outbox).where(t.outbox.c.id == event_id)).one()
        return StoredEvent(row.id, decode(EVENT_TYPES[row.event_type], row.payload), row.occurred_at)

    def events(self, event_ids: list[int]) -> dict[int, StoredEvent]:
        rows = self.conn.execute(select(t.outbox).where(t.outbox.c.id.in_(event_ids)))
        return {row.id: StoredEvent(row.id, decode(EVENT_TYPES[row.event_type], row.payload), row.occurred_at)
                for row in rows}

    def mark_done_many(self, claims: list[tuple[int, str]], now: datetime) -> None:
        statement = (update(t.dispatches)
                     .where(t.dispatches.c.event_id == bindparam("done_event"),
                            t.dispatches.c.subscriber == bindparam("done_subscriber"))
                     .values(status="done", done_at=now, attempts=t.dispatches.c.attempts + 1))
        self.conn.execute(statement, [{"done_event": e, "done_subscriber": s} for e, s in claims])

    def mark_done(self, event_id: int, subscriber: str, now: datetime) -> None:
        self.conn.execute(update(t.dispatches).where(t.dispatches.c.event_id == event_id,
                                                     t.dispatches.c.subscriber == subscriber)
                          .values(status="done", done_at=now, attempts=t.dispatches.c.attempts + 1))

    def record_failure(self, event_id: int, subscriber: str, error: str, now: datetime,
                       max_attempts: int) -> str:
        attempts = self.conn.execute(select(t.dispatches.c.attempts).where(
            t.dispatches.c.event_id == event_id, t.dispatches.c.subscriber == subscriber)).scalar_one() + 1
        status = "dead" if attempts >= max_attempts else "pending"
        self.conn.execute(update(t.dispatches).where(t.dispatches.c.event_id == event_id,
                                                     t.dispatches.c.subscriber == subscriber)
                          .values(status=status, attempts=attempts, last_error=error[:2000],
                                  next_attempt_at=now + timedelta(seconds=2 ** attempts)))
        return status

    def dead_letters(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(select(t.dispatches, t.outbox.c.event_type, t.outbox.c.payload)
                                 .join(t.outbox, t.outbox.c.id == t.dispatches.c.event_id)
                                 .where(t.dispatches.c.status == "dead").order_by(t.dispatches.c.event_id))
        return [dict(r._mapping) for r in rows]

    def retry_dead(self, event_id: int, subscriber: str) -> int:
        """Queue a dead letter again; the number of dead letters found (0 or 1)."""
        return self.conn.execute(update(t.dispatches).where(t.dispatches.c.event_id == event_id,
                                                     t.dispatches.c.subscriber == subscriber,
                                                     t.dispatches.c.status == "dead")
                          .values(status="pending", attempts=0, next_attempt_at=None)).rowcount

    def pending_count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(t.dispatches)
                                     .where(t.dispatches.c.status == "pending")).scalar_one())

    def unfanned(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(t.outbox)
                                     .where(t.outbox.c.fanned_out.is_(False))).scalar_one())
