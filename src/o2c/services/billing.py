"""Billing use cases: invoice a delivery right the first time, correct by credit note, settle rebates.

**Invoice from delivery.** What was delivered (a partial delivery bills its quantities, the backorder
its own later) at the order's agreed price. A promoted line is priced at the list price with the
promotion as a line allowance, so the customer sees both; the customer's header terms add a pallet
discount or a small-drop logistics charge, split over the VAT groups. Tax by jurisdiction
(``domain.tax``), in the customer's currency with the day's rate recorded on the invoice and in the
ledger, rounded the EN 16931 way (``domain.invoices``).

**Pre-issue validation.** The draft is checked (``domain.billing_checks``) before it gets a number:
a draft with findings becomes a *billing hold* and an ``InvoiceHeld`` event for the billing agent, and
no number is used, so numbering stays gapless. ``ReleaseBillingHold`` applies fixes and tries again.

**Corrections.** An issued document never changes: a credit note refers to the invoice; a rebill is a
credit note for all of it plus a new invoice that names the one it replaces.

**Rebates.** Accrued daily on the net volume invoiced in the agreement's period; settled after the
period by one credit note split over the VAT groups of that volume.

**Delivery channel.** ``SendInvoice`` hands a document to the channel recorded on it: e-mail with the
PDF attached or a portal upload (a customer message, deduplicated), an EDI interchange (X12 810 for US
partners, EDIFACT INVOIC otherwise) or a Peppol UBL file for the access point's drop folder (stored
outbound documents, once per channel). A Peppol UBL file is validated first (``einvoice_gate``): one
that fails XSD, EN 16931 or Peppol rules is held with a task naming the rule ids, not sent.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from o2c.adapters.formats.einvoice import buyer_of, demo_seller, render
from o2c.adapters.formats.einvoice.parties import Seller, buyer_endpoint
from o2c.adapters.store.billing_store import BillingStore, Outbound, outbound_documents
from o2c.adapters.store.operations_store import billing_blockers
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.billing_checks import (
    ExpectedPrice,
    Finding,
    PricedLine,
    ReasonCode,
    channel_findings,
    master_data_findings,
    po_findings,
    price_findings,
    tax_findings,
    totals_findings,
)
from o2c.domain.catalog import Product, quote
from o2c.domain.customers import Customer
from o2c.domain.errors import DomainError
from o2c.domain.invoices import AllowanceCharge, DocumentKind, Invoice, InvoiceLine, build_document
from o2c.domain.ledger import Account, post_document, settle_items
from o2c.domain.messages import CustomerMessage, Task
from o2c.domain.money import Money
from o2c.domain.orders import Delivery, Order
from o2c.domain.rebates import RebateAgreement, VatGroup, accrue, split_over_groups
from o2c.domain.tax import treatment
from o2c.services.einvoice_gate import hold_if_invalid

if TYPE_CHECKING:
    from o2c.services.handlers import Company

DRAFT = "DRAFT"
REBATE_REASON = "Volume rebate"


@dataclass(frozen=True, slots=True)
class Draft:
    invoice: Invoice
    findings: tuple[Finding, ...]


def seller_for(company: Company) -> Seller:
    """The seller as the documents show it (the demo company's identifiers, under the company's name)."""
    return replace(demo_seller(), name=company.name, accounting_currency=company.currency)


def render_document(document: Invoice, customer: Customer, company: Company, fmt: str) -> tuple[str, bytes]:
    """``(filename, bytes)`` of an issued document in ``fmt``; X12 gets ASCII party names (its syntax)."""
    buyer = buyer_of(customer)
    if fmt == "x12":
        buyer = replace(buyer, name=_ascii(buyer.name), address=replace(
            buyer.address, street=_ascii(buyer.address.street), city=_ascii(buyer.address.city)))
    return render(document, buyer, seller_for(company), fmt)


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


# --- invoice from delivery ---------------------------------------------------------------------------
def invoice_delivery(uow: UnitOfWork, cmd: c.InvoiceDelivery, company: Company) -> str:
    delivery, order, customer = _delivery_context(uow, cmd.delivery_id)
    if delivery.invoiced:
        return f"delivery {delivery.id} already invoiced"
    store = BillingStore(uow.conn)
    hold = store.hold_of(delivery.id)
    draft = draft_invoice(uow, delivery, order, customer, company, hold.fixes if hold else {})
    if draft.findings:
        store.hold(delivery.id, customer.id, list(draft.findings), uow.clock.now())
        reasons = tuple(dict.fromkeys(f.code.value for f in draft.findings))
        uow.emit(e.InvoiceHeld(delivery.id, customer.id, reasons))
        return f"delivery {delivery.id} held before invoicing: " + "; ".join(f.message for f in draft.findings)
    if hold is not None:
        store.release(delivery.id, uow.clock.now())
    invoice = issue(uow, draft.invoice, customer, company, delivery)
    return f"invoice {invoice.number} issued: {invoice.gross_total}"


def issue_as_ordered(uow: UnitOfWork, delivery_id: str, company: Company) -> Invoice:
    """The baseline: issue the draft whatever pre-issue validation would say (benchmarks only)."""
    delivery, order, customer = _delivery_context(uow, delivery_id)
    return issue(uow, draft_invoice(uow, delivery, order, customer, company, {}).invoice, customer, company,
                 delivery)


def release_billing_hold(uow: UnitOfWork, cmd: c.ReleaseBillingHold, company: Company) -> str:
    delivery, _order, customer = _delivery_context(uow, cmd.delivery_id)
    if delivery.invoiced:
        return f"delivery {delivery.id} already invoiced"
    lines: dict[str, dict[str, str]] = defaultdict(dict)
    for line_no, price in cmd.unit_prices.items():
        lines[line_no]["unit_price"] = str(price)
    for line_no, price in cmd.list_prices.items():
        lines[line_no]["list_price"] = str(price)
    for line_no, promotion in cmd.promotions.items():
        lines[line_no]["promotion"] = promotion
    fixes: dict[str, Any] = {"lines": dict(lines)}
    if cmd.po_number:
        fixes["po_number"] = cmd.po_number
    BillingStore(uow.conn).add_fixes(delivery.id, customer.id, fixes, uow.clock.now())
    return invoice_delivery(uow, c.InvoiceDelivery(delivery.id), company)


def _delivery_context(uow: UnitOfWork, delivery_id: str) -> tuple[Delivery, Order, Customer]:
    delivery = uow.deliveries.get(delivery_id)
    if delivery is None or delivery.delivered_date is None:
        raise DomainError(f"delivery {delivery_id} is not delivered yet")
    order = uow.orders.get(delivery.order_id, for_update=True)
    customer = uow.customers.get(delivery.customer_id)
    if order is None or customer is None:
        raise DomainError(f"delivery {delivery_id}: its order or customer is unknown")
    if blockers := billing_blockers(uow.conn, customer.id, order.ship_to, [dl.sku for dl in delivery.lines]):
        raise DomainError(f"delivery {delivery.id} cannot be invoiced, master data first: " + "; ".join(blockers))
    return delivery, order, customer


def draft_invoice(uow: UnitOfWork, delivery: Delivery, order: Order, customer: Customer, company: Company,
                  fixes: dict[str, Any]) -> Draft:
    """The invoice the delivery would get now, numbered ``DRAFT``, and what pre-issue validation finds."""
    priced = _priced_lines(delivery, order, fixes.get("lines", {}))
    findings: list[Finding] = []
    try:
        rate = uow.fx.to_functional(customer.currency, uow.clock.today())
    except LookupError as exc:
        rate = Decimal(1)
        findings.append(Finding(ReasonCode.FX_RATE_MISSING, str(exc)))
    po_number = fixes.get("po_number") or order.po_number
    products = _products(uow, [ln.sku for ln in priced])
    invoice = build_invoice(uow, customer, company, priced, rate, products, order_id=order.id,
                            delivery_id=delivery.id, po_number=po_number, delivery_date=delivery.delivered_date)
    product_tax = {sku: p.tax_category for sku, p in products.items()}
    findings += price_findings(priced, _expected_prices(uow, customer, order, priced))
    findings += po_findings(customer, po_number, _po_on_file(uow, order))
    findings += tax_findings(invoice, customer, company.country, product_tax)
    findings += master_data_findings(customer)
    findings += totals_findings(invoice)
    return Draft(invoice, tuple(findings))


def _priced_lines(delivery: Delivery, order: Order, line_fixes: dict[str, dict[str, str]]) -> list[PricedLine]:
    by_line = {ln.line_no: ln for ln in order.lines}
    priced = []
    for dl in delivery.lines:
        ol = by_line[dl.order_line_no]
        fix = line_fixes.get(str(ol.line_no), {})
        promotion = fix["promotion"] or None if "promotion" in fix else ol.promotion_id
        priced.append(PricedLine(ol.line_no, dl.sku, dl.quantity, Decimal(fix.get("unit_price", ol.unit_price)),
                                 Decimal(fix.get("list_price", ol.list_price)), promotion))
    return priced


def _expected_prices(uow: UnitOfWork, customer: Customer, order: Order,
                     priced: list[PricedLine]) -> dict[int, ExpectedPrice | None]:
    """Contract price (signed contract, else the price list) less the promotion eligible on the order date."""
    contract = BillingStore(uow.conn).contract_prices(customer.id, customer.currency)
    price_lists = uow.price_lists.in_currency(customer.currency)
    promotions = uow.promotions.valid_on(order.order_date)
    by_line = {ln.line_no: ln for ln in order.lines}
    expected: dict[int, ExpectedPrice | None] = {}
    for ln in priced:
        q = quote(customer, ln.sku, order.order_date, by_line[ln.order_line_no].quantity, price_lists, promotions)
        base = contract.get(ln.sku, q.list_price if q else None)
        expected[ln.order_line_no] = None if base is None else ExpectedPrice(
            base, q.promotion_id if q else None, q.discount_percent if q else Decimal(0))
    return expected


def _po_on_file(uow: UnitOfWork, order: Order) -> str | None:
    """A PO number the order lacks but its original carries (a backorder split off an order)."""
    if order.po_number or not order.source_ref or not order.source_ref.endswith("#backorder"):
        return order.po_number
    original = uow.orders.by_source(order.source_ref.removesuffix("#backorder"))
    return original.po_number if original else None


def _products(uow: UnitOfWork, skus: Iterable[str]) -> dict[str, Product]:
    wanted = sorted(set(skus))
    return {p.sku: p for p in uow.products.where(uow.products.table.c.sku.in_(wanted))} if wanted else {}


def build_invoice(uow: UnitOfWork, customer: Customer, company: Company, priced: list[PricedLine],
                  rate: Decimal, products: dict[str, Product] | None = None, **extra: Any) -> Invoice:
    """Lines, header terms, tax and totals of an invoice for ``priced`` lines (numbered DRAFT, not stored)."""
    products = products if products is not None else _products(uow, [pl.sku for pl in priced])
    lines, reasons, codes, notes = [], {}, {}, []
    for n, pl in enumerate(priced, start=1):
        product = products.get(pl.sku)
        tax = treatment(company.country, customer.country, customer.vat_id,
                        product.tax_category if product else "standard", customer.bill_to.region)
        if tax.exemption_reason:
            reasons[tax.category], codes[tax.category] = tax.exemption_reason, tax.exemption_code or ""
        if tax.note and tax.note not in notes:
            notes.append(tax.note)
        lines.append(_invoice_line(n, pl, product.name if product else pl.sku, tax.category, tax.rate,
                                   customer.currency))
    terms = BillingStore(uow.conn).terms(customer.id)
    header = _header_items(terms, lines, customer.currency) if terms else ()
    today = uow.clock.today()
    return build_document(DRAFT, DocumentKind.INVOICE, customer.id, today, customer.terms.due_date(today),
                          customer.currency, tuple(lines), reasons, exemption_codes=codes,
                          allowance_charges=header, accounting_currency=company.currency, fx_rate=rate,
                          buyer_vat_id=customer.vat_id, channel=customer.preferred_channel.value,
                          tax_note=notes[0] if notes else None, **extra)


def _invoice_line(n: int, pl: PricedLine, name: str, category: str, rate: Decimal, currency: str) -> InvoiceLine:
    """A promoted line shows the list price and the promotion as a line allowance; the net is the agreed one."""
    agreed = Money(pl.quantity * pl.net_price, currency).quantize()
    at_list = Money(pl.quantity * pl.list_price, currency).quantize()
    if pl.promotion_id and at_list > agreed:
        allowance = AllowanceCharge(False, (at_list - agreed).amount, f"Promotion {pl.promotion_id}", "95")
        return InvoiceLine(n, pl.sku, name, pl.quantity, pl.list_price, category, rate, pl.order_line_no,
                           pl.list_price, pl.promotion_id, allowance_charges=(allowance,))
    return InvoiceLine(n, pl.sku, name, pl.quantity, pl.net_price, category, rate, pl.order_line_no,
                       pl.list_price, pl.promotion_id)


def _header_items(terms: Any, lines: list[InvoiceLine], currency: str) -> tuple[AllowanceCharge, ...]:
    nets: dict[VatGroup, Money] = {}
    for ln in lines:
        key = (ln.tax_category, ln.tax_rate)
        nets[key] = nets.get(key, Money.zero(currency)) + ln.net(currency)
    items: tuple[AllowanceCharge, ...] = terms.header_items(nets, sum((ln.quantity for ln in lines), Decimal(0)),
                                                            currency)
    return items


def issue(uow: UnitOfWork, draft: Invoice, customer: Customer, company: Company,
          delivery: Delivery | None = None) -> Invoice:
    """Number the draft from its series, store it, post it to the ledger, and say so."""
    today = uow.clock.today()
    series = "CN" if draft.kind is DocumentKind.CREDIT_NOTE else "INV"
    document = replace(draft, number=uow.invoices.next_number(series, today.year))
    if problems := document.problems():
        raise DomainError("; ".join(problems))
    uow.invoices.add(document)
    if delivery is not None:
        uow.deliveries.save(replace(delivery, invoiced=True))
    kind = document.kind.value
    tax_account = Account.SALES_TAX if customer.country == "US" else Account.VAT_OUTPUT
    uow.ledger.post(post_document(uow.sequences.next("journal", "JE"), today, uow.sequences.next("item", "OI"),
                                  customer.id, document.number, kind, document.due_date, document.net_total,
                                  document.tax_total, document.fx_rate, company.currency, tax_account))
    if document.kind is DocumentKind.INVOICE:
        uow.emit(e.InvoiceIssued(document.number, customer.id, str(document.gross_total.amount), document.currency))
    else:
        uow.emit(e.CreditNoteIssued(document.number, customer.id, document.corrects or ""))
    return document


# --- credit notes and rebills ------------------------------------------------------------------------
def _original(uow: UnitOfWork, number: str) -> tuple[Invoice, Customer]:
    original = uow.invoices.get(number)
    if original is None or original.kind is not DocumentKind.INVOICE:
        raise DomainError(f"unknown invoice {number!r}")
    customer = uow.customers.get(original.customer_id)
    if customer is None:
        raise DomainError(f"unknown customer {original.customer_id!r}")
    return original, customer


def _credit_fields(original: Invoice, reason: str, rate: Decimal, company: Company) -> dict[str, Any]:
    return {"exemption_reasons": {s.category: s.exemption_reason for s in original.tax_subtotals
                                  if s.exemption_reason},
            "exemption_codes": {s.category: s.exemption_code for s in original.tax_subtotals if s.exemption_code},
            "corrects": original.number, "corrects_issue_date": original.issue_date, "reason": reason,
            "fx_rate": rate, "buyer_vat_id": original.buyer_vat_id, "tax_note": original.tax_note,
            "po_number": original.po_number, "order_id": original.order_id, "channel": original.channel,
            "accounting_currency": company.currency}


def issue_credit_note(uow: UnitOfWork, cmd: c.IssueCreditNote, company: Company) -> str:
    original, customer = _original(uow, cmd.invoice_number)
    if cmd.amount.currency != original.currency or not cmd.amount > Money.zero(original.currency):
        raise DomainError(f"credit amount {cmd.amount} does not fit invoice {original.number}")
    if cmd.amount > original.gross_total:
        raise DomainError(f"credit {cmd.amount} exceeds invoice {original.number} total {original.gross_total}")
    gross_parts = cmd.amount.allocate([s.taxable.amount + s.tax.amount for s in original.tax_subtotals])
    lines = []
    for n, (sub, gross) in enumerate(zip(original.tax_subtotals, gross_parts, strict=True), start=1):
        if not gross.is_zero():
            net = Money(gross.amount * 100 / (100 + sub.rate), gross.currency).quantize()
            lines.append(InvoiceLine(n, "CREDIT", f"Credit: {cmd.reason}", Decimal(1), net.amount,
                                     sub.category, sub.rate))
    note = _credit_note(uow, original, customer, tuple(lines), (), cmd.reason, company)
    if cmd.apply_to_invoice:
        _apply_credit(uow, original.number, note.number, company)
    return f"credit note {note.number} issued for {original.number}: {note.gross_total}"


def _credit_note(uow: UnitOfWork, original: Invoice, customer: Customer, lines: tuple[InvoiceLine, ...],
                 allowance_charges: tuple[AllowanceCharge, ...], reason: str, company: Company) -> Invoice:
    today = uow.clock.today()
    rate = uow.fx.to_functional(original.currency, today)
    fields = _credit_fields(original, reason, rate, company)
    draft = build_document(DRAFT, DocumentKind.CREDIT_NOTE, original.customer_id, today, today,
                           original.currency, lines, fields.pop("exemption_reasons"),
                           allowance_charges=allowance_charges, **fields)
    return issue(uow, draft, customer, company)


def _apply_credit(uow: UnitOfWork, invoice_number: str, credit_number: str, company: Company) -> None:
    invoice_item = uow.ledger.item_for_document(invoice_number, "invoice")
    credit_item = uow.ledger.item_for_document(credit_number, "credit_note")
    if invoice_item and credit_item and not invoice_item.is_settled:
        amount = min(invoice_item.open, credit_item.open)
        uow.ledger.post(settle_items(uow.sequences.next("journal", "JE"), uow.clock.today(), invoice_item,
                                     credit_item, amount, company.currency))


def rebill_invoice(uow: UnitOfWork, cmd: c.RebillInvoice, company: Company) -> str:
    """Credit all of the invoice, then invoice again with the corrections; both refer to the original."""
    original, customer = _original(uow, cmd.invoice_number)
    if any(d.corrects == original.number and d.kind is DocumentKind.INVOICE
           for d in uow.invoices.where(uow.invoices.table.c.corrects == original.number)):
        raise DomainError(f"invoice {original.number} was rebilled already")
    note = _credit_note(uow, original, customer, original.lines, original.allowance_charges,
                        f"Rebill: {cmd.reason}", company)
    _apply_credit(uow, original.number, note.number, company)
    priced = [_corrected(ln, cmd, original.currency) for ln in original.lines]
    rate = uow.fx.to_functional(original.currency, uow.clock.today())
    new = build_invoice(uow, customer, company, priced, rate, order_id=original.order_id,
                        po_number=cmd.po_number or original.po_number, corrects=original.number,
                        corrects_issue_date=original.issue_date, reason=f"Replaces {original.number}: {cmd.reason}",
                        delivery_date=original.delivery_date)
    invoice = issue(uow, new, customer, company)
    return f"invoice {original.number} rebilled: credit note {note.number}, new invoice {invoice.number}"


def _corrected(line: InvoiceLine, cmd: c.RebillInvoice, currency: str) -> PricedLine:
    key = str(line.line_no)
    promoted = line.promotion_id is not None and bool(line.allowance_charges)
    net = line.net(currency).amount / line.quantity if promoted else line.unit_price
    price = cmd.unit_prices.get(key, net)
    promotion = line.promotion_id if key not in cmd.unit_prices else None
    list_price = line.list_price if promotion else price
    return PricedLine(line.order_line_no or line.line_no, line.sku, cmd.quantities.get(key, line.quantity),
                      price, list_price or price, promotion)


# --- rebates -----------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Volume:
    net: Money
    groups: dict[VatGroup, Money]
    documents: list[Invoice]


def rebate_volume(uow: UnitOfWork, agreement: RebateAgreement, until: date) -> Volume:
    """Net invoiced in the period (credit notes other than rebates subtracted), per VAT group."""
    table = uow.invoices.table
    docs = uow.invoices.where(table.c.customer_id == agreement.customer_id,
                              table.c.issue_date >= agreement.period_start,
                              table.c.issue_date <= min(until, agreement.period_end),
                              table.c.currency == agreement.currency, order_by=table.c.issue_date)
    groups: dict[VatGroup, Money] = {}
    counted = [d for d in docs if not (d.reason or "").startswith(REBATE_REASON)]
    for doc in counted:
        sign = -1 if doc.kind is DocumentKind.CREDIT_NOTE else 1
        for sub in doc.tax_subtotals:
            key = (sub.category, sub.rate)
            groups[key] = groups.get(key, Money.zero(agreement.currency)) + sub.taxable * sign
    net = sum(groups.values(), Money.zero(agreement.currency))
    return Volume(net, groups, counted)


def accrue_rebates(uow: UnitOfWork, cmd: c.AccrueRebates, company: Company) -> str:
    store = BillingStore(uow.conn)
    accrued, ended = 0, []
    for agreement in store.rebates(unsettled=True):
        if cmd.as_of < agreement.period_start:
            continue
        before = store.latest_accrual(agreement.id)
        accrual = accrue(agreement, rebate_volume(uow, agreement, cmd.as_of).net, cmd.as_of)
        store.record_accrual(accrual)
        accrued += 1
        if cmd.as_of > agreement.period_end and (before is None or before.as_of <= agreement.period_end):
            uow.emit(e.RebatePeriodEnded(agreement.id, agreement.customer_id, str(accrual.amount.amount),
                                         accrual.amount.currency))
            ended.append(agreement.id)
    return f"{accrued} rebate agreement(s) accrued as of {cmd.as_of}" + (f"; ended: {', '.join(ended)}"
                                                                          if ended else "")


def settle_rebate(uow: UnitOfWork, cmd: c.SettleRebate, company: Company) -> str:
    store = BillingStore(uow.conn)
    found = store.rebate(cmd.agreement_id)
    if found is None:
        raise DomainError(f"unknown rebate agreement {cmd.agreement_id!r}")
    agreement, settled_by = found
    if settled_by:
        return f"rebate agreement {agreement.id} already settled by {settled_by}"
    if uow.clock.today() <= agreement.period_end:
        raise DomainError(f"rebate agreement {agreement.id} runs until {agreement.period_end}")
    volume = rebate_volume(uow, agreement, agreement.period_end)
    amount = agreement.rebate_on(volume.net)
    invoices = [d for d in volume.documents if d.kind is DocumentKind.INVOICE]
    if amount.is_zero() or not invoices:
        store.mark_settled(agreement.id, "none")
        return f"rebate agreement {agreement.id}: volume {volume.net} earns no rebate"
    customer = uow.customers.get(agreement.customer_id)
    if customer is None:
        raise DomainError(f"unknown customer {agreement.customer_id!r}")
    reason = (f"{REBATE_REASON} {agreement.id} {agreement.period_start}..{agreement.period_end}: "
              f"{agreement.percent_for(volume.net)}% of {volume.net}")
    lines = tuple(InvoiceLine(n, "REBATE", reason, Decimal(1), part.amount, category, rate)
                  for n, ((category, rate), part) in enumerate(split_over_groups(amount, volume.groups).items(),
                                                               start=1))
    last = invoices[-1]
    exempt = next((d for d in reversed(invoices) if d.tax_note), last)
    note = _credit_note(uow, replace(last, tax_subtotals=_all_subtotals(invoices), tax_note=exempt.tax_note),
                        customer, lines, (), reason, company)
    store.mark_settled(agreement.id, note.number)
    return f"rebate agreement {agreement.id} settled by credit note {note.number}: {note.gross_total}"


def _all_subtotals(invoices: list[Invoice]) -> tuple[Any, ...]:
    """Every VAT group of the period once (for the exemption reasons the credit note repeats)."""
    seen: dict[VatGroup, Any] = {}
    for doc in invoices:
        for sub in doc.tax_subtotals:
            seen.setdefault((sub.category, sub.rate), sub)
    return tuple(seen.values())


# --- delivery channel --------------------------------------------------------------------------------
def send_document(uow: UnitOfWork, number: str, company: Company) -> bool:
    """Hand the document to its channel; False when it was handed to that channel before, or when its
    e-invoice failed validation and is held for a person (a billing task names the failed rules)."""
    document = uow.invoices.get(number)
    customer = uow.customers.get(document.customer_id) if document else None
    if document is None or customer is None:
        raise DomainError(f"no issued document {number!r}")
    channel = document.channel or customer.preferred_channel.value
    title = "Credit note" if document.kind is DocumentKind.CREDIT_NOTE else "Invoice"
    if channel in ("edi", "peppol"):
        fmt = "ubl" if channel == "peppol" else ("x12" if customer.country == "US" else "edifact")
        filename, content = render_document(document, customer, company, fmt)
        if hold_if_invalid(uow, number, customer.id, fmt, filename, content, company):
            return False
        endpoint = buyer_endpoint(customer.gln, customer.vat_id) if channel == "peppol" else customer.gln
        sent = BillingStore(uow.conn).add_outbound(
            Outbound(number, customer.id, channel, fmt, filename, f"{channel}:{endpoint}", "queued", content),
            uow.clock.now())
    else:
        _ask_for_missing_address(uow, customer)
        fmt = "pdf"
        filename = f"{number}.pdf"
        destination = customer.email or "" if channel != "portal" else f"portal:{customer.id}"
        BillingStore(uow.conn).add_outbound(
            Outbound(number, customer.id, channel, fmt, filename, destination, "queued"), uow.clock.now())
        sent = uow.messages.add(CustomerMessage(
            id=uow.sequences.next("message", "MSG"), created_at=uow.clock.now(), customer_id=customer.id,
            direction="out", channel=channel, kind=document.kind.value, subject=f"{title} {number}",
            body=_message_body(document, title), language=customer.language, related=f"invoice:{number}",
            dedupe_key=f"invoice:{number}", meta={"attachments": [{"filename": filename, "format": fmt}]}))
    if sent:
        uow.emit(e.InvoiceSent(number, customer.id, channel))
    return sent


def _ask_for_missing_address(uow: UnitOfWork, customer: Customer) -> None:
    for finding in channel_findings(customer):
        uow.tasks.add(Task(uow.sequences.next("task", "TASK"), uow.clock.now(), "master_data", "billing",
                           f"customer:{customer.id}", "Invoices cannot be e-mailed", finding.message,
                           {"reason": finding.code.value}, dedupe_key=f"billing:{finding.code.value}:{customer.id}"))


def _message_body(document: Invoice, title: str) -> str:
    if document.kind is DocumentKind.CREDIT_NOTE:
        return f"{title} {document.number} for {document.gross_total}, correcting invoice {document.corrects}."
    return f"{title} {document.number} for {document.gross_total}, due {document.due_date.isoformat()}."


def unsent_documents(uow: UnitOfWork) -> list[str]:
    """Issued invoices and credit notes not yet handed to any channel, oldest first."""
    table = uow.invoices.table
    sent = select(outbound_documents.c.document)
    return list(uow.conn.execute(select(table.c.number).where(table.c.number.not_in(sent))
                                 .order_by(table.c.issue_date, table.c.number)).scalars())


def send_invoice(uow: UnitOfWork, cmd: c.SendInvoice, company: Company) -> str:
    sent = [number for number in cmd.numbers if send_document(uow, number, company)]
    return f"{len(sent)} of {len(cmd.numbers)} document(s) sent: {', '.join(sent) or 'none new'}"


HANDLERS: dict[type, Any] = {
    c.ReleaseBillingHold: release_billing_hold,
    c.SendInvoice: send_invoice,
    c.RebillInvoice: rebill_invoice,
    c.AccrueRebates: accrue_rebates,
    c.SettleRebate: settle_rebate,
}
