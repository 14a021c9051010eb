"""Onboarding commands' handlers: set up the company, merge master data by business key, post opening
balances once, map EDI trading partners. Thin: the merging rules are the domain's (``domain.onboarding``).

Each returns the counts it added, updated and left unchanged, for the audit trail and the person loading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from o2c.adapters.store import tables as t
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain.codec import encode
from o2c.domain.errors import DomainError
from o2c.domain.onboarding import (
    Merged,
    OpeningItem,
    merge_customer,
    merge_prices,
    merge_ship_to,
    opening_posting,
)

if TYPE_CHECKING:
    from o2c.services.handlers import Company

TERMS = "payment_terms"


# --- handlers ------------------------------------------------------------------------------------------


def set_up_company(uow: UnitOfWork, cmd: c.SetUpCompany, company: Company) -> str:
    if (held := what_the_books_hold(uow)) is not None:
        raise DomainError(f"this database already holds {held}; o2c init starts a new one")
    uow.company_profile.add(cmd.profile)
    return f"company {cmd.profile.name} ({cmd.profile.country}, {cmd.profile.currency}) set up"


def what_the_books_hold(uow: UnitOfWork) -> str | None:
    """None when the database holds no company yet; else what it holds."""
    profile = uow.company_profile.get()
    if profile is not None:
        return f"the company {profile.name}"
    customers = uow.customers.count()
    entries = uow.conn.execute(select(func.count()).select_from(t.journal_entries)).scalar_one()
    if customers or entries:
        return f"a company's books ({customers} customers, {entries} journal entries)"
    return None


def load_customers(uow: UnitOfWork, cmd: c.LoadCustomers, company: Company) -> str:
    batch = {cu.id for cu in cmd.customers}
    counts: dict[str, int] = defaultdict(int)
    for loaded in cmd.customers:
        if loaded.parent_id and loaded.parent_id not in batch and uow.customers.get(loaded.parent_id) is None:
            raise DomainError(f"customer {loaded.id}: unknown parent customer {loaded.parent_id!r}")
        stored = uow.customers.get(loaded.id)
        merged = merge_customer(stored, loaded)
        counts[_upsert(uow.customers, stored, merged)] += 1
    partners: dict[str, int] = defaultdict(int)
    for partner in cmd.partners:
        partners[uow.partners.put(partner)] += 1
    text = Merged(counts["added"], counts["updated"], counts["unchanged"]).text("customers")
    if cmd.partners:
        text += "; " + Merged(partners["added"], partners["updated"], partners["unchanged"]).text(
            "EDI senders"
        )
    return text


def _upsert(repository: Any, stored: Any, new: Any) -> str:
    if stored is None:
        repository.add(new)
        return "added"
    if stored != new:
        repository.save(new)
        return "updated"
    return "unchanged"


def load_ship_tos(uow: UnitOfWork, cmd: c.LoadShipTos, company: Company) -> str:
    counts: dict[str, int] = defaultdict(int)
    by_customer: dict[str, list[Any]] = defaultdict(list)
    for record in cmd.ship_tos:
        by_customer[record.customer_id].append(record.ship_to)
    for customer_id, ship_tos in by_customer.items():
        customer = uow.customers.get(customer_id)
        if customer is None:
            raise DomainError(f"unknown customer {customer_id!r} for ship-to {ship_tos[0].code!r}")
        merged = customer
        for ship_to in ship_tos:
            before = merged.ship_to(ship_to.code)
            counts["added" if before is None else "updated" if before != ship_to else "unchanged"] += 1
            merged = merge_ship_to(merged, ship_to)
        if merged != customer:
            uow.customers.save(merged)
    return Merged(counts["added"], counts["updated"], counts["unchanged"]).text("ship-tos")


def load_products(uow: UnitOfWork, cmd: c.LoadProducts, company: Company) -> str:
    counts: dict[str, int] = defaultdict(int)
    for product in cmd.products:
        counts[_upsert(uow.products, uow.products.get(product.sku), product)] += 1
    return Merged(counts["added"], counts["updated"], counts["unchanged"]).text("products")


def load_prices(uow: UnitOfWork, cmd: c.LoadPrices, company: Company) -> str:
    unknown = sorted({p.sku for p in cmd.prices if uow.products.get(p.sku) is None})
    if unknown:
        raise DomainError(f"prices for unknown SKUs: {', '.join(unknown[:10])}")
    stored = {
        pl.id: pl for pl in uow.price_lists.where(t.price_lists.c.id.in_({p.list_id for p in cmd.prices}))
    }
    changed, merged = merge_prices(stored, cmd.prices)
    for price_list in changed:
        _upsert(uow.price_lists, stored.get(price_list.id), price_list)
    return merged.text("prices")


def load_promotions(uow: UnitOfWork, cmd: c.LoadPromotions, company: Company) -> str:
    counts: dict[str, int] = defaultdict(int)
    for promotion in cmd.promotions:
        counts[_upsert(uow.promotions, uow.promotions.get(promotion.id), promotion)] += 1
    return Merged(counts["added"], counts["updated"], counts["unchanged"]).text("promotions")


def load_payment_terms(uow: UnitOfWork, cmd: c.LoadPaymentTerms, company: Company) -> str:
    counts: dict[str, int] = defaultdict(int)
    for named in cmd.terms:
        counts[uow.reference.upsert(TERMS, named.code, encode(named))] += 1
    return Merged(counts["added"], counts["updated"], counts["unchanged"]).text("payment terms")


def open_balances(uow: UnitOfWork, cmd: c.OpenBalances, company: Company) -> str:
    new = []
    for item in cmd.items:
        if problem := opening_item_problem(uow, item):
            raise DomainError(f"{item.document}: {problem[1]}")
        if uow.ledger.item_for_document(item.document, item.kind) is None:
            new.append(item)
    if new:
        ids = [uow.sequences.next("item", "OI") for _ in new]
        posting = opening_posting(
            uow.sequences.next("journal", "JE"), uow.clock.today(), new, ids, company.currency
        )
        uow.ledger.post(posting)
    return (
        f"opening balances: {len(new)} open items posted, {len(cmd.items) - len(new)} already on the books"
        + (f" (entry {posting.entry.id})" if new else "")
    )


def opening_item_problem(uow: UnitOfWork, item: OpeningItem) -> tuple[str, str] | None:
    """Why ``item`` cannot come in (the column and the reason): unknown customer, another currency, or on
    the books already with other figures."""
    customer = uow.customers.get(item.customer_id)
    if customer is None:
        return "customer_number", f"unknown customer {item.customer_id!r} (load customers first)"
    if customer.currency != item.open.currency:
        return (
            "currency",
            f"customer {customer.id} is invoiced in {customer.currency}, not {item.open.currency}",
        )
    stored = uow.ledger.item_for_document(item.document, item.kind)
    if stored is None:
        return None
    same = (stored.customer_id, stored.original, stored.opened_on, stored.due_date) == (
        item.customer_id,
        item.original,
        item.invoice_date,
        item.due_date,
    )
    if not same:
        return "invoice_number", (
            f"{item.kind.replace('_', ' ')} {item.document} is already on the books with "
            "other figures; correct it with a credit note or a write-off, not a reload"
        )
    return None


def map_trading_partner(uow: UnitOfWork, cmd: c.MapTradingPartner, company: Company) -> str:
    partner = cmd.partner
    if uow.customers.get(partner.customer_id) is None:
        raise DomainError(f"unknown customer {partner.customer_id!r}")
    outcome = uow.partners.put(partner)
    qualified = f"{partner.qualifier}:{partner.sender_id}" if partner.qualifier else partner.sender_id
    return f"EDI sender {qualified} -> customer {partner.customer_id} ({outcome})"


HANDLERS: dict[type, Callable[[UnitOfWork, Any, Company], str]] = {
    c.SetUpCompany: set_up_company,
    c.LoadCustomers: load_customers,
    c.LoadShipTos: load_ship_tos,
    c.LoadProducts: load_products,
    c.LoadPrices: load_prices,
    c.LoadPromotions: load_promotions,
    c.LoadPaymentTerms: load_payment_terms,
    c.OpenBalances: open_balances,
    c.MapTradingPartner: map_trading_partner,
}
