"""Command handlers: open state through the unit of work, call the domain, record events. Thin.

Each handler takes the unit of work, the command and the company context and returns a short result
text for the audit trail. Validation failures raise ``DomainError`` with the reason in words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.catalog import quote
from o2c.domain.customers import Customer
from o2c.domain.errors import DomainError
from o2c.domain.invoices import DocumentKind, InvoiceLine, build_document
from o2c.domain.ledger import (
    Account,
    Settlement,
    post_document,
    receive_payment,
    revalue,
    settle_items,
    write_off,
)
from o2c.domain.money import Money
from o2c.domain.orders import Delivery, DeliveryLine, Order, OrderLine
from o2c.domain.payments import Payment, PaymentStatus
from o2c.domain.tax import treatment


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    country: str
    currency: str


Handler = Callable[[UnitOfWork, Any, Company], str]


def _customer(uow: UnitOfWork, customer_id: str) -> Customer:
    customer = uow.customers.get(customer_id)
    if customer is None:
        raise DomainError(f"unknown customer {customer_id!r}")
    return customer


def _order(uow: UnitOfWork, order_id: str) -> Order:
    order = uow.orders.get(order_id, for_update=True)
    if order is None:
        raise DomainError(f"unknown order {order_id!r}")
    return order


def capture_order(uow: UnitOfWork, cmd: c.CaptureOrder, company: Company) -> str:
    if cmd.source_ref and (existing := uow.orders.by_source(cmd.source_ref)):
        return f"duplicate of {existing.id} (same source {cmd.source_ref})"
    customer = _customer(uow, cmd.customer_id)
    if customer.ship_to(cmd.ship_to) is None:
        raise DomainError(f"customer {customer.id} has no ship-to {cmd.ship_to!r}")
    today = uow.clock.today()
    price_lists = uow.price_lists.in_currency(customer.currency)
    promotions = uow.promotions.valid_on(today)
    lines = []
    for n, ln in enumerate(cmd.lines, start=1):
        if uow.products.get(ln.sku) is None:
            raise DomainError(f"line {n}: unknown SKU {ln.sku!r}")
        q = quote(customer, ln.sku, today, ln.quantity, price_lists, promotions)
        if q is None:
            raise DomainError(f"line {n}: no {customer.currency} price for {ln.sku}")
        lines.append(OrderLine(n, ln.sku, ln.quantity, ln.unit_price if ln.unit_price is not None
                               else q.net_price, q.list_price, q.promotion_id, q.discount_percent))
    order = Order(id=uow.sequences.next("order", "SO"), customer_id=customer.id, ship_to=cmd.ship_to,
                  channel=cmd.channel, order_date=today, requested_date=cmd.requested_date,
                  currency=customer.currency, lines=tuple(lines), po_number=cmd.po_number,
                  source_ref=cmd.source_ref)
    uow.orders.add(order)
    uow.emit(e.OrderCaptured(order.id, customer.id))
    return f"order {order.id} captured: {order.value()}"


def confirm_order(uow: UnitOfWork, cmd: c.ConfirmOrder, company: Company) -> str:
    order = uow.orders.save(_order(uow, cmd.order_id).confirm())
    uow.emit(e.OrderConfirmed(order.id, order.customer_id))
    return f"order {order.id} confirmed"


def release_order_hold(uow: UnitOfWork, cmd: c.ReleaseOrderHold, company: Company) -> str:
    return confirm_order(uow, c.ConfirmOrder(cmd.order_id), company)


def hold_order(uow: UnitOfWork, cmd: c.HoldOrder, company: Company) -> str:
    order = uow.orders.save(_order(uow, cmd.order_id).hold(cmd.reason))
    uow.emit(e.OrderPutOnHold(order.id, order.customer_id, cmd.reason))
    return f"order {order.id} on hold: {cmd.reason}"


def cancel_order(uow: UnitOfWork, cmd: c.CancelOrder, company: Company) -> str:
    order = uow.orders.save(_order(uow, cmd.order_id).cancel())
    uow.emit(e.OrderCancelled(order.id, order.customer_id))
    return f"order {order.id} cancelled"


def ship_order(uow: UnitOfWork, cmd: c.ShipOrder, company: Company) -> str:
    order = _order(uow, cmd.order_id)
    quantities = {int(k): v for k, v in cmd.quantities.items() if v > 0}
    if not quantities:
        raise DomainError(f"nothing to ship on order {order.id}")
    order = uow.orders.save(order.record_delivery(quantities))
    by_line = {ln.line_no: ln for ln in order.lines}
    delivery = Delivery(id=uow.sequences.next("delivery", "DL"), order_id=order.id,
                        customer_id=order.customer_id, warehouse=cmd.warehouse, carrier=cmd.carrier,
                        ship_date=uow.clock.today(), expected_date=cmd.expected_date,
                        lines=tuple(DeliveryLine(n, by_line[n].sku, q) for n, q in sorted(quantities.items())))
    uow.deliveries.add(delivery)
    uow.emit(e.DeliveryShipped(delivery.id, order.id, order.customer_id))
    return f"delivery {delivery.id} shipped for {order.id}"


def confirm_delivery(uow: UnitOfWork, cmd: c.ConfirmDelivery, company: Company) -> str:
    delivery = uow.deliveries.get(cmd.delivery_id)
    if delivery is None:
        raise DomainError(f"unknown delivery {cmd.delivery_id!r}")
    if delivery.delivered_date is not None:
        return f"delivery {delivery.id} already confirmed"
    uow.deliveries.save(replace(delivery, delivered_date=uow.clock.today(), pod_reference=cmd.pod_reference))
    uow.emit(e.DeliveryCompleted(delivery.id, delivery.order_id, delivery.customer_id))
    return f"delivery {delivery.id} delivered (POD {cmd.pod_reference})"


def _post(uow: UnitOfWork, posting: Any) -> None:
    uow.ledger.post(posting)


def invoice_delivery(uow: UnitOfWork, cmd: c.InvoiceDelivery, company: Company) -> str:
    delivery = uow.deliveries.get(cmd.delivery_id)
    if delivery is None or delivery.delivered_date is None:
        raise DomainError(f"delivery {cmd.delivery_id} is not delivered yet")
    if delivery.invoiced:
        return f"delivery {delivery.id} already invoiced"
    order = _order(uow, delivery.order_id)
    customer = _customer(uow, order.customer_id)
    by_line = {ln.line_no: ln for ln in order.lines}
    lines, reasons, notes = [], {}, []
    for n, dl in enumerate(delivery.lines, start=1):
        product = uow.products.get(dl.sku)
        ol = by_line[dl.order_line_no]
        tax = treatment(company.country, customer.country, customer.vat_id,
                        product.tax_category if product else "standard", customer.bill_to.region)
        if tax.exemption_reason:
            reasons[tax.category] = tax.exemption_reason
        if tax.note and tax.note not in notes:
            notes.append(tax.note)
        lines.append(InvoiceLine(n, dl.sku, product.name if product else dl.sku, dl.quantity, ol.unit_price,
                                 tax.category, tax.rate, ol.line_no, ol.list_price, ol.promotion_id))
    today = uow.clock.today()
    rate = uow.fx.to_functional(customer.currency, today)
    invoice = build_document(
        uow.invoices.next_number("INV", today.year), DocumentKind.INVOICE, customer.id, today,
        customer.terms.due_date(today), customer.currency, tuple(lines), reasons,
        order_id=order.id, delivery_id=delivery.id, po_number=order.po_number, buyer_vat_id=customer.vat_id,
        fx_rate=rate, channel=customer.preferred_channel.value, tax_note=notes[0] if notes else None)
    if problems := invoice.problems():
        raise DomainError("; ".join(problems))
    uow.invoices.add(invoice)
    uow.deliveries.save(replace(delivery, invoiced=True))
    tax_account = Account.SALES_TAX if customer.country == "US" else Account.VAT_OUTPUT
    _post(uow, post_document(uow.sequences.next("journal", "JE"), today, uow.sequences.next("item", "OI"),
                             customer.id, invoice.number, "invoice", invoice.due_date, invoice.net_total,
                             invoice.tax_total, rate, company.currency, tax_account))
    uow.emit(e.InvoiceIssued(invoice.number, customer.id, str(invoice.gross_total.amount), invoice.currency))
    return f"invoice {invoice.number} issued: {invoice.gross_total}"


def issue_credit_note(uow: UnitOfWork, cmd: c.IssueCreditNote, company: Company) -> str:
    original = uow.invoices.get(cmd.invoice_number)
    if original is None or original.kind is not DocumentKind.INVOICE:
        raise DomainError(f"unknown invoice {cmd.invoice_number!r}")
    if cmd.amount.currency != original.currency or not cmd.amount > Money.zero(original.currency):
        raise DomainError(f"credit amount {cmd.amount} does not fit invoice {original.number}")
    if cmd.amount > original.gross_total:
        raise DomainError(f"credit {cmd.amount} exceeds invoice {original.number} total {original.gross_total}")
    gross_parts = cmd.amount.allocate([s.taxable.amount + s.tax.amount for s in original.tax_subtotals])
    lines = []
    for n, (sub, gross) in enumerate(zip(original.tax_subtotals, gross_parts, strict=True), start=1):
        if gross.is_zero():
            continue
        net = Money(gross.amount * 100 / (100 + sub.rate), gross.currency).quantize()
        lines.append(InvoiceLine(n, "CREDIT", f"Credit: {cmd.reason}", Decimal(1), net.amount,
                                 sub.category, sub.rate))
    today = uow.clock.today()
    rate = uow.fx.to_functional(original.currency, today)
    note = build_document(uow.invoices.next_number("CN", today.year), DocumentKind.CREDIT_NOTE,
                          original.customer_id, today, today, original.currency, tuple(lines),
                          {s.category: s.exemption_reason for s in original.tax_subtotals if s.exemption_reason},
                          corrects=original.number, reason=cmd.reason, fx_rate=rate,
                          buyer_vat_id=original.buyer_vat_id, tax_note=original.tax_note)
    uow.invoices.add(note)
    item_id = uow.sequences.next("item", "OI")
    _post(uow, post_document(uow.sequences.next("journal", "JE"), today, item_id, note.customer_id,
                             note.number, "credit_note", today, note.net_total, note.tax_total, rate,
                             company.currency))
    if cmd.apply_to_invoice:
        invoice_item = uow.ledger.item_for_document(original.number, "invoice")
        credit_item = uow.ledger.item(item_id)
        if invoice_item and credit_item and not invoice_item.is_settled:
            amount = min(invoice_item.open, credit_item.open)
            _post(uow, settle_items(uow.sequences.next("journal", "JE"), today, invoice_item, credit_item,
                                    amount, company.currency))
    uow.emit(e.CreditNoteIssued(note.number, note.customer_id, original.number))
    return f"credit note {note.number} issued for {original.number}: {note.gross_total}"


def record_payment(uow: UnitOfWork, cmd: c.RecordPayment, company: Company) -> str:
    if cmd.bank_entry_key and (existing := uow.payments.by_entry_key(cmd.bank_entry_key)):
        return f"payment already recorded as {existing.id}"
    payment = Payment(uow.sequences.next("payment", "PAY"), cmd.received_on, cmd.amount, cmd.payer_name,
                      cmd.payer_account, cmd.reference, None, cmd.bank_entry_key, PaymentStatus.RECEIVED)
    uow.payments.add(payment)
    uow.emit(e.PaymentReceived(payment.id, None))
    return f"payment {payment.id} recorded: {payment.amount}"


def apply_payment(uow: UnitOfWork, cmd: c.ApplyPayment, company: Company) -> str:
    payment = uow.payments.get(cmd.payment_id, for_update=True)
    if payment is None:
        raise DomainError(f"unknown payment {cmd.payment_id!r}")
    if payment.status in (PaymentStatus.APPLIED, PaymentStatus.PARTLY_APPLIED):
        return f"payment {payment.id} already applied"
    settlements = []
    for document, amount in zip(cmd.documents, cmd.amounts, strict=True):
        item = uow.ledger.item_for_document(document, "invoice")
        if item is None or item.customer_id != cmd.customer_id:
            raise DomainError(f"no open invoice {document} for customer {cmd.customer_id}")
        settlements.append(Settlement(item, amount))
    rate = uow.fx.to_functional(payment.amount.currency, payment.received_on)
    posting = receive_payment(uow.sequences.next("journal", "JE"), payment.received_on, payment.id,
                              cmd.customer_id, payment.amount, rate, settlements, company.currency,
                              unapplied_item_id=uow.sequences.next("item", "OI"))
    _post(uow, posting)
    status = PaymentStatus.PARTLY_APPLIED if posting.new_items else PaymentStatus.APPLIED
    uow.payments.save(replace(payment, customer_id=cmd.customer_id, status=status))
    uow.emit(e.PaymentApplied(payment.id, cmd.customer_id, cmd.documents))
    return f"payment {payment.id} applied to {', '.join(cmd.documents) or 'account'}"


def write_off_open_item(uow: UnitOfWork, cmd: c.WriteOffOpenItem, company: Company) -> str:
    item = uow.ledger.item_for_document(cmd.document, "invoice")
    if item is None:
        raise DomainError(f"no open item for {cmd.document}")
    _post(uow, write_off(uow.sequences.next("journal", "JE"), uow.clock.today(), item, cmd.amount,
                         company.currency, cmd.reason))
    return f"{cmd.amount} of {cmd.document} written off: {cmd.reason}"


def revalue_open_items(uow: UnitOfWork, cmd: c.RevalueOpenItems, company: Company) -> str:
    items = uow.ledger.all_open()
    currencies = {i.original.currency for i in items} - {company.currency}
    rates = {ccy: uow.fx.to_functional(ccy, cmd.on) for ccy in currencies}
    posting = revalue(uow.sequences.next("journal", "JE"), cmd.on, items, rates, company.currency)
    if posting is None:
        return "nothing to revalue"
    _post(uow, posting)
    return f"revalued {len(posting.changes)} open items at {cmd.on}"


HANDLERS: dict[type, Handler] = {
    c.CaptureOrder: capture_order,
    c.ConfirmOrder: confirm_order,
    c.HoldOrder: hold_order,
    c.ReleaseOrderHold: release_order_hold,
    c.CancelOrder: cancel_order,
    c.ShipOrder: ship_order,
    c.ConfirmDelivery: confirm_delivery,
    c.InvoiceDelivery: invoice_delivery,
    c.IssueCreditNote: issue_credit_note,
    c.RecordPayment: record_payment,
    c.ApplyPayment: apply_payment,
    c.WriteOffOpenItem: write_off_open_item,
    c.RevalueOpenItems: revalue_open_items,
}


def handle(uow: UnitOfWork, command: c.Command, company: Company) -> str:
    handler = HANDLERS.get(type(command))
    if handler is None:
        raise DomainError(f"no handler for {command.name}")
    return handler(uow, command, company)
