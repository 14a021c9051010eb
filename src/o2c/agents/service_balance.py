"""The customer-service agent on what a customer owes, what it paid, and why its orders are held.

Written for a person, in a few sentences, never as a raw list:
- "where is my invoice": the open invoices, most overdue first (number, amount open, due date, days
  overdue), at most ``SHOWN`` of them, with the offer to e-mail the PDF of one ("send me the second one");
- a payment question: what is open and overdue, and the last payment received; when the customer says
  it paid a named invoice, whether that payment is seen (the invoice is no longer open) or not yet;
- "why are our orders held?": the orders held by the credit check, why (the overdue amount and its
  age, the balance above the credit limit, as the credit agent measures them), and what releases them:
  the payment once seen, or a payment date agreed with the credit team (a promise already on record
  is named). Orders held for stock or an incident say so and give the new date when there is one.
Every day count is from the company's today (``uow.clock``), not the wall clock.
"""

from __future__ import annotations

import re
from datetime import date

from o2c.adapters.store import tables as t
from o2c.agents.credit import CreditAgent
from o2c.agents.service_records import Answer, Request, ServiceDeps, day, invoices_named, money
from o2c.domain.conversation_replies import reply, word
from o2c.domain.customers import Customer
from o2c.domain.ledger import OpenItem, Side
from o2c.domain.money import Money
from o2c.domain.orders import Order, OrderStatus
from o2c.domain.payments import PromiseToPay
from o2c.services.exposure import exposure

SHOWN = 3
GRACE_DAYS = CreditAgent.overdue_grace_days
_NEW_DATE = re.compile(r"new date (\d{4}-\d{2}-\d{2})")


def open_invoice_items(deps: ServiceDeps, customer: Customer) -> list[OpenItem]:
    """The customer's open invoices, the one due first (the most overdue) first."""
    items = [i for i in deps.uow.ledger.open_items_of(customer.id, Side.DEBIT) if i.kind == "invoice"]
    return sorted(items, key=lambda i: (i.due_date, i.document))


def _item_text(item: OpenItem, today: date, language: str) -> str:
    late = (today - item.due_date).days
    values = {
        "invoice": item.document,
        "amount": money(item.open, language),
        "due": day(item.due_date, language),
    }
    if late > 0:
        return reply("open_invoice_overdue", language, days=str(late), **values)
    return reply("open_invoice_due", language, **values)


def _sum(items: list[OpenItem]) -> Money | None:
    currencies = {i.open.currency for i in items}
    if len(currencies) != 1:
        return None
    amount = Money.zero(currencies.pop())
    for item in items:
        amount = amount + item.open
    return amount


def open_invoices(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    """The open invoices, overdue first, summarised; the PDF of one is offered."""
    items, lang = open_invoice_items(deps, customer), deps.language
    if not items:
        return Answer("no_open_invoices")
    today = deps.uow.clock.today()
    shown = " ".join(_item_text(i, today, lang) for i in items[:SHOWN])
    more = reply("more_invoices", lang, count=str(len(items) - SHOWN)) if len(items) > SHOWN else ""
    documents = [i.document for i in items]
    if len(items) == 1:
        return Answer("open_invoice_one", {"invoices": shown}, evidence={"documents": documents})
    sum_ = _sum(items)
    return Answer(
        "open_invoices",
        {
            "count": str(len(items)),
            "total": money(sum_, lang) if sum_ else "-",
            "invoices": shown,
            "more": more,
        },
        evidence={"documents": documents},
    )


def _last_payment(deps: ServiceDeps, customer: Customer) -> str:
    found = deps.uow.payments.where(
        t.payments.c.customer_id == customer.id, order_by=t.payments.c.received_on.desc(), limit=1
    )
    if not found:
        return reply("no_payment_yet", deps.language)
    return reply(
        "last_payment",
        deps.language,
        date=day(found[0].received_on, deps.language),
        amount=money(found[0].amount, deps.language),
    )


def _announced(deps: ServiceDeps, customer: Customer, request: Request) -> list[str]:
    """For each invoice the customer says it paid: seen in full, partly, or not yet."""
    invoices, _ = invoices_named(deps.uow, customer, request.entities)
    open_by_number = {i.document: i for i in open_invoice_items(deps, customer)}
    said = []
    for invoice in invoices:
        item = open_by_number.get(invoice.number)
        if item is None:
            said.append(reply("payment_seen", deps.language, invoice=invoice.number))
        elif item.open != item.original:
            said.append(
                reply(
                    "payment_partly",
                    deps.language,
                    invoice=invoice.number,
                    amount=money(item.open, deps.language),
                )
            )
        else:
            said.append(
                reply(
                    "payment_not_seen",
                    deps.language,
                    invoice=invoice.number,
                    amount=money(item.open, deps.language),
                )
            )
    return said


def payment_status(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    """A payment question: the invoices it names as paid, else what is open and overdue; the last payment."""
    invoices, _ = invoices_named(deps.uow, customer, request.entities)
    announced = _announced(deps, customer, request)
    items, lang, today = open_invoice_items(deps, customer), deps.language, deps.uow.clock.today()
    if announced:
        summary = " ".join(announced)
    elif not items:
        summary = reply("nothing_open", lang)
    else:
        sum_ = _sum(items)
        first = _item_text(items[0], today, lang)
        summary = (
            first
            if len(items) == 1
            else " ".join(
                (
                    reply(
                        "open_summary", lang, count=str(len(items)), total=money(sum_, lang) if sum_ else "-"
                    ),
                    first,
                )
            )
        )
    documents = [i.number for i in invoices] or [i.document for i in items]
    return Answer(
        "payment_summary",
        {"summary": summary, "last": _last_payment(deps, customer)},
        evidence={"documents": documents},
    )


def held_text(order: Order, language: str) -> str:
    """Why one order is held, in a sentence (credit check, waiting for stock with its new date, checking)."""
    if (order.hold_reason or "").startswith("credit"):
        return reply("held_credit", language, order=order.id, amount=money(order.value(), language))
    found = _NEW_DATE.search(order.hold_reason or "")
    if found:
        return reply(
            "held_new_date", language, order=order.id, date=day(date.fromisoformat(found.group(1)), language)
        )
    return reply("held_checking", language, order=order.id)


def _why_credit(deps: ServiceDeps, customer: Customer) -> str:
    lang, today = deps.language, deps.uow.clock.today()
    exp = exposure(deps.uow, customer, today, GRACE_DAYS)
    reasons = []
    if exp.oldest_overdue_days > 0:
        reasons.append(
            reply("hold_overdue", lang, amount=money(exp.overdue, lang), days=str(exp.oldest_overdue_days))
        )
    if exp.total > customer.credit_limit:
        reasons.append(
            reply(
                "hold_over_limit",
                lang,
                total=money(exp.total, lang),
                limit=money(customer.credit_limit, lang),
            )
        )
    return word("and", lang).join(reasons) if reasons else reply("hold_cleared", lang)


def _promise(deps: ServiceDeps, customer: Customer) -> PromiseToPay | None:
    found = deps.uow.promises.where(
        t.promises.c.customer_id == customer.id,
        t.promises.c.status == "open",
        order_by=t.promises.c.promised_date.desc(),
        limit=1,
    )
    return found[0] if found else None


def credit_hold(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    """Why the customer's orders are held and what releases them."""
    lang = deps.language
    held = [o for o in deps.uow.orders.open_for(customer.id) if o.status is OrderStatus.ON_HOLD]
    if not held:
        return Answer("no_hold")
    orders = " ".join(held_text(o, lang) for o in held[:SHOWN])
    evidence = {"documents": [o.id for o in held]}
    if not any((o.hold_reason or "").startswith("credit") for o in held):
        return Answer("hold_other", {"orders": orders}, evidence=evidence)
    promise = _promise(deps, customer)
    release = (
        reply(
            "release_promise", lang, amount=money(promise.amount, lang), date=day(promise.promised_date, lang)
        )
        if promise
        else reply("release_how", lang)
    )
    return Answer(
        "hold_explained",
        {"orders": orders, "why": _why_credit(deps, customer), "release": release},
        evidence=evidence,
    )
