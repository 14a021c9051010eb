"""Customer messages and tasks in the database; a dedupe key makes every send and alert idempotent."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Insert, Table, insert, select, update

from o2c.adapters.store import tables as t
from o2c.adapters.store.insert_once import insert_once, inserted
from o2c.domain.messages import CustomerMessage, Task


class _Rows:
    table: Table
    cls: type

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    _add_once: dict[str, Insert]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._add_once = insert_once(cls.table, ["dedupe_key"])

    def add(self, obj: Any) -> bool:
        """Store ``obj``; False (and nothing stored) when its dedupe key was seen before, also when a
        concurrent transaction stored it first."""
        if not obj.dedupe_key:
            self.conn.execute(insert(self.table).values(**asdict(obj)))
            return True
        return inserted(self.conn, self._add_once, asdict(obj))

    def where(self, *conditions: Any, limit: int = 500) -> list[Any]:
        rows = self.conn.execute(select(self.table).where(*conditions)
                                 .order_by(self.table.c.created_at, self.table.c.id).limit(limit)).mappings()
        return [self.cls(**row) for row in rows]


class Messages(_Rows):
    table, cls = t.customer_messages, CustomerMessage

    def for_customer(self, customer_id: str) -> list[CustomerMessage]:
        return self.where(t.customer_messages.c.customer_id == customer_id)

    def queued(self) -> list[CustomerMessage]:
        return self.where(t.customer_messages.c.status == "queued", t.customer_messages.c.direction == "out")

    def mark_sent(self, message: CustomerMessage, at: datetime) -> CustomerMessage:
        self.conn.execute(update(t.customer_messages).where(t.customer_messages.c.id == message.id)
                          .values(status="sent", sent_at=at))
        return replace(message, status="sent", sent_at=at)


class Tasks(_Rows):
    table, cls = t.tasks, Task

    def open_for(self, team: str | None = None) -> list[Task]:
        conditions = [t.tasks.c.status == "open"]
        if team:
            conditions.append(t.tasks.c.team == team)
        return self.where(*conditions)

    def close(self, task_id: str, status: str = "done") -> None:
        self.conn.execute(update(t.tasks).where(t.tasks.c.id == task_id).values(status=status))
