"""The credit agent end to end: policy gate, approvals queue and the hash-chained audit log."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import text

from o2c.adapters.store import guards
from o2c.domain import commands as c
from o2c.domain.money import Money
from o2c.services.proposals import ApprovalError, approve, reject
from tests.factories import customer, seed

DAY = date(2026, 9, 1)


def _order(app, qty: int) -> str:
    result = app.execute(c.CaptureOrder("C1", "C1-S1", "email", DAY + timedelta(days=3),
                                        (c.CaptureOrderLine("COLA", Decimal(qty)),)), "channel:email", "order")
    app.dispatcher.drain()
    return result.split()[1]


def test_an_order_within_the_limit_is_confirmed_without_a_person(app):
    seed(app, customer(limit="1000"))
    order_id = _order(app, 10)
    with app.uow() as uow:
        assert uow.orders.get(order_id).status.value == "confirmed"
        [proposal] = uow.proposals.list(status="executed")
        assert proposal.action == "confirm_order" and "within limit" in proposal.reason


def test_an_order_over_the_limit_is_held_with_the_figures_as_evidence(app):
    seed(app, customer(limit="1000"))
    order_id = _order(app, 200)
    with app.uow() as uow:
        order = uow.orders.get(order_id)
        assert order.status.value == "on_hold"
        assert "exceeds the credit limit 1,000.00 EUR" in order.hold_reason
        [proposal] = uow.proposals.list(subject=f"order:{order_id}")
        assert proposal.evidence["credit_limit"] == "1,000.00 EUR"
        assert proposal.evidence["order_value"] == "2,000.00 EUR"


def _held_then_limit_raised(app, limit: str) -> str:
    seed(app, customer(limit="100"))
    order_id = _order(app, 3000)
    with app.uow() as uow:
        account = uow.customers.get("C1")
        uow.customers.save(replace(account, credit_limit=Money.of(limit, "EUR")))
        uow.commit()
    return order_id


def test_releasing_a_large_hold_waits_for_an_approver_who_is_not_the_requester(app):
    order_id = _held_then_limit_raised(app, "100000")
    with app.uow() as uow:
        from o2c.agents.base import AgentDeps
        from o2c.agents.credit import CreditAgent
        from o2c.services.proposals import submit
        [proposal] = CreditAgent()._review_holds("C1", AgentDeps(uow, app.clock))
        assert proposal.amount_at_stake == Money.of("30000.00", "EUR")
        submitted = submit(uow, proposal, app.policy, app.company)
        uow.commit()
    assert submitted.outcome.value == "needs_approval"
    with app.uow() as uow, pytest.raises(ApprovalError, match="cannot approve"):
        approve(uow, submitted.proposal_id, "credit", "self-approval", app.company)
    with app.uow() as uow, pytest.raises(ApprovalError, match="needs a comment"):
        reject(uow, submitted.proposal_id, "maria", "  ")
    with app.uow() as uow:
        result = approve(uow, submitted.proposal_id, "maria", "customer paid by wire this morning", app.company)
        uow.commit()
    assert result == f"order {order_id} confirmed"
    with app.uow() as uow:
        assert uow.orders.get(order_id).status.value == "confirmed"
        row = uow.proposals.get(submitted.proposal_id)
        assert (row.status, row.decided_by) == ("approved", "maria")
        assert uow.audit.records(actor="maria")[0].action == "release_credit_hold:approved"
        with pytest.raises(ApprovalError, match="not waiting"):
            approve(uow, submitted.proposal_id, "tom", "again", app.company)


def test_audit_verify_passes_untouched_and_names_an_edited_record(app):
    seed(app, customer(limit="1000"))
    _order(app, 10)
    _order(app, 500)
    with app.uow() as uow:
        assert uow.audit.verify() == []
        for statement in guards.drop_audit_triggers(uow.conn.dialect.name):  # someone with database access
            uow.conn.execute(text(statement))
        uow.conn.execute(text("UPDATE audit_log SET reason = 'nothing to see' WHERE seq = 2"))
        uow.commit()
    with app.uow() as uow:
        problems = uow.audit.verify()
    assert any("audit record 2 was altered" in p for p in problems)


def test_audit_verify_names_a_deleted_record(app):
    seed(app, customer(limit="1000"))
    _order(app, 10)
    _order(app, 20)
    with app.uow() as uow:
        for statement in guards.drop_audit_triggers(uow.conn.dialect.name):
            uow.conn.execute(text(statement))
        uow.conn.execute(text("DELETE FROM audit_log WHERE seq = 3"))
        uow.commit()
    with app.uow() as uow:
        problems = uow.audit.verify()
    assert any("audit record 3 is missing" in p for p in problems)
