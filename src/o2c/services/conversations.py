"""Conversation turns: identify the customer, understand the message, act through the policy gate, reply.

``chat_turn`` is one exchange, over chat (web, API) or e-mail, in one unit of work:
1. the message is read (intent, confidence) by the ``Understanding`` port — the embedded model, or an
   LLM when one is configured — and its entities are extracted by rules;
2. the customer is identified by login (``customer_id``), or by the sender's address plus a detail only
   that customer knows (postcode, VAT id, customer id, one of its own document numbers);
3. safety: instruction-like text is refused and audited; a document number of another customer is
   answered exactly like one that does not exist, and audited;
4. a follow-up without numbers ("the second invoice", "and the other one?") is read against the documents
   the last answer showed, and the message is split into its requests (``conversation_requests``: a
   payment announced, a held-orders question, each clause's clear intent); an unclear message gets a
   clarifying question, and a second unclear one in a row goes to a person;
5. the customer-service agent answers each request from the records and proposes at most one action per
   request, each submitted to the policy gate under the agent's own name (executed, queued for approval,
   refused); when an action fails, nothing of it is kept and a person takes over; the replies are joined;
   a member of staff without a customer gets ``agents.service_staff`` instead (handbook, any account);
6. both turns are stored, and an e-mail conversation's reply is queued as an outgoing message.
Replies come from templates in the customer's language (``domain.conversation_replies``).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import func

from o2c.adapters.llm import llm_understanding
from o2c.adapters.nlp import Entities, classify, extract_entities
from o2c.adapters.store import tables as t
from o2c.adapters.store.conversations_store import ConversationStore
from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.base import Proposal
from o2c.agents.service import AGENT, CustomerServiceAgent, hand_over
from o2c.agents.service_records import Answer, Request, ServiceDeps, foreign_documents, own_invoice, own_order
from o2c.agents.service_staff import staff_answer
from o2c.config import LlmSettings
from o2c.domain.conversation_context import ConversationContext
from o2c.domain.conversation_replies import reply
from o2c.domain.conversations import (
    ACT_BELOW,
    OPEN_TO_ANYONE,
    Conversation,
    Reading,
    Turn,
    Understanding,
    guess_language,
    injection_signals,
    is_clear,
)
from o2c.domain.customers import Customer
from o2c.domain.errors import DomainError
from o2c.domain.messages import CustomerMessage
from o2c.services.conversation_requests import requests_in, with_context
from o2c.services.proposals import submit

if TYPE_CHECKING:
    from datetime import datetime

    from o2c.bootstrap import App

MAX_TEXT = 4000
EMAIL_THREAD = timedelta(days=7)
REFERENCE = re.compile(r"\b(?:SO|CASE|TASK|MSG|PR)-\d{6}\b")
PORTAL = "portal:"
GATES = frozenset({"injection", "clarify", "handed_over", "identify", "verify"})


@dataclass(frozen=True, slots=True)
class ChatReply:
    """What the customer is told, and what happened: ``outcome`` is executed, needs_approval, refused or
    failed when an action was proposed; ``reference`` the order, case, task or proposal it made."""

    conversation_id: str
    text: str
    intent: str
    confidence: float
    language: str
    action: str | None = None
    outcome: str | None = None
    reference: str | None = None
    flags: tuple[str, ...] = ()
    handed_over: bool = False
    intents: tuple[str, ...] = ()

    @property
    def reply(self) -> str:
        return self.text


class EmbeddedUnderstanding:
    """The default reader: the embedded intent classifier (no LLM, no network)."""

    def read(self, text: str) -> Reading:
        result = classify(text)
        return Reading(result.intent, result.confidence)


@cache
def default_understanding() -> Understanding:
    """The LLM reader when ``O2C_LLM_BASE_URL`` is set (the embedded one as its fallback), else the embedded."""
    embedded = EmbeddedUnderstanding()
    return llm_understanding(LlmSettings(), embedded) or embedded


def warm_up() -> None:
    """Load the embedded model now (a few seconds), so the first customer does not wait for it."""
    EmbeddedUnderstanding().read("where is my order?")


# --- who is talking -----------------------------------------------------------------------------------
def _same_party(existing: Conversation, customer_id: str | None, sender: str | None) -> bool:
    if customer_id is not None:
        return existing.customer_id == customer_id or (existing.customer_id is None and existing.sender is None)
    return existing.sender == sender and (sender is not None or existing.customer_id is None)


def _conversation(store: ConversationStore, conversation_id: str | None, customer_id: str | None,
                  sender: str | None, channel: str, now: datetime) -> Conversation:
    existing = store.get(conversation_id) if conversation_id else None
    if existing is None and conversation_id is None and sender is not None and customer_id is None:
        existing = store.latest_open_from(sender, now - EMAIL_THREAD)
    if existing is not None and _same_party(existing, customer_id, sender):
        return existing
    return Conversation(uuid.uuid4().hex, channel, now, sender=sender)


def _by_email(uow: UnitOfWork, sender: str) -> Customer | None:
    email = func.lower(t.customers.c.body["email"].as_string())
    found = uow.customers.where(email == sender.strip().lower(), limit=2)
    return found[0] if len(found) == 1 else None


def _compact(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _verifies(uow: UnitOfWork, customer: Customer, text: str, entities: Entities) -> bool:
    """True when the message names a detail only this customer knows."""
    plain = _compact(text)
    details = [customer.id, customer.vat_id or "", customer.bill_to.postcode,
               *(s.address.postcode for s in customer.ship_tos)]
    if any(len(_compact(d)) >= 4 and _compact(d) in plain for d in details):
        return True
    full = [r for r in (*entities.order_numbers, *entities.invoice_numbers) if not r.isdigit()]
    return any(own_order(uow, customer, r) or own_invoice(uow, customer, r) for r in full)


def _identify(uow: UnitOfWork, conversation: Conversation, customer_id: str | None, sender: str | None,
              text: str, entities: Entities) -> tuple[Conversation, Customer | None]:
    known = customer_id or conversation.customer_id
    customer = uow.customers.get(known) if known else (_by_email(uow, sender) if sender else None)
    if customer is None:
        return replace(conversation, language=guess_language(text)), None
    verified = customer_id is not None or _verifies(uow, customer, text, entities)
    return conversation.identified(customer.id, customer.language, verified), customer


# --- deciding -------------------------------------------------------------------------------------------
def _following_up(conversation: Conversation, reading: Reading, entities: Entities, just_verified: bool) -> Reading:
    """An answer to the agent's own question keeps the intent it asked about."""
    if conversation.awaiting is None or (is_clear(reading) and reading.intent != "other"):
        return reading
    details = (entities.order_numbers, entities.invoice_numbers, entities.po_numbers, entities.quantities,
               entities.dates)
    if just_verified or any(details):
        return Reading(conversation.awaiting, max(reading.confidence, ACT_BELOW + 0.05), "follow-up")
    return reading


def _decide(agent: CustomerServiceAgent, reading: Reading, request: Request, deps: ServiceDeps,
            flags: tuple[str, ...]) -> tuple[Answer, bool]:
    """The agent's answer, and whether the message was clear."""
    conversation = deps.conversation
    if any(f.startswith("injection") for f in flags):
        return Answer("injection", evidence={"flags": list(flags)}), True
    if not is_clear(reading):
        if conversation.should_hand_over:
            return hand_over(agent.name, deps, "customer not understood twice", "handed_over"), False
        return Answer("clarify"), False
    if reading.intent not in OPEN_TO_ANYONE and deps.customer is None:
        return Answer("identify", awaiting=reading.intent), True
    if reading.intent not in OPEN_TO_ANYONE and not conversation.verified:
        return Answer("verify", awaiting=reading.intent), True
    return agent.answer(replace(request, intent=reading.intent, confidence=reading.confidence), deps), True


@dataclass(frozen=True, slots=True)
class _Done:
    template: str
    values: dict[str, str]
    action: str | None = None
    outcome: str | None = None
    reference: str | None = None
    detail: str = ""


def _for(proposal: Proposal, deps: ServiceDeps, acting: str | None) -> Proposal:
    """The proposal as requested by the person typing (staff or the customer's portal contact), who is
    named in the audit record together with the customer."""
    if acting is None:
        return proposal
    customer = deps.customer.id if deps.customer else deps.conversation.customer_id
    return replace(proposal, requested_by=acting,
                   evidence=proposal.evidence | {"typed_by": acting, "on_behalf_of": customer})


def _act(app: App, uow: UnitOfWork, answer: Answer, agent: CustomerServiceAgent, deps: ServiceDeps,
         acting: str | None = None) -> _Done:
    if answer.proposal is None:
        return _Done(answer.template, answer.values)
    proposal = _for(answer.proposal, deps, acting)
    try:
        submitted = submit(uow, proposal, app.policy, app.company)
    except DomainError as exc:
        uow.rollback()
        return _failed(app, uow, agent, deps, proposal.action, str(exc), acting)
    outcome = submitted.outcome.value
    if outcome == "refuse":
        return _failed(app, uow, agent, deps, proposal.action, submitted.result or "refused by policy", acting)
    found = REFERENCE.search(submitted.result or "")
    reference = found.group(0) if found and outcome == "execute" else submitted.proposal_id
    template = answer.template if outcome == "execute" else answer.pending
    return _Done(template, answer.values | {"ref": reference}, proposal.action,
                 "executed" if outcome == "execute" else "needs_approval", reference, submitted.result)


def _failed(app: App, uow: UnitOfWork, agent: CustomerServiceAgent, deps: ServiceDeps, action: str,
            why: str, acting: str | None = None) -> _Done:
    """Nothing of the failed action is kept; a person takes the conversation over."""
    person = hand_over(agent.name, deps, f"{action} could not be done: {why}"[:250]).proposal
    if person is None:
        raise RuntimeError("hand_over always proposes")
    submitted = submit(uow, _for(person, deps, acting), app.policy, app.company)
    found = REFERENCE.search(submitted.result or "")
    reference = found.group(0) if found else deps.conversation.id
    return _Done("action_failed", {"ref": reference}, action, "failed", reference, why)


# --- recording --------------------------------------------------------------------------------------------
def _audit_flags(uow: UnitOfWork, conversation: Conversation, flags: tuple[str, ...], foreign: list[str],
                 text: str, acting: str | None = None) -> None:
    now, subject = uow.clock.now(), f"conversation:{conversation.id}"
    payload: dict[str, Any] = {"customer": conversation.customer_id, "sender": conversation.sender,
                               "text": text[:1000], "flags": list(flags)} | ({"typed_by": acting} if acting else {})
    if any(f.startswith("injection") for f in flags):
        uow.audit.append(now, AGENT, "conversation:injection_attempt", subject,
                         "customer text tried to instruct the agent; refused, authority unchanged", payload)
    if foreign:
        uow.audit.append(now, AGENT, "conversation:foreign_document", subject,
                         "customer asked about another customer's document; answered as not found",
                         payload | {"documents": foreign})


def _queue_email_reply(uow: UnitOfWork, conversation: Conversation, text: str) -> None:
    uow.messages.add(CustomerMessage(
        id=uow.sequences.next("message", "MSG"), created_at=uow.clock.now(), customer_id=conversation.customer_id,
        direction="out", channel="email", kind="conversation_reply", subject="Re: your message", body=text,
        language=conversation.language, related=f"conversation:{conversation.id}"[:100],
        meta={"to": conversation.sender, "conversation": conversation.id}))


def _transcript(store: ConversationStore, conversation: Conversation, text: str) -> str:
    earlier = [f"{turn.speaker}: {turn.text}" for turn in store.turns(conversation.id)] if conversation.turns else []
    return "\n".join([*earlier[-10:], f"customer: {text}"])


def _safety(uow: UnitOfWork, customer: Customer | None, text: str, entities: Entities) -> tuple[tuple[str, ...],
                                                                                              list[str]]:
    signals = tuple(f"injection:{s}" for s in injection_signals(text))
    foreign = foreign_documents(uow, customer, entities) if customer is not None else []
    return signals + (("foreign_document",) if foreign else ()), foreign


def is_staff(acting: str | None) -> bool:
    """True when a member of staff types (not a customer's portal access, not the agent's own channel)."""
    return acting is not None and not acting.startswith(PORTAL)


def _answers(agent: CustomerServiceAgent, readings: list[Reading], request: Request, deps: ServiceDeps,
             flags: tuple[str, ...]) -> tuple[list[Answer], bool]:
    """One answer per request; a message that must first identify or verify the customer gets only that."""
    first, clear = _decide(agent, readings[0], request, deps, flags)
    if len(readings) == 1 or first.template in GATES:
        return [first], clear
    rest = [_decide(agent, r, request, deps, flags)[0] for r in readings[1:]]
    return [first, *rest], clear


def _understood(text: str, conversation: Conversation, entities: Entities,
                reading: Reading, just_verified: bool) -> tuple[list[Reading], Entities]:
    reading, entities, _ = with_context(conversation.context, text, reading, entities)
    reading = _following_up(conversation, reading, entities, just_verified)
    return requests_in(text, reading), entities


def _new_context(conversation: Conversation, readings: list[Reading], answers: list[Answer],
                 text: str) -> ConversationContext:
    referenced = [d for a in answers for d in a.evidence.get("documents", [])]
    named = [d for d in referenced if d in text.upper()]
    return conversation.context.after(readings[0].intent, referenced, named)


def chat_turn(app: App, customer_id: str | None, sender: str | None, text: str, conversation_id: str | None,
              *, channel: str = "chat", understanding: Understanding | None = None,
              acting: str | None = None) -> ChatReply:
    """One exchange with a customer: ``customer_id`` when logged in, else ``sender`` (an e-mail address).

    ``acting`` names who typed the message when it is not the agent's own channel: a member of staff
    typing for the customer, or the customer's portal access (``portal:PA-...``); any action proposed
    is then requested by them and the audit names them and the customer. A member of staff typing
    without a customer (``customer_id`` and ``sender`` None) is in a staff conversation
    (``agents.service_staff``): procedure questions and any account, no proposals."""
    text = text.strip()[:MAX_TEXT]
    sender = sender.strip().lower() if sender else None
    reading = (understanding or default_understanding()).read(text)
    agent = CustomerServiceAgent()
    staff = is_staff(acting) and customer_id is None and sender is None
    with app.uow() as uow:
        store, now = ConversationStore(uow.conn), uow.clock.now()
        entities = extract_entities(text, uow.clock.today())
        started = _conversation(store, conversation_id, customer_id, sender, channel, now)
        conversation, customer = _identify(uow, started, customer_id, sender, text, entities)
        flags, foreign = _safety(uow, customer, text, entities)
        deps = ServiceDeps(uow, customer, conversation, _transcript(store, conversation, text))
        if staff:
            readings = [reading]
            answers, clear = [staff_answer(Request(text, reading.intent, reading.confidence, entities), deps)], True
        else:
            readings, entities = _understood(text, conversation, entities, reading,
                                             conversation.verified and not started.verified)
            answers, clear = _answers(agent, readings, Request(text, readings[0].intent, readings[0].confidence,
                                                               entities), deps, flags)
        reading = readings[0]
        dones = [_act(app, uow, answer, agent, deps, acting) for answer in answers]
        reply_text = "\n\n".join(reply(d.template, conversation.language, **({"ref": conversation.id} | d.values))
                                   for d in dones)
        _audit_flags(uow, conversation, flags, foreign, text, acting)
        done = next((d for d in dones if d.action), dones[0])
        handed = any(d.action == "hand_over_conversation" or d.outcome == "failed" for d in dones)
        after = conversation.after_turn(clear, next((a.awaiting for a in answers if a.awaiting), None), handed,
                                        _new_context(conversation, readings, answers, text))
        evidence = {k: v for a in answers for k, v in a.evidence.items()} | {"intents": [r.intent for r in readings]}
        store.save(after, now)
        store.add_turns(
            Turn(after.id, conversation.turns + 1, now, "customer", text, reading.intent, reading.confidence,
                 flags=flags, evidence={"entities": entities.to_dict(), "source": reading.source}),
            Turn(after.id, conversation.turns + 2, now, "agent", reply_text, reading.intent, None, done.action,
                 " ".join(filter(None, (done.outcome, done.detail))) or None, flags,
                 evidence | ({"reference": done.reference} if done.reference else {})))
        if channel == "email":
            _queue_email_reply(uow, after, reply_text)
        uow.commit()
    return ChatReply(after.id, reply_text, reading.intent, reading.confidence, after.language, done.action,
                     done.outcome, done.reference, flags, handed, tuple(r.intent for r in readings))
