"""Receivables history: what the payment-date model and the cash forecast read from the books.

- every invoice with the day it was settled by cash (None while open), and whether a case (dispute)
  was ever opened on it: the payment-date model's training data;
- the invoices open at the end of a day, replayed from the open-item movements (so a forecast can be
  made "as of" any past day for a back-test);
- cash applied to invoices per day and currency (what arrived);
- orders placed by a day and not yet invoiced then, and the invoicing of a period per customer (the
  run rate of sales the forecast extends).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Connection, func, or_, select

from o2c.adapters.store import tables as t
from o2c.adapters.store.ledger_store import FxRates
from o2c.domain.money import minor_units

CASH_SOURCES = ("payment:%", "settle:%")


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _amount(minor: int | None, currency: str) -> Decimal:
    return Decimal(int(minor or 0)).scaleb(-minor_units(currency))


@dataclass(frozen=True, slots=True)
class InvoiceRecord:
    document: str
    customer_id: str
    segment: str
    currency: str
    issued: date
    due: date
    amount: Decimal
    paid: date | None
    disputed: bool


@dataclass(frozen=True, slots=True)
class OpenInvoiceAt:
    document: str
    customer_id: str
    segment: str
    currency: str
    issued: date
    due: date
    open: Decimal


@dataclass(frozen=True, slots=True)
class OpenOrderAt:
    order_id: str
    customer_id: str
    segment: str
    currency: str
    ordered: date
    value: Decimal


def _is_cash(source: ColumnElement[str]) -> ColumnElement[bool]:
    return or_(*(source.like(p) for p in CASH_SOURCES))


class ReceivablesHistory:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def invoices(self) -> list[InvoiceRecord]:
        """Every invoice; ``paid`` is the day cash took its open amount to zero (None while any is open
        or when it was closed by something other than cash, e.g. a full credit note)."""
        oi, mv, je, cu = t.open_items.c, t.open_item_movements.c, t.journal_entries.c, t.customers.c
        settled = (
            select(mv.open_item_id, func.max(je.posted_on).label("paid"))
            .join(t.journal_entries, je.id == mv.entry_id)
            .where(mv.signed_open_minor < 0, _is_cash(je.source))
            .group_by(mv.open_item_id)
            .subquery()
        )
        disputed = set(
            self.conn.execute(
                select(t.cases.c.invoice_number).where(t.cases.c.invoice_number.is_not(None))
            ).scalars()
        )
        rows = self.conn.execute(
            select(
                oi.document,
                oi.customer_id,
                cu.segment,
                oi.currency,
                oi.opened_on,
                oi.due_date,
                oi.original_minor,
                oi.open_minor,
                settled.c.paid,
            )
            .outerjoin(settled, settled.c.open_item_id == oi.id)
            .join(t.customers, cu.id == oi.customer_id)
            .where(oi.kind == "invoice")
        )
        found = []
        for doc, cid, seg, ccy, opened, due, original, open_minor, paid in rows:
            if open_minor == 0 and paid is None:
                continue  # closed without cash: neither a payment nor still open
            found.append(
                InvoiceRecord(
                    doc,
                    cid,
                    seg,
                    ccy,
                    _day(opened),
                    _day(due),
                    _amount(original, ccy),
                    _day(paid) if open_minor == 0 else None,
                    doc in disputed,
                )
            )
        return sorted(found, key=lambda r: (r.issued, r.document))

    def open_invoices_at(self, as_of: date) -> list[OpenInvoiceAt]:
        """Invoices with an open amount at the end of ``as_of`` (replayed from the movements)."""
        oi, mv, je, cu = t.open_items.c, t.open_item_movements.c, t.journal_entries.c, t.customers.c
        rows = self.conn.execute(
            select(
                oi.document,
                oi.customer_id,
                cu.segment,
                oi.currency,
                oi.opened_on,
                oi.due_date,
                func.sum(mv.signed_open_minor),
            )
            .join(t.open_item_movements, mv.open_item_id == oi.id)
            .join(t.journal_entries, je.id == mv.entry_id)
            .join(t.customers, cu.id == oi.customer_id)
            .where(oi.kind == "invoice", je.posted_on <= as_of)
            .group_by(oi.document, oi.customer_id, cu.segment, oi.currency, oi.opened_on, oi.due_date)
            .having(func.sum(mv.signed_open_minor) > 0)
        )
        return sorted(
            (
                OpenInvoiceAt(r[0], r[1], r[2], r[3], _day(r[4]), _day(r[5]), _amount(r[6], r[3]))
                for r in rows
            ),
            key=lambda o: o.document,
        )

    def cash_received(self, since: date, until: date) -> list[tuple[date, str, Decimal]]:
        """Cash applied to invoices per day and currency, ``since`` to ``until`` inclusive."""
        oi, mv, je = t.open_items.c, t.open_item_movements.c, t.journal_entries.c
        rows = self.conn.execute(
            select(je.posted_on, oi.currency, func.sum(mv.signed_open_minor))
            .join(t.open_item_movements, mv.open_item_id == oi.id)
            .join(t.journal_entries, je.id == mv.entry_id)
            .where(
                oi.kind == "invoice",
                mv.signed_open_minor < 0,
                _is_cash(je.source),
                je.posted_on >= since,
                je.posted_on <= until,
            )
            .group_by(je.posted_on, oi.currency)
        )
        return sorted((_day(d), ccy, -_amount(m, ccy)) for d, ccy, m in rows)

    def open_orders_at(self, as_of: date) -> list[OpenOrderAt]:
        """Orders placed by ``as_of`` with value still to invoice then: what they invoiced after ``as_of``
        plus what is still open on them now (cancelled and held orders' open value left out)."""
        o, inv, cu = t.orders.c, t.invoices.c, t.customers.c
        later: dict[str, int] = defaultdict(int)
        for order_id, gross in self.conn.execute(
            select(inv.order_id, func.sum(inv.gross_minor))
            .where(inv.kind == "invoice", inv.issue_date > as_of, inv.order_id.is_not(None))
            .group_by(inv.order_id)
        ):
            later[order_id] = int(gross)
        rows = self.conn.execute(
            select(o.id, o.customer_id, cu.segment, o.currency, o.order_date, o.open_value_minor, o.status)
            .join(t.customers, cu.id == o.customer_id)
            .where(o.order_date <= as_of)
        )
        found = []
        for oid, cid, seg, ccy, ordered, open_minor, status in rows:
            still = int(open_minor or 0) if status not in ("cancelled", "on_hold") else 0
            value = later.get(oid, 0) + still
            if value > 0:
                found.append(OpenOrderAt(oid, cid, seg, ccy, _day(ordered), _amount(value, ccy)))
        return sorted(found, key=lambda r: r.order_id)

    def order_to_invoice_days(self, since: date, until: date) -> list[int]:
        """Days from order to invoice for invoices issued in the period (the billing lead time)."""
        o, inv = t.orders.c, t.invoices.c
        rows = self.conn.execute(
            select(o.order_date, inv.issue_date)
            .join(t.invoices, inv.order_id == o.id)
            .where(inv.kind == "invoice", inv.issue_date >= since, inv.issue_date <= until)
        )
        return [(_day(i) - _day(d)).days for d, i in rows]

    def rate(self, functional_ccy: str, currency: str, day: date) -> Decimal:
        """Functional units per unit of ``currency`` on ``day`` (the latest rate on or before it)."""
        return FxRates(self.conn, functional_ccy).to_functional(currency, day)
