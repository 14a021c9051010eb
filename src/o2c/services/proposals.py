"""Proposals through the policy gate: execute, queue for approval, or refuse — always audited.

Executing a proposal, recording it and writing its audit record happen in the caller's unit of work,
so either all of them are stored or none. An approval is recorded with who, when and why; nobody
approves their own request, and an approval is not an authorisation to skip the checks the command's
handler makes.
"""

from __future__ import annotations

from dataclasses import dataclass

from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.base import Proposal
from o2c.domain.codec import decode, encode
from o2c.domain.commands import COMMAND_TYPES
from o2c.domain.errors import DomainError
from o2c.policy.gate import Decision, Outcome, Policy
from o2c.services.books_hold import is_held
from o2c.services.handlers import Company, handle

BOOKS_DISAGREE = "books-disagree: o2c and the system of record differ on this customer"


class ApprovalError(DomainError):
    pass


@dataclass(frozen=True, slots=True)
class Submitted:
    proposal_id: str
    outcome: Outcome
    result: str


def submit(uow: UnitOfWork, proposal: Proposal, policy: Policy, company: Company) -> Submitted:
    now = uow.clock.now()
    decision = policy.decide(proposal.action, proposal.amount_at_stake, proposal.confidence,
                             proposal.segment, now)
    if decision.outcome is Outcome.EXECUTE and is_held(uow, getattr(proposal.command, "customer_id", None)):
        decision = Decision(Outcome.NEEDS_APPROVAL, BOOKS_DISAGREE)
    proposal_id = uow.sequences.next("proposal", "PR")
    result, status = "", {Outcome.EXECUTE: "executed", Outcome.NEEDS_APPROVAL: "pending",
                          Outcome.REFUSE: "refused"}[decision.outcome]
    if decision.outcome is Outcome.EXECUTE:
        result = handle(uow, proposal.command, company)
    amount = proposal.amount_at_stake.quantize() if proposal.amount_at_stake else None
    command, evidence = encode(proposal.command), encode(proposal.evidence)
    requester = proposal.requested_by or proposal.agent
    uow.proposals.add(
        id=proposal_id, agent=proposal.agent, action=proposal.action, status=status,
        subject=proposal.subject, command_type=proposal.command.name, command=command,
        reason=proposal.reason, evidence=evidence, confidence=proposal.confidence,
        amount_minor=amount.to_minor() if amount else None, currency=amount.currency if amount else None,
        policy_rule=decision.rule, requested_by=requester, created_at=now,
        decided_by="policy" if status != "pending" else None, decided_at=now if status != "pending" else None,
        result=result or None)
    uow.audit.append(now, requester, f"{proposal.action}:{status}", proposal.subject,
                     proposal.reason, {"proposal": proposal_id, "policy": decision.rule,
                                       "command": command, "evidence": evidence,
                                       "confidence": proposal.confidence, "result": result}
                     | ({"agent": proposal.agent} if proposal.requested_by else {}))
    return Submitted(proposal_id, decision.outcome, result)


def _pending(uow: UnitOfWork, proposal_id: str, user: str):  # type: ignore[no-untyped-def]
    row = uow.proposals.get(proposal_id, for_update=True)
    if row is None:
        raise ApprovalError(f"no proposal {proposal_id}")
    if row.status != "pending":
        raise ApprovalError(f"proposal {proposal_id} is {row.status}, not waiting for approval")
    if row.requested_by == user:
        raise ApprovalError(f"{user} requested {proposal_id} and cannot approve or reject it")
    return row


def approve(uow: UnitOfWork, proposal_id: str, user: str, comment: str, company: Company) -> str:
    row = _pending(uow, proposal_id, user)
    command = decode(COMMAND_TYPES[row.command_type], row.command)
    result = handle(uow, command, company)
    now = uow.clock.now()
    uow.proposals.decide(proposal_id, "approved", user, now, comment, result)
    uow.audit.append(now, user, f"{row.action}:approved", row.subject, comment or "approved",
                     {"proposal": proposal_id, "result": result, "requested_by": row.requested_by})
    return result


def reject(uow: UnitOfWork, proposal_id: str, user: str, comment: str) -> None:
    row = _pending(uow, proposal_id, user)
    if not comment.strip():
        raise ApprovalError("a rejection needs a comment saying why")
    now = uow.clock.now()
    uow.proposals.decide(proposal_id, "rejected", user, now, comment)
    uow.audit.append(now, user, f"{row.action}:rejected", row.subject, comment,
                     {"proposal": proposal_id, "requested_by": row.requested_by})


def run_command(uow: UnitOfWork, command, actor: str, reason: str, company: Company) -> str:  # type: ignore[no-untyped-def]
    """A person's (or an importer's) direct command: executed and audited in the same transaction."""
    result = handle(uow, command, company)
    uow.audit.append(uow.clock.now(), actor, command.name, _subject(command), reason,
                     {"command": encode(command), "result": result})
    return result


def _subject(command: object) -> str:
    for attr in ("order_id", "delivery_id", "invoice_number", "payment_id", "document", "customer_id"):
        value = getattr(command, attr, None)
        if value:
            return f"{attr.removesuffix('_id').removesuffix('_number')}:{value}"
    return type(command).__name__
