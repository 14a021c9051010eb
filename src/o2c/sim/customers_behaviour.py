"""How the demo's customers answer collections: replies, promises, disputes — and the collectors' desk.

Each simulated day, after the company's own work, ``run_day`` runs collections in the chosen mode
(``sim.collections_mode``): ``agents`` (o2c: the daily collections event, the agents, the mail port)
or ``baseline`` (an ERP dunning run: reminders at fixed days 7, 21 and 35 after the due date for
every open invoice, nothing else; people read every reply). Then customers react to what reached them.

Assumptions (documented, seeded, the same in both modes):
- a share of invoices (``dispute_rate``) has a problem (reason drawn from ``dispute_reasons``): the
  customer withholds payment; ``proactive_complaint`` of them complain on their own within a week,
  the rest say so when reminded; once the case is settled (credited, written off or rejected) they
  pay what is still open within 2-6 days;
- a reminder about an invoice the customer has already paid (or pays within 3 days) draws "already
  paid" with ``already_paid_reply`` probability;
- for other overdue invoices the reminder works with probability ``tone_effect`` (friendly .15, firm
  .30, final .50, a phone call .60) x ``responsiveness`` (prompt/average 1, late .8, chronic .5): the
  customer pays within 2-6 days; otherwise it promises a date (``promise_rate``), kept with
  ``promise_kept`` by behaviour (a broken promise pays 5-20 days after the promised date, or sooner
  if a follow-up works like a firm reminder), or sends an out-of-office (5 %);
- people: in ``baseline`` a collector reads every reply (0.1 h), investigates each dispute (opens the
  case after 1-2 days and settles it 7-20 days later: 1.5 h) and searches each "already paid" (0.5 h);
  in ``agents`` mode the collector decides pending proposals after 1-2 days (0.1 h each) and works the
  tasks the agents raise (reply review 0.1 h, dispute review 1.5 h, payment search 0.5 h, call 0.25 h).
"""

from __future__ import annotations

import random
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from o2c.adapters.mail import OutboxMailer
from o2c.adapters.store import tables as t
from o2c.adapters.store.collections_store import CollectionsStore
from o2c.domain import commands as c
from o2c.domain.errors import DomainError
from o2c.domain.messages import CustomerMessage
from o2c.domain.money import Money
from o2c.services.collections import deliver_queued, load_dunning_rules, start_day

if TYPE_CHECKING:
    from o2c.sim.runner import Simulation

DEFAULTS: dict[str, Any] = {
    "dispute_rate": 0.04, "proactive_complaint": 0.4, "already_paid_reply": 0.6, "promise_rate": 0.4,
    "out_of_office_rate": 0.05, "typo_rate": 0.3,
    "tone_effect": {"friendly": 0.15, "firm": 0.30, "final": 0.50, "phone": 0.60},
    "responsiveness": {"prompt": 1.0, "average": 1.0, "late": 0.8, "chronic": 0.5},
    "promise_kept": {"prompt": 0.95, "average": 0.9, "late": 0.7, "chronic": 0.45},
    "dispute_reasons": {"price": 2, "promotion": 2, "shortage": 3, "damage": 2, "duplicate": 1, "tax": 1,
                        "not_ordered": 1},
    "manual_hours": {"reply_review": 0.1, "dispute_review": 1.5, "payment_search": 0.5, "collections_call": 0.25,
                     "approval": 0.1, "review": 0.1},
}
BASELINE_DAYS = (7, 21, 35)
PARTIAL = {"price", "promotion", "shortage", "damage"}

REPLIES: dict[str, dict[str, list[str]]] = {
    "promise": {"en": ["Apologies, we will pay {docs} on {date}.", "Payment of {amount} will be made on {date}."],
                "nl": ["Excuses, wij betalen {docs} op {date}.", "Het bedrag van {amount} wordt op {date} overgemaakt."],
                "fr": ["Désolés, nous paierons {docs} le {date}.", "Le paiement de {amount} sera effectué le {date}."],
                "de": ["Entschuldigung, wir zahlen {docs} am {date}.", "Die Zahlung von {amount} erfolgt am {date}."]},
    "paid": {"en": ["We already paid {docs}, please check your bank.", "{docs} was paid on {date}."],
             "nl": ["{docs} is al betaald, kijkt u even naar uw bank.", "Wij hebben {docs} op {date} overgemaakt."],
             "fr": ["{docs} a déjà été payée, merci de vérifier.", "Le virement pour {docs} a été effectué le {date}."],
             "de": ["{docs} wurde bereits bezahlt, bitte prüfen.", "Wir haben {docs} am {date} überwiesen."]},
    "ooo": {"en": ["Automatic reply: I am out of the office until {date}."],
            "nl": ["Automatisch antwoord: ik ben afwezig tot {date}."],
            "fr": ["Réponse automatique : je suis absent jusqu'au {date}."],
            "de": ["Automatische Antwort: Ich bin bis {date} nicht im Büro."]},
}
DISPUTES: dict[str, dict[str, str]] = {
    "price": {"en": "The price on {docs} is not the price we agreed.", "nl": "De prijs op {docs} klopt niet met de afgesproken prijs.",
              "fr": "Le prix de {docs} ne correspond pas au prix convenu.", "de": "Der Preis auf {docs} ist nicht der vereinbarte Preis."},
    "promotion": {"en": "The promotion discount is missing on {docs}.", "nl": "De actiekorting ontbreekt op {docs}.",
                  "fr": "La remise promotionnelle manque sur {docs}.", "de": "Der Aktionsrabatt fehlt auf {docs}."},
    "shortage": {"en": "Cases were missing from the delivery of {docs}.", "nl": "Er ontbraken dozen bij de levering van {docs}.",
                 "fr": "Il manquait des caisses dans la livraison de {docs}.", "de": "Bei der Lieferung zu {docs} fehlten Kisten."},
    "damage": {"en": "Part of the goods on {docs} arrived damaged.", "nl": "Een deel van de goederen van {docs} was beschadigd.",
               "fr": "Une partie de la marchandise de {docs} est arrivée abîmée.", "de": "Ein Teil der Ware zu {docs} kam beschädigt an."},
    "duplicate": {"en": "{docs} was billed twice.", "nl": "{docs} is dubbel gefactureerd.",
                  "fr": "{docs} a été facturée deux fois.", "de": "{docs} wurde doppelt berechnet."},
    "tax": {"en": "The VAT on {docs} is wrong.", "nl": "De btw op {docs} is fout.",
            "fr": "La TVA sur {docs} est incorrecte.", "de": "Die MwSt auf {docs} ist falsch."},
    "not_ordered": {"en": "We never ordered the goods on {docs}.", "nl": "Wij hebben {docs} nooit besteld.",
                    "fr": "Nous n'avons jamais commandé {docs}.", "de": "Wir haben {docs} nie bestellt."},
}


@dataclass
class Latent:
    reason: str
    claimed: Money


@dataclass
class PromiseTruth:
    customer_id: str
    documents: tuple[str, ...]
    promised: date
    keep: bool


@dataclass
class Behaviour:
    sim: Simulation
    mode: str
    knobs: dict[str, Any]
    rng: random.Random
    latent: dict[str, Latent] = field(default_factory=dict)
    promises: list[PromiseTruth] = field(default_factory=list)
    person_queue: list[tuple[date, str, Any]] = field(default_factory=list)
    hours: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seen: set[str] = field(default_factory=set)

    # --- the day ---------------------------------------------------------------------------------
    def day(self, day: date) -> None:
        self._new_invoices(day)
        self._proactive_complaints(day)
        if self.mode == "agents":
            self._agents_day()
        else:
            self._baseline_reminders(day)
        self._react(day)
        self._desk(day)
        self._settled_disputes(day)
        if self.mode == "agents":
            self.sim.app.dispatcher.drain()
            self._deliver()

    def _agents_day(self) -> None:
        start_day(self.sim.app)
        self.sim.app.dispatcher.drain()
        self._deliver()

    def _deliver(self) -> None:
        app = self.sim.app
        with app.uow() as uow:
            deliver_queued(uow, OutboxMailer(), app.clock.now(), load_dunning_rules())
            uow.commit()

    # --- invoices and their problems ---------------------------------------------------------------
    def _new_invoices(self, day: date) -> None:
        with self.sim.app.uow() as uow:
            invoices = uow.invoices.where(t.invoices.c.issue_date == day, t.invoices.c.kind == "invoice")
        weights = self.knobs["dispute_reasons"]
        for inv in invoices:
            if self.rng.random() >= self.knobs["dispute_rate"]:
                continue
            reason = self.rng.choices(sorted(weights), [weights[k] for k in sorted(weights)])[0]
            share = Decimal(self.rng.choice(["0.05", "0.10", "0.15", "0.20"])) if reason in PARTIAL else Decimal(1)
            self.latent[inv.number] = Latent(reason, (inv.gross_total * share).quantize())
            if self.rng.random() < self.knobs["proactive_complaint"]:
                self.person_queue.append((day + timedelta(days=self.rng.randint(2, 7)), "complain", inv.number))
            self._withhold(inv.number)

    def _proactive_complaints(self, day: date) -> None:
        due = [(d, k, v) for d, k, v in self.person_queue if k == "complain" and d <= day]
        for item in due:
            self.person_queue.remove(item)
            doc = item[2]
            if doc in self.latent and self._open(doc) > 0:
                self._reply_dispute(self._customer_of(doc), [doc], day)

    # --- payments the simulation planned -----------------------------------------------------------
    def _plans(self) -> dict[date, list[Any]]:
        return getattr(self.sim, "planned", {})

    def _planned_day(self, doc: str) -> date | None:
        return next((d for d, plans in self._plans().items() for p in plans if doc in p.documents), None)

    def _withhold(self, doc: str) -> None:
        for plans in self._plans().values():
            for plan in list(plans):
                if doc in plan.documents:
                    i = plan.documents.index(doc)
                    plan.paid = plan.paid - plan.amounts[i]
                    del plan.documents[i], plan.amounts[i]
                    if not plan.documents:
                        plans.remove(plan)

    def _pay_on(self, doc: str, day: date, amount: Money | None = None) -> None:
        """Move the invoice's payment to ``day`` (a new plan for it alone), for ``amount`` or what is open."""
        from o2c.sim.runner import PlannedPayment

        self._withhold(doc)
        owed = amount or Money.from_minor(self._open(doc), self._currency(doc))
        if owed.is_zero():
            return
        self.sim.planned[day].append(PlannedPayment(self._customer_of(doc), [doc], [owed], owed))

    def _open(self, doc: str) -> int:
        with self.sim.app.uow() as uow:
            item = uow.ledger.item_for_document(doc, "invoice")
        return item.open.to_minor() if item else 0

    def _currency(self, doc: str) -> str:
        with self.sim.app.uow() as uow:
            invoice = uow.invoices.get(doc)
        return invoice.currency if invoice else "EUR"

    def _customer_of(self, doc: str) -> str:
        with self.sim.app.uow() as uow:
            invoice = uow.invoices.get(doc)
        return invoice.customer_id if invoice else ""

    # --- the baseline's ERP dunning run -------------------------------------------------------------
    def _baseline_reminders(self, day: date) -> None:
        app = self.sim.app
        with app.uow() as uow:
            store = CollectionsStore(uow.conn)
            by_customer: dict[str, list[Any]] = defaultdict(list)
            for item in uow.ledger.all_open():
                if item.kind == "invoice" and (day - item.due_date).days in BASELINE_DAYS:
                    by_customer[item.customer_id].append(item)
            for customer_id, items in sorted(by_customer.items()):
                customer = uow.customers.get(customer_id)
                step = BASELINE_DAYS.index(max((day - i.due_date).days for i in items))
                tone = ("friendly", "firm", "final")[step]
                docs = [i.document for i in items]
                message_id = uow.sequences.next("message", "MSG")
                uow.messages.add(CustomerMessage(
                    message_id, app.clock.now(), customer_id, "out", "email", f"dunning_{tone}",
                    f"Reminder {', '.join(docs)}", "Please pay the invoices listed.",
                    customer.language if customer else "en", docs[0], f"erp-dunning:{day}:{customer_id}",
                    "sent", app.clock.now(), {"documents": docs}))
                store.record_notices(customer_id, {i.document: f"day{(day - i.due_date).days}" for i in items},
                                     tone, "email", day, message_id)
            uow.commit()

    # --- customers react to what reached them today --------------------------------------------------
    def _todays_reminders(self, day: date) -> list[tuple[str, list[str], str]]:
        with self.sim.app.uow() as uow:
            rows = uow.conn.execute(select(t.customer_messages.c.id, t.customer_messages.c.customer_id,
                                           t.customer_messages.c.kind, t.customer_messages.c.meta)
                                    .where(t.customer_messages.c.direction == "out",
                                           t.customer_messages.c.created_at >= datetime.combine(day, time()),
                                           t.customer_messages.c.kind.in_(
                                               ["dunning_friendly", "dunning_firm", "dunning_final",
                                                "promise_followup"]))).all()
            calls = uow.conn.execute(select(t.tasks.c.id, t.tasks.c.subject, t.tasks.c.evidence)
                                     .where(t.tasks.c.kind == "collections_call",
                                            t.tasks.c.created_at >= datetime.combine(day, time()))).all()
        found = []
        for mid, cid, kind, meta in rows:
            if mid not in self.seen:
                self.seen.add(mid)
                tone = "firm" if kind == "promise_followup" else kind.removeprefix("dunning_")
                found.append((cid, list((meta or {}).get("documents", [])), tone))
        for tid, subject, evidence in calls:
            if tid not in self.seen:
                self.seen.add(tid)
                self.counts["calls"] += 1
                found.append((subject.removeprefix("customer:"), list((evidence or {}).get("documents", [])), "phone"))
        return found

    def _react(self, day: date) -> None:
        for customer_id, docs, tone in self._todays_reminders(day):
            docs = [d for d in docs if self._open(d) > 0] or docs
            disputed = [d for d in docs if d in self.latent]
            if disputed:
                self._reply_dispute(customer_id, disputed, day)
            rest = [d for d in docs if d not in self.latent]
            paid = [d for d in rest if self._open(d) == 0 or ((p := self._planned_day(d)) and p <= day + timedelta(3))]
            if paid and self.rng.random() < self.knobs["already_paid_reply"]:
                self._reply(customer_id, "paid", paid, day, day - timedelta(days=1))
            late = [d for d in rest if d not in paid and self._open(d) > 0]
            if late:
                self._chase(customer_id, late, tone, day)

    def _chase(self, customer_id: str, docs: list[str], tone: str, day: date) -> None:
        kind = self.sim.world.behaviour.get(customer_id, "average")
        effect = self.knobs["tone_effect"].get(tone, 0.2) * self.knobs["responsiveness"].get(kind, 1.0)
        roll = self.rng.random()
        if roll < effect:
            when = day + timedelta(days=self.rng.randint(2, 6))
            for doc in docs:
                if (p := self._planned_day(doc)) is None or p > when:
                    self._pay_on(doc, when)
        elif roll < effect + self.knobs["promise_rate"]:
            promised = day + timedelta(days=self.rng.randint(4, 12))
            keep = self.rng.random() < self.knobs["promise_kept"].get(kind, 0.8)
            self.promises.append(PromiseTruth(customer_id, tuple(docs), promised, keep))
            for doc in docs:
                planned = self._planned_day(doc)
                if keep and (planned is None or planned > promised):
                    self._pay_on(doc, promised)
                elif not keep and (planned is None or planned <= promised + timedelta(days=3)):
                    self._pay_on(doc, promised + timedelta(days=self.rng.randint(5, 20)))
            self._reply(customer_id, "promise", docs, day, promised)
        elif roll < effect + self.knobs["promise_rate"] + self.knobs["out_of_office_rate"]:
            self._reply(customer_id, "ooo", docs, day, day + timedelta(days=7))

    # --- writing replies ----------------------------------------------------------------------------
    def _language(self, customer_id: str) -> str:
        customer = self.sim.customers.get(customer_id)
        return customer.language if customer and customer.language in ("en", "nl", "fr", "de") else "en"

    def _typo(self, text: str) -> str:
        if self.rng.random() >= self.knobs["typo_rate"]:
            return text
        words = text.split(" ")
        candidates = [i for i, w in enumerate(words) if len(w) > 6 and w.isalpha()]
        if not candidates:
            return text
        i = self.rng.choice(candidates)
        w = words[i]
        k = self.rng.randint(1, len(w) - 3)
        words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2:]
        return " ".join(words)

    def _amount(self, docs: list[str]) -> str:
        minor = sum(self._open(d) for d in docs)
        return f"{Decimal(minor).scaleb(-2):.2f} {self._currency(docs[0])}"

    def _reply(self, customer_id: str, intent: str, docs: list[str], day: date, when: date) -> None:
        lang = self._language(customer_id)
        template = self.rng.choice(REPLIES[intent][lang])
        text = template.format(docs=", ".join(docs), date=when.isoformat(), amount=self._amount(docs))
        self._send(customer_id, text, day, intent)

    def _reply_dispute(self, customer_id: str, docs: list[str], day: date) -> None:
        for doc in docs:
            latent = self.latent[doc]
            text = DISPUTES[latent.reason][self._language(customer_id)].format(docs=doc)
            if latent.claimed.amount > 0 and latent.reason in PARTIAL:
                text += f" ({latent.claimed.amount} {latent.claimed.currency})"
            self._send(customer_id, text, day, f"dispute:{doc}")

    def _send(self, customer_id: str, text: str, day: date, intent: str) -> None:
        self.counts["replies"] += 1
        self.counts[f"replies_{intent.split(':')[0]}"] += 1
        body = self._typo(text)
        if self.mode == "baseline":
            self._baseline_desk_takes(customer_id, intent, day)
        reply = c.ReceiveCustomerReply(customer_id, "email", "Re: your reminder", body, f"ap@{customer_id}",
                                       f"sim:{day}:{self.counts['replies']}")
        self.sim._do(reply, f"customer:{customer_id}", "customer reply")

    # --- people --------------------------------------------------------------------------------------
    def _baseline_desk_takes(self, customer_id: str, intent: str, day: date) -> None:
        self.hours["reply_review"] += self.knobs["manual_hours"]["reply_review"]
        if intent.startswith("dispute:"):
            doc = intent.split(":", 1)[1]
            if not any(k == "open_case" and v == doc for _, k, v in self.person_queue):
                self.hours["dispute_review"] += self.knobs["manual_hours"]["dispute_review"]
                self.person_queue.append((day + timedelta(days=self.rng.randint(1, 2)), "open_case", doc))
        elif intent == "paid":
            self.hours["payment_search"] += self.knobs["manual_hours"]["payment_search"]

    def _desk(self, day: date) -> None:
        app = self.sim.app
        for item in [q for q in self.person_queue if q[0] <= day and q[1] in ("open_case", "settle_case")]:
            self.person_queue.remove(item)
            _, kind, doc = item
            latent = self.latent.get(doc)
            if latent is None:
                continue
            if kind == "open_case":
                self.sim._do(c.OpenDispute(self._customer_of(doc), doc, latent.reason, latent.claimed,
                                           "person", "entered by a collector"), "collector", "customer dispute")
                self.person_queue.append((day + timedelta(days=self.rng.randint(7, 20)), "settle_case", doc))
            else:
                with app.uow() as uow:
                    cases = uow.cases.where(t.cases.c.invoice_number == doc, t.cases.c.status == "open")
                for case in cases:
                    self.sim._do(c.ResolveCase(case.id, "credit_note", latent.claimed, "checked by a collector"),
                                 "collector", "dispute investigated")
        if self.mode == "agents":
            self._approvals(day)

    def _approvals(self, day: date) -> None:
        """The collector works the approvals inbox for the collections agents, a day or two late."""
        from o2c.services.proposals import approve

        app = self.sim.app
        with app.uow() as uow:
            pending = [p for p in uow.proposals.list(status="pending")
                       if p.agent in ("collections", "disputes", "credit_review")
                       and (day - p.created_at.date()).days >= 1 + int(p.id[-1]) % 2]
        for proposal in pending:
            self.hours["approval"] += self.knobs["manual_hours"]["approval"]
            try:
                with app.uow() as uow:
                    approve(uow, proposal.id, "collector", "checked", app.company)
                    uow.commit()
            except DomainError as exc:
                self.sim.stats.errors.append(f"approval {proposal.id}: {exc}")
        app.dispatcher.drain()

    def _settled_disputes(self, day: date) -> None:
        """A customer pays what is still open once its case is settled (whatever the outcome)."""
        with self.sim.app.uow() as uow:
            settled = {case.invoice_number for case in uow.cases.where(t.cases.c.status != "open")}
        for doc in [d for d in self.latent if d in settled]:
            del self.latent[doc]
            if self._open(doc) > 0:
                self._pay_on(doc, day + timedelta(days=self.rng.randint(2, 6)))

    # --- outcome -------------------------------------------------------------------------------------
    def broken_promises(self) -> tuple[int, int]:
        """(broken, followed up): a broken promise counts as followed up by a follow-up message within
        five days after its date."""
        broken = followed = 0
        last = self.sim.clock.today()
        with self.sim.app.uow() as uow:
            for p in self.promises:
                if p.keep or (p.promised + timedelta(days=3)) > last:
                    continue
                broken += 1
                rows = uow.conn.execute(select(t.customer_messages.c.created_at).where(
                    t.customer_messages.c.customer_id == p.customer_id,
                    t.customer_messages.c.kind == "promise_followup")).scalars()
                if any(p.promised < r.date() <= p.promised + timedelta(days=7) for r in rows):
                    followed += 1
        return broken, followed

    def task_hours(self) -> float:
        """Hours implied by the tasks the agents raised for people."""
        weights = self.knobs["manual_hours"]
        with self.sim.app.uow() as uow:
            rows = uow.conn.execute(select(t.tasks.c.kind).where(t.tasks.c.team == "collections")).scalars()
            return sum(weights.get(kind, 0.1) for kind in rows)


_STATES: weakref.WeakKeyDictionary[Any, Behaviour] = weakref.WeakKeyDictionary()


def behaviour_of(sim: Simulation) -> Behaviour:
    state = _STATES.get(sim)
    if state is None:
        knobs = {**DEFAULTS, **(getattr(sim.scenario, "customer_behaviour", None) or {})}
        state = Behaviour(sim, getattr(sim, "collections_mode", "agents"), knobs,
                          random.Random(sim.scenario.seed * 31337 + 5))
        _STATES[sim] = state
    return state


def run_day(sim: Simulation, day: date) -> None:
    """Collections and the customers' answers for one simulated day (called by the runner)."""
    behaviour_of(sim).day(day)
