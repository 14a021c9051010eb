"""The customer-service agent answering a member of staff in the same chat.

A staff conversation is one typed by a user with a staff role (``act_for_customer``) without a customer
identity: no customer id, no portal token. There the agent reads any account, since reading accounts is
within every staff role, and proposes nothing:
- a message naming a customer ("show me the invoices of customer C00046") gets that account: its
  invoices (number, date, amount, open, due, days overdue) for an invoice or payment question, else a
  summary (open, overdue, credit limit, orders held);
- a question about holds ("which customers are on hold and why?") lists the customers with held orders
  and each hold's recorded reason;
- anything else is a procedure question, answered from the handbook with its citation by the same
  answerer as ``o2c ask`` (``o2c.knowledge.answerer``), or "I don't know" with no citation.
A customer conversation never comes here, so a customer never gets the handbook or another account.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from o2c.adapters.store import tables as t
from o2c.agents.service_balance import GRACE_DAYS
from o2c.agents.service_records import Answer, Request, ServiceDeps, day, money
from o2c.domain.conversation_context import topics_in
from o2c.domain.conversation_replies import reply
from o2c.domain.customers import Customer
from o2c.domain.ledger import Side
from o2c.domain.money import Money
from o2c.domain.orders import Order, OrderStatus
from o2c.knowledge.answerer import KnowledgeBase, default_knowledge_base
from o2c.services.exposure import exposure

CUSTOMER_ID = re.compile(r"\b[Cc]\d{1,8}\b")
INVOICE_INTENTS = frozenset({"invoice_copy", "invoice_query", "payment_query", "refund_request"})
PROCEDURE = re.compile(
    r"^\s*(how|what should|what do|what is the (procedure|process|rule)|when (do|should)|"
    r"hoe|wat moet|wanneer moet|comment|que (dois|faut)|quand (dois|faut)|wie|was muss|"
    r"wann muss)\b",
    re.IGNORECASE,
)
SHOWN = 20
Knowledge = Callable[[], KnowledgeBase]


def _invoice_lines(deps: ServiceDeps, customer: Customer) -> str:
    uow, lang, today = deps.uow, deps.language, deps.uow.clock.today()
    open_by_document = {i.document: i for i in uow.ledger.open_items_of(customer.id, Side.DEBIT)}
    invoices = uow.invoices.where(
        t.invoices.c.customer_id == customer.id, order_by=t.invoices.c.issue_date.desc(), limit=SHOWN
    )
    lines = []
    for invoice in invoices:
        item = open_by_document.get(invoice.number)
        still_open = item.open if item else Money.zero(invoice.currency)
        due = item.due_date if item else invoice.due_date
        late = (today - due).days if item and due < today else 0
        lines.append(
            reply(
                "staff_invoice_line",
                lang,
                invoice=invoice.number,
                date=day(invoice.issue_date, lang),
                gross=money(invoice.gross_total, lang),
                open=money(still_open, lang),
                due=day(due, lang),
                late=f" ({late} d overdue)" if late else "",
            )
        )
    return "\n".join(lines) or reply("none", lang)


def _account(request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    documents = [i.document for i in deps.uow.ledger.open_items_of(customer.id, Side.DEBIT)]
    if request.intent in INVOICE_INTENTS or re.search(r"invoice|factu|rechnung", request.text, re.IGNORECASE):
        return Answer(
            "staff_invoices",
            {"customer": customer.id, "name": customer.name, "invoices": _invoice_lines(deps, customer)},
            evidence={"documents": documents, "customer": customer.id},
        )
    lang = deps.language
    exp = exposure(deps.uow, customer, deps.uow.clock.today(), 0)
    held = [o for o in deps.uow.orders.open_for(customer.id) if o.status is OrderStatus.ON_HOLD]
    return Answer(
        "staff_account",
        {
            "customer": customer.id,
            "name": customer.name,
            "open": money(exp.open_ar, lang),
            "overdue": money(exp.overdue, lang),
            "limit": money(customer.credit_limit, lang),
            "held": str(len(held)),
        },
        evidence={"documents": documents, "customer": customer.id},
    )


def _holds(deps: ServiceDeps) -> Answer:
    held: dict[str, list[Order]] = {}
    for order in deps.uow.orders.with_status(OrderStatus.ON_HOLD):
        held.setdefault(order.customer_id, []).append(order)
    if not held:
        return Answer("staff_no_holds")
    lang, lines = deps.language, []
    for customer_id, orders in sorted(held.items())[:SHOWN]:
        customer = deps.uow.customers.get(customer_id)
        reasons = "; ".join(dict.fromkeys(o.hold_reason or "-" for o in orders))
        lines.append(
            reply(
                "staff_hold_line",
                lang,
                customer=customer_id,
                name=customer.name if customer else "-",
                orders=", ".join(f"{o.id} ({money(o.value(), lang)})" for o in orders),
                reason=reasons,
            )
        )
    return Answer(
        "staff_holds",
        {"holds": "\n".join(lines)},
        evidence={"documents": [o.id for orders in held.values() for o in orders], "grace": GRACE_DAYS},
    )


def _knowledge(question: str, knowledge: Knowledge) -> Answer:
    found = knowledge().ask(question)
    if not found.known or not found.sources:
        return Answer("staff_unknown", {"answer": found.answer}, evidence={"known": False})
    source = found.sources[0]
    return Answer(
        "staff_knowledge",
        {"answer": found.answer, "source": f"{source.title} § {source.section} ({source.path})"},
        evidence={"known": True, "sources": [s.chunk_id for s in found.sources]},
    )


def staff_answer(
    request: Request, deps: ServiceDeps, knowledge: Knowledge = default_knowledge_base
) -> Answer:
    """The answer for a member of staff: an account, the holds, or the handbook."""
    named = CUSTOMER_ID.findall(request.text)
    if named:
        customer = deps.uow.customers.get(named[0].upper())
        if customer is None:
            return Answer("staff_unknown_customer", {"customer": named[0].upper()})
        return _account(request, deps, customer)
    if topics_in(request.text).credit_hold and not PROCEDURE.match(request.text):
        return _holds(deps)
    return _knowledge(request.text, knowledge)
