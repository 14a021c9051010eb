"""The billing agent: fixes what pre-issue validation found, within policy, and queues the rest.

On ``InvoiceHeld`` it reads the billing hold's findings. The mechanical ones carry their fix (the
contract price, the eligible promotion, the PO number on file): it proposes them together as one
``ReleaseBillingHold``, under the action of the most sensitive fix, so the policy gate decides:
``correct_invoice_price`` (the customer pays what the contract says; the difference is at stake),
``remove_invoice_promotion`` (the customer would pay more than ordered: a person agrees first), or
``add_invoice_po``. Findings without a fix (master data, VAT ids, rates) and fixes already tried go to
a person as ``review_billing_hold``: one item per customer and set of reasons, however many deliveries
wait on it (``review_subject``). Correcting the master data invoices them at once and resolves the
item; approving it checks the holds again and is refused while nothing changed, so the same hold is
never created again by an approval.

On ``RebatePeriodEnded`` it proposes settling the agreement by credit note (``settle_rebate``), with
the accrued rebate as the money at stake.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from o2c.adapters.store.billing_store import BillingStore, Hold
from o2c.agents.base import AgentDeps, Proposal
from o2c.domain import events as e
from o2c.domain.billing_checks import Finding, ReasonCode, review_subject
from o2c.domain.commands import RecheckBillingHolds, ReleaseBillingHold, SettleRebate
from o2c.domain.customers import Customer
from o2c.domain.money import Money

SENSITIVITY = (  # the first action whose reason codes appear decides the proposal's action
    ("remove_invoice_promotion", frozenset({ReasonCode.PROMOTION_NOT_ELIGIBLE}), 0.9),
    ("correct_invoice_price", frozenset({ReasonCode.PRICE_VS_CONTRACT, ReasonCode.PROMOTION_MISSING}), 0.95),
    ("add_invoice_po", frozenset({ReasonCode.PO_MISSING}), 0.95),
)


@dataclass
class BillingAgent:
    name: str = "billing"
    subscribes: frozenset[str] = frozenset({"InvoiceHeld", "RebatePeriodEnded"})

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        if isinstance(event, e.InvoiceHeld):
            return self._resolve_hold(event.delivery_id, deps)
        if isinstance(event, e.RebatePeriodEnded):
            return self._settle(event, deps)
        return []

    def _resolve_hold(self, delivery_id: str, deps: AgentDeps) -> list[Proposal]:
        uow = deps.uow
        hold = BillingStore(uow.conn).hold_of(delivery_id)
        delivery = uow.deliveries.get(delivery_id)
        customer = uow.customers.get(hold.customer_id) if hold else None
        if hold is None or hold.status != "open" or delivery is None or delivery.invoiced or customer is None:
            return []
        subject = f"delivery:{delivery_id}"
        earlier = uow.proposals.list(agent=self.name, subject=subject)
        if any(p.status == "pending" for p in earlier):
            return []
        tried = {p.action for p in earlier}
        fixable = [f for f in hold.findings if f.fixable]
        action = _action_for(fixable)
        if fixable and action and action[0] not in tried:
            return [self._fix(hold, customer, fixable, action, subject)]
        reasons = tuple(sorted({f.code.value for f in hold.findings}))
        group = review_subject(customer.id, reasons)
        if uow.proposals.list(status="pending", agent=self.name, subject=group):
            return []  # the customer's deliveries held for the same reasons wait on one item
        return [self._review(hold, customer, group, reasons)]

    def _fix(self, hold: Hold, customer: Customer, fixable: list[Finding], action: tuple[str, float],
             subject: str) -> Proposal:
        prices, lists, promotions, po = {}, {}, {}, None
        for f in fixable:
            if f.order_line_no is not None and "unit_price" in f.fix:
                key = str(f.order_line_no)
                prices[key] = Decimal(f.fix["unit_price"])
                lists[key] = Decimal(f.fix["list_price"])
                promotions[key] = f.fix.get("promotion", "")
            po = f.fix.get("po_number", po)
        reason = "Fix before issue: " + "; ".join(f.message for f in fixable)
        stake = Money(sum((abs(f.at_stake) for f in fixable), Decimal(0)), customer.currency)
        command = ReleaseBillingHold(hold.delivery_id, prices, lists, promotions, po, reason)
        return Proposal(self.name, action[0], command, subject, reason, _evidence(hold, fixable), action[1],
                        stake, customer.segment.value)

    def _review(self, hold: Hold, customer: Customer, subject: str, reasons: tuple[str, ...]) -> Proposal:
        reason = (f"Deliveries of {customer.id} are held until a person fixes: "
                  + "; ".join(f.message for f in hold.findings)
                  + ". Correct the master data (account page or o2c customers edit): the held deliveries are "
                    "invoiced at once; approve to check them again")
        command = RecheckBillingHolds(customer.id, reasons)
        return Proposal(self.name, "review_billing_hold", command, subject, reason,
                        _evidence(hold, list(hold.findings)), 1.0, None, customer.segment.value)

    def _settle(self, event: e.RebatePeriodEnded, deps: AgentDeps) -> list[Proposal]:
        subject = f"rebate:{event.agreement_id}"
        if deps.uow.proposals.list(agent=self.name, subject=subject):
            return []
        customer = deps.uow.customers.get(event.customer_id)
        amount = Money(Decimal(event.accrued), event.currency)
        reason = f"Rebate period of {event.agreement_id} ended: settle the accrued {amount} by credit note"
        return [Proposal(self.name, "settle_rebate", SettleRebate(event.agreement_id), subject, reason,
                         {"agreement": event.agreement_id, "accrued": str(amount)}, 1.0, amount,
                         customer.segment.value if customer else None)]


def _action_for(fixable: list[Finding]) -> tuple[str, float] | None:
    codes = {f.code for f in fixable}
    return next(((name, confidence) for name, wanted, confidence in SENSITIVITY if codes & wanted), None)


def _evidence(hold: Hold, findings: list[Finding]) -> dict[str, object]:
    return {"delivery": hold.delivery_id, "customer": hold.customer_id,
            "findings": [{"code": f.code.value, "message": f.message, "line": f.order_line_no,
                          "at_stake": str(f.at_stake)} for f in findings]}
