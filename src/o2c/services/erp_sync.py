"""Syncing o2c with the system of record it sits on, and checking that both books agree.

A sync reads what the books wrote since the last sync (``since``: the latest write seen, kept in
reference data) and maps it through the service layer as onboarding commands: parties merge into
customers, products into the catalogue, posted invoices and credit notes come in once as open items
(an invoice already on o2c's books is left as it is). Syncing twice changes nothing.

After every sync the **reconciliation check** compares o2c's open items with the books' open receivable
lines per customer and currency. Every difference is reported, and its customer is put on a *books hold*:
the policy gate sends every proposal about that customer to a person (``o2c erp holds`` lists them,
``o2c erp release`` lifts one once a person has looked).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain.errors import DomainError
from o2c.domain.ledger import Side
from o2c.domain.money import Money
from o2c.ports.system_of_record import SETTLED_IN_BOOKS, ReceivableLine, Snapshot, SystemOfRecord
from o2c.services.books_hold import hold
from o2c.services.handlers import Company
from o2c.services.proposals import run_command

CURSOR = "erp_sync"
ACTOR = "erp-sync"


@dataclass(frozen=True, slots=True)
class Difference:
    customer_id: str
    currency: str
    o2c: Decimal
    books: Decimal
    documents: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "customer": self.customer_id,
            "currency": self.currency,
            "o2c": str(self.o2c),
            "books": str(self.books),
            "difference": str(self.o2c - self.books),
            "documents": list(self.documents),
        }


@dataclass(frozen=True, slots=True)
class SyncReport:
    customers: int
    invoices: int
    open_items: int
    differences: tuple[Difference, ...]
    changes: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "customers": self.customers,
            "invoices": self.invoices,
            "open_items": self.open_items,
            "differences": [d.as_dict() for d in self.differences],
            "changes": self.changes,
        }


def sync(uow_factory: Any, books: SystemOfRecord, company: Company) -> SyncReport:
    """Read the books since the last sync, map what changed into o2c, check both books agree."""
    with uow_factory() as uow:
        cursor = uow.reference.get(CURSOR, books.name)
        since = datetime.fromisoformat(cursor["since"]) if cursor else None
        known = {cu.id: cu for cu in uow.customers.all()}
    snapshot = books.read(since, known)
    with uow_factory() as uow:
        changes = _map(uow, snapshot, company)
        settled = settle_paid_in_books(uow, snapshot, company, books.name)
        if settled:
            changes["settled"] = f"{len(settled)} open items settled in the books: {', '.join(settled)}"
        uow.reference.upsert(CURSOR, books.name, {"since": snapshot.read_at.isoformat()})
        differences = reconcile(uow, snapshot.receivables)
        _hold(uow, differences)
        report = _report(uow, snapshot, differences, changes)
        uow.commit()
    return report


def _map(uow: UnitOfWork, snapshot: Snapshot, company: Company) -> dict[str, str]:
    changes: dict[str, str] = {}
    reason = "read from the system of record"
    if snapshot.customers:
        changes["customers"] = run_command(
            uow, c.LoadCustomers(snapshot.customers, (), "erp"), ACTOR, reason, company
        )
    if snapshot.products:
        changes["products"] = run_command(
            uow, c.LoadProducts(snapshot.products, "erp"), ACTOR, reason, company
        )
    if snapshot.prices:
        changes["prices"] = run_command(uow, c.LoadPrices(snapshot.prices, "erp"), ACTOR, reason, company)
    new = tuple(
        item
        for item in snapshot.invoices
        if not item.open.is_zero() and uow.ledger.item_for_document(item.document, item.kind) is None
    )
    if new:
        changes["invoices"] = run_command(uow, c.OpenBalances(new, "erp"), ACTOR, reason, company)
    return changes


def settle_paid_in_books(uow: UnitOfWork, snapshot: Snapshot, company: Company, books: str) -> list[str]:
    """Invoices the books show less open on than o2c (paid there, by a person or another system): the
    difference is recorded as a payment and applied through the service layer, so o2c's open item closes
    the way cash does. Its bank-entry key names the books' state, so a second sync records nothing."""
    settled = []
    for invoice in snapshot.invoices:
        item = (
            uow.ledger.item_for_document(invoice.document, "invoice") if invoice.kind == "invoice" else None
        )
        if (
            item is None
            or item.open.currency != invoice.open.currency
            or item.open.amount <= invoice.open.amount
        ):
            continue
        key = f"{SETTLED_IN_BOOKS}{books}:{invoice.document}:{invoice.open.amount}"
        if uow.payments.by_entry_key(key) is not None:
            continue
        amount = Money(item.open.amount - invoice.open.amount, item.open.currency)
        reason = f"settled in {books}"
        record = c.RecordPayment(uow.clock.today(), amount, f"paid in {books}", None, invoice.document, key)
        run_command(uow, record, ACTOR, reason, company)
        payment = uow.payments.by_entry_key(key)
        if payment is None:
            raise DomainError(f"the payment settled in {books} for {invoice.document} was not recorded")
        apply = c.ApplyPayment(payment.id, item.customer_id, (invoice.document,), (amount,))
        run_command(uow, apply, ACTOR, reason, company)
        settled.append(invoice.document)
    return settled


def reconcile(uow: UnitOfWork, receivables: tuple[ReceivableLine, ...]) -> list[Difference]:
    """Per customer and currency: o2c's open items against the books' open receivable lines."""
    ours: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for item in uow.ledger.all_open():
        ours[(item.customer_id, item.open.currency)][item.document] += item.open.amount * (
            1 if item.side is Side.DEBIT else -1
        )
    theirs: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for line in receivables:
        theirs[(line.customer_id, line.amount.currency)][line.document] += line.amount.amount
    found = []
    for key in sorted(set(ours) | set(theirs)):
        mine, books = ours.get(key, {}), theirs.get(key, {})
        if sum(mine.values(), Decimal(0)) != sum(books.values(), Decimal(0)):
            documents = tuple(sorted(d for d in set(mine) | set(books) if mine.get(d) != books.get(d)))
            found.append(
                Difference(
                    key[0], key[1], sum(mine.values(), Decimal(0)), sum(books.values(), Decimal(0)), documents
                )
            )
    return found


def _hold(uow: UnitOfWork, differences: list[Difference]) -> None:
    for difference in differences:
        hold(uow, difference.customer_id, difference.as_dict())


def _report(
    uow: UnitOfWork, snapshot: Snapshot, differences: list[Difference], changes: dict[str, str]
) -> SyncReport:
    return SyncReport(
        customers=uow.customers.count(),
        invoices=sum(1 for _ in _documents(uow)),
        open_items=len(snapshot.receivables),
        differences=tuple(differences),
        changes=changes,
    )


def _documents(uow: UnitOfWork) -> list[str]:
    return [i.document for i in uow.ledger.items() if i.kind in ("invoice", "credit_note")]
