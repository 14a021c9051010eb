"""Customer replies to reminders: what the customer says, and what collections does about it.

``classify_reply`` reads a reply (English, Dutch, French, German; typos tolerated) into one of six
intents — promise to pay (with date and amount), dispute (with reason), already paid (with details),
copy request, out of office, other — from weighted cue phrases plus the dates it mentions (a future
date with a paying verb leans to a promise, a past one to "already paid"). ``proposals_for_reply``
turns the reading into proposals: record the promise, open the dispute, hold reminders while the
announced payment is looked for, send the copy, or hand the reply to a person. Text from customers is
untrusted: it chooses among these actions only, each through the policy gate.
``evaluate_replies`` scores the classifier on the labelled set in ``eval/replies/``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from o2c.adapters.nlp.amounts import find_amounts
from o2c.adapters.nlp.dates import find_dates
from o2c.adapters.store.collections_store import dunning_notices
from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.base import Proposal
from o2c.domain import commands as c
from o2c.domain.disputes import REASON_WORDS, classify_reason, normalise, stem_in
from o2c.domain.ledger import OpenItem, Side
from o2c.domain.messages import CustomerMessage
from o2c.domain.money import Money

INTENTS = ("promise_to_pay", "dispute", "already_paid", "copy_request", "out_of_office", "other")
PRIORITY = ("out_of_office", "dispute", "copy_request", "already_paid", "promise_to_pay")
CUES: dict[str, tuple[str, ...]] = {
    "out_of_office": ("out of office", "out of the office", "automatic reply", "auto reply", "autoreply",
                      "on holiday", "on annual leave", "on parental leave", "away from my desk", "currently away",
                      "not monitored", "no access to e mail", "no access to email", "will return", "when i return",
                      "afwezig", "automatisch antwoord", "met vakantie", "op vakantie", "weer bereikbaar",
                      "niet op kantoor", "niet doorgestuurd", "absent", "reponse automatique", "en conge",
                      "en vacances", "message d'absence", "de retour", "ne sera pas transfere",
                      "nicht im buro", "automatische antwort", "im urlaub", "abwesenheitsnotiz",
                      "wieder erreichbar", "derzeit abwesend", "keinen zugriff", "travelling", "traveling"),
    "dispute": ("dispute", "contest", "betwist", "conteste", "reklamation", "credit note", "creditnota",
                "gutschrift", "avoir", "deduct", "ingehouden", "=deduit", "abgezogen", "will not pay",
                "won't pay", "=wij betalen niet", "zahlen nicht", "klopt niet", "=falsch", "wrong",
                "incorrect", "=faux", "not agreed", "not applied", "niet verrekend", "pas ete appliquee",
                "nicht berucksichtigt", "=collect them", "=ophalen"),
    "already_paid": ("already paid", "=allready", "=payed", "been paid", "was paid", "paid in full", "paid on",
                     "was made", "was sent", "were wired", "=wired", "settled", "left our account",
                     "went out", "remittance", "proof of payment", "received our payment", "incoming payments",
                     "al betaald", "is betaald", "al voldaan", "=gisteren", "vorige week", "uitgevoerd",
                     "betaalbewijs", "=deja", "ete payee", "=a ete effectue", "a ete payee", "avons regle",
                     "justificatif", "=hier", "semaine derniere", "=bereits", "schon bezahlt", "=uberwiesen",
                     "=gestern", "ist erfolgt", "zahlungsnachweis", "kontoauszug", "yesterday", "last week",
                     "by bank transfer", "par virement le", "samen met de andere"),
    "copy_request": ("copy", "=kopie", "=copie", "duplicate of the invoice", "a duplicate of", "=duplicaat", "=duplicata",
                     "resend", "send the invoice again", "send us the document", "never received",
                     "not received", "niet ontvangen", "opnieuw sturen", "nog een keer", "renvoyer",
                     "transmettre a nouveau", "jamais recu", "erneut", "nochmal schicken", "nie erhalten",
                     "cannot find this invoice", "forward it", "send me the invoices", "resent",
                     "factuur mailen", "facture en pdf", "as pdf", "als pdf", "lost it"),
    "promise_to_pay": ("will pay", "we'll pay", "i'll pay", "will be paid", "will be made", "will transfer",
                       "we'll transfer", "will settle", "=scheduled", "plan to pay", "payment run", "by the end of",
                       "next week", "=next friday", "=next monday", "=tomorrow", "until next", "expect payment",
                       "pay then", "get this paid", "=promise", "wij betalen", "we betalen", "betalen we",
                       "gaan betalen", "=zullen", "=wordt", "ingepland", "volgende week", "eind van de maand",
                       "betaalrun", "paierons", "sera effectue", "allons regler", "=partira", "=prevu",
                       "semaine prochaine", "fin du mois", "reglerons", "=werden", "zahlung erfolgt",
                       "=uberweisen", "wir zahlen", "nachste woche", "ende des monats", "zahlungslauf",
                       "=beglichen", "the rest on"),
}
INVOICE_REF = re.compile(r"\bINV-\d{4}-\d{3,}\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ReplyReading:
    intent: str
    confidence: float
    invoices: tuple[str, ...] = ()
    promised_date: date | None = None
    amount: Decimal | None = None
    reason: str | None = None
    scores: dict[str, int] | None = None


PAYING = ("=pay", "=paid", "betal", "=paie", "=pai", "=regl", "=zahl", "uberw", "transfer", "settle",
          "virement", "=overma", "overgemaakt", "=voldo", "bezahl", "beglich", "zahlung")
WEIGHT = {"out_of_office": 2}


def _scores(text: str) -> dict[str, int]:
    words = normalise(text).split()
    scores = {intent: WEIGHT.get(intent, 1) * sum(1 for stem in stems if stem_in(stem, words))
              for intent, stems in CUES.items()}
    scores["dispute"] += sum(1 for stems in REASON_WORDS.values() for stem in stems if stem_in(stem, words))
    return scores


def _pays(text: str) -> bool:
    words = normalise(text).split()
    return any(stem_in(stem, words) for stem in PAYING)


def classify_reply(text: str, today: date) -> ReplyReading:
    """The intent of a reply, its confidence, and the entities each intent needs."""
    scores = _scores(text)
    dates = find_dates(text, today)
    if not _pays(text):
        scores["promise_to_pay"] = 0
    elif any(d.start > today for d in dates):
        scores["promise_to_pay"] += 1
    top = max(scores.values())
    if top == 0:
        return ReplyReading("other", 0.5, scores=scores)
    intent = next(i for i in PRIORITY if scores[i] == top)
    margin = top - max(v for k, v in scores.items() if k != intent)
    confidence = 0.95 if margin >= 2 else 0.85 if margin == 1 else 0.6
    invoices = tuple(dict.fromkeys(m.upper() for m in INVOICE_REF.findall(text)))
    amounts = [a.value for a in find_amounts(text)]
    future = [d.start for d in dates if d.start > today]
    reason = classify_reason(text)[0].value if intent == "dispute" else None
    return ReplyReading(intent, confidence, invoices, future[0] if future else None,
                        amounts[0] if amounts else None, reason, scores)


# --- acting on a reply ---------------------------------------------------------------------------
def _open_invoices(uow: UnitOfWork, customer_id: str) -> list[OpenItem]:
    return [i for i in uow.ledger.open_items_of(customer_id, Side.DEBIT) if i.kind == "invoice"]


def _last_reminded(uow: UnitOfWork, customer_id: str) -> list[str]:
    row = uow.conn.execute(dunning_notices.select().where(dunning_notices.c.customer_id == customer_id)
                           .order_by(dunning_notices.c.id.desc()).limit(1)).mappings().first()
    if row is None:
        return []
    docs = uow.conn.execute(dunning_notices.select().with_only_columns(dunning_notices.c.document)
                            .where(dunning_notices.c.carrier_ref == row["carrier_ref"])).scalars()
    return list(docs)


def concerned(uow: UnitOfWork, customer_id: str, reading: ReplyReading, today: date) -> list[OpenItem]:
    """The open invoices a reply is about: those it names, else the last reminder's, else the overdue ones."""
    open_items = {i.document: i for i in _open_invoices(uow, customer_id)}
    for candidates in (reading.invoices, _last_reminded(uow, customer_id)):
        found = [open_items[d] for d in candidates if d in open_items]
        if found:
            return found
    return [i for i in open_items.values() if i.due_date < today]


def _total(items: list[OpenItem], currency: str) -> Money:
    total = Money.zero(currency)
    for item in items:
        if item.open.currency == currency:
            total = total + item.open
    return total


def proposals_for_reply(uow: UnitOfWork, message: CustomerMessage, agent: str) -> list[Proposal]:
    """What to do about one reply, as proposals for the policy gate."""
    today = uow.clock.today()
    reading = classify_reply(f"{message.subject}\n{message.body}", today)
    customer = uow.customers.get(message.customer_id) if message.customer_id else None
    subject = f"message:{message.id}"
    evidence: dict[str, Any] = {"message": message.id, "intent": reading.intent, "scores": reading.scores}
    if customer is None or reading.intent == "other" or reading.confidence < 0.6:
        return [Proposal(agent, "hand_to_person", c.HandToPerson(message.customer_id, subject,
                         f"Read reply {message.id}", message.body[:1000], "reply_review"), subject,
                         f"reply read as {reading.intent} ({reading.confidence:.2f}): a person decides", evidence)]
    if reading.intent == "out_of_office":
        return []
    items = concerned(uow, customer.id, reading, today)
    docs = tuple(i.document for i in items)
    segment = customer.segment.value
    evidence["invoices"] = list(docs)
    if reading.intent == "promise_to_pay":
        promised = reading.promised_date or today + timedelta(days=7)
        amount = Money(reading.amount, customer.currency).quantize() if reading.amount \
            else _total(items, customer.currency)
        return [Proposal(agent, "record_promise", c.RecordPromiseToPay(customer.id, docs, amount, promised,
                         f"reply:{message.id}"), subject, f"customer promises {amount} by {promised}",
                         evidence, reading.confidence, amount, segment)]
    if reading.intent == "dispute":
        found = [Proposal(agent, "open_dispute", c.OpenDispute(
            customer.id, i.document, reading.reason or "other",
            Money(reading.amount, i.open.currency).quantize() if reading.amount and len(items) == 1 else i.open,
            f"reply:{message.id}", message.body[:1000]), f"invoice:{i.document}",
            f"customer disputes {i.document}: {reading.reason}", evidence, reading.confidence, i.open, segment)
            for i in items]
        return found or [Proposal(agent, "hand_to_person", c.HandToPerson(
            customer.id, subject, f"Dispute without an open invoice ({message.id})", message.body[:1000],
            "dispute_review"), subject, "dispute names no open invoice", evidence)]
    if reading.intent == "already_paid":
        return [Proposal(agent, "record_payment_announcement", c.RecordPaymentAnnouncement(
            customer.id, docs, message.body[:500], f"reply:{message.id}"), subject,
            f"customer says {', '.join(docs) or 'the account'} is paid: hold reminders and look for it",
            evidence, reading.confidence, _total(items, customer.currency), segment)]
    return [Proposal(agent, "send_invoice_copy", c.SendInvoiceCopy(customer.id, docs), subject,
                     f"customer asks for a copy of {', '.join(docs) or 'its invoices'}", evidence,
                     reading.confidence, None, segment)]


# --- evaluation ----------------------------------------------------------------------------------
EVAL_DIR = Path(__file__).resolve().parents[3] / "eval" / "replies"


def _per_class(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    total, right = Counter(label for label, _ in pairs), Counter(label for label, got in pairs if label == got)
    return {"examples": len(pairs), "accuracy": round(sum(right.values()) / len(pairs), 3) if pairs else None,
            "per_class": {k: round(right[k] / total[k], 3) for k in sorted(total)},
            "errors": [(label, got) for label, got in pairs if label != got]}


def evaluate_replies(path: Path | None = None, today: date = date(2026, 10, 5)) -> dict[str, Any]:
    rows = yaml.safe_load((path or EVAL_DIR / "replies.yaml").read_text())
    return _per_class([(r["label"], classify_reply(r["text"], today).intent) for r in rows])


def evaluate_reasons(path: Path | None = None) -> dict[str, Any]:
    rows = yaml.safe_load((path or EVAL_DIR / "dispute_reasons.yaml").read_text())
    return _per_class([(r["label"], classify_reason(r["text"])[0].value) for r in rows])
