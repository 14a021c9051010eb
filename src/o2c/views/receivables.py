"""Read models over the receivables: aging buckets and DSO, computed from the ledger at a date."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection, func, select

from o2c.adapters.store import tables as t
from o2c.domain.money import minor_units

BUCKETS = ("current", "1-30", "31-60", "61-90", "90+")


def bucket(days_past_due: int) -> str:
    if days_past_due <= 0:
        return "current"
    if days_past_due <= 30:
        return "1-30"
    if days_past_due <= 60:
        return "31-60"
    if days_past_due <= 90:
        return "61-90"
    return "90+"


@dataclass(frozen=True, slots=True)
class Aging:
    as_of: date
    functional: dict[str, Decimal]
    by_currency: dict[str, dict[str, Decimal]]
    unapplied_credits: Decimal


def aging(conn: Connection, as_of: date, functional_places: int = 2) -> Aging:
    """Open receivables by days past due, in the functional currency and per invoice currency."""
    rows = conn.execute(select(t.open_items.c.side, t.open_items.c.currency, t.open_items.c.due_date,
                               t.open_items.c.open_minor, t.open_items.c.carrying_minor)
                        .where(t.open_items.c.open_minor > 0))
    functional = dict.fromkeys(BUCKETS, Decimal(0))
    by_currency: dict[str, dict[str, Decimal]] = defaultdict(lambda: dict.fromkeys(BUCKETS, Decimal(0)))
    credits = Decimal(0)
    for side, ccy, due, open_minor, carrying_minor in rows:
        carrying = Decimal(carrying_minor).scaleb(-functional_places)
        if side == "credit":
            credits += carrying
            continue
        name = bucket((as_of - due).days)
        functional[name] += carrying
        by_currency[ccy][name] += Decimal(open_minor).scaleb(-minor_units(ccy))
    return Aging(as_of, functional, dict(by_currency), credits)


def open_ar_by_currency(conn: Connection) -> dict[str, Decimal]:
    result: dict[str, Decimal] = defaultdict(Decimal)
    rows = conn.execute(select(t.open_items.c.currency, t.open_items.c.side,
                               func.sum(t.open_items.c.open_minor))
                        .group_by(t.open_items.c.currency, t.open_items.c.side))
    for ccy, side, minor in rows:
        result[ccy] += (1 if side == "debit" else -1) * Decimal(int(minor)).scaleb(-minor_units(ccy))
    return dict(sorted(result.items()))


def dso(conn: Connection, as_of: date, period_days: int = 30) -> Decimal | None:
    """Standard DSO: receivables / credit sales of the last ``period_days`` x days (functional)."""
    since = as_of - timedelta(days=period_days - 1)
    sales = conn.execute(
        select(func.coalesce(func.sum(t.journal_lines.c.functional_minor), 0))
        .join(t.journal_entries, t.journal_entries.c.id == t.journal_lines.c.entry_id)
        .where(t.journal_lines.c.account == "1100", t.journal_entries.c.source.like("invoice:%"),
               t.journal_entries.c.posted_on >= since, t.journal_entries.c.posted_on <= as_of)).scalar_one()
    receivables = conn.execute(
        select(func.coalesce(func.sum(t.journal_lines.c.functional_minor), 0))
        .join(t.journal_entries, t.journal_entries.c.id == t.journal_lines.c.entry_id)
        .where(t.journal_lines.c.account == "1100", t.journal_entries.c.posted_on <= as_of)).scalar_one()
    if not sales:
        return None
    return (Decimal(int(receivables)) / Decimal(int(sales)) * period_days).quantize(Decimal("0.1"))
