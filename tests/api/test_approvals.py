"""Approvals over the API: a clerk proposes, another person approves; nobody approves their own request."""

from __future__ import annotations

from tests.api.conftest import bearer, invoiced_order


def _propose_credit(client, people, number: str, amount: str = "12.10") -> str:
    response = client.post("/api/proposals/credit-note", headers=bearer(people["clerk"]),
                           json={"invoice_number": number, "amount": amount, "reason": "two cases damaged"})
    assert response.status_code == 201, response.text
    assert response.json()["outcome"] == "needs_approval"
    return response.json()["proposal_id"]


def test_an_approver_approves_a_clerks_credit_note_and_the_ledger_moves(app, client, people):
    number = invoiced_order(app)
    proposal_id = _propose_credit(client, people, number)
    pending = client.get("/api/approvals", headers=bearer(people["viewer"])).json()
    assert [p["id"] for p in pending] == [proposal_id]
    assert pending[0]["requested_by"] == "clerk" and pending[0]["editable"] is True
    decided = client.post(f"/api/approvals/{proposal_id}/approve", headers=bearer(people["approver"]),
                          json={"comment": "photos attached"})
    assert decided.status_code == 200, decided.text
    assert "credit note" in decided.json()["result"]
    with app.uow() as uow:
        assert str(uow.ledger.item_for_document(number, "invoice").open.amount) == "108.90"
        assert uow.audit.records(actor="approver")[0].action == "issue_credit_note:approved"


def test_a_person_cannot_approve_their_own_proposal(app, client, people):
    number = invoiced_order(app)
    response = client.post("/api/proposals/credit-note", headers=bearer(people["approver"]),
                           json={"invoice_number": number, "amount": "5.00", "reason": "goodwill"})
    proposal_id = response.json()["proposal_id"]
    refused = client.post(f"/api/approvals/{proposal_id}/approve", headers=bearer(people["approver"]), json={})
    assert refused.status_code == 409
    assert "cannot approve" in refused.json()["detail"]


def test_a_clerk_cannot_approve(app, client, people):
    number = invoiced_order(app)
    proposal_id = _propose_credit(client, people, number)
    response = client.post(f"/api/approvals/{proposal_id}/approve", headers=bearer(people["clerk"]), json={})
    assert response.status_code == 403


def test_edit_and_approve_credits_the_lower_amount(app, client, people):
    number = invoiced_order(app)
    proposal_id = _propose_credit(client, people, number, "24.20")
    response = client.post(f"/api/approvals/{proposal_id}/edit-and-approve", headers=bearer(people["approver"]),
                           json={"amount": "12.10", "comment": "only one case"})
    assert response.status_code == 200, response.text
    decided = client.get(f"/api/approvals/{proposal_id}", headers=bearer(people["viewer"])).json()
    assert decided["status"] == "approved" and decided["decided_by"] == "approver"
    with app.uow() as uow:
        assert str(uow.ledger.item_for_document(number, "invoice").open.amount) == "108.90"


def test_a_rejection_needs_a_reason(app, client, people):
    number = invoiced_order(app)
    proposal_id = _propose_credit(client, people, number)
    assert client.post(f"/api/approvals/{proposal_id}/reject", headers=bearer(people["approver"]),
                       json={"comment": ""}).status_code == 409
    assert client.post(f"/api/approvals/{proposal_id}/reject", headers=bearer(people["approver"]),
                       json={"comment": "not damaged"}).status_code == 200
