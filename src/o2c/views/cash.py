"""The cash-application queue: unmatched payments, each with its candidate open items ranked by how
well the payer, the reference text and the amount fit. A clerk picks the items; ``ApplyPayment`` posts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rapidfuzz import fuzz, utils

from o2c.adapters.store import tables as t
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain.customers import Customer
from o2c.domain.ledger import OpenItem, Side
from o2c.views.figures import UNMATCHED_STATUSES, BestCandidate, best_candidate
from o2c.views.inbox import PaymentView, payment_view
from o2c.views.paging import Page, Window, page_of, window

DOCUMENT_PATTERN = re.compile(r"[A-Z]{2,4}-\d{4}-\d{6}")


@dataclass(frozen=True, slots=True)
class Candidate:
    customer_id: str
    customer_name: str
    document: str
    open: Decimal
    currency: str
    due_date: str
    score: float
    why: list[str]


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A payment waiting to be applied: the engine's best match (the one every screen shows) first."""

    payment: PaymentView
    candidates: list[Candidate]
    best: BestCandidate | None = None


def _payer_matches(everyone: list[Customer], payer_name: str, payer_account: str | None,
                   limit: int = 3) -> list[tuple[Customer, float, str]]:
    found: list[tuple[Customer, float, str]] = []
    for customer in everyone:
        if payer_account and payer_account in customer.bank_accounts:
            found.append((customer, 1.0, f"bank account {payer_account} is {customer.name}'s"))
            continue
        ratio = fuzz.token_set_ratio(payer_name, customer.name, processor=utils.default_process) / 100
        if ratio >= 0.75:
            found.append((customer, ratio, f"payer name looks like {customer.name} ({ratio:.0%})"))
    return sorted(found, key=lambda f: -f[1])[:limit]


def _score(item: OpenItem, payment: PaymentView, named: set[str]) -> tuple[float, list[str]]:
    score, why = 0.0, list[str]()
    if item.document in named:
        score, why = score + 0.5, [*why, f"reference names {item.document}"]
    if item.open.currency == payment.currency and item.open.amount == payment.amount:
        score, why = score + 0.3, [*why, "amount equals the open amount"]
    return score, why


def candidates(uow: UnitOfWork, payment: PaymentView, limit: int = 8,
               everyone: list[Customer] | None = None) -> list[Candidate]:
    named = set(DOCUMENT_PATTERN.findall(payment.reference.upper()))
    by_document = [uow.ledger.item_for_document(d, "invoice") for d in named]
    customers = {c.id: (c, score, why) for c, score, why in _payer_matches(everyone or uow.customers.all(),
                                                                           payment.payer_name, payment.payer_account)}
    items = {i.id: i for i in by_document if i is not None and not i.is_settled}
    for customer_id in customers:
        items.update({i.id: i for i in uow.ledger.open_items_of(customer_id, Side.DEBIT)})
    found = []
    for item in items.values():
        customer = customers.get(item.customer_id)
        if customer is None:
            known = uow.customers.get(item.customer_id)
            customer = (known, 0.0, "") if known else None
        if customer is None:
            continue
        score, why = _score(item, payment, named)
        why = ([customer[2]] if customer[2] else []) + why
        found.append(Candidate(item.customer_id, customer[0].name, item.document, item.open.amount,
                               item.open.currency, item.due_date.isoformat(), round(score + 0.2 * customer[1], 3), why))
    return sorted(found, key=lambda c: (-c.score, c.document))[:limit]


def _best_first(found: list[Candidate], best: BestCandidate | None) -> list[Candidate]:
    """The engine's best match leads; the other candidates follow in their own order."""
    if best is None:
        return found
    chosen = [c for c in found if c.customer_id == best.customer_id and c.document in best.documents]
    return chosen + [c for c in found if c not in chosen]


def _entry(uow: UnitOfWork, view: PaymentView, limit: int, everyone: list[Customer] | None = None) -> QueueEntry:
    best = best_candidate(uow, view.id)
    return QueueEntry(view, _best_first(candidates(uow, view, limit=limit, everyone=everyone), best), best)


def queue(uow: UnitOfWork, limit: int = 50) -> list[QueueEntry]:
    return queue_page(uow, window(limit=limit)).items


def _payment_matches(p: PaymentView, q: str) -> bool:
    return q in p.id.lower() or q in p.payer_name.lower() or q in p.reference.lower()


PAYMENT_SORTS = {"id": lambda p: p.id, "received_on": lambda p: (p.received_on, p.id),
                 "amount": lambda p: (p.amount, p.id), "payer": lambda p: (p.payer_name.lower(), p.id)}


def _waited(low_high: str) -> tuple[int, int]:
    """Days waited from a bucket name like ``3-7`` or ``15+`` (anything else: every age)."""
    low, _, high = low_high.rstrip("+").partition("-")
    if not low.isdigit():
        return 0, 1_000_000
    return int(low), int(high) if high.isdigit() else 1_000_000


def queue_page(uow: UnitOfWork, w: Window, today: date | None = None, age: str = "") -> Page[QueueEntry]:
    """Payments not applied yet — searched by id, payer or reference, of an age (days waited, e.g. ``3-7``),
    sorted by received date (oldest first), amount or payer — a page at a time, each with its candidates
    (only the page's are computed)."""
    low, high = _waited(age)
    waiting = [payment_view(p) for p in uow.payments.where(t.payments.c.status.in_(UNMATCHED_STATUSES),
                                                           order_by=t.payments.c.received_on)]
    if age and today is not None:
        waiting = [p for p in waiting if low <= (today - p.received_on).days <= high]
    found = page_of(waiting, w, PAYMENT_SORTS, _payment_matches)
    everyone = uow.customers.all()
    return Page([_entry(uow, p, 8, everyone) for p in found.items], found.total, found.offset, found.limit)


def entry(uow: UnitOfWork, payment_id: str) -> QueueEntry | None:
    found = uow.payments.get(payment_id)
    if found is None:
        return None
    return _entry(uow, payment_view(found), 20)


def open_invoices_of(uow: UnitOfWork, customer_id: str) -> list[OpenItem]:
    return uow.ledger.items(t.open_items.c.customer_id == customer_id, t.open_items.c.open_minor > 0,
                            t.open_items.c.side == "debit")
