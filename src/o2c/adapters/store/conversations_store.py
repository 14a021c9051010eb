"""Customer conversations in the database: one row per conversation, one per turn (append-only).

``conversations`` keeps the state the next turn needs (customer, language, verified, unclear turns in a
row, what the last reply asked for, and the context: the last request's intent and the documents its
answer showed, for follow-ups); ``conversation_turns`` keeps what the customer wrote and what the
agent answered, with the intent, the action taken and any safety flags, numbered per conversation.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Connection,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    insert,
    select,
    update,
)

from o2c.adapters.store import tables as t
from o2c.domain.conversation_context import ConversationContext
from o2c.domain.conversations import Conversation, ConversationStatus, Turn

conversations = Table(
    "conversations", t.metadata,
    Column("id", String(32), primary_key=True),
    Column("channel", String(16), nullable=False),
    Column("started_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False, index=True),
    Column("customer_id", String(32), index=True),
    Column("sender", String(200)),
    Column("language", String(5), nullable=False),
    Column("verified", Boolean, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("unsure_streak", Integer, nullable=False),
    Column("awaiting", String(32)),
    Column("turns", Integer, nullable=False),
    Column("context", JSON),
)

conversation_turns = Table(
    "conversation_turns", t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("conversation_id", String(32), ForeignKey("conversations.id"), nullable=False, index=True),
    Column("seq", Integer, nullable=False),
    Column("at", DateTime, nullable=False),
    Column("speaker", String(12), nullable=False),
    Column("text", Text, nullable=False),
    Column("intent", String(32), index=True),
    Column("confidence", Float),
    Column("action", String(64)),
    Column("outcome", String(300)),
    Column("flags", JSON, nullable=False),
    Column("evidence", JSON, nullable=False),
    UniqueConstraint("conversation_id", "seq", name="one_turn_per_seq"),
)

_FIELDS = ("channel", "started_at", "customer_id", "sender", "language", "verified", "unsure_streak",
           "awaiting", "turns")


def _conversation(row: Any) -> Conversation:
    return Conversation(id=row.id, status=ConversationStatus(row.status), context=ConversationContext.of(row.context),
                        **{f: getattr(row, f) for f in _FIELDS})


def _turn(row: Any) -> Turn:
    return Turn(row.conversation_id, row.seq, row.at, row.speaker, row.text, row.intent, row.confidence,
                row.action, row.outcome, tuple(row.flags), dict(row.evidence))


class ConversationStore:
    """Conversations and their turns on the caller's connection (its unit of work)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, conversation_id: str) -> Conversation | None:
        row = self.conn.execute(select(conversations).where(conversations.c.id == conversation_id)).first()
        return None if row is None else _conversation(row)

    def save(self, conversation: Conversation, at: datetime) -> None:
        """Insert or update the conversation's state, stamped ``at``."""
        values = {f: getattr(conversation, f) for f in _FIELDS}
        values |= {"status": conversation.status.value, "updated_at": at, "context": conversation.context.to_dict()}
        exists = self.conn.execute(select(conversations.c.id).where(conversations.c.id == conversation.id)).first()
        if exists is None:
            self.conn.execute(insert(conversations).values(id=conversation.id, **values))
        else:
            values.pop("started_at")
            self.conn.execute(update(conversations).where(conversations.c.id == conversation.id).values(**values))

    def add_turns(self, *turns: Turn) -> None:
        rows = [asdict(turn) | {"flags": list(turn.flags), "outcome": (turn.outcome or None) and turn.outcome[:300]}
                for turn in turns]
        self.conn.execute(insert(conversation_turns), rows)

    def turns(self, conversation_id: str) -> list[Turn]:
        rows = self.conn.execute(select(conversation_turns).where(conversation_turns.c.conversation_id
                                                                  == conversation_id)
                                 .order_by(conversation_turns.c.seq))
        return [_turn(row) for row in rows]

    def latest_open_from(self, sender: str, since: datetime) -> Conversation | None:
        """The sender's most recent open conversation touched since ``since`` (an e-mail thread goes on)."""
        row = self.conn.execute(select(conversations).where(
            conversations.c.sender == sender, conversations.c.status == ConversationStatus.OPEN.value,
            conversations.c.updated_at >= since).order_by(conversations.c.updated_at.desc()).limit(1)).first()
        return None if row is None else _conversation(row)

    def for_customer(self, customer_id: str, limit: int = 50) -> list[Conversation]:
        rows = self.conn.execute(select(conversations).where(conversations.c.customer_id == customer_id)
                                 .order_by(conversations.c.updated_at.desc()).limit(limit))
        return [_conversation(row) for row in rows]
