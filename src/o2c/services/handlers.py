"""Command handlers: open state through the unit of work, call the domain, record events. Thin.

Each handler takes the unit of work, the command and the company context and returns a short result
text for the audit trail. Validation failures raise ``DomainError`` with the reason in words.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from o2c.adapters.formats.einvoice import EInvoiceError
from o2c.adapters.store.cash_store import CashStore
from o2c.adapters.store.intake_store import Stock
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.catalog import quote
from o2c.domain.customers import Customer
from o2c.domain.errors import DomainError
from o2c.domain.ledger import (
    Settlement,
    receive_payment,
    revalue,
    write_off,
)
from o2c.domain.messages import CustomerMessage, Task
from o2c.domain.money import Money
from o2c.domain.orders import Delivery, DeliveryLine, Order, OrderLine, OrderStatus, po_number_problem
from o2c.domain.payments import Case, CaseStatus, Payment, PaymentStatus
from o2c.services import billing, master_data, onboarding_handlers, quarantine, receipts
from o2c.services.collections import HANDLERS as COLLECTIONS_HANDLERS
from o2c.services.collections import notify_case_outcome
from o2c.services.einvoice_gate import ValidationRequired, hold_if_invalid
from o2c.services.remedy_handlers import HANDLERS as REMEDY_HANDLERS


@dataclass(frozen=True, slots=True)
class Company:
    name: str
    country: str
    currency: str
    send_unvalidated_einvoices: bool = False
    """Send UBL/CII when Saxon is not installed (unvalidated); off: such a send is refused."""


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


def _capture_problems(uow: UnitOfWork, customer: Customer, cmd: c.CaptureOrder) -> list[str]:
    """Everything that stops an order from being booked, all at once."""
    problems = [unsendable] if cmd.po_number and (unsendable := po_number_problem(cmd.po_number)) else []
    if customer.ship_to(cmd.ship_to) is None:
        problems.append(f"customer {customer.id} has no ship-to {cmd.ship_to!r}")
    if cmd.backorder_lines and cmd.backorder_date is None:
        problems.append("a split delivery needs the date of its second delivery")
    today = uow.clock.today()
    price_lists = uow.price_lists.in_currency(customer.currency)
    for n, ln in enumerate((*cmd.lines, *cmd.backorder_lines), start=1):
        if uow.products.get(ln.sku) is None:
            problems.append(f"line {n}: unknown SKU {ln.sku!r}")
        elif quote(customer, ln.sku, today, ln.quantity, price_lists, []) is None:
            problems.append(f"line {n}: no {customer.currency} price for {ln.sku}")
    return problems


def _book_order(uow: UnitOfWork, customer: Customer, cmd: c.CaptureOrder, lines: tuple[c.CaptureOrderLine, ...],
                requested: date, source_ref: str | None) -> Order:
    today = uow.clock.today()
    price_lists = uow.price_lists.in_currency(customer.currency)
    promotions = uow.promotions.valid_on(today)
    order_lines = []
    for n, ln in enumerate(lines, start=1):
        q = quote(customer, ln.sku, today, ln.quantity, price_lists, promotions)
        if q is None:
            raise DomainError(f"line {n}: no {customer.currency} price for {ln.sku}")
        order_lines.append(OrderLine(n, ln.sku, ln.quantity, ln.unit_price if ln.unit_price is not None
                                     else q.net_price, q.list_price, q.promotion_id, q.discount_percent))
    order = Order(id=uow.sequences.next("order", "SO"), customer_id=customer.id, ship_to=cmd.ship_to,
                  channel=cmd.channel, order_date=today, requested_date=requested,
                  currency=customer.currency, lines=tuple(order_lines), po_number=cmd.po_number,
                  source_ref=source_ref)
    uow.orders.add(order)
    Stock(uow.conn).reserve_lines([(ln.sku, ln.quantity) for ln in order.lines])
    uow.emit(e.OrderCaptured(order.id, customer.id))
    return order


def capture_order(uow: UnitOfWork, cmd: c.CaptureOrder, company: Company) -> str:
    if cmd.source_ref and (existing := uow.orders.id_by_source(cmd.source_ref)):
        return f"duplicate of {existing} (same source {cmd.source_ref})"
    customer = _customer(uow, cmd.customer_id)
    if problems := _capture_problems(uow, customer, cmd):
        raise DomainError("; ".join(problems))
    order = _book_order(uow, customer, cmd, cmd.lines, cmd.requested_date, cmd.source_ref)
    result = f"order {order.id} captured: {order.value()}"
    if cmd.backorder_lines and cmd.backorder_date is not None:
        later = _book_order(uow, customer, cmd, cmd.backorder_lines, cmd.backorder_date,
                            f"{cmd.source_ref}#backorder" if cmd.source_ref else None)
        result += f"; backorder {later.id} for {cmd.backorder_date.isoformat()}: {later.value()}"
    return result


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
    """Invoice what was delivered, after pre-issue validation (``services.billing``)."""
    return billing.invoice_delivery(uow, cmd, company)


def issue_credit_note(uow: UnitOfWork, cmd: c.IssueCreditNote, company: Company) -> str:
    return billing.issue_credit_note(uow, cmd, company)


def record_payment(uow: UnitOfWork, cmd: c.RecordPayment, company: Company) -> str:
    if cmd.bank_entry_key and (existing := uow.payments.by_entry_key(cmd.bank_entry_key)):
        return f"payment already recorded as {existing.id}"
    payment = Payment(uow.sequences.next("payment", "PAY"), cmd.received_on, cmd.amount, cmd.payer_name,
                      cmd.payer_account, cmd.reference, None, cmd.bank_entry_key, PaymentStatus.RECEIVED)
    uow.payments.add(payment)
    uow.emit(e.PaymentReceived(payment.id, None))
    return f"payment {payment.id} recorded: {payment.amount}"


def _payable_item(uow: UnitOfWork, document: str, customer_id: str) -> Any:
    """The open invoice item of the customer, or of a subsidiary the customer pays for."""
    item = uow.ledger.item_for_document(document, "invoice")
    if item is not None and item.customer_id != customer_id:
        owner = uow.customers.get(item.customer_id)
        item = item if owner is not None and owner.parent_id == customer_id else None
    if item is None:
        raise DomainError(f"no open invoice {document} for customer {customer_id}")
    return item


def _extra(values: tuple[Money, ...], n: int) -> Money | None:
    value = values[n] if n < len(values) else None
    return None if value is None or value.is_zero() else value


def _open_deductions(uow: UnitOfWork, cmd: c.ApplyPayment, payment: Payment, customer_ids: dict[str, str]) -> int:
    """One deduction case per document the payer short-paid on purpose, with the reason it gave."""
    opened = 0
    for n, document in enumerate(cmd.documents):
        amount = _extra(cmd.deductions, n)
        if amount is None:
            continue
        reason = cmd.deduction_reasons[n] if n < len(cmd.deduction_reasons) else "short payment"
        case = Case(uow.sequences.next("case", "CASE"), customer_ids[document], document, "short_pay", amount,
                    payment.received_on, f"payment:{payment.id}", notes=reason)
        uow.cases.add(case)
        uow.emit(e.DeductionOpened(case.id, case.customer_id, document, reason))
        opened += 1
    return opened


def apply_payment(uow: UnitOfWork, cmd: c.ApplyPayment, company: Company) -> str:
    payment = uow.payments.get(cmd.payment_id, for_update=True)
    if payment is None:
        raise DomainError(f"unknown payment {cmd.payment_id!r}")
    if payment.status in (PaymentStatus.APPLIED, PaymentStatus.PARTLY_APPLIED):
        return f"payment {payment.id} already applied"
    settlements: list[Settlement] = []
    owners: dict[str, str] = {}
    for n, (document, amount) in enumerate(zip(cmd.documents, cmd.amounts, strict=True)):
        item = _payable_item(uow, document, cmd.customer_id)
        owners[document] = item.customer_id
        settlements.append(Settlement(item, amount, _extra(cmd.discounts, n), _extra(cmd.charges, n)))
    received, rate = payment.amount, uow.fx.to_functional(payment.amount.currency, payment.received_on)
    if cmd.received_as is not None and cmd.received_as.currency != payment.amount.currency:
        functional = payment.amount.convert(rate, company.currency)
        received, rate = cmd.received_as, functional.amount / cmd.received_as.amount
    posting = receive_payment(uow.sequences.next("journal", "JE"), payment.received_on, payment.id,
                              cmd.customer_id, received, rate, settlements, company.currency,
                              unapplied_item_id=uow.sequences.next("item", "OI"))
    uow.ledger.post(posting, read=[s.item for s in settlements])
    status = PaymentStatus.PARTLY_APPLIED if posting.new_items else PaymentStatus.APPLIED
    uow.payments.save(replace(payment, customer_id=cmd.customer_id, status=status))
    cases = _open_deductions(uow, cmd, payment, owners)
    if cmd.learn_alias:
        CashStore(uow.conn, company.currency).learn(cmd.customer_id, payment.payer_name, payment.payer_account,
                                                    uow.clock.now(), f"payment:{payment.id}")
    uow.emit(e.PaymentApplied(payment.id, cmd.customer_id, cmd.documents,
                              tuple(str(a.amount) for a in cmd.amounts),
                              cmd.amounts[0].currency if cmd.amounts else received.currency))
    extra = f"; {cases} deduction case(s) opened" if cases else ""
    return f"payment {payment.id} applied to {', '.join(cmd.documents) or 'account'}{extra}"


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


def resolve_case(uow: UnitOfWork, cmd: c.ResolveCase, company: Company) -> str:
    """Settle a dispute or deduction: credit (or credit and rebill), write off, or reject; tell the customer."""
    case = uow.cases.get(cmd.case_id, for_update=True)
    if case is None:
        raise DomainError(f"unknown case {cmd.case_id!r}")
    if case.status is not CaseStatus.OPEN:
        return f"case {case.id} already {case.status.value}"
    status, result = CaseStatus.RESOLVED, f"rejected: {cmd.note}"
    if cmd.resolution in ("credit_note", "rebill", "write_off"):
        if not case.invoice_number or cmd.amount is None:
            raise DomainError(f"case {case.id}: a {cmd.resolution} needs an invoice and an amount")
        if cmd.resolution == "write_off":
            item = uow.ledger.item_for_document(case.invoice_number, "invoice")
            amount = min(cmd.amount, item.open) if item is not None else cmd.amount
            result = write_off_open_item(uow, c.WriteOffOpenItem(case.invoice_number, amount,
                                                                 f"{case.id}: {cmd.note}"), company)
        else:
            result = issue_credit_note(uow, c.IssueCreditNote(case.invoice_number, cmd.amount,
                                                              f"{case.id}: {cmd.note}"), company)
    elif cmd.resolution == "reject":
        status = CaseStatus.REJECTED
    else:
        raise DomainError(f"unknown resolution {cmd.resolution!r}")
    uow.cases.save(replace(case, status=status, resolution=f"{cmd.resolution}: {cmd.note}",
                           resolved_on=uow.clock.today()))
    notify_case_outcome(uow, case, cmd.resolution, f"{cmd.note}\n{result}")
    uow.emit(e.CaseResolved(case.id, case.customer_id, cmd.resolution))
    return f"case {case.id} {status.value} ({cmd.resolution}): {result}"


# --- customer conversations: order changes, document copies, hand-over to a person ----------------
CHANGEABLE = (OrderStatus.CAPTURED, OrderStatus.ON_HOLD, OrderStatus.CONFIRMED)


def _new_line(uow: UnitOfWork, order: Order, customer: Customer, sku: str, quantity: Decimal,
              line_no: int) -> OrderLine:
    today = uow.clock.today()
    q = quote(customer, sku, today, quantity, uow.price_lists.in_currency(customer.currency),
              uow.promotions.valid_on(today)) if uow.products.get(sku) else None
    if q is None:
        raise DomainError(f"order {order.id}: no {customer.currency} price for {sku}")
    return OrderLine(line_no, sku, quantity, q.net_price, q.list_price, q.promotion_id, q.discount_percent)


def _changed_lines(uow: UnitOfWork, order: Order, customer: Customer,
                   quantities: dict[str, Decimal]) -> tuple[OrderLine, ...]:
    """The order's lines with the new quantities; a new SKU is priced like a new order's line."""
    lines = {ln.sku: ln for ln in order.lines}
    next_no = max((ln.line_no for ln in order.lines), default=0) + 1
    for sku, quantity in quantities.items():
        line = lines.get(sku)
        if quantity < 0 or (line is not None and quantity < line.delivered):
            raise DomainError(f"order {order.id}: {sku} cannot go to {quantity}")
        if line is not None:
            lines[sku] = replace(line, quantity=quantity)
        elif quantity > 0:
            lines[sku] = _new_line(uow, order, customer, sku, quantity, next_no)
            next_no += 1
    return tuple(ln for ln in lines.values() if ln.quantity > 0)


def change_order(uow: UnitOfWork, cmd: c.ChangeOrder, company: Company) -> str:
    order = _order(uow, cmd.order_id)
    if order.status not in CHANGEABLE:
        raise DomainError(f"order {order.id} is {order.status}, it can no longer be changed")
    if cmd.requested_date is not None and cmd.requested_date < uow.clock.today():
        raise DomainError(f"order {order.id}: {cmd.requested_date} is in the past")
    lines = _changed_lines(uow, order, _customer(uow, order.customer_id), cmd.quantities)
    if not lines:
        raise DomainError(f"order {order.id}: a change cannot empty the order; cancel it instead")
    before = {ln.sku: ln.quantity for ln in order.lines}
    changed = uow.orders.save(replace(order, lines=lines, requested_date=cmd.requested_date or order.requested_date))
    Stock(uow.conn).reserve_lines([(ln.sku, ln.quantity - before.get(ln.sku, Decimal(0))) for ln in lines
                                   if ln.quantity > before.get(ln.sku, Decimal(0))])
    uow.emit(e.OrderChanged(order.id, order.customer_id))
    return f"order {order.id} changed: {changed.value()} for {changed.requested_date.isoformat()}"


def _attachments(uow: UnitOfWork, customer: Customer, numbers: tuple[str, ...], formats: tuple[str, ...],
                 company: Company) -> list[dict[str, Any]]:
    """Each document rendered in each format (a format whose library is missing is left out, and so is an
    e-invoice that fails validation: it is held with a billing task naming the rule ids)."""
    found = []
    for number in numbers:
        document = uow.invoices.get(number)
        if document is None:
            continue
        for fmt in formats:
            try:
                filename, content = billing.render_document(document, customer, company, fmt)
                if hold_if_invalid(uow, number, customer.id, fmt, filename, content, company):
                    continue
            except (ImportError, EInvoiceError, ValueError, ValidationRequired):
                continue
            found.append({"document": number, "format": fmt, "filename": filename, "size": len(content),
                          "sha256": hashlib.sha256(content).hexdigest(),
                          "content_b64": base64.b64encode(content).decode("ascii")})
    return found


def send_document_copy(uow: UnitOfWork, cmd: c.SendDocumentCopy, company: Company) -> str:
    customer = _customer(uow, cmd.customer_id)
    foreign = [n for n in cmd.numbers if (doc := uow.invoices.get(n)) is None or doc.customer_id != customer.id]
    if foreign or not cmd.numbers:
        raise DomainError(f"no issued document {', '.join(foreign) or '(none named)'} of {customer.id}")
    attachments = _attachments(uow, customer, cmd.numbers, cmd.formats, company)
    message_id = uow.sequences.next("message", "MSG")
    added = uow.messages.add(CustomerMessage(
        id=message_id, created_at=uow.clock.now(), customer_id=customer.id, direction="out", channel="email",
        kind="invoice_copy", subject=f"Copy: {', '.join(cmd.numbers)}"[:300],
        body="\n".join(f"{a['filename']} ({a['format']})" for a in attachments) or ", ".join(cmd.numbers),
        language=customer.language, related=f"invoice:{cmd.numbers[0]}"[:100],
        dedupe_key=f"copy:{customer.id}:{'+'.join(cmd.numbers)}:{uow.clock.today().isoformat()}"[:200],
        meta={"documents": list(cmd.numbers), "source": cmd.source, "attachments": attachments}))
    if not added:
        return f"copy of {', '.join(cmd.numbers)} already sent today"
    return f"copy {message_id} of {', '.join(cmd.numbers)} queued with {len(attachments)} attachment(s)"


def hand_over_conversation(uow: UnitOfWork, cmd: c.HandOverConversation, company: Company) -> str:
    key = f"handover:{cmd.conversation_id}"
    task_id = uow.sequences.next("task", "TASK")
    if not uow.tasks.add(Task(
            id=task_id, created_at=uow.clock.now(), team="customer_service", kind="conversation",
            subject=f"conversation:{cmd.conversation_id}"[:100], title=f"Take over: {cmd.reason}"[:300],
            detail=cmd.transcript, evidence={"conversation": cmd.conversation_id, "customer": cmd.customer_id},
            dedupe_key=key)):
        existing = uow.tasks.where(uow.tasks.table.c.dedupe_key == key)
        return f"conversation {cmd.conversation_id} already with a person in {existing[0].id if existing else '?'}"
    return f"task {task_id} for customer service: {cmd.reason}"


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
HANDLERS.update(REMEDY_HANDLERS)
HANDLERS.update(COLLECTIONS_HANDLERS)
HANDLERS.update(billing.HANDLERS)
HANDLERS[c.ResolveCase] = resolve_case
HANDLERS.update(onboarding_handlers.HANDLERS)
HANDLERS.update(master_data.HANDLERS)
HANDLERS.update(quarantine.HANDLERS)
HANDLERS.update(receipts.HANDLERS)
HANDLERS.update({c.ChangeOrder: change_order, c.SendDocumentCopy: send_document_copy,
                 c.HandOverConversation: hand_over_conversation})


def handle(uow: UnitOfWork, command: c.Command, company: Company) -> str:
    handler = HANDLERS.get(type(command))
    if handler is None:
        raise DomainError(f"no handler for {command.name}")
    return handler(uow, command, company)
