"""The disputes agent: reads each new dispute or deduction, gathers the evidence, proposes a resolution.

On ``DisputeOpened`` (a reply or complaint) and ``DeductionOpened`` (a short pay) it takes the case's
reason code (or reads it from the customer's words), collects what the records show — proof of
delivery, the price list and promotions in force on the order date, the invoice lines, the order's
source and PO, other invoices for the same delivery — and proposes one resolution through the policy
gate: a credit note, a rebill, a rejection with the evidence, a write-off under the threshold, or a
person. The collections agent stands down on the invoice as soon as the case is open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from o2c.adapters.store import tables as t
from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.base import AgentDeps, Proposal
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.catalog import quote
from o2c.domain.disputes import (
    Evidence,
    InvoicedLine,
    ReasonCode,
    ResolutionKind,
    classify_reason,
    propose_resolution,
)
from o2c.domain.money import Money
from o2c.domain.payments import Case, CaseStatus

ACTIONS = {ResolutionKind.CREDIT_NOTE: "resolve_dispute_credit_note", ResolutionKind.REBILL: "resolve_dispute_rebill",
           ResolutionKind.REJECT: "resolve_dispute_reject", ResolutionKind.WRITE_OFF: "write_off_deduction"}


def gather_evidence(uow: UnitOfWork, invoice_number: str, fallback: Money) -> Evidence:
    """What the company's records say about an invoice (empty facts where a record is missing)."""
    invoice = uow.invoices.get(invoice_number)
    if invoice is None:
        return Evidence(invoice_number, fallback)
    delivery = uow.deliveries.get(invoice.delivery_id) if invoice.delivery_id else None
    order = uow.orders.get(invoice.order_id) if invoice.order_id else None
    customer = uow.customers.get(invoice.customer_id)
    day = order.order_date if order else invoice.issue_date
    lists = uow.price_lists.in_currency(invoice.currency)
    promotions = uow.promotions.valid_on(day)
    prices: dict[str, Decimal] = {}
    in_force: dict[str, Decimal] = {}
    for ln in invoice.lines:
        q = quote(customer, ln.sku, day, ln.quantity, lists, promotions) if customer else None
        if q is not None:
            prices[ln.sku] = q.list_price
            if q.promotion_id:
                in_force[ln.sku] = q.discount_percent
    twins = [i.number for i in uow.invoices.where(t.invoices.c.delivery_id == invoice.delivery_id)
             if i.number != invoice.number and i.kind == invoice.kind] if invoice.delivery_id else []
    lines = tuple(InvoicedLine(ln.sku, ln.quantity, ln.unit_price, ln.list_price, ln.promotion_id)
                  for ln in invoice.lines)
    return Evidence(invoice.number, invoice.gross_total, lines, delivery.pod_reference if delivery else None,
                    order.channel if order else None, order.po_number if order else None, prices, in_force,
                    tuple(twins), invoice.tax_note)


@dataclass
class DisputesAgent:
    name: str = "disputes"
    subscribes: frozenset[str] = frozenset({"DisputeOpened", "DeductionOpened"})
    write_off_limits: dict[str, Decimal] = field(
        default_factory=lambda: {"EUR": Decimal(50), "GBP": Decimal(40), "USD": Decimal(55)})

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        if not isinstance(event, e.DisputeOpened | e.DeductionOpened):
            return []
        case = deps.uow.cases.get(event.case_id)
        if case is None or case.status is not CaseStatus.OPEN:
            return []
        return [self.proposal(deps.uow, case)]

    def proposal(self, uow: UnitOfWork, case: Case) -> Proposal:
        reason = ReasonCode(case.reason_code) if case.reason_code in set(ReasonCode) \
            else classify_reason(case.notes)[0]
        subject = f"case:{case.id}"
        customer = uow.customers.get(case.customer_id)
        segment = customer.segment.value if customer else None
        if not case.invoice_number:
            return Proposal(self.name, "hand_to_person", c.HandToPerson(
                case.customer_id, subject, f"Dispute {case.id} names no invoice", case.notes, "dispute_review"),
                subject, "no invoice to check", {"case": case.id}, 0.5, case.amount, segment)
        evidence = gather_evidence(uow, case.invoice_number, case.amount)
        limit = self.write_off_limits.get(case.amount.currency)
        resolution = propose_resolution(reason, case.amount, evidence,
                                        Money(limit, case.amount.currency) if limit is not None else None)
        facts = {"case": case.id, "reason_code": reason.value, "claimed": str(case.amount), **evidence.as_dict()}
        if resolution.kind is ResolutionKind.PERSON:
            return Proposal(self.name, "hand_to_person", c.HandToPerson(
                case.customer_id, subject, f"Judge dispute {case.id} ({reason.value})",
                f"{resolution.reason}\n{case.notes}", "dispute_review"), subject, resolution.reason, facts,
                resolution.confidence, case.amount, segment)
        return Proposal(self.name, ACTIONS[resolution.kind],
                        c.ResolveCase(case.id, resolution.kind.value, resolution.amount, resolution.reason),
                        subject, f"{reason.value}: {resolution.reason}", facts, resolution.confidence,
                        resolution.amount or case.amount, segment)
