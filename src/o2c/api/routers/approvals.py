"""Approvals: the proposals queue, decisions on it (approvers only, never on one's own request), and
proposals from people (clerks), which pass the same policy gate as an agent's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from o2c.api import actions
from o2c.api.deps import AppDep, Approver, Clerk, Reader, Viewer
from o2c.api.paging import TOTAL_HEADER, PageWindow
from o2c.api.routers.common import AUTH_ERRORS, NOT_FOUND, REFUSED, found
from o2c.api.schemas import (
    CreditNoteProposalIn,
    DecisionIn,
    EditDecisionIn,
    ProposalOut,
    ResultOut,
    SubmittedOut,
    WriteOffProposalIn,
)
from o2c.services.proposals import Submitted
from o2c.views import inbox

router = APIRouter(prefix="/api", tags=["approvals"], responses=AUTH_ERRORS)


def _submitted(s: Submitted) -> SubmittedOut:
    return SubmittedOut(proposal_id=s.proposal_id, outcome=s.outcome.value, result=s.result)


@router.get("/approvals", response_model=list[ProposalOut])
def list_proposals(uow: Reader, _: Viewer, w: PageWindow, response: Response,
                   status: Annotated[str, Query(max_length=16)] = "pending") -> list[inbox.ProposalView]:
    """Proposals by status: ``pending`` (waiting for a person), ``executed``, ``approved``, ``rejected``,
    ``refused``, oldest first, a page at a time (``offset``, ``limit``; the total in ``X-Total-Count``)."""
    rows = inbox.proposals(uow, status, limit=w.offset + w.limit)[w.offset:]
    response.headers[TOTAL_HEADER] = str(uow.proposals.count(status))
    return rows


@router.get("/approvals/{proposal_id}", response_model=ProposalOut, responses=NOT_FOUND)
def get_proposal(proposal_id: str, uow: Reader, _: Viewer) -> inbox.ProposalView:
    return found(inbox.proposal(uow, proposal_id), f"proposal {proposal_id}")


@router.post("/approvals/{proposal_id}/approve", response_model=ResultOut, responses=REFUSED)
def approve(proposal_id: str, body: DecisionIn, app: AppDep, user: Approver) -> ResultOut:
    """Approve and execute; refused (409) for one's own request or a proposal no longer pending."""
    return ResultOut(result=actions.approve(app, user, proposal_id, body.comment))


@router.post("/approvals/{proposal_id}/reject", response_model=ResultOut, responses=REFUSED)
def reject(proposal_id: str, body: DecisionIn, app: AppDep, user: Approver) -> ResultOut:
    """Reject, saying why (the comment is required)."""
    return ResultOut(result=actions.reject(app, user, proposal_id, body.comment))


@router.post("/approvals/{proposal_id}/edit-and-approve", response_model=ResultOut, responses=REFUSED)
def edit_and_approve(proposal_id: str, body: EditDecisionIn, app: AppDep, user: Approver) -> ResultOut:
    """Approve a credit note or write-off for a lower amount than proposed."""
    return ResultOut(result=actions.edit_and_approve(app, user, proposal_id, body.amount, body.comment))


@router.post("/proposals/credit-note", response_model=SubmittedOut, status_code=201, responses=REFUSED)
def propose_credit_note(body: CreditNoteProposalIn, app: AppDep, user: Clerk) -> SubmittedOut:
    return _submitted(actions.propose_credit_note(app, user, body.invoice_number, body.amount, body.reason))


@router.post("/proposals/write-off", response_model=SubmittedOut, status_code=201, responses=REFUSED)
def propose_write_off(body: WriteOffProposalIn, app: AppDep, user: Clerk) -> SubmittedOut:
    return _submitted(actions.propose_write_off(app, user, body.document, body.amount, body.reason))
