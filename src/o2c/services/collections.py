"""Collections use cases: what holds a reminder today, drafting letters, the daily run, mail delivery.

The dunning rules come from ``policy/dunning.yaml``. ``holds`` reads the shared state that pauses
reminders (open cases, valid promises, announced payments); handlers call it again when they execute
a reminder, so a reminder planned in the morning never goes out for an invoice disputed, paid or
promised since. Drafts come from templates in the customer's language (``TemplateDrafts``); a
``DraftRewriter`` (an LLM, if one is configured) may reword them, never change what they say is owed.
``start_day`` records the day's ``CollectionsDayStarted`` event: the agents do the rest through the
dispatcher. ``deliver_queued`` hands queued collections messages to the mail port outside quiet hours.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import yaml

from o2c.adapters.mail import Mailer, OutgoingMail
from o2c.adapters.store import tables as t
from o2c.adapters.store.collections_store import CollectionsStore
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.customers import Customer
from o2c.domain.dunning import DunningRules, Holds, Receivable, Tone, parse_rules
from o2c.domain.errors import DomainError
from o2c.domain.ledger import OpenItem, Side
from o2c.domain.messages import CustomerMessage, Task
from o2c.domain.payments import Case, PromiseToPay
from o2c.services.prediction import invoice_history, open_invoices, train

if TYPE_CHECKING:
    from o2c.bootstrap import App
    from o2c.services.handlers import Company

COLLECTIONS_KINDS = ("dunning_friendly", "dunning_firm", "dunning_final", "statement", "invoice_copy",
                     "promise_followup", "dispute_acknowledged", "dispute_resolved", "dispute_rejected")


@cache
def _rules_from(text: str) -> tuple[DunningRules, dict[str, Any]]:
    raw = yaml.safe_load(text)
    return parse_rules(raw), raw


def load_dunning_rules(path: Path | None = None) -> DunningRules:
    text = path.read_text() if path else resources.files("o2c.policy").joinpath("dunning.yaml").read_text()
    return _rules_from(text)[0]


def collectors(path: Path | None = None) -> dict[str, list[str]]:
    text = path.read_text() if path else resources.files("o2c.policy").joinpath("dunning.yaml").read_text()
    return {k: list(v) for k, v in (_rules_from(text)[1].get("collectors") or {}).items()}


def holds(uow: UnitOfWork, rules: DunningRules, today: date, customer_id: str | None = None) -> Holds:
    """Everything that pauses reminders today, read from the shared state."""
    store = CollectionsStore(uow.conn)
    conditions = [t.promises.c.status == "open"]
    if customer_id:
        conditions.append(t.promises.c.customer_id == customer_id)
    promised, customers = store.promise_holds(uow.promises.where(*conditions), today, rules.promise_grace_days)
    return Holds(store.disputed_documents(), frozenset(promised), store.announced_documents(today),
                 frozenset(customers))


def receivables(uow: UnitOfWork, items: Iterable[OpenItem]) -> list[Receivable]:
    invoices = [i for i in items if i.side is Side.DEBIT and i.kind == "invoice" and not i.is_settled]
    sent = CollectionsStore(uow.conn).sent_steps([i.document for i in invoices])
    return [Receivable(i.document, i.customer_id, i.open, i.due_date, sent.get(i.document, frozenset()))
            for i in invoices]


# --- drafting ------------------------------------------------------------------------------------
GREETING = {"en": "Dear {name},", "nl": "Beste {name},", "fr": "Madame, Monsieur ({name}),",
            "de": "Sehr geehrte Damen und Herren ({name}),"}
SIGN_OFF = {"en": "Kind regards,\nAccounts receivable", "nl": "Met vriendelijke groet,\nDebiteurenbeheer",
            "fr": "Cordialement,\nService comptabilité clients", "de": "Mit freundlichen Grüßen\nDebitorenbuchhaltung"}
REMINDER = {
    ("en", Tone.FRIENDLY): ("Friendly reminder: open invoices",
                            "Our records show the invoices below are due. If you have already paid, thank you "
                            "and please ignore this message; otherwise we would appreciate payment soon."),
    ("en", Tone.FIRM): ("Second reminder: overdue invoices",
                        "The invoices below are overdue. Please pay them within 7 days or tell us why they "
                        "are not paid (reply to this message)."),
    ("en", Tone.FINAL): ("Final notice before further steps",
                         "Despite earlier reminders the invoices below remain unpaid. Unless we receive "
                         "payment within 7 days, we will stop deliveries and hand the account to collection."),
    ("nl", Tone.FRIENDLY): ("Vriendelijke herinnering: openstaande facturen",
                            "Volgens onze administratie staan onderstaande facturen nog open. Heeft u al "
                            "betaald, dan danken wij u; zo niet, dan zien wij uw betaling graag tegemoet."),
    ("nl", Tone.FIRM): ("Tweede herinnering: vervallen facturen",
                        "Onderstaande facturen zijn vervallen. Wilt u binnen 7 dagen betalen of ons laten "
                        "weten waarom ze nog openstaan?"),
    ("nl", Tone.FINAL): ("Laatste aanmaning",
                         "Ondanks eerdere herinneringen zijn onderstaande facturen onbetaald. Zonder betaling "
                         "binnen 7 dagen stoppen wij de leveringen en dragen wij de vordering over."),
    ("fr", Tone.FRIENDLY): ("Rappel amical : factures ouvertes",
                            "Selon nos écritures, les factures ci-dessous sont échues. Si vous avez déjà payé, "
                            "merci et ne tenez pas compte de ce message."),
    ("fr", Tone.FIRM): ("Deuxième rappel : factures échues",
                        "Les factures ci-dessous sont échues. Merci de les régler sous 7 jours ou de nous "
                        "indiquer pourquoi elles ne le sont pas."),
    ("fr", Tone.FINAL): ("Mise en demeure",
                         "Malgré nos rappels, les factures ci-dessous restent impayées. Sans paiement sous "
                         "7 jours, nous suspendrons les livraisons et transmettrons le dossier au recouvrement."),
    ("de", Tone.FRIENDLY): ("Freundliche Zahlungserinnerung",
                            "Laut unserer Buchhaltung sind die folgenden Rechnungen fällig. Falls Sie bereits "
                            "bezahlt haben, danken wir Ihnen und bitten Sie, diese Nachricht zu ignorieren."),
    ("de", Tone.FIRM): ("Zweite Mahnung: überfällige Rechnungen",
                        "Die folgenden Rechnungen sind überfällig. Bitte zahlen Sie innerhalb von 7 Tagen "
                        "oder teilen Sie uns mit, warum sie offen sind."),
    ("de", Tone.FINAL): ("Letzte Mahnung",
                         "Trotz unserer Erinnerungen sind die folgenden Rechnungen unbezahlt. Ohne Zahlung "
                         "innerhalb von 7 Tagen stellen wir die Lieferungen ein und übergeben die Forderung."),
}
PHRASES = {
    "statement": {"en": "Statement of account", "nl": "Rekeningoverzicht", "fr": "Relevé de compte",
                  "de": "Kontoauszug"},
    "copy": {"en": "Copy of invoice", "nl": "Kopie factuur", "fr": "Copie de facture", "de": "Rechnungskopie"},
    "broken": {"en": "Your payment promise of {date}", "nl": "Uw betalingsbelofte van {date}",
               "fr": "Votre promesse de paiement du {date}", "de": "Ihre Zahlungszusage vom {date}"},
    "broken_body": {"en": "You promised to pay {amount} by {date}; we have not received it. Please pay now "
                          "or tell us when.",
                    "nl": "U beloofde {amount} te betalen uiterlijk {date}; wij hebben niets ontvangen. "
                          "Betaal a.u.b. nu of laat ons weten wanneer.",
                    "fr": "Vous aviez promis de payer {amount} au plus tard le {date} ; nous n'avons rien "
                          "reçu. Merci de payer ou de nous indiquer une date.",
                    "de": "Sie hatten zugesagt, {amount} bis {date} zu zahlen; wir haben nichts erhalten. "
                          "Bitte zahlen Sie jetzt oder nennen Sie uns ein Datum."},
}


def _language(customer: Customer) -> str:
    return customer.language if customer.language in GREETING else "en"


class DraftRewriter(Protocol):
    def rewrite(self, subject: str, body: str, language: str, tone: str) -> tuple[str, str]:
        """Reword a draft; amounts, invoice numbers and dates must stay as they are."""
        ...


@dataclass(frozen=True, slots=True)
class TemplateDrafts:
    """The default drafting: fixed templates per language and tone (no rewriter)."""

    rewriter: DraftRewriter | None = None

    def _wrap(self, customer: Customer, subject: str, text: str, tone: str = "neutral") -> tuple[str, str]:
        lang = _language(customer)
        body = f"{GREETING[lang].format(name=customer.name)}\n\n{text}\n\n{SIGN_OFF[lang]}"
        return self.rewriter.rewrite(subject, body, lang, tone) if self.rewriter else (subject, body)

    def reminder(self, customer: Customer, tone: Tone, lines: list[str]) -> tuple[str, str]:
        subject, intro = REMINDER[(_language(customer), tone)]
        return self._wrap(customer, subject, intro + "\n\n" + "\n".join(lines), tone.value)

    def statement(self, customer: Customer, lines: list[str], as_of: date) -> tuple[str, str]:
        title = f"{PHRASES['statement'][_language(customer)]} {customer.id} {as_of.isoformat()}"
        return self._wrap(customer, title, "\n".join(lines))

    def invoice_copy(self, customer: Customer, numbers: tuple[str, ...]) -> tuple[str, str]:
        title = f"{PHRASES['copy'][_language(customer)]} {', '.join(numbers)}"
        return self._wrap(customer, title, "\n".join(numbers))

    def broken_promise(self, customer: Customer, amount: str, promised: date) -> tuple[str, str]:
        lang = _language(customer)
        return self._wrap(customer, PHRASES["broken"][lang].format(date=promised.isoformat()),
                          PHRASES["broken_body"][lang].format(amount=amount, date=promised.isoformat()), "firm")

    def case_outcome(self, customer: Customer, case_id: str, outcome: str, note: str) -> tuple[str, str]:
        return self._wrap(customer, f"{case_id}: {outcome.replace('_', ' ')}", note)


DRAFTS = TemplateDrafts()


def item_line(item: OpenItem, today: date) -> str:
    late = (today - item.due_date).days
    when = f"{late} days overdue" if late > 0 else f"due {item.due_date.isoformat()}"
    return f"- {item.document}: {item.open} open of {item.original} ({when})"


# --- the daily run and delivery ------------------------------------------------------------------
def refresh_predictions(uow: UnitOfWork, today: date) -> int:
    """Refit the payment-date model on the books' history and store a prediction per open invoice
    (``source`` says whether the customer's own history gave it or it fell back to the segment or the
    due date)."""
    model = train(invoice_history(uow.conn), today)
    rows = []
    for inv in open_invoices(uow.conn):
        p = model.predict(inv, today)
        rows.append({"document": p.document, "customer_id": inv.customer_id, "predicted_on": today,
                     "expected_date": p.expected_date, "expected_delay": p.expected_delay, "risk": p.risk,
                     "source": p.source})
    CollectionsStore(uow.conn).save_predictions(rows)
    return len(rows)


def start_day(app: App, predict_weekday: int | None = 0) -> None:
    """Record the day's collections event (the dispatcher hands it to the agents exactly once); on
    ``predict_weekday`` (Monday by default; None: every day) refresh the payment predictions first."""
    with app.uow() as uow:
        today = app.clock.today()
        if predict_weekday is None or today.weekday() == predict_weekday:
            refresh_predictions(uow, today)
        uow.emit(e.CollectionsDayStarted(today.isoformat()))
        uow.commit()


def deliver_queued(uow: UnitOfWork, mailer: Mailer, at: datetime, rules: DunningRules,
                   sender: str = "receivables@o2c.invalid") -> int:
    """Send queued collections messages (e-mail through ``mailer``; letters and portal notes are
    marked sent for the print and portal runs). Nothing leaves in quiet hours."""
    if rules.is_quiet(at):
        return 0
    sent = 0
    for message in uow.messages.queued():
        if message.kind not in COLLECTIONS_KINDS:
            continue
        customer = uow.customers.get(message.customer_id) if message.customer_id else None
        if message.channel == "email" and customer is not None and customer.email:
            mailer.send(OutgoingMail(message.id, sender, customer.email, message.subject, message.body,
                                     message.language, message.dedupe_key))
        uow.messages.mark_sent(replace(message), at)
        sent += 1
    return sent


# --- handlers (merged into the service layer's command table in ``services.handlers``) -----------
def _customer(uow: UnitOfWork, customer_id: str) -> Customer:
    customer = uow.customers.get(customer_id)
    if customer is None:
        raise DomainError(f"unknown customer {customer_id!r}")
    return customer


def _message(uow: UnitOfWork, customer: Customer, channel: str, kind: str, subject: str, body: str,
             related: str, dedupe_key: str, meta: dict[str, Any] | None = None) -> str | None:
    message_id = uow.sequences.next("message", "MSG")
    added = uow.messages.add(CustomerMessage(
        id=message_id, created_at=uow.clock.now(), customer_id=customer.id, direction="out", channel=channel,
        kind=kind, subject=subject, body=body, language=_language(customer), related=related[:100],
        dedupe_key=dedupe_key[:200], meta=meta or {}))
    return message_id if added else None


def _task(uow: UnitOfWork, kind: str, subject: str, title: str, detail: str, dedupe_key: str,
          evidence: dict[str, Any] | None = None) -> str | None:
    task_id = uow.sequences.next("task", "TASK")
    added = uow.tasks.add(Task(id=task_id, created_at=uow.clock.now(), team="collections", kind=kind,
                               subject=subject[:100], title=title[:300], detail=detail,
                               evidence=evidence or {}, dedupe_key=dedupe_key[:200]))
    return task_id if added else None


def send_reminder(uow: UnitOfWork, cmd: c.SendReminder, company: Company) -> str:
    """Check every invoice again (paid, disputed, promised, announced, step sent) and send the rest."""
    customer = _customer(uow, cmd.customer_id)
    today = uow.clock.today()
    held = holds(uow, load_dunning_rules(), today, customer.id)
    sent = CollectionsStore(uow.conn).sent_steps(cmd.documents)
    items, skipped = [], []
    for document in cmd.documents:
        item = uow.ledger.item_for_document(document, "invoice")
        reason = "unknown" if item is None or item.customer_id != customer.id else held.blocked_reason(
            Receivable(document, item.customer_id, item.open, item.due_date))
        if reason is None and cmd.steps.get(document) in sent.get(document, frozenset()):
            reason = "step already sent"
        if reason or item is None:
            skipped.append(f"{document}: {reason}")
        else:
            items.append(item)
    if not items:
        return f"no reminder sent: {'; '.join(skipped)}"
    documents = tuple(i.document for i in items)
    subject, body = DRAFTS.reminder(customer, Tone(cmd.tone), [item_line(i, today) for i in items])
    key = f"dunning:{customer.id}:{'+'.join(documents)}:{cmd.steps.get(documents[0], cmd.tone)}"
    if cmd.channel == "phone":
        ref = _task(uow, "collections_call", f"customer:{customer.id}", f"Call {customer.name}: {subject}",
                    body, key, {"documents": list(documents), "tone": cmd.tone})
    else:
        ref = _message(uow, customer, cmd.channel, f"dunning_{cmd.tone}", subject, body, documents[0], key,
                       {"documents": list(documents), "steps": cmd.steps, "strategy": cmd.strategy})
    if ref is None:
        return f"reminder to {customer.id} already sent"
    CollectionsStore(uow.conn).record_notices(customer.id, {d: cmd.steps.get(d, cmd.tone) for d in documents},
                                              cmd.tone, cmd.channel, today, ref)
    uow.emit(e.ReminderSent(customer.id, documents, cmd.tone))
    extra = f" (held: {'; '.join(skipped)})" if skipped else ""
    return f"{cmd.tone} reminder {ref} to {customer.id} by {cmd.channel} for {', '.join(documents)}{extra}"


def send_statement(uow: UnitOfWork, cmd: c.SendStatement, company: Company) -> str:
    customer = _customer(uow, cmd.customer_id)
    today = uow.clock.today()
    items = uow.ledger.open_items_of(customer.id)
    lines = [item_line(i, today) if i.side is Side.DEBIT else f"- {i.document}: credit {i.open}" for i in items]
    subject, body = DRAFTS.statement(customer, lines or ["(nothing open)"], today)
    ref = _message(uow, customer, "email", "statement", subject, body, f"customer:{customer.id}",
                   f"statement:{customer.id}:{today.isoformat()}")
    return f"statement {ref} for {customer.id}" if ref else f"statement for {customer.id} already sent today"


def send_invoice_copy(uow: UnitOfWork, cmd: c.SendInvoiceCopy, company: Company) -> str:
    customer = _customer(uow, cmd.customer_id)
    numbers = tuple(n for n in cmd.invoice_numbers
                    if (inv := uow.invoices.get(n)) is not None and inv.customer_id == customer.id)
    if not numbers:
        numbers = tuple(i.document for i in uow.ledger.open_items_of(customer.id, Side.DEBIT)
                        if i.kind == "invoice")
    if not numbers:
        raise DomainError(f"no invoice of {customer.id} to copy")
    subject, body = DRAFTS.invoice_copy(customer, numbers)
    ref = _message(uow, customer, "email", "invoice_copy", subject, body, numbers[0],
                   f"copy:{customer.id}:{'+'.join(numbers)}:{uow.clock.today().isoformat()}",
                   {"documents": list(numbers)})
    return f"copy {ref} of {', '.join(numbers)} sent" if ref else "copy already sent today"


def receive_customer_reply(uow: UnitOfWork, cmd: c.ReceiveCustomerReply, company: Company) -> str:
    message_id = uow.sequences.next("message", "MSG")
    added = uow.messages.add(CustomerMessage(
        id=message_id, created_at=uow.clock.now(), customer_id=cmd.customer_id, direction="in",
        channel=cmd.channel, kind="customer_reply", subject=cmd.subject[:300], body=cmd.body, status="received",
        dedupe_key=f"reply:{cmd.external_id}" if cmd.external_id else None, meta={"sender": cmd.sender}))
    if not added:
        return f"reply {cmd.external_id} already received"
    uow.emit(e.CustomerReplyReceived(message_id, cmd.customer_id))
    return f"reply {message_id} received from {cmd.customer_id or cmd.sender}"


def record_promise(uow: UnitOfWork, cmd: c.RecordPromiseToPay, company: Company) -> str:
    customer = _customer(uow, cmd.customer_id)
    today = uow.clock.today()
    if cmd.promised_date < today:
        raise DomainError(f"a promise for {cmd.promised_date} is already in the past")
    promise = PromiseToPay(uow.sequences.next("promise", "PTP"), customer.id, cmd.invoice_numbers, cmd.amount,
                           cmd.promised_date, today, source=cmd.source)
    uow.promises.add(promise)
    uow.emit(e.PromiseRecorded(promise.id, customer.id))
    return f"promise {promise.id}: {cmd.amount} by {cmd.promised_date} for {', '.join(cmd.invoice_numbers) or 'the account'}"


def close_promise(uow: UnitOfWork, cmd: c.ClosePromise, company: Company) -> str:
    promise = uow.promises.get(cmd.promise_id)
    if promise is None:
        raise DomainError(f"unknown promise {cmd.promise_id!r}")
    if promise.status != "open":
        return f"promise {promise.id} already {promise.status}"
    if cmd.outcome not in ("kept", "broken"):
        raise DomainError(f"a promise is kept or broken, not {cmd.outcome!r}")
    uow.promises.save(replace(promise, status=cmd.outcome, closed_on=uow.clock.today()))
    if cmd.outcome == "broken":
        uow.emit(e.PromiseBroken(promise.id, promise.customer_id))
    return f"promise {promise.id} {cmd.outcome}"


def follow_up_broken_promise(uow: UnitOfWork, cmd: c.FollowUpBrokenPromise, company: Company) -> str:
    promise = uow.promises.get(cmd.promise_id)
    if promise is None or promise.status != "broken":
        raise DomainError(f"promise {cmd.promise_id} is not broken")
    customer = _customer(uow, promise.customer_id)
    subject, body = DRAFTS.broken_promise(customer, str(promise.amount), promise.promised_date)
    ref = _message(uow, customer, "email", "promise_followup", subject, body, f"promise:{promise.id}",
                   f"promise-broken:{promise.id}", {"promise": promise.id, "documents": list(promise.invoice_numbers)})
    _task(uow, "collections_call", f"customer:{customer.id}", f"Call {customer.name}: broken promise {promise.id}",
          body, f"promise-call:{promise.id}", {"promise": promise.id})
    return f"broken promise {promise.id} followed up ({ref or 'already'})"


def open_dispute(uow: UnitOfWork, cmd: c.OpenDispute, company: Company) -> str:
    customer = _customer(uow, cmd.customer_id)
    if cmd.invoice_number:
        for case in uow.cases.where(t.cases.c.invoice_number == cmd.invoice_number, t.cases.c.status == "open"):
            return f"invoice {cmd.invoice_number} already disputed in {case.id}"
    case = Case(uow.sequences.next("case", "CASE"), customer.id, cmd.invoice_number, "dispute", cmd.amount,
                uow.clock.today(), cmd.source, notes=cmd.notes[:2000], reason_code=cmd.reason_code)
    uow.cases.add(case)
    uow.emit(e.DisputeOpened(case.id, customer.id, cmd.invoice_number, cmd.reason_code))
    return f"dispute {case.id} opened on {cmd.invoice_number or customer.id}: {cmd.reason_code}"


def record_payment_announcement(uow: UnitOfWork, cmd: c.RecordPaymentAnnouncement, company: Company) -> str:
    customer = _customer(uow, cmd.customer_id)
    today = uow.clock.today()
    documents = cmd.invoice_numbers or tuple(i.document for i in uow.ledger.open_items_of(customer.id, Side.DEBIT)
                                             if i.kind == "invoice" and i.due_date <= today)
    announcement_id = uow.sequences.next("announcement", "PAN")
    CollectionsStore(uow.conn).announce(announcement_id, customer.id, documents, today,
                                        today + timedelta(days=load_dunning_rules().announcement_days),
                                        cmd.details or cmd.source)
    uow.emit(e.PaymentAnnounced(announcement_id, customer.id))
    return f"payment announced by {customer.id} for {', '.join(documents) or 'the account'} ({announcement_id})"


def close_announcement(uow: UnitOfWork, cmd: c.CloseAnnouncement, company: Company) -> str:
    CollectionsStore(uow.conn).close_announcement(cmd.announcement_id, cmd.outcome)
    return f"announcement {cmd.announcement_id} {cmd.outcome}"


def hand_to_person(uow: UnitOfWork, cmd: c.HandToPerson, company: Company) -> str:
    ref = _task(uow, cmd.kind, cmd.subject, cmd.title, cmd.detail, f"{cmd.kind}:{cmd.subject}")
    return f"task {ref} for collections: {cmd.title}" if ref else f"task for {cmd.subject} already open"


def change_credit_limit(uow: UnitOfWork, cmd: c.ChangeCreditLimit, company: Company) -> str:
    customer = _customer(uow, cmd.customer_id)
    if cmd.new_limit.currency != customer.currency or cmd.new_limit.is_negative():
        raise DomainError(f"credit limit {cmd.new_limit} does not fit customer {customer.id} ({customer.currency})")
    uow.customers.save(replace(customer, credit_limit=cmd.new_limit))
    uow.emit(e.CreditLimitChanged(customer.id, str(cmd.new_limit.amount), cmd.new_limit.currency))
    return f"credit limit of {customer.id}: {customer.credit_limit} -> {cmd.new_limit}"


def notify_case_outcome(uow: UnitOfWork, case: Case, resolution: str, note: str) -> None:
    """Tell the customer how its dispute ended (rebills also go to billing to reissue)."""
    customer = _customer(uow, case.customer_id)
    kind = "dispute_rejected" if resolution == "reject" else "dispute_resolved"
    subject, body = DRAFTS.case_outcome(customer, case.id, resolution, note)
    _message(uow, customer, "email", kind, subject, body, case.invoice_number or case.id, f"case-outcome:{case.id}",
             {"case": case.id, "resolution": resolution})
    if resolution == "rebill":
        uow.tasks.add(Task(id=uow.sequences.next("task", "TASK"), created_at=uow.clock.now(), team="billing",
                           kind="rebill", subject=f"invoice:{case.invoice_number}",
                           title=f"Reissue {case.invoice_number} corrected ({case.id})", detail=note,
                           dedupe_key=f"rebill:{case.id}"))


HANDLERS: dict[type, Callable[[UnitOfWork, Any, Company], str]] = {
    c.SendReminder: send_reminder,
    c.SendStatement: send_statement,
    c.SendInvoiceCopy: send_invoice_copy,
    c.ReceiveCustomerReply: receive_customer_reply,
    c.RecordPromiseToPay: record_promise,
    c.ClosePromise: close_promise,
    c.FollowUpBrokenPromise: follow_up_broken_promise,
    c.OpenDispute: open_dispute,
    c.RecordPaymentAnnouncement: record_payment_announcement,
    c.CloseAnnouncement: close_announcement,
    c.HandToPerson: hand_to_person,
    c.ChangeCreditLimit: change_credit_limit,
}
