"""The customer-service agent on invoices, payments and delivery problems.

- a copy of an invoice: the customer's own invoices only, sent as PDF and e-invoice (``send_document_copy``);
- a question about an invoice's amount: each line explained from the invoice, checked against the
  price list and promotions in force on the order date (the disputes agent's evidence); a line billed
  above what those allow opens an invoice query (``open_dispute``, reason price or promotion);
- "where is my invoice" (an invoice question naming none and not about an amount): the open invoices
  (``service_balance``);
- missing or damaged goods: a case on the delivery, with its proof of delivery (``open_dispute``); the
  disputes agent takes it from there.
- a refund: in B2B money back is a credit note, so a refund that names one of the customer's own
  invoices and an amount in its currency, no more than the invoice's total, opens a case on that
  invoice (``open_dispute``, reason from the text) whose resolution is the credit note; any other
  refund request is left to a person (``refund_dispute`` returns None).
"""

from __future__ import annotations

import re
from decimal import Decimal

from o2c.agents.base import Proposal
from o2c.agents.disputes import gather_evidence
from o2c.agents.service_balance import open_invoices
from o2c.agents.service_records import (
    Answer,
    Request,
    ServiceDeps,
    day,
    deliveries_of,
    invoices_named,
    latest_delivery,
    listing,
    money,
    orders_named,
    quantity,
    recent_invoices,
)
from o2c.domain import commands as c
from o2c.domain.conversation_replies import reply, word
from o2c.domain.customers import Customer
from o2c.domain.disputes import ReasonCode, classify_reason
from o2c.domain.invoices import Invoice, InvoiceLine
from o2c.domain.money import Money, total
from o2c.domain.orders import Delivery

CENT = Decimal("0.01")
AMOUNT_QUESTION = re.compile(r"amount|price|total|charge|expensive|too (high|much)|wrong|explain|understand|"
                             r"bedrag|prijs|totaal|te hoog|klopt|montant|prix|cher|comprend|betrag|preis|"
                             r"summe|zu hoch|verstehe")


def _not_found(unknown: list[str]) -> Answer:
    return Answer("not_found", {"refs": ", ".join(unknown)})


def invoice_copy(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    invoices, unknown = invoices_named(deps.uow, customer, request.entities)
    if unknown and not invoices:
        return _not_found(unknown)
    invoices = invoices or recent_invoices(deps.uow, customer, limit=1)
    if not invoices:
        return Answer("no_invoices")
    numbers = tuple(i.number for i in invoices)
    proposal = Proposal(agent, "send_document_copy", c.SendDocumentCopy(
        customer.id, numbers, source=f"conversation:{deps.conversation.id}"), f"customer:{customer.id}",
        f"customer asked for a copy of {', '.join(numbers)}", {"documents": list(numbers)}, request.confidence,
        None, customer.segment.value)
    return Answer("copy_sent", {"documents": listing(list(numbers)),
                                "email": customer.email or word("email_fallback", deps.language)}, proposal,
                  evidence={"documents": list(numbers)})


def _unit_net(line: InvoiceLine, currency: str) -> Decimal:
    return line.net(currency).amount / line.quantity if line.quantity else Decimal(0)


def _line_text(line: InvoiceLine, currency: str, language: str) -> str:
    promotion = word("promotion", language, percent=quantity(line.price_discount * 100 / line.list_price)) \
        if line.list_price and line.price_discount else ""
    return reply("invoice_line", language, quantity=quantity(line.quantity), product=line.description or line.sku,
                 price=money(Money(line.unit_price, currency), language),
                 list=money(Money(line.list_price or line.unit_price, currency), language), promotion=promotion,
                 amount=money(line.net(currency), language))


def overcharges(deps: ServiceDeps, invoice: Invoice) -> tuple[list[str], Money, ReasonCode]:
    """Lines billed above the price list and promotions in force on the order date, in words; the total
    overcharged; and the reason (promotion when a promotion was missed, else price)."""
    evidence = gather_evidence(deps.uow, invoice.number, invoice.gross_total)
    findings, over, reason = [], Money.zero(invoice.currency), ReasonCode.PRICE
    for line in invoice.lines:
        listed = evidence.price_list_prices.get(line.sku)
        if listed is None or not line.quantity:
            continue
        percent = evidence.promotions_in_force.get(line.sku, Decimal(0))
        expected = (listed * (1 - percent / 100)).quantize(CENT)
        billed = _unit_net(line, invoice.currency).quantize(CENT)
        if billed > expected:
            reason = ReasonCode.PROMOTION if percent else reason
            over = over + Money((billed - expected) * line.quantity, invoice.currency)
            findings.append(reply(
                "price_finding", deps.language, product=line.description or line.sku,
                billed=money(Money(billed, invoice.currency), deps.language),
                expected=money(Money(expected, invoice.currency), deps.language)))
    return findings, over.quantize(), reason


def invoice_query(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    invoices, unknown = invoices_named(deps.uow, customer, request.entities)
    if unknown and not invoices:
        return _not_found(unknown)
    if not invoices and not AMOUNT_QUESTION.search(request.text.lower()):
        return open_invoices(agent, request, deps, customer)
    invoices = invoices or recent_invoices(deps.uow, customer, limit=1)
    if not invoices:
        return Answer("no_invoices")
    invoice, lang = invoices[0], deps.language
    findings, over, reason = overcharges(deps, invoice)
    if findings:
        proposal = Proposal(agent, "open_dispute", c.OpenDispute(
            customer.id, invoice.number, reason.value, over, f"conversation:{deps.conversation.id}",
            f"{request.text}\n\nChecked: {'; '.join(findings)}"), f"invoice:{invoice.number}",
            f"invoice query: billed above price list/promotion by {over}", {"findings": findings},
            request.confidence, over, customer.segment.value)
        return Answer("invoice_query_opened", {"invoice": invoice.number,
                                               "findings": word("and", lang).join(findings)}, proposal)
    return Answer("invoice_explained", {
        "invoice": invoice.number, "date": day(invoice.issue_date, lang),
        "lines": "\n".join(_line_text(ln, invoice.currency, lang) for ln in invoice.lines),
        "net": money(invoice.net_total, lang), "tax": money(invoice.tax_total, lang),
        "gross": money(invoice.gross_total, lang)}, evidence={"documents": [invoice.number]})


def _delivery_named(deps: ServiceDeps, customer: Customer, request: Request) -> tuple[Delivery | None, list[str]]:
    invoices, unknown_invoices = invoices_named(deps.uow, customer, request.entities)
    for invoice in invoices:
        if invoice.delivery_id and (found := deps.uow.deliveries.get(invoice.delivery_id)):
            return found, []
    orders, unknown_orders = orders_named(deps.uow, customer, request.entities)
    for order in orders:
        if deliveries := deliveries_of(deps.uow, order.id):
            return deliveries[-1], []
    unknown = unknown_invoices + unknown_orders
    if unknown or invoices or orders:
        return None, unknown
    return latest_delivery(deps.uow, customer), []


def _claimed(request: Request, customer: Customer, deps: ServiceDeps, delivery: Delivery,
             invoice: Invoice | None) -> Money:
    """The amount the customer names, else the invoice's total, else the delivery's value."""
    currency = invoice.currency if invoice else customer.currency
    amounts = [a.value for a in request.entities.amounts if a.currency in ("", currency)]
    if amounts:
        return Money(amounts[0], currency).quantize()
    if invoice is not None:
        return invoice.gross_total
    order = deps.uow.orders.get(delivery.order_id)
    prices = {ln.line_no: ln.unit_price for ln in order.lines} if order else {}
    return total([Money(ln.quantity * prices.get(ln.order_line_no, Decimal(0)), currency) for ln in delivery.lines],
                 currency).quantize()


def report_problem(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer:
    delivery, unknown = _delivery_named(deps, customer, request)
    if delivery is None:
        return _not_found(unknown) if unknown else Answer("problem_which", awaiting="report_problem")
    reason = classify_reason(request.text)[0]
    invoice = deps.uow.invoices.for_delivery(delivery.id)
    amount = _claimed(request, customer, deps, delivery, invoice)
    pod = delivery.pod_reference or "-"
    notes = (f"{request.text}\n\nDelivery {delivery.id} (order {delivery.order_id}, {delivery.carrier}), "
             f"delivered {delivery.delivered_date or 'not yet confirmed'}, POD {pod}")
    proposal = Proposal(agent, "open_dispute", c.OpenDispute(
        customer.id, invoice.number if invoice else None, reason.value, amount,
        f"conversation:{deps.conversation.id}", notes), f"delivery:{delivery.id}",
        f"customer reports {reason.value} on delivery {delivery.id}",
        {"delivery": delivery.id, "order": delivery.order_id, "pod": delivery.pod_reference,
         "invoice": invoice.number if invoice else None, "claimed": str(amount)},
        request.confidence, amount, customer.segment.value)
    label = {ReasonCode.SHORTAGE: "shortage", ReasonCode.DAMAGE: "damage"}.get(reason, "problem")
    return Answer("problem_opened", {"delivery": delivery.id, "reason": word(label, deps.language), "pod": pod},
                  proposal)


def refund_dispute(agent: str, request: Request, deps: ServiceDeps, customer: Customer) -> Answer | None:
    """A case on the named invoice for the amount asked back, or None when the request does not say both."""
    invoices, _ = invoices_named(deps.uow, customer, request.entities)
    asked = [a for a in request.entities.amounts if invoices and a.currency == invoices[0].currency]
    if len(invoices) != 1 or not asked or not Decimal(0) < asked[0].value <= invoices[0].gross_total.amount:
        return None
    invoice, amount = invoices[0], Money(asked[0].value, invoices[0].currency)
    reason = classify_reason(request.text)[0]
    proposal = Proposal(agent, "open_dispute", c.OpenDispute(
        customer.id, invoice.number, reason.value, amount, f"conversation:{deps.conversation.id}",
        f"refund asked: {request.text}"), f"invoice:{invoice.number}",
        f"customer asks {amount} back on invoice {invoice.number}", {"invoice": invoice.number, "asked": str(amount)},
        request.confidence, amount, customer.segment.value)
    return Answer("refund_opened", {"invoice": invoice.number, "amount": money(amount, deps.language)}, proposal)
