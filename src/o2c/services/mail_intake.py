"""Mail intake: each e-mail in a watched mailbox is read once, acted on, recorded, and filed away.

For one message (``receive``), in one database transaction:
1. a message already recorded (same Message-ID, or same mailbox + UIDVALIDITY + UID) does nothing: it
   was processed before o2c stopped and is only filed away now;
2. a sender that is not a customer's own address (nor a trusted sender such as the bank) goes to a
   person; instruction-like text (``injection_signals``) goes to a person and is audited — an e-mail
   only ever chooses among the actions the readers below propose, through the policy gate;
3. attachments that are documents (CSV, XML, EDI, camt/MT940/BAI2/OFX, X12 820, PDF...) go through
   ``import_document``, the door ``o2c import FILE`` uses; an unreadable one is quarantined there;
4. otherwise the text is read by the readers the simulation uses: a reply to a reminder (its
   In-Reply-To/References name a reminder's Message-ID) or a text the reply classifier reads as a
   promise, dispute, payment notice or copy request becomes a customer reply for the collections
   agent; an order in free text goes to order intake; anything else is a conversation turn (with its
   own safety) or, failing that, work for a person;
5. the record of the message (``mailbox_messages``) is written in the same transaction as its effects.
The message is then moved (``Mailbox.file``); a crash before the move leaves it in the inbox, and
step 1 files it on the next poll. The agents' follow-up is dispatched after the commit.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError

from o2c.adapters.formats.orders import identify_order_file
from o2c.adapters.store import tables as t
from o2c.adapters.store.mailbox_store import MailboxMessages, MailRecord
from o2c.domain import commands as c
from o2c.domain.conversations import injection_signals
from o2c.domain.customers import Customer
from o2c.ports.mail import IncomingMail, Mailbox
from o2c.services.collections import COLLECTIONS_KINDS
from o2c.services.conversations import chat_turn
from o2c.services.documents import import_document, is_bank_file, needs_a_person
from o2c.services.intake import IntakeService
from o2c.services.intake_channels import EmailOrder, request_from_email
from o2c.services.proposals import run_command
from o2c.services.replies import classify_reply

if TYPE_CHECKING:
    from o2c.bootstrap import App

ACTOR = "mail-intake"
DOCUMENT_SUFFIXES = frozenset(
    {
        ".csv",
        ".txt",
        ".xml",
        ".edi",
        ".x12",
        ".edifact",
        ".850",
        ".820",
        ".sta",
        ".mt940",
        ".940",
        ".942",
        ".bai",
        ".bai2",
        ".ofx",
        ".qfx",
        ".zip",
        ".pdf",
        ".camt",
        ".053",
        ".054",
        ".dat",
        ".xlsx",
    }
)
SURE = 0.85
_TOKEN = re.compile(r"<?([^@<>\s]+)@")


@dataclass(frozen=True, slots=True)
class MailOutcome:
    """What became of one message: ``outcome`` is the folder it goes to ("done" or "quarantine")."""

    message_key: str
    uid: int
    route: str
    outcome: str
    already_done: bool = False
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TrustedSenders:
    """Addresses or domains (``@bank.example``) whose documents are imported without being a customer."""

    entries: frozenset[str] = frozenset()

    @classmethod
    def parse(cls, text: str | None) -> TrustedSenders:
        return cls(frozenset(e.strip().lower() for e in (text or "").split(",") if e.strip()))

    def __contains__(self, address: object) -> bool:
        sender = str(address).lower()
        return sender in self.entries or "@" + sender.rpartition("@")[2] in self.entries


def poll_once(
    app: App,
    mailbox: Mailbox,
    trusted: TrustedSenders = TrustedSenders(),
    on_done: Callable[[MailOutcome], None] | None = None,
) -> list[MailOutcome]:
    """Process every message waiting in ``mailbox`` and file each away; the outcomes, in order
    (``on_done`` hears of each as soon as it is filed)."""
    outcomes = []
    for mail in mailbox.waiting():
        outcome = receive(app, mail, mailbox.name, trusted)
        mailbox.file(mail, outcome.outcome)
        outcomes.append(outcome)
        if on_done is not None:
            on_done(outcome)
    return outcomes


def receive(
    app: App, mail: IncomingMail, mailbox: str, trusted: TrustedSenders = TrustedSenders()
) -> MailOutcome:
    """Act on one message and record it, in one transaction (see the module's steps)."""
    try:
        with app.engine.connect() as conn, conn.begin():
            records = MailboxMessages(conn)
            known = records.seen(mail.key, mailbox, mail.uid_validity, mail.uid)
            if known is not None:
                return MailOutcome(mail.key, mail.uid, known.route, known.outcome, True, known.detail)
            route, outcome, detail = _act(app.within(conn), mail, trusted)
            records.add(
                MailRecord(
                    mail.key,
                    mailbox,
                    mail.uid_validity,
                    mail.uid,
                    mail.sender,
                    mail.subject,
                    route,
                    outcome,
                    detail,
                    app.clock.now(),
                )
            )
    except (
        IntegrityError
    ):  # another poller recorded the same message first: its effects stand, ours are undone
        return MailOutcome(mail.key, mail.uid, "elsewhere", "done", True)
    app.dispatcher.drain()
    return MailOutcome(mail.key, mail.uid, route, outcome, False, detail)


def _act(app: App, mail: IncomingMail, trusted: TrustedSenders) -> tuple[str, str, dict[str, Any]]:
    text = f"{mail.subject}\n{mail.text}"
    with app.uow() as uow:
        customers = uow.customers.all()
    customer = _customer(mail.sender, customers)
    if customer is None and mail.sender not in trusted:
        return _to_person(
            app, None, mail, "unknown_sender", f"e-mail from {mail.sender}, not a customer's address"
        )
    if flags := injection_signals(text):
        return _to_person(
            app,
            customer.id if customer else None,
            mail,
            "instructions",
            f"e-mail from {mail.sender} reads like instructions ({', '.join(flags)}): nothing done",
        )
    documents = [a for a in mail.attachments if _is_document(a.content, a.filename)]
    if documents:
        reports = [import_document(app, a.content, a.filename, match=False) for a in documents]
        held = [a.filename for a, r in zip(documents, reports, strict=True) if needs_a_person(r)]
        return (
            "attachments",
            "quarantine" if held else "done",
            {"files": [a.filename for a in documents], "quarantined": held},
        )
    if customer is None:
        return _to_person(
            app, None, mail, "no_document", f"e-mail from trusted sender {mail.sender} without a document"
        )
    return _read_text(app, customer, mail, text)


def _customer(sender: str, customers: Iterable[Customer]) -> Customer | None:
    """Only a customer's own address identifies it (a shared domain is not enough to act on)."""
    return next((cu for cu in customers if cu.email and cu.email.strip().lower() == sender), None)


def _is_document(content: bytes, filename: str) -> bool:
    return (
        PurePath(filename).suffix.lower() in DOCUMENT_SUFFIXES
        or is_bank_file(content, filename)
        or identify_order_file(content, filename) is not None
    )


def _read_text(
    app: App, customer: Customer, mail: IncomingMail, text: str
) -> tuple[str, str, dict[str, Any]]:
    if reminder := _reminder_answered(app, customer, mail):
        return _reply(app, customer, mail, "reminder_reply", {"reminder": reminder})
    today = app.clock.today()
    reading = classify_reply(text, today)
    about_account = (
        reading.intent in ("promise_to_pay", "dispute", "already_paid") and reading.confidence >= SURE
    )
    if not about_account and _orders_something(app, customer, mail, today):
        order = IntakeService.for_app(app).receive_emails(
            [EmailOrder(mail.sender, mail.text, mail.message_id)]
        )
        held = any(o.status == "quarantined" for o in order)
        return (
            "order",
            "quarantine" if held else "done",
            {"orders": [[o.source_ref, o.status] for o in order]},
        )
    if reading.intent not in ("other", "out_of_office") and reading.confidence >= 0.6:
        return _reply(app, customer, mail, "customer_reply", {"intent": reading.intent})
    answer = chat_turn(app, None, mail.sender, mail.text, None, channel="email")
    return "conversation", "done", {"conversation": answer.conversation_id}


def _reply(
    app: App, customer: Customer, mail: IncomingMail, route: str, detail: dict[str, Any]
) -> tuple[str, str, dict[str, Any]]:
    command = c.ReceiveCustomerReply(
        customer.id,
        "email",
        mail.subject[:300],
        mail.text,
        mail.sender,
        f"mail:{hashlib.sha256(mail.key.encode()).hexdigest()[:40]}",
    )
    with app.uow() as uow:
        result = run_command(uow, command, ACTOR, f"e-mail {mail.key[:80]} from {mail.sender}", app.company)
        uow.commit()
    return route, "done", {**detail, "result": result}


def _reminder_answered(app: App, customer: Customer, mail: IncomingMail) -> str | None:
    """The sent reminder (or other collections message) whose Message-ID the mail's threading names."""
    tokens = {m.group(1) for ref in mail.in_reply_to if (m := _TOKEN.match(ref))}
    if not tokens:
        return None
    with app.uow() as uow:
        sent = uow.messages.where(
            t.customer_messages.c.customer_id == customer.id,
            t.customer_messages.c.direction == "out",
            t.customer_messages.c.kind.in_(COLLECTIONS_KINDS),
            limit=2000,
        )
    return next((m.id for m in sent if _header_token(m.dedupe_key or m.id) in tokens), None)


def _header_token(key: str) -> str:
    """The local part of the Message-ID ``SmtpMailer`` gives a message (see ``OutgoingMail.header_id``)."""
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _orders_something(app: App, customer: Customer, mail: IncomingMail, today: Any) -> bool:
    with app.uow() as uow:
        products = uow.products.all()
    request = request_from_email(
        EmailOrder(mail.sender, mail.text, mail.message_id), today, [customer], products
    )
    return any(line.sku for line in request.lines)


def _to_person(
    app: App, customer_id: str | None, mail: IncomingMail, why: str, title: str
) -> tuple[str, str, dict[str, Any]]:
    command = c.HandToPerson(
        customer_id,
        f"mail:{mail.key[:90]}",
        title[:300],
        f"From: {mail.sender}\nSubject: {mail.subject}\n\n{mail.text[:2000]}",
        "mail_review",
    )
    with app.uow() as uow:
        result = run_command(uow, command, ACTOR, title, app.company)
        uow.commit()
    return "person", "quarantine", {"why": why, "result": result}
