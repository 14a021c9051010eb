"""Collections' own tables: what was sent at which dunning step, announced payments, predictions.

- ``dunning_notices``: one row per (invoice, step) reminded, with the message or task that carried
  it; the unique pair is the database's guard that no step is ever sent twice for an invoice;
- ``payment_announcements``: "we already paid" from a customer: the invoices are not reminded until
  the payment is found or the announcement expires;
- ``payment_predictions``: the latest expected payment date and risk per open invoice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Date,
    Float,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    delete,
    func,
    insert,
    select,
    update,
)

from o2c.adapters.store import tables as t
from o2c.domain.payments import CaseStatus, PromiseToPay

dunning_notices = Table(
    "dunning_notices", t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("document", String(64), nullable=False, index=True),
    Column("step", String(32), nullable=False),
    Column("tone", String(16), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("sent_on", Date, nullable=False, index=True),
    Column("carrier_ref", String(32), nullable=False),
    UniqueConstraint("document", "step", name="once_per_step"),
)

payment_announcements = Table(
    "payment_announcements", t.metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("documents", JSON, nullable=False),
    Column("announced_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("details", Text, nullable=False),
    Column("status", String(12), nullable=False, index=True),
)

payment_predictions = Table(
    "payment_predictions", t.metadata,
    Column("document", String(64), primary_key=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("predicted_on", Date, nullable=False),
    Column("expected_date", Date, nullable=False),
    Column("expected_delay", Float, nullable=False),
    Column("risk", Float, nullable=False),
    Column("source", String(16), nullable=False),
)


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


class CollectionsStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- dunning --------------------------------------------------------------------------------
    def record_notices(self, customer_id: str, steps: dict[str, str], tone: str, channel: str, on: date,
                       carrier_ref: str) -> None:
        self.conn.execute(insert(dunning_notices), [
            {"customer_id": customer_id, "document": doc, "step": step, "tone": tone, "channel": channel,
             "sent_on": on, "carrier_ref": carrier_ref} for doc, step in sorted(steps.items())])

    def sent_steps(self, documents: Iterable[str] | None = None) -> dict[str, frozenset[str]]:
        query = select(dunning_notices.c.document, dunning_notices.c.step)
        if documents is not None:
            query = query.where(dunning_notices.c.document.in_(list(documents)))
        found: dict[str, set[str]] = defaultdict(set)
        for doc, step in self.conn.execute(query):
            found[doc].add(step)
        return {doc: frozenset(steps) for doc, steps in found.items()}

    def notices(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(select(dunning_notices).order_by(dunning_notices.c.id)).mappings()
        return [{**r, "sent_on": _day(r["sent_on"])} for r in rows]

    def notice_count(self) -> int:
        return int(self.conn.execute(select(func.count(func.distinct(dunning_notices.c.carrier_ref)))).scalar_one())

    # --- what holds reminders -------------------------------------------------------------------
    def disputed_documents(self) -> frozenset[str]:
        rows = self.conn.execute(select(t.cases.c.invoice_number).where(t.cases.c.status == CaseStatus.OPEN.value,
                                                                         t.cases.c.invoice_number.is_not(None)))
        return frozenset(r for r in rows.scalars() if r)

    def announced_documents(self, today: date) -> frozenset[str]:
        rows = self.conn.execute(select(payment_announcements.c.documents).where(
            payment_announcements.c.status == "open", payment_announcements.c.expires_on >= today))
        return frozenset(doc for docs in rows.scalars() for doc in docs)

    @staticmethod
    def promise_holds(promises: Iterable[PromiseToPay], today: date, grace_days: int) -> tuple[set[str], set[str]]:
        """Documents (and customers, for promises naming no invoice) under a promise still valid today."""
        documents: set[str] = set()
        customers: set[str] = set()
        for p in promises:
            if p.status != "open" or (today - p.promised_date).days > grace_days:
                continue
            if p.invoice_numbers:
                documents.update(p.invoice_numbers)
            else:
                customers.add(p.customer_id)
        return documents, customers

    # --- announcements --------------------------------------------------------------------------
    def announce(self, announcement_id: str, customer_id: str, documents: tuple[str, ...], on: date,
                 expires_on: date, details: str) -> None:
        self.conn.execute(insert(payment_announcements).values(
            id=announcement_id, customer_id=customer_id, documents=list(documents), announced_on=on,
            expires_on=expires_on, details=details[:2000], status="open"))

    def open_announcements(self) -> list[dict[str, Any]]:
        rows = self.conn.execute(select(payment_announcements).where(payment_announcements.c.status == "open")
                                 .order_by(payment_announcements.c.id)).mappings()
        return [dict(r) for r in rows]

    def close_announcement(self, announcement_id: str, status: str) -> None:
        self.conn.execute(update(payment_announcements).where(payment_announcements.c.id == announcement_id)
                          .values(status=status))

    # --- predictions ----------------------------------------------------------------------------
    def save_predictions(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self.conn.execute(delete(payment_predictions).where(
            payment_predictions.c.document.in_([r["document"] for r in rows])))
        self.conn.execute(insert(payment_predictions), rows)

    def predictions(self) -> dict[str, dict[str, Any]]:
        return {r["document"]: dict(r) for r in self.conn.execute(select(payment_predictions)).mappings()}
