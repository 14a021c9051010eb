"""The record of e-mails read from mailboxes: which message, where it was found, what o2c did with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select

from o2c.adapters.store import tables as t

T = t.mailbox_messages


@dataclass(frozen=True, slots=True)
class MailRecord:
    message_key: str
    mailbox: str
    uid_validity: int
    uid: int
    sender: str
    subject: str
    route: str
    outcome: str
    detail: dict[str, Any]
    processed_at: datetime


class MailboxMessages:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def seen(self, message_key: str, mailbox: str, uid_validity: int, uid: int) -> MailRecord | None:
        """The record of this message: by its key, or by its place (same mailbox, UIDVALIDITY and UID)."""
        row = (
            self.conn.execute(
                select(T)
                .where(
                    or_(
                        T.c.message_key == message_key,
                        (T.c.mailbox == mailbox) & (T.c.uid_validity == uid_validity) & (T.c.uid == uid),
                    )
                )
                .limit(1)
            )
            .mappings()
            .first()
        )
        return MailRecord(**row) if row else None

    def add(self, record: MailRecord) -> None:
        self.conn.execute(
            insert(T).values(
                message_key=record.message_key,
                mailbox=record.mailbox[:300],
                uid_validity=record.uid_validity,
                uid=record.uid,
                sender=record.sender[:320],
                subject=record.subject[:300],
                route=record.route,
                outcome=record.outcome,
                detail=record.detail,
                processed_at=record.processed_at,
            )
        )

    def all(self) -> list[MailRecord]:
        return [
            MailRecord(**row) for row in self.conn.execute(select(T).order_by(T.c.processed_at)).mappings()
        ]
