"""Conversations and turns on SQLite and PostgreSQL: stored as written, numbered once, and the migration
creates exactly the tables the code describes."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from o2c.adapters.store import tables as t
from o2c.adapters.store.conversations_store import ConversationStore
from o2c.domain.conversations import Conversation, ConversationStatus, Turn

AT = datetime(2026, 9, 1, 9, 30)


def _conversation() -> Conversation:
    return Conversation("c" * 32, "email", AT, "C1", "ap@c1.example", "nl", True, unsure_streak=1,
                        awaiting="order_status", turns=2)


def test_a_conversation_and_its_turns_come_back_as_they_were_stored(app):
    with app.uow() as uow:
        store = ConversationStore(uow.conn)
        store.save(_conversation(), AT)
        store.add_turns(Turn("c" * 32, 1, AT, "customer", "Waar is mijn bestelling?", "order_status", 0.97,
                             flags=("injection:markup",), evidence={"entities": {"order_numbers": []}}),
                        Turn("c" * 32, 2, AT, "agent", "Zo staan uw bestellingen ervoor", "order_status",
                             action="cancel_order", outcome="executed"))
        uow.commit()
    with app.uow() as uow:
        store = ConversationStore(uow.conn)
        assert store.get("c" * 32) == _conversation()
        customer_turn, agent_turn = store.turns("c" * 32)
    assert customer_turn.flags == ("injection:markup",) and customer_turn.confidence == pytest.approx(0.97)
    assert agent_turn.action == "cancel_order" and agent_turn.outcome == "executed"


def test_saving_again_updates_the_state_but_never_the_start(app):
    with app.uow() as uow:
        store = ConversationStore(uow.conn)
        store.save(_conversation(), AT)
        store.save(Conversation("c" * 32, "email", AT + timedelta(days=1), "C1", status=ConversationStatus.HANDED_OVER,
                                turns=4), AT + timedelta(hours=1))
        uow.commit()
        stored = store.get("c" * 32)
    assert stored is not None and stored.started_at == AT and stored.status is ConversationStatus.HANDED_OVER


def test_a_turn_number_is_used_once_per_conversation(app):
    with app.uow() as uow:
        store = ConversationStore(uow.conn)
        store.save(_conversation(), AT)
        store.add_turns(Turn("c" * 32, 1, AT, "customer", "hi"))
        with pytest.raises(IntegrityError):
            store.add_turns(Turn("c" * 32, 1, AT, "agent", "hello"))


def test_an_email_thread_goes_on_only_while_it_is_open_and_recent(app):
    with app.uow() as uow:
        store = ConversationStore(uow.conn)
        store.save(_conversation(), AT)
        uow.commit()
        assert store.latest_open_from("ap@c1.example", AT - timedelta(days=7)) == _conversation()
        assert store.latest_open_from("ap@c1.example", AT + timedelta(minutes=1)) is None


def test_the_migration_creates_the_conversation_tables_as_the_code_describes_them(app):
    with app.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), t.metadata)
    mine = [d for d in differences if "conversation" in repr(d)]
    assert mine == []
