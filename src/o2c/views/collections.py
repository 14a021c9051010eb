"""Collections read models, from the ledger at any date.

- ``worklist``: overdue receivables ranked by amount x days overdue, with what a collector needs to
  know before calling — an open dispute (pause) or a promise to pay; ``worklists``: the same per
  collector, ranked by expected cash impact (amount x predicted risk x age);
- ``aging_by`` (customer, segment, currency), ``kpis``: standard and countback DSO, best-possible DSO,
  CEI and the overdue share, each replayed from the open-item movements as they stood at a date;
- ``reminder_violations``: reminders that reached a paid, disputed or promised invoice (none should);
- ``dispute_root_causes``: cases per reason code and status.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection, func, select

from o2c.adapters.store import tables as t
from o2c.adapters.store.collections_store import CollectionsStore, dunning_notices
from o2c.adapters.store.uow import UnitOfWork
from o2c.views.common import as_day, business_date, from_minor
from o2c.views.paging import Page, Window, page_of
from o2c.views.receivables import BUCKETS, bucket, dso


@dataclass(frozen=True, slots=True)
class WorkItem:
    customer_id: str
    customer_name: str
    segment: str
    document: str
    currency: str
    open: Decimal
    functional: Decimal
    due_date: date
    days_overdue: int
    priority: Decimal
    in_dispute: bool
    promised: bool


def worklist(uow: UnitOfWork, as_of: date | None = None, limit: int = 200) -> list[WorkItem]:
    as_of = as_of or business_date(uow)
    oi, cu = t.open_items.c, t.customers.c
    rows = uow.conn.execute(
        select(oi.customer_id, cu.name, cu.segment, oi.document, oi.currency, oi.open_minor, oi.carrying_minor,
               oi.due_date)
        .join(t.customers, cu.id == oi.customer_id)
        .where(oi.side == "debit", oi.open_minor > 0, oi.due_date < as_of)).all()
    disputed = set(uow.conn.execute(select(t.cases.c.invoice_number).where(t.cases.c.status == "open")).scalars())
    promised_customers = set(uow.conn.execute(select(t.promises.c.customer_id)
                                              .where(t.promises.c.status == "open")).scalars())
    items = []
    for r in rows:
        days = (as_of - r.due_date).days
        functional = from_minor(r.carrying_minor, uow.functional_ccy)
        items.append(WorkItem(r.customer_id, r.name, r.segment, r.document, r.currency,
                              from_minor(r.open_minor, r.currency), functional, r.due_date, days,
                              (functional * days).quantize(Decimal(1)), r.document in disputed,
                              r.customer_id in promised_customers))
    return sorted(items, key=lambda w: (-w.priority, w.document))[:limit]


WORKLIST_SORTS = {"priority": lambda w: (w.priority, w.document), "customer": lambda w: (w.customer_name, w.document),
                  "segment": lambda w: (w.segment, w.document), "document": lambda w: w.document,
                  "due_date": lambda w: (w.due_date, w.document), "days_overdue": lambda w: (w.days_overdue, w.document),
                  "open": lambda w: (w.functional, w.document)}


def _work_matches(w: WorkItem, q: str) -> bool:
    return q in w.customer_name.lower() or q in w.customer_id.lower() or q in w.document.lower()


def worklist_page(uow: UnitOfWork, w: Window, as_of: date | None = None, aging_bucket: str = "") -> Page[WorkItem]:
    """The worklist (highest priority first unless sorted otherwise; amounts compared in the functional
    currency) in an aging bucket, searched by customer or invoice, a page at a time with the total."""
    items = [i for i in worklist(uow, as_of, limit=1_000_000) if aging_bucket in ("", bucket(i.days_overdue))]
    return page_of(items, w, WORKLIST_SORTS, _work_matches)


# --- receivables at any date --------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class OpenAt:
    """One open receivable as it stood at the end of ``as_of``."""

    document: str
    customer_id: str
    segment: str
    currency: str
    open: Decimal
    functional: Decimal
    due_date: date


def open_items_at(conn: Connection, as_of: date, functional_ccy: str) -> list[OpenAt]:
    """Debit (invoice) items with their open amounts at the end of ``as_of``, replayed from the movements."""
    oi, mv, je, cu = t.open_items.c, t.open_item_movements.c, t.journal_entries.c, t.customers.c
    rows = conn.execute(
        select(oi.document, oi.customer_id, cu.segment, oi.currency, oi.due_date,
               func.sum(mv.signed_open_minor), func.sum(mv.signed_carrying_minor))
        .join(t.open_item_movements, mv.open_item_id == oi.id).join(t.journal_entries, je.id == mv.entry_id)
        .join(t.customers, cu.id == oi.customer_id)
        .where(oi.side == "debit", je.posted_on <= as_of)
        .group_by(oi.document, oi.customer_id, cu.segment, oi.currency, oi.due_date)
        .having(func.sum(mv.signed_open_minor) > 0))
    return sorted((OpenAt(r[0], r[1], r[2], r[3], from_minor(r[5], r[3]), from_minor(r[6], functional_ccy),
                          as_day(r[4])) for r in rows), key=lambda o: o.document)


def aging_by(conn: Connection, as_of: date, functional_ccy: str, by: str = "customer") -> dict[str, dict[str, Decimal]]:
    """Aging buckets (functional currency) per ``customer``, ``segment`` or ``currency`` at ``as_of``;
    by currency the amounts are in that currency."""
    result: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(BUCKETS, Decimal(0)))
    for item in open_items_at(conn, as_of, functional_ccy):
        key = {"customer": item.customer_id, "segment": item.segment, "currency": item.currency}[by]
        result[key][bucket((as_of - item.due_date).days)] += item.open if by == "currency" else item.functional
    return dict(sorted(result.items()))


def credit_sales(conn: Connection, since: date, until: date) -> Decimal:
    """Invoiced (gross, functional) between two days inclusive."""
    jl, je = t.journal_lines.c, t.journal_entries.c
    minor = conn.execute(select(func.coalesce(func.sum(jl.functional_minor), 0))
                         .join(t.journal_entries, je.id == jl.entry_id)
                         .where(jl.account == "1100", je.source.like("invoice:%"),
                                je.posted_on >= since, je.posted_on <= until)).scalar_one()
    return Decimal(int(minor)).scaleb(-2)


@dataclass(frozen=True, slots=True)
class Kpis:
    as_of: date
    receivables: Decimal
    current: Decimal
    overdue: Decimal
    dso_standard: Decimal | None
    dso_countback: Decimal | None
    best_possible_dso: Decimal | None
    cei: Decimal | None
    overdue_share: Decimal | None


def _ratio_days(part: Decimal, sales: Decimal, days: int) -> Decimal | None:
    return None if not sales else (part / sales * days).quantize(Decimal("0.1"))


def countback_dso(conn: Connection, as_of: date, receivables: Decimal, period_days: int = 30,
                  max_periods: int = 12) -> Decimal | None:
    """Days of the most recent sales it takes to account for today's receivables, period by period."""
    days, left, end = Decimal(0), receivables, as_of
    for _ in range(max_periods):
        sales = credit_sales(conn, end - timedelta(days=period_days - 1), end)
        if left <= 0:
            break
        if sales <= 0:
            return None if days == 0 else days.quantize(Decimal("0.1"))
        if left <= sales:
            return (days + left / sales * period_days).quantize(Decimal("0.1"))
        days, left, end = days + period_days, left - sales, end - timedelta(days=period_days)
    return days.quantize(Decimal("0.1"))


def kpis(conn: Connection, as_of: date, functional_ccy: str, period_days: int = 30) -> Kpis:
    """DSO (standard and countback), best-possible DSO and CEI over the ``period_days`` ending ``as_of``;
    the standard DSO is the one every screen shows (``views.receivables.dso``)."""
    items = open_items_at(conn, as_of, functional_ccy)
    total = sum((i.functional for i in items), Decimal(0))
    current = sum((i.functional for i in items if i.due_date >= as_of), Decimal(0))
    start = as_of - timedelta(days=period_days)
    sales = credit_sales(conn, start + timedelta(days=1), as_of)
    begin = sum((i.functional for i in open_items_at(conn, start, functional_ccy)), Decimal(0))
    collectable = begin + sales - current
    cei = None if collectable <= 0 else ((begin + sales - total) / collectable * 100).quantize(Decimal("0.1"))
    return Kpis(as_of, total, current, total - current, dso(conn, as_of, period_days),
                countback_dso(conn, as_of, total, period_days), _ratio_days(current, sales, period_days), cei,
                (((total - current) / total).quantize(Decimal("0.001")) if total else None))


# --- dunning checks, disputes and worklists per collector ----------------------------------------
@dataclass(frozen=True, slots=True)
class Violation:
    document: str
    sent_on: date
    why: str

    def __str__(self) -> str:
        return f"{self.document}: reminded on {self.sent_on} {self.why}"


def _open_minor_at(conn: Connection, document: str, day: date) -> int:
    return int(conn.execute(select(func.coalesce(func.sum(t.open_item_movements.c.signed_open_minor), 0))
                            .join(t.open_items, t.open_items.c.id == t.open_item_movements.c.open_item_id)
                            .join(t.journal_entries, t.journal_entries.c.id == t.open_item_movements.c.entry_id)
                            .where(t.open_items.c.document == document, t.open_items.c.kind == "invoice",
                                   t.journal_entries.c.posted_on <= day)).scalar_one())


def reminder_violations(conn: Connection, grace_days: int = 2) -> list[Violation]:
    """Every reminder that went to an invoice already paid, under an open case or a valid promise.

    Paid is judged at the end of the sending day (payments post before the collections run); a case
    or promise counts from the day after it was made, because one made on the sending day is the
    customer's answer to that reminder (the handler refuses to send under one that already exists)."""
    found = []
    for n in conn.execute(select(dunning_notices)).mappings():
        doc, on = n["document"], as_day(n["sent_on"])
        if _open_minor_at(conn, doc, on) <= 0:
            found.append(Violation(doc, on, "although paid"))
        found += [Violation(doc, on, f"during case {case_id}")
                  for case_id, body in conn.execute(select(t.cases.c.id, t.cases.c.body)
                                                    .where(t.cases.c.invoice_number == doc))
                  if as_day(body["opened_on"]) < on
                  and (body.get("resolved_on") is None or as_day(body["resolved_on"]) > on)]
        for body in conn.execute(select(t.promises.c.body).where(t.promises.c.customer_id == n["customer_id"])).scalars():
            covers = doc in body["invoice_numbers"] or not body["invoice_numbers"]
            closed = as_day(body["closed_on"]) if body.get("closed_on") else None
            valid_until = as_day(body["promised_date"]) + timedelta(days=grace_days)
            if covers and as_day(body["made_on"]) < on <= valid_until and (closed is None or closed > on):
                found.append(Violation(doc, on, f"under promise {body['id']}"))
    return found


def dispute_root_causes(conn: Connection) -> dict[str, dict[str, int]]:
    """Cases per reason code and status (short pays without a code count as 'short_pay')."""
    result: dict[str, dict[str, int]] = defaultdict(dict)
    for body in conn.execute(select(t.cases.c.body)).scalars():
        reason = body.get("reason_code") or body.get("reason") or "other"
        result[reason][body["status"]] = result[reason].get(body["status"], 0) + 1
    return dict(sorted(result.items(), key=lambda kv: -sum(kv[1].values())))


@dataclass(frozen=True, slots=True)
class CollectorItem:
    collector: str
    customer_id: str
    customer_name: str
    documents: tuple[str, ...]
    open: Decimal
    days_overdue: int
    risk: float
    expected_cash_impact: Decimal
    held: str | None


def worklists(uow: UnitOfWork, as_of: date | None = None,
              collectors: dict[str, list[str]] | None = None) -> dict[str, list[CollectorItem]]:
    """Each collector's customers, ranked by expected cash impact: overdue amount x risk x age factor.

    Risk is the stored prediction's (``payment_predictions``) or 0.5 where none exists; the age factor
    grows from 1 by a tenth per week overdue. Customers whose overdue items are all held (case,
    promise) sink to the bottom with the reason."""
    as_of = as_of or business_date(uow)
    predictions = CollectionsStore(uow.conn).predictions()
    items = worklist(uow, as_of, limit=100_000)
    by_customer: dict[str, list[WorkItem]] = defaultdict(list)
    for w in items:
        by_customer[w.customer_id].append(w)
    teams = collectors or {}
    result: dict[str, list[CollectorItem]] = defaultdict(list)
    for n, (cid, found) in enumerate(sorted(by_customer.items())):
        team = teams.get(found[0].segment) or ["collections"]
        collector = team[n % len(team)]
        active = [w for w in found if not w.in_dispute and not w.promised]
        scored = active or found
        impact = sum((w.functional * Decimal(str(predictions.get(w.document, {}).get("risk", 0.5)))
                      * (1 + Decimal(w.days_overdue) / 70) for w in scored), Decimal(0))
        held = None if active else ("dispute" if any(w.in_dispute for w in found) else "promise")
        result[collector].append(CollectorItem(
            collector, cid, found[0].customer_name, tuple(w.document for w in found),
            sum((w.functional for w in found), Decimal(0)), max(w.days_overdue for w in found),
            max(float(predictions.get(w.document, {}).get("risk", 0.5)) for w in found),
            (impact if active else Decimal(0)).quantize(Decimal("0.01")), held))
    return {k: sorted(v, key=lambda i: (i.held is not None, -i.expected_cash_impact, i.customer_id))
            for k, v in sorted(result.items())}
