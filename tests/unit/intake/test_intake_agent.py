"""The intake agent's decisions: one proposal per order, the most serious problem decides the action."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from o2c.adapters.formats.orders.acknowledgement import LineStatus
from o2c.agents.intake import IntakeAgent
from o2c.domain.order_checks import OrderRequest, RequestedLine, check_order

from .world import ANTWERP_GLN, BUYER_GLN, CUSTOMER, reference


def _decide(*lines: RequestedLine, ref_changes: dict | None = None, **changes: object):  # type: ignore[no-untyped-def]
    request = OrderRequest("edi", "x12:BUYER:1:1", BUYER_GLN, ANTWERP_GLN, "PO-NEW-1", date(2026, 9, 3), lines)
    ref = reference(**(ref_changes or {}))
    return IntakeAgent().decide(check_order(replace(request, **changes), ref), ref)  # type: ignore[arg-type]


def _line(sku: str, qty: str, price: str | None = None, ref: str = "1") -> RequestedLine:
    return RequestedLine(ref, Decimal(qty), "CS", sku, unit_price=Decimal(price) if price else None)


def test_a_clean_order_is_proposed_for_touchless_capture():
    decision = _decide(_line("COLA", "20", "14.40"))
    assert decision.action == "capture_order" and decision.proposal.confidence == 1.0
    assert decision.proposal.command.lines[0].sku == "COLA"
    assert [a.status for a in decision.acknowledgement] == [LineStatus.ACCEPTED]


def test_short_stock_proposes_the_listed_substitute_when_the_customer_accepts_substitutes():
    decision = _decide(_line("COLA", "40"))
    assert decision.action == "substitute_item" and decision.substitutes == 1
    assert decision.proposal.command.lines[0].sku == "COLAZ"
    assert decision.acknowledgement[0].status is LineStatus.SUBSTITUTED
    assert "Cola Zero 24x33cl can (COLAZ) instead" in decision.message_to_customer


def test_without_substitutes_short_stock_becomes_a_split_delivery_on_the_receipt_date():
    no_subs = {"customers": {"C1": replace(CUSTOMER, allows_substitutes=False)}}
    decision = _decide(_line("COLA", "40"), ref_changes=no_subs)
    command = decision.proposal.command
    assert decision.action == "split_delivery"
    assert [(ln.sku, ln.quantity) for ln in command.lines] == [("COLA", Decimal(30))]
    assert [(ln.sku, ln.quantity) for ln in command.backorder_lines] == [("COLA", Decimal(10))]
    assert command.backorder_date == date(2026, 9, 10)


def test_a_wrong_price_is_corrected_with_a_drafted_message_and_the_difference_at_stake():
    decision = _decide(_line("COLA", "20", "13.90"))
    assert decision.action == "correct_order_price"
    assert decision.proposal.command.lines[0].unit_price is None
    assert decision.proposal.amount_at_stake.amount == Decimal("10.00")
    assert decision.acknowledgement[0].status is LineStatus.PRICE_CHANGED
    assert "differs from the customer's price 14.4000" in decision.proposal.evidence["draft_message"]


def test_a_reused_po_goes_to_a_person_with_every_problem_as_evidence():
    decision = _decide(_line("COLA", "20", "13.90"), po_number="PO-OLD-1")
    assert decision.action == "review_order"
    assert {p["reason"] for p in decision.proposal.evidence["problems"]} == {"po_duplicate", "price_mismatch"}


def test_an_unknown_customer_gets_no_proposal_and_every_line_rejected():
    decision = _decide(_line("COLA", "20"), buyer="5400000000001")
    assert decision.proposal is None and decision.action == "reject_order"
    assert [a.status for a in decision.acknowledgement] == [LineStatus.REJECTED]
