"""The ledger in the database: postings written atomically, open items read back, invariants re-checked."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, bindparam, case, func, insert, select, update

from o2c.adapters.store import tables as t
from o2c.adapters.store.prepared import Prepared
from o2c.domain.errors import UnbalancedEntry
from o2c.domain.ledger import Account, OpenItem, Posting, Side, ar_control_problems
from o2c.domain.money import Money, minor_units


def _item(row: Sequence[Any], functional_ccy: str) -> OpenItem:
    """An open item from a row whose first columns are ``open_items``' own, in table order."""
    item_id, customer_id, document, kind, side, ccy, original, open_, carrying, opened_on, due_date = row[:11]
    return OpenItem(item_id, customer_id, document, kind, Side(side), Money.from_minor(original, ccy),
                    Money.from_minor(open_, ccy), Money.from_minor(carrying, functional_ccy), opened_on, due_date)


_ITEMS_BY_ID = select(t.open_items).where(t.open_items.c.id.in_(bindparam("ids", expanding=True)))
_ITEM_OF_DOCUMENT = Prepared(select(t.open_items).where(
    t.open_items.c.document == bindparam("document"), t.open_items.c.kind == bindparam("kind")).order_by(t.open_items.c.id))
_NEW_ENTRY = Prepared(insert(t.journal_entries), ["id", "posted_on", "description", "source", "status"])
_NEW_LINES = Prepared(insert(t.journal_lines), ["entry_id", "account", "functional_minor", "currency", "amount_minor",
                                                "customer_id", "open_item_id"])
_NEW_ITEMS = Prepared(insert(t.open_items), [c.name for c in t.open_items.c])
_NEW_MOVEMENTS = Prepared(insert(t.open_item_movements), ["entry_id", "open_item_id", "currency", "signed_open_minor",
                                                          "signed_carrying_minor"])
_MOVE_ITEM = Prepared(update(t.open_items).where(t.open_items.c.id == bindparam("item_id")).values(
    open_minor=t.open_items.c.open_minor + bindparam("d_open"),
    carrying_minor=t.open_items.c.carrying_minor + bindparam("d_carry")), [])
_MARK_POSTED = Prepared(update(t.journal_entries).where(t.journal_entries.c.id == bindparam("entry_id")).values(
    status="posted"), [])


class LedgerStore:
    def __init__(self, conn: Connection, functional_ccy: str) -> None:
        self.conn = conn
        self.functional_ccy = functional_ccy

    # --- reading -------------------------------------------------------------------------------
    def items(self, *conditions: Any) -> list[OpenItem]:
        rows = self.conn.execute(select(t.open_items).where(*conditions).order_by(t.open_items.c.id))
        return [_item(r, self.functional_ccy) for r in rows]

    def item(self, item_id: str) -> OpenItem | None:
        found = self.items(t.open_items.c.id == item_id)
        return found[0] if found else None

    def item_for_document(self, document: str, kind: str | None = None) -> OpenItem | None:
        if kind:
            row = _ITEM_OF_DOCUMENT.first(self.conn, {"document": document, "kind": kind})
            return None if row is None else _item(row, self.functional_ccy)
        found = self.items(t.open_items.c.document == document)
        return found[0] if found else None

    def open_items_of(self, customer_id: str, side: Side | None = None) -> list[OpenItem]:
        conditions = [t.open_items.c.customer_id == customer_id, t.open_items.c.open_minor > 0]
        if side:
            conditions.append(t.open_items.c.side == side.value)
        return self.items(*conditions)

    def all_open(self) -> list[OpenItem]:
        return self.items(t.open_items.c.open_minor > 0)

    def open_receivable_minor(self, customer_id: str) -> int:
        """Debit items minus credit items still open for the customer, in its currency's minor units."""
        signed = func.sum(case((t.open_items.c.side == "debit", t.open_items.c.open_minor),
                               else_=-t.open_items.c.open_minor))
        value = self.conn.execute(select(signed).where(t.open_items.c.customer_id == customer_id)).scalar()
        return int(value or 0)

    # --- writing -------------------------------------------------------------------------------
    def post(self, posting: Posting, read: Iterable[OpenItem] = ()) -> None:
        """Check the posting against the current open items, then write it in this transaction.

        ``read`` may hold open items the caller read in this same transaction; the others it
        changes are read here.
        """
        current = {i.id: i for i in read}
        missing = list({c.open_item_id for c in posting.changes} - current.keys())
        if missing:
            rows = self.conn.execute(_ITEMS_BY_ID, {"ids": missing})
            current.update((i.id, i) for i in (_item(r, self.functional_ccy) for r in rows))
        problems = posting.problems(current)
        if problems:
            raise UnbalancedEntry("; ".join(problems))
        entry = posting.entry
        _NEW_ENTRY.run(self.conn, {
            "id": entry.id, "posted_on": entry.posted_on, "description": entry.description[:300],
            "source": entry.source[:200], "status": "draft"})
        _NEW_LINES.run(self.conn, [
            {"entry_id": entry.id, "account": ln.account.value, "functional_minor": ln.functional.to_minor(),
             "currency": ln.amount.currency, "amount_minor": ln.amount.to_minor(),
             "customer_id": ln.customer_id, "open_item_id": ln.open_item_id} for ln in entry.lines])
        if posting.new_items:
            _NEW_ITEMS.run(self.conn, [{
                "id": item.id, "customer_id": item.customer_id, "document": item.document, "kind": item.kind,
                "side": item.side.value, "currency": item.original.currency,
                "original_minor": item.original.to_minor(), "open_minor": item.open.to_minor(),
                "carrying_minor": item.carrying.to_minor(), "opened_on": item.opened_on,
                "due_date": item.due_date} for item in posting.new_items])
        movements = [(item, item.open.to_minor(), item.carrying.to_minor()) for item in posting.new_items]
        moves = []
        for change in posting.changes:
            item = current[change.open_item_id]
            d_open, d_carry = change.open_delta.to_minor(), change.carrying_delta.to_minor()
            moves.append({"item_id": item.id, "d_open": d_open, "d_carry": d_carry})
            movements.append((item, d_open, d_carry))
        if moves:
            _MOVE_ITEM.run(self.conn, moves)
        if movements:
            _NEW_MOVEMENTS.run(self.conn, [
                {"entry_id": entry.id, "open_item_id": item.id, "currency": item.original.currency,
                 "signed_open_minor": item.sign * d_open, "signed_carrying_minor": item.sign * d_carry}
                for item, d_open, d_carry in movements])
        _MARK_POSTED.run(self.conn, {"entry_id": entry.id})

    def posting_exists(self, source: str) -> bool:
        return self.conn.execute(select(func.count()).select_from(t.journal_entries)
                                 .where(t.journal_entries.c.source == source)).scalar_one() > 0

    # --- checking ------------------------------------------------------------------------------
    def balances(self) -> dict[tuple[str, str], tuple[int, int]]:
        rows = self.conn.execute(select(t.journal_lines.c.account, t.journal_lines.c.currency,
                                        func.sum(t.journal_lines.c.functional_minor),
                                        func.sum(t.journal_lines.c.amount_minor))
                                 .group_by(t.journal_lines.c.account, t.journal_lines.c.currency))
        return {(a, c): (int(f), int(m)) for a, c, f, m in rows}

    def problems(self) -> list[str]:
        """Every broken ledger invariant, checked over the whole database."""
        found = []
        unbalanced = self.conn.execute(
            select(t.journal_lines.c.entry_id, func.sum(t.journal_lines.c.functional_minor))
            .group_by(t.journal_lines.c.entry_id)
            .having(func.sum(t.journal_lines.c.functional_minor) != 0)).all()
        found += [f"entry {e} does not balance: off by {s} minor units" for e, s in unbalanced]
        drafts = self.conn.execute(select(func.count()).select_from(t.journal_entries)
                                   .where(t.journal_entries.c.status != "posted")).scalar_one()
        if drafts:
            found.append(f"{drafts} journal entries were never posted")
        places = minor_units(self.functional_ccy)
        ar = {ccy: (Decimal(f).scaleb(-places), Decimal(m).scaleb(-minor_units(ccy)))
              for (acc, ccy), (f, m) in self.balances().items() if acc == Account.AR.value}
        found += ar_control_problems(ar, self.items())
        total = sum(f for f, _ in self.balances().values())
        if total:
            found.append(f"trial balance is off by {total} minor units of {self.functional_ccy}")
        return found


_RATE_ON = Prepared(select(t.fx_rates.c.per_functional).where(
    t.fx_rates.c.currency == bindparam("currency"), t.fx_rates.c.day <= bindparam("day"))
    .order_by(t.fx_rates.c.day.desc()).limit(1))


class FxRates:
    """Reference rates as units of currency per 1 unit of the functional currency (ECB style)."""

    def __init__(self, conn: Connection, functional_ccy: str) -> None:
        self.conn = conn
        self.functional_ccy = functional_ccy

    def put(self, day: date, currency: str, per_functional: Decimal) -> None:
        self.conn.execute(insert(t.fx_rates).values(day=day, currency=currency,
                                                    per_functional=str(per_functional)))

    def put_many(self, rows: Iterable[tuple[date, str, Decimal]]) -> None:
        values = [{"day": d, "currency": c, "per_functional": str(r)} for d, c, r in rows]
        if values:
            self.conn.execute(insert(t.fx_rates), values)

    def to_functional(self, currency: str, day: date) -> Decimal:
        """Functional units for one unit of ``currency`` on ``day`` (the latest rate on or before it)."""
        if currency == self.functional_ccy:
            return Decimal(1)
        value = _RATE_ON.scalar(self.conn, {"currency": currency, "day": day})
        if value is None:
            raise LookupError(f"no {currency} rate on or before {day}")
        return (Decimal(1) / Decimal(value)).quantize(Decimal("0.0000000001"))
