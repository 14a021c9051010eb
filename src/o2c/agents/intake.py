"""The order intake agent: turns a checked order into one proposal and the answer the customer gets.

Input is a ``CheckedOrder`` (``domain.order_checks``) and the ``IntakeReference`` it was checked
against; output is an ``IntakeDecision``: at most one ``Proposal`` whose command is the
``CaptureOrder`` to book (corrected where the agent could correct), the line-by-line acknowledgement
(for the 855 / ORDRSP) and, where something changed, a drafted message to the customer.

Decisions, most serious first (one action per order; the evidence lists every problem):
- ``review_order`` (a person decides): unknown ship-to or item, no price, PO missing or reused,
  impossible date, an unusual quantity, a unit that cannot be converted, stock with no way out;
- ``substitute_item``: short stock, the customer accepts substitutes and a listed substitute is
  available to promise; ``split_delivery``: what is there now ships, the rest on the day it arrives;
- ``correct_order_unit``: eaches ordered for a product sold per case, converted to whole cases;
- ``correct_order_price``: price or promotion wrong, booked at the customer's correct price;
- ``capture_order``: clean, booked as sent without a person (touchless).
An unknown customer gets no proposal (there is no account to book on): the order is rejected.

Coordination with the credit agent: the agent never confirms an order. Its proposal books the order
(``CaptureOrder``), whose ``OrderCaptured`` event the credit agent answers with confirm or hold. An
order that waits for review does not exist until a person approves it, so credit only ever checks
orders intake has passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from o2c.adapters.formats.orders.acknowledgement import LineAcknowledgement, LineStatus
from o2c.agents.base import AgentDeps, Proposal
from o2c.domain.commands import CaptureOrder, CaptureOrderLine
from o2c.domain.events import Event
from o2c.domain.money import Money
from o2c.domain.order_checks import (
    CheckedLine,
    CheckedOrder,
    IntakeReference,
    Problem,
    Reason,
    earliest_delivery,
)

REVIEW = frozenset({Reason.UNKNOWN_SHIP_TO, Reason.UNKNOWN_SKU, Reason.NO_PRICE, Reason.PO_MISSING,
                    Reason.PO_DUPLICATE, Reason.DATE_IMPOSSIBLE, Reason.QUANTITY_OUTLIER})
PRICE = frozenset({Reason.PRICE_MISMATCH, Reason.PROMOTION_NOT_APPLIED, Reason.EXPIRED_PROMOTION_CLAIMED})
CONFIDENCE = {"capture_order": 1.0, "correct_order_price": 0.95, "correct_order_unit": 0.92,
              "split_delivery": 0.9, "substitute_item": 0.85, "review_order": 0.5}


@dataclass(frozen=True, slots=True)
class ShortLine:
    """How a short line is resolved: a substitute SKU, or a split with the rest on ``later``."""

    line_ref: str
    substitute: str | None = None
    now: Decimal = Decimal(0)
    later: date | None = None


@dataclass(frozen=True, slots=True)
class IntakeDecision:
    action: str
    proposal: Proposal | None
    acknowledgement: tuple[LineAcknowledgement, ...]
    message_to_customer: str | None = None
    problems: tuple[Problem, ...] = ()
    substitutes: int = 0


@dataclass
class IntakeAgent:
    name: str = "intake"
    subscribes: frozenset[str] = field(default_factory=frozenset)

    def handle(self, event: Event, deps: AgentDeps) -> list[Proposal]:
        """Intake acts when an order arrives (``decide``), not on stored events."""
        return []

    def decide(self, checked: CheckedOrder, ref: IntakeReference) -> IntakeDecision:
        customer = checked.customer
        if customer is None or Reason.PO_UNSENDABLE in checked.reasons:
            acks = tuple(_ack(ln.line_ref, ln.quantity, ln.unit or "EA", LineStatus.REJECTED, Decimal(0))
                         for ln in checked.request.lines)
            return IntakeDecision("reject_order", None, acks, problems=checked.problems)
        shorts = {s.line_ref: s for s in self._resolve_shortages(checked, ref)}
        action = self._action(checked, shorts)
        command = self._command(checked, ref, shorts, action)
        evidence = self._evidence(checked, shorts)
        message = draft_message(checked, shorts, ref) if action not in ("capture_order", "review_order") else None
        if message:
            evidence["draft_message"] = message
        proposal = Proposal(self.name, action, command, f"order:{checked.request.source_ref}",
                            self._reason(checked, action), evidence, CONFIDENCE[action],
                            self._at_stake(checked, action), customer.segment.value)
        return IntakeDecision(action, proposal, self._acknowledge(checked, shorts, command), message,
                              checked.problems, sum(1 for s in shorts.values() if s.substitute))

    def _resolve_shortages(self, checked: CheckedOrder, ref: IntakeReference) -> list[ShortLine]:
        customer = checked.customer
        found = []
        short = {p.line_ref for p in checked.problems if p.reason is Reason.STOCK_SHORT}
        for line in (ln for ln in checked.lines if ln.line_ref in short and ln.sku):
            product = ref.products[line.sku or ""]
            substitute = next((s for s in product.substitutes if customer and customer.allows_substitutes
                               and s in ref.products and customer and ref.quote(customer, s, line.quantity)
                               and (ref.stock.available(s, checked.requested_date) or 0) >= line.quantity), None)
            later = ref.stock.date_for(line.sku or "", line.quantity, checked.requested_date)
            now = max(line.available or Decimal(0), Decimal(0))
            if substitute or later:
                found.append(ShortLine(line.line_ref, substitute, now, later))
        return found

    def _action(self, checked: CheckedOrder, shorts: dict[str, ShortLine]) -> str:
        reasons = checked.reasons
        unresolved_short = {p.line_ref for p in checked.problems if p.reason is Reason.STOCK_SHORT} - set(shorts)
        unit_unconverted = any(p.reason is Reason.UNIT_MISMATCH and "packs" not in p.evidence
                               for p in checked.problems)
        if reasons & REVIEW or unresolved_short or unit_unconverted:
            return "review_order"
        if any(s.substitute for s in shorts.values()):
            return "substitute_item"
        if shorts:
            return "split_delivery"
        if Reason.UNIT_MISMATCH in reasons:
            return "correct_order_unit"
        if reasons & PRICE:
            return "correct_order_price"
        return "capture_order"

    def _command(self, checked: CheckedOrder, ref: IntakeReference, shorts: dict[str, ShortLine],
                 action: str) -> CaptureOrder:
        now_lines, later_lines, later_dates = [], [], []
        for line in (ln for ln in checked.lines if ln.sku):
            short = shorts.get(line.line_ref)
            if short and short.substitute:
                now_lines.append(CaptureOrderLine(short.substitute, line.quantity))
            elif short and short.later and action == "split_delivery":
                if short.now > 0:
                    now_lines.append(CaptureOrderLine(line.sku or "", short.now))
                later_lines.append(CaptureOrderLine(line.sku or "", line.quantity - short.now))
                later_dates.append(short.later)
            else:
                now_lines.append(CaptureOrderLine(line.sku or "", line.quantity))
        requested = checked.requested_date
        if Reason.DATE_IMPOSSIBLE in checked.reasons:
            requested = earliest_delivery(ref.today, ref)
        if not now_lines and later_lines:
            now_lines, later_lines, requested = later_lines, [], max(later_dates)
        customer = checked.customer
        ship_to = checked.ship_to or (customer.ship_tos[0].code if customer and customer.ship_tos else "")
        return CaptureOrder(customer.id if customer else "", ship_to, checked.request.channel, requested,
                            tuple(now_lines), checked.request.po_number or None, checked.request.source_ref,
                            tuple(later_lines), max(later_dates) if later_lines else None)

    def _evidence(self, checked: CheckedOrder, shorts: dict[str, ShortLine]) -> dict[str, object]:
        return {"source": checked.request.source_ref, "channel": checked.request.channel,
                "po": checked.request.po_number or "",
                "problems": [{"reason": p.reason.value, "line": p.line_ref, "message": p.message, **p.evidence}
                             for p in checked.problems],
                "resolutions": [{"line": s.line_ref, "substitute": s.substitute, "now": str(s.now),
                                 "rest_on": s.later.isoformat() if s.later else None} for s in shorts.values()]}

    def _reason(self, checked: CheckedOrder, action: str) -> str:
        if not checked.problems:
            return "Clean order: customer, ship-to, items, prices, PO, date, quantities and stock all check out"
        found = "; ".join(p.message for p in checked.problems[:6])
        more = f" (+{len(checked.problems) - 6} more)" if len(checked.problems) > 6 else ""
        return f"{action.replace('_', ' ').capitalize()}: {found}{more}"

    def _at_stake(self, checked: CheckedOrder, action: str) -> Money | None:
        customer = checked.customer
        if customer is None:
            return None
        if action == "correct_order_price":
            diff = sum((abs((ln.sent_price or Decimal(0)) - (ln.expected_price or Decimal(0))) * ln.quantity
                        for ln in checked.lines if ln.sent_price is not None), Decimal(0))
            return Money(diff, customer.currency).quantize()
        value = sum(((ln.expected_price or Decimal(0)) * ln.quantity for ln in checked.lines), Decimal(0))
        return Money(value, customer.currency).quantize()

    def _acknowledge(self, checked: CheckedOrder, shorts: dict[str, ShortLine],
                     command: CaptureOrder) -> tuple[LineAcknowledgement, ...]:
        by_ref = {ln.line_ref: ln for ln in checked.lines}
        acks = []
        for sent in checked.request.lines:
            line = by_ref.get(sent.line_ref)
            reasons = {p.reason for p in checked.problems_for(sent.line_ref)}
            acks.append(_line_ack(sent.line_ref, sent.quantity, sent.unit or "EA", line, reasons,
                                  shorts.get(sent.line_ref), command, checked.request.requested_date))
        return tuple(acks)


def _ack(line_ref: str, ordered: Decimal, unit: str, status: LineStatus, quantity: Decimal,
         **extra: object) -> LineAcknowledgement:
    return LineAcknowledgement(line_ref, status, ordered, quantity, unit, **extra)  # type: ignore[arg-type]


def _line_ack(line_ref: str, ordered: Decimal, unit: str, line: CheckedLine | None, reasons: set[Reason],
              short: ShortLine | None, command: CaptureOrder, requested: date | None) -> LineAcknowledgement:
    if line is None or line.sku is None or Reason.NO_PRICE in reasons:
        return _ack(line_ref, ordered, unit, LineStatus.REJECTED, Decimal(0))
    price = line.expected_price
    if short and short.substitute:
        return _ack(line_ref, ordered, unit, LineStatus.SUBSTITUTED, line.quantity, unit_price=price,
                    vendor_item=line.sku, substitute_item=short.substitute)
    if short and command.backorder_lines:
        return _ack(line_ref, ordered, unit, LineStatus.BACKORDERED, line.quantity, unit_price=price,
                    vendor_item=line.sku, delivery_date=command.backorder_date)
    if Reason.UNIT_MISMATCH in reasons:
        return _ack(line_ref, ordered, unit, LineStatus.QUANTITY_CHANGED, line.quantity, unit_price=price,
                    vendor_item=line.sku)
    if reasons & PRICE:
        return _ack(line_ref, ordered, unit, LineStatus.PRICE_CHANGED, line.quantity, unit_price=price,
                    vendor_item=line.sku)
    if requested is not None and command.requested_date != requested:
        return _ack(line_ref, ordered, unit, LineStatus.DATE_CHANGED, line.quantity, unit_price=price,
                    vendor_item=line.sku, delivery_date=command.requested_date)
    return _ack(line_ref, ordered, unit, LineStatus.ACCEPTED, line.quantity, unit_price=price, vendor_item=line.sku)


def draft_message(checked: CheckedOrder, shorts: dict[str, ShortLine], ref: IntakeReference) -> str:
    """A short, plain message to the customer saying what we changed and why."""
    customer = checked.customer
    po = checked.request.po_number or checked.request.source_ref
    changes = [p.message for p in checked.problems if p.reason is not Reason.STOCK_SHORT]
    for short in shorts.values():
        if short.substitute:
            name = ref.products[short.substitute].name
            changes.append(f"line {short.line_ref}: out of stock on the day you asked for; we send {name} "
                           f"({short.substitute}) instead")
        elif short.later:
            changes.append(f"line {short.line_ref}: {short.now} ship now, the rest on {short.later.isoformat()}")
    body = "\n".join(f"- {c}" for c in changes)
    return (f"Dear {customer.name if customer else 'customer'},\n\nThank you for order {po}. We booked it with "
            f"these changes:\n{body}\n\nThe order confirmation shows the corrected lines. Reply to this "
            "message if anything should be different.\n")

