"""Master data a company brings in from its own files, keyed by its business keys, merged into the books.

Each kind has one business key: a customer by its number, a ship-to by (customer, ship-to id), a
product by SKU, a price by (price list, SKU, valid-from), a promotion by its id, payment terms by their
code, an opening open item by its invoice number. Merging a batch into what is stored adds what is
new, replaces what changed and leaves the rest: loading the same file twice changes nothing.

Opening balances are the receivables a company already has when it starts on o2c: each becomes an open
item with its original invoice and due dates, and one balanced entry moves them onto the AR control
account against the opening-balance account (equity), so the ledger's invariants hold from day one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from o2c.domain.catalog import PriceList, Scope
from o2c.domain.customers import Customer, PaymentTerms, ShipTo
from o2c.domain.ledger import Account, JournalEntry, JournalLine, OpenItem, Posting, Side
from o2c.domain.money import Money


@dataclass(frozen=True, slots=True)
class ShipToRecord:
    customer_id: str
    ship_to: ShipTo


@dataclass(frozen=True, slots=True)
class PriceRecord:
    """One SKU's price in a price list from ``valid_from``; the list's currency, end and scope ride along."""

    price_list: str
    currency: str
    sku: str
    price: Decimal
    valid_from: date
    valid_to: date | None = None
    scope: Scope = field(default_factory=Scope)

    @property
    def list_id(self) -> str:
        return price_list_id(self.price_list, self.valid_from)


@dataclass(frozen=True, slots=True)
class NamedTerms:
    code: str
    terms: PaymentTerms
    description: str = ""


@dataclass(frozen=True, slots=True)
class OpeningItem:
    """A receivable (or customer credit) already open when the company starts on o2c."""

    document: str
    customer_id: str
    kind: str
    original: Money
    open: Money
    functional: Money
    invoice_date: date
    due_date: date

    @property
    def side(self) -> Side:
        return Side.CREDIT if self.kind == "credit_note" else Side.DEBIT


@dataclass(frozen=True, slots=True)
class Merged:
    """What a batch does to the stored records: added, updated (changed) and unchanged counts."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0

    def text(self, what: str) -> str:
        return f"{what}: {self.added} added, {self.updated} updated, {self.unchanged} unchanged"


def price_list_id(name: str, valid_from: date) -> str:
    """A stored price list is one list's prices from one date: ``EU-RETAIL@2026-01-01``."""
    return f"{name}@{valid_from.isoformat()}"


def merge_customer(stored: Customer | None, loaded: Customer) -> Customer:
    """The customer as loaded, keeping what other files own: its ship-tos and learned item aliases."""
    if stored is None:
        if loaded.ship_tos:
            return loaded
        main = ShipTo(loaded.id, loaded.name, loaded.bill_to, loaded.gln)
        return replace(loaded, ship_tos=(main,))
    return replace(loaded, ship_tos=stored.ship_tos, item_aliases=stored.item_aliases)


def merge_ship_to(customer: Customer, ship_to: ShipTo) -> Customer:
    """``customer`` with ``ship_to`` added, or replacing the one with the same id."""
    if customer.ship_to(ship_to.code) is not None:
        return replace(
            customer, ship_tos=tuple(ship_to if s.code == ship_to.code else s for s in customer.ship_tos)
        )
    return replace(customer, ship_tos=(*customer.ship_tos, ship_to))


def merge_prices(
    stored: dict[str, PriceList], records: Iterable[PriceRecord]
) -> tuple[list[PriceList], Merged]:
    """The price lists a batch adds or changes (whole lists, prices merged by SKU), and its counts."""
    by_list: dict[str, list[PriceRecord]] = defaultdict(list)
    for record in records:
        by_list[record.list_id].append(record)
    changed, added, updated, unchanged = [], 0, 0, 0
    for list_id, rows in sorted(by_list.items()):
        first = rows[0]
        old = stored.get(list_id)
        prices = dict(old.prices) if old else {}
        for row in rows:
            if row.sku not in prices:
                added += 1
            elif prices[row.sku] != row.price:
                updated += 1
            else:
                unchanged += 1
            prices[row.sku] = row.price
        new = PriceList(list_id, first.currency, first.valid_from, first.valid_to, first.scope, prices)
        if new != old:
            changed.append(new)
    return changed, Merged(added, updated, unchanged)


def opening_posting(
    entry_id: str, on: date, items: Iterable[OpeningItem], item_ids: Iterable[str], functional_ccy: str
) -> Posting:
    """One balanced entry: each item onto AR (its open amount), the total against opening balances."""
    lines, new_items = [], []
    totals: dict[str, tuple[Decimal, Decimal]] = defaultdict(lambda: (Decimal(0), Decimal(0)))
    for item, item_id in zip(items, item_ids, strict=True):
        sign = 1 if item.side is Side.DEBIT else -1
        lines.append(
            JournalLine(Account.AR, item.functional * sign, item.open * sign, item.customer_id, item_id)
        )
        new_items.append(
            OpenItem(
                item_id,
                item.customer_id,
                item.document,
                item.kind,
                item.side,
                item.original,
                item.open,
                item.functional,
                item.invoice_date,
                item.due_date,
            )
        )
        fun, txn = totals[item.open.currency]
        totals[item.open.currency] = (fun + sign * item.functional.amount, txn + sign * item.open.amount)
    for ccy, (fun, txn) in sorted(totals.items()):
        lines.append(JournalLine(Account.OPENING_BALANCE, Money(-fun, functional_ccy), Money(-txn, ccy)))
    documents = ",".join(sorted(i.document for i in new_items))
    entry = JournalEntry(
        entry_id,
        on,
        f"opening balances: {len(new_items)} open items",
        f"opening_balance:{entry_id}:{documents}"[:200],
        tuple(lines),
    )
    return Posting(entry, tuple(new_items))
