"""The customer-service agent: answers what a customer asks from the records, and proposes what it may do.

For one understood request (``Request``) and its door to the system (``ServiceDeps``) the agent returns
an ``Answer``: a reply template in the customer's language with values read from the records, and at
most one proposal. It never writes: the conversation service submits the proposal to the policy gate
under this agent's own name, so a customer's words can choose among the actions below but never make
one of them more allowed. The actions it can propose are fixed: ``capture_order``, ``change_order``,
``cancel_order``, ``send_document_copy``, ``open_dispute`` and ``hand_over_conversation``.

Orders are handled here; invoices, payments, refunds and delivery problems in ``service_accounts``.
A refund is a credit note: a case on the named invoice, else a person's task; master-data changes and
complaints about the service go to a person; login questions get a how-to.
``converse`` is the entry point the HTTP API and the web chat look for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from o2c.adapters.nlp.products import CatalogEntry, extract_products
from o2c.adapters.store.operations_store import OperationsStore
from o2c.agents import service_accounts as accounts
from o2c.agents import service_balance as balance
from o2c.agents.base import AgentDeps, Proposal
from o2c.agents.service_records import (
    Answer,
    Request,
    ServiceDeps,
    day,
    deliveries_of,
    listing,
    orders_named,
    quantity,
)
from o2c.domain import commands as c
from o2c.domain.conversation_replies import reply, word
from o2c.domain.conversations import OPEN_TO_ANYONE
from o2c.domain.customers import Customer
from o2c.domain.events import Event
from o2c.domain.money import Money
from o2c.domain.orders import Delivery, Order, OrderStatus

if TYPE_CHECKING:
    from o2c.bootstrap import App
    from o2c.services.conversations import ChatReply

AGENT = "customer_service"
CHANGEABLE = (OrderStatus.CAPTURED, OrderStatus.ON_HOLD, OrderStatus.CONFIRMED)
LEAD_DAYS = 2
Intent = Callable[[str, Request, ServiceDeps, Customer], Answer]


def _delivery_text(delivery: Delivery, language: str, today: date) -> str:
    if delivery.delivered_date is not None:
        return reply("delivery_done", language, delivery=delivery.id, carrier=delivery.carrier,
                     date=day(delivery.delivered_date, language))
    if delivery.expected_date < today:
        return reply("order_late", language, delivery=delivery.id, carrier=delivery.carrier,
                     date=day(delivery.expected_date, language), days=str((today - delivery.expected_date).days))
    return reply("delivery_on_way", language, delivery=delivery.id, carrier=delivery.carrier,
                 date=day(delivery.expected_date, language))


def _order_text(deps: ServiceDeps, order: Order) -> str:
    lang, today = deps.language, deps.uow.clock.today()
    if order.status is OrderStatus.ON_HOLD:
        return balance.held_text(order, lang)
    deliveries = [_delivery_text(d, lang, today) for d in deliveries_of(deps.uow, order.id)]
    if order.is_open and order.status is not OrderStatus.PARTLY_DELIVERED and not deliveries:
        late = order.requested_date < today
        deliveries = [reply("delivery_not_shipped" if late else "delivery_planned", lang,
                            date=day(order.requested_date, lang))]
    return reply("order_line", lang, order=order.id, po=word("po", lang, po=order.po_number) if order.po_number
                 else "", ordered=day(order.order_date, lang), status=word(order.status.value, lang),
                 deliveries=" ".join(deliveries))


def order_status(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    orders, unknown = orders_named(deps.uow, customer, request.entities)
    if unknown and not orders:
        return Answer("not_found", {"refs": ", ".join(unknown)})
    orders = orders or deps.uow.orders.open_for(customer.id)[-3:]
    if not orders:
        return Answer("no_orders")
    return Answer("order_status", {"orders": " ".join(_order_text(deps, o) for o in orders)},
                  evidence={"documents": [o.id for o in orders]})


def delivery_options(agent: str, request: Request, deps: ServiceDeps, customer: Customer | None) -> Answer:
    if customer is None:
        return Answer("delivery_options_general")
    rates = [r for r in OperationsStore(deps.uow.conn).rates() if r.region == customer.country and not r.express]
    fastest = min((r.days for r in rates), default=LEAD_DAYS)
    carriers = [f"{r.carrier} ({r.days} d)" for r in sorted(rates, key=lambda r: (r.days, r.carrier))]
    ship_tos = [f"{s.name}, {s.address.street}, {s.address.city}" for s in customer.ship_tos if not s.blocked]
    return Answer("delivery_options", {"ship_tos": "; ".join(ship_tos), "carriers": listing(carriers) or "-",
                                       "earliest": day(deps.uow.clock.today() + timedelta(days=fastest),
                                                       deps.language)})


# --- new orders, changes and cancellations -----------------------------------------------------------
def catalog_of(deps: ServiceDeps, customer: Customer) -> list[CatalogEntry]:
    aliases: dict[str, list[str]] = {}
    for alias, sku in customer.item_aliases.items():
        aliases.setdefault(sku, []).append(alias)
    return [(p.sku, p.name, p.gtin, tuple(aliases.get(p.sku, ()))) for p in deps.uow.products.all() if p.active]


def wanted(request: Request, deps: ServiceDeps, customer: Customer) -> tuple[dict[str, Decimal], float]:
    """SKU -> quantity for each quantity the message ties to a product; the weakest product match (0..1)."""
    lines: dict[str, Decimal] = {}
    scores = [1.0]
    catalog = catalog_of(deps, customer)
    for mention in request.entities.quantities:
        matches = extract_products(mention.text, catalog)
        if matches and mention.amount > 0:
            lines[matches[0].sku] = lines.get(matches[0].sku, Decimal(0)) + mention.amount
            scores.append(matches[0].score / 100)
    return lines, min(scores)


def _requested(request: Request, today: date) -> date | None:
    return next((d.start for d in request.entities.dates if d.start > today), None)


def _lines_text(lines: dict[str, Decimal]) -> str:
    return listing([f"{quantity(q)} x {sku}" for sku, q in lines.items()])


def place_order(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    lines, score = wanted(request, deps, customer)
    if not lines or not customer.ship_tos:
        return Answer("order_what", awaiting="place_order")
    today = deps.uow.clock.today()
    requested = _requested(request, today) or today + timedelta(days=LEAD_DAYS)
    po = request.entities.po_numbers[0] if request.entities.po_numbers else None
    command = c.CaptureOrder(customer.id, customer.ship_tos[0].code, "chat", requested,
                             tuple(c.CaptureOrderLine(sku, q) for sku, q in lines.items()), po,
                             f"conversation:{deps.conversation.id}:{deps.conversation.turns + 1}")
    proposal = Proposal(agent, "capture_order", command, f"customer:{customer.id}",
                        f"order placed in conversation {deps.conversation.id}", {"lines": _lines_text(lines)},
                        min(request.confidence, score), None, customer.segment.value)
    return Answer("order_placed", {"lines": _lines_text(lines), "date": day(requested, deps.language)}, proposal)


def _one_order(deps: ServiceDeps, customer: Customer, request: Request) -> tuple[Order | None, Answer | None]:
    """The order a change or cancellation is about, or the answer that asks which."""
    orders, unknown = orders_named(deps.uow, customer, request.entities)
    if unknown and not orders:
        return None, Answer("not_found", {"refs": ", ".join(unknown)})
    open_orders = deps.uow.orders.open_for(customer.id)
    if not orders and len(open_orders) == 1 and request.intent == "change_order":
        orders = open_orders
    if len(orders) != 1:
        return None, Answer("cancel_which" if request.intent == "cancel_order" else "change_what",
                            {"orders": listing([o.id for o in open_orders]) or "-"}, awaiting=request.intent)
    order = orders[0]
    if order.status not in CHANGEABLE or any(ln.delivered for ln in order.lines):
        return None, Answer("cannot_change", {"order": order.id, "status": word(order.status.value, deps.language)})
    return order, None


def _change_text(lines: dict[str, Decimal], requested: date | None, language: str) -> str:
    parts = [word("quantity_to", language, product=sku, quantity=quantity(q)) for sku, q in lines.items()]
    if requested:
        parts.append(word("date_to", language, date=day(requested, language)))
    return listing(parts)


def change_order(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    order, asking = _one_order(deps, customer, request)
    if order is None:
        return asking or Answer("change_what", awaiting="change_order")
    lines, score = wanted(request, deps, customer)
    requested = _requested(request, deps.uow.clock.today())
    if not lines and requested is None:
        return Answer("change_what", awaiting="change_order")
    prices = {ln.sku: ln.unit_price for ln in order.lines}
    before = {ln.sku: ln.quantity for ln in order.lines}
    added = sum((max(q - before.get(sku, Decimal(0)), Decimal(0)) * prices.get(sku, Decimal(0))
                 for sku, q in lines.items()), Decimal(0))
    proposal = Proposal(agent, "change_order", c.ChangeOrder(order.id, lines, requested, request.text[:500]),
                        f"order:{order.id}", f"customer asks to change {order.id}",
                        {"order": order.id, "quantities": {k: str(v) for k, v in lines.items()}},
                        min(request.confidence, score), Money(added, order.currency).quantize(),
                        customer.segment.value)
    return Answer("order_changed", {"order": order.id, "change": _change_text(lines, requested, deps.language)},
                  proposal)


def cancel_order(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    order, asking = _one_order(deps, customer, request)
    if order is None:
        return asking or Answer("cancel_which", {"orders": "-"}, awaiting="cancel_order")
    proposal = Proposal(agent, "cancel_order", c.CancelOrder(order.id), f"order:{order.id}",
                        f"customer asks to cancel {order.id}", {"order": order.id, "status": order.status.value},
                        request.confidence, order.open_value(), customer.segment.value)
    return Answer("order_cancelled", {"order": order.id}, proposal)


# --- people and the rest ------------------------------------------------------------------------------
def hand_over(agent: str, deps: ServiceDeps, reason: str, template: str = "person") -> Answer:
    customer_id = deps.customer.id if deps.customer else None
    command = c.HandOverConversation(deps.conversation.id, customer_id, reason, deps.transcript[-4000:])
    proposal = Proposal(agent, "hand_over_conversation", command, f"conversation:{deps.conversation.id}", reason,
                        {"conversation": deps.conversation.id}, 1.0, None,
                        deps.customer.segment.value if deps.customer else None)
    return Answer(template, {}, proposal)


@dataclass
class CustomerServiceAgent:
    """Answers customers in conversations (it has no events of its own to watch)."""

    name: str = AGENT
    subscribes: frozenset[str] = frozenset()

    def handle(self, event: Event, deps: AgentDeps) -> list[Proposal]:
        return []

    def answer(self, request: Request, deps: ServiceDeps) -> Answer:
        """The reply and proposal for one clear request (identification is checked by the caller)."""
        if request.intent == "talk_to_person":
            return hand_over(self.name, deps, "customer asked for a person")
        if request.intent == "delivery_options":
            return delivery_options(self.name, request, deps, deps.customer)
        if request.intent == "account_access":
            return Answer("account_help")
        handler = INTENTS.get(request.intent)
        if handler is None or deps.customer is None or request.intent in OPEN_TO_ANYONE:
            return Answer("other")
        return handler(self.name, request, deps, deps.customer)


def refund_request(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    """Money back is a credit note: a case on the invoice named, else a person takes the request."""
    return (accounts.refund_dispute(agent, request, deps, customer)
            or hand_over(agent, deps, "refund or credit note requested", "refund_task"))


def change_details(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    """Master data (addresses, names, VAT id, contacts) is changed by a person, never from a chat message."""
    return hand_over(agent, deps, "customer asks to change its master data", "details_task")


def complaint(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    """A complaint about the service (not about goods delivered) goes to a person as a case to answer."""
    return hand_over(agent, deps, "complaint about the service", "complaint_logged")


INTENTS: dict[str, Intent] = {
    "order_status": order_status,
    "place_order": place_order,
    "change_order": change_order,
    "cancel_order": cancel_order,
    "invoice_copy": accounts.invoice_copy,
    "invoice_query": accounts.invoice_query,
    "payment_query": balance.payment_status,
    "credit_hold": balance.credit_hold,
    "report_problem": accounts.report_problem,
    "refund_request": refund_request,
    "change_details": change_details,
    "complaint": complaint,
}


def converse(app: App, text: str, customer_id: str | None = None, conversation_id: str | None = None,
             sender: str | None = None, **options: Any) -> ChatReply:
    """One chat turn (the contract ``o2c.api.conversation`` looks for): see ``services.conversations``."""
    from o2c.services.conversations import chat_turn  # the service layer drives this agent

    return chat_turn(app, customer_id, sender, text, conversation_id, **options)
