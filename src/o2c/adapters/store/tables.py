"""The schema, as SQLAlchemy Core tables (the domain classes stay plain; ``repositories`` maps them).

Aggregates keep their indexed business columns plus a ``body`` with the full encoded object; the ledger
is fully relational with amounts in integer minor units so that sums are exact in every database.
Database-side defences (triggers and checks in the first migration): a journal entry can only be
posted when its lines balance and its AR lines equal its open-item movements; journal lines, movements
and issued documents never change; an open item stays between zero and its original amount.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})

customers = Table(
    "customers", metadata,
    Column("id", String(32), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("segment", String(32), nullable=False, index=True),
    Column("country", String(2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("credit_limit_minor", BigInteger, nullable=False),
    Column("on_credit_hold", Boolean, nullable=False, default=False),
    Column("body", JSON, nullable=False),
)

products = Table(
    "products", metadata,
    Column("sku", String(32), primary_key=True),
    Column("gtin", String(14), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("category", String(64), nullable=False),
    Column("body", JSON, nullable=False),
)

price_lists = Table(
    "price_lists", metadata,
    Column("id", String(32), primary_key=True),
    Column("currency", String(3), nullable=False),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    Column("body", JSON, nullable=False),
)

promotions = Table(
    "promotions", metadata,
    Column("id", String(32), primary_key=True),
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date, nullable=False),
    Column("body", JSON, nullable=False),
)

reference_data = Table(
    "reference_data", metadata,
    Column("kind", String(32), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("body", JSON, nullable=False),
)

orders = Table(
    "orders", metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customers.id"), nullable=False, index=True),
    Column("status", String(24), nullable=False, index=True),
    Column("channel", String(16), nullable=False),
    Column("order_date", Date, nullable=False),
    Column("requested_date", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("open_value_minor", BigInteger, nullable=False),
    Column("po_number", String(64), index=True),
    Column("source_ref", String(200), unique=True),
    Column("body", JSON, nullable=False),
)

deliveries = Table(
    "deliveries", metadata,
    Column("id", String(32), primary_key=True),
    Column("order_id", String(32), ForeignKey("orders.id"), nullable=False, index=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("ship_date", Date, nullable=False),
    Column("expected_date", Date, nullable=False),
    Column("delivered_date", Date),
    Column("invoiced", Boolean, nullable=False, default=False),
    Column("body", JSON, nullable=False),
)

invoices = Table(
    "invoices", metadata,
    Column("number", String(32), primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("customer_id", String(32), ForeignKey("customers.id"), nullable=False, index=True),
    Column("issue_date", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("gross_minor", BigInteger, nullable=False),
    Column("order_id", String(32), index=True),
    Column("delivery_id", String(32), unique=True),
    Column("corrects", String(32)),
    Column("body", JSON, nullable=False),
)

number_series = Table(
    "number_series", metadata,
    Column("series", String(16), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
)

sequences = Table(
    "sequences", metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# Counters the database moves when a cache's source tables change (see ``guards.revision_triggers``).
revisions = Table(
    "revisions", metadata,
    Column("name", String(32), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# The company's "today": the books' date, set by the demo or a person; no row means the wall clock.
company_clock = Table(
    "company_clock", metadata,
    Column("id", Integer, primary_key=True),
    Column("today", Date, nullable=True),
    Column("set_by", String(64), nullable=False),
    CheckConstraint("id = 1", name="one_row"),
)

# Whose books these are (one row at most, ``id`` = 1): written by ``o2c init``; none on a demo database.
company_profile = Table(
    "company_profile", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("country", String(2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("body", JSON, nullable=False),
    CheckConstraint("id = 1", name="one_row"),
)

# EDI sender identifiers (ISA/GS ids, UNB party ids, GLNs) and the customer each one is; '' = any qualifier.
trading_partners = Table(
    "trading_partners", metadata,
    Column("qualifier", String(8), nullable=False),
    Column("sender_id", String(64), nullable=False),
    Column("customer_id", String(32), ForeignKey("customers.id"), nullable=False, index=True),
    PrimaryKeyConstraint("qualifier", "sender_id"),
)

payments = Table(
    "payments", metadata,
    Column("id", String(32), primary_key=True),
    Column("received_on", Date, nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("customer_id", String(32), index=True),
    Column("status", String(24), nullable=False, index=True),
    Column("bank_entry_key", String(200), unique=True),
    Column("body", JSON, nullable=False),
)

cases = Table(
    "cases", metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("invoice_number", String(32), index=True),
    Column("reason", String(32), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("body", JSON, nullable=False),
)

promises = Table(
    "promises", metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("promised_date", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("body", JSON, nullable=False),
)

open_items = Table(
    "open_items", metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("document", String(64), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("side", String(6), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("original_minor", BigInteger, nullable=False),
    Column("open_minor", BigInteger, nullable=False),
    Column("carrying_minor", BigInteger, nullable=False),
    Column("opened_on", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    CheckConstraint("open_minor >= 0", name="open_not_negative"),
    CheckConstraint("open_minor <= original_minor", name="open_within_original"),
    CheckConstraint("side in ('debit', 'credit')", name="side_known"),
    Index("ix_open_items_open", "customer_id", "open_minor"),
)

journal_entries = Table(
    "journal_entries", metadata,
    Column("id", String(32), primary_key=True),
    Column("posted_on", Date, nullable=False, index=True),
    Column("description", String(300), nullable=False),
    Column("source", String(200), nullable=False, index=True),
    Column("status", String(8), nullable=False),
    CheckConstraint("status in ('draft', 'posted')", name="status_known"),
)

journal_lines = Table(
    "journal_lines", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", String(32), ForeignKey("journal_entries.id"), nullable=False),
    Column("account", String(8), nullable=False),
    Column("functional_minor", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False),
    Column("customer_id", String(32), index=True),
    Column("open_item_id", String(32)),
    Index("ix_journal_lines_account", "account", "currency"),
    # the posting trigger reads an entry's AR lines: (entry, account), never a scan of every AR line
    Index("ix_journal_lines_entry_account", "entry_id", "account"),
)

open_item_movements = Table(
    "open_item_movements", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_id", String(32), ForeignKey("journal_entries.id"), nullable=False, index=True),
    Column("open_item_id", String(32), ForeignKey("open_items.id"), nullable=False, index=True),
    Column("currency", String(3), nullable=False),
    Column("signed_open_minor", BigInteger, nullable=False),
    Column("signed_carrying_minor", BigInteger, nullable=False),
)

fx_rates = Table(
    "fx_rates", metadata,
    Column("day", Date, primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("per_functional", String(32), nullable=False),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_type", String(64), nullable=False, index=True),
    Column("payload", JSON, nullable=False),
    Column("occurred_at", DateTime, nullable=False),
    Column("fanned_out", Boolean, nullable=False, default=False, index=True),
)

dispatches = Table(
    "dispatches", metadata,
    Column("event_id", Integer, ForeignKey("outbox.id"), primary_key=True),
    Column("subscriber", String(64), primary_key=True),
    Column("status", String(12), nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("next_attempt_at", DateTime),
    Column("done_at", DateTime),
    CheckConstraint("status in ('pending', 'done', 'dead')", name="status_known"),
)

proposals = Table(
    "proposals", metadata,
    Column("id", String(32), primary_key=True),
    Column("agent", String(64), nullable=False, index=True),
    Column("action", String(64), nullable=False, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("subject", String(100), nullable=False, index=True),
    Column("command_type", String(64), nullable=False),
    Column("command", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("amount_minor", BigInteger),
    Column("currency", String(3)),
    Column("policy_rule", Text, nullable=False),
    Column("requested_by", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("decided_by", String(64)),
    Column("decided_at", DateTime),
    Column("decision_comment", Text),
    Column("result", Text),
)

audit_log = Table(
    "audit_log", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", DateTime, nullable=False),
    Column("actor", String(64), nullable=False, index=True),
    Column("action", String(64), nullable=False, index=True),
    Column("subject", String(100), nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("payload", JSON, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_head = Table(
    "audit_head", metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("hash", String(64), nullable=False),
    # records from ``keyed_from`` on are HMAC-chained; those before it (written before 0021) plain SHA-256,
    # the last of them hashing to ``legacy_hash``; ``seal`` signs all four fields with the audit key
    Column("keyed_from", Integer, nullable=False, server_default="1"),
    Column("legacy_hash", String(64), nullable=False, server_default="0" * 64),
    Column("seal", String(64)),
)

quarantine = Table(
    "quarantine", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("received_at", DateTime, nullable=False),
    Column("source", String(32), nullable=False),
    Column("filename", String(300), nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),  # the whole file, or its first page when truncated
    Column("status", String(16), nullable=False, default="open"),
    Column("size_bytes", BigInteger),
    Column("content_tail", LargeBinary),  # the last page of a truncated file
    Column("truncated", Boolean, nullable=False, default=False),
    Column("attempts", Integer, nullable=False, default=1),
    Column("last_seen_at", DateTime),
)

imported_files = Table(
    "imported_files", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("filename", String(300), nullable=False),
    Column("format", String(32), nullable=False),
    Column("imported_at", DateTime, nullable=False),
    UniqueConstraint("sha256", name="once"),
)

customer_messages = Table(
    "customer_messages", metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("customer_id", String(32), index=True),
    Column("direction", String(3), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("kind", String(32), nullable=False, index=True),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("language", String(5), nullable=False),
    Column("related", String(100), index=True),
    Column("dedupe_key", String(200), unique=True),
    Column("status", String(12), nullable=False, index=True),
    Column("sent_at", DateTime),
    Column("meta", JSON, nullable=False),
    CheckConstraint("direction in ('in', 'out')", name="direction_known"),
)

tasks = Table(
    "tasks", metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", DateTime, nullable=False, index=True),
    Column("team", String(32), nullable=False, index=True),
    Column("kind", String(32), nullable=False, index=True),
    Column("subject", String(100), nullable=False, index=True),
    Column("title", String(300), nullable=False),
    Column("detail", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("status", String(12), nullable=False, index=True),
    Column("assignee", String(64)),
    Column("due_at", DateTime),
    Column("dedupe_key", String(200), unique=True),
)

flow_step_runs = Table(
    "flow_step_runs", metadata,
    Column("flow_id", String(200), nullable=False),
    Column("step_name", String(200), nullable=False),
    Column("result_json", Text, nullable=False),
    Column("completed_at", DateTime(timezone=True), nullable=False),
    Column("executor_id", String(200), nullable=False),
    PrimaryKeyConstraint("flow_id", "step_name", name="pk_flow_step_runs"),
)

# E-mails read from a mailbox: one row per message (Message-ID, else content hash), written with its effects.
mailbox_messages = Table(
    "mailbox_messages", metadata,
    Column("message_key", String(200), primary_key=True),
    Column("mailbox", String(300), nullable=False),
    Column("uid_validity", BigInteger, nullable=False),
    Column("uid", BigInteger, nullable=False),
    Column("sender", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("route", String(32), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("processed_at", DateTime, nullable=False),
    Index("ix_mailbox_messages_mailbox", "mailbox", "uid_validity", "uid"),
)
