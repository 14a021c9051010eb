"""Cash application use cases: import bank and remittance files, show the queue, confirm a match.

``import_bank_file`` reads a file strictly: a statement that does not balance, a truncated or a
tampered file is refused as a whole, quarantined with its reason, and nothing of it is posted. A
readable file is recorded in one transaction: every booked credit becomes a payment keyed by its bank
entry key (so importing again, or a statement that overlaps an earlier one, adds only what is new),
and every remittance advice (X12 820, camt structured remittance) is stored and linked to the payment
it describes, whichever arrived first. The cash-application agent then matches the new payments.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select

from o2c.adapters.formats.bank import (
    BankEntry,
    FormatError,
    ParsedBankFile,
    RemittanceAdvice,
    RemittanceLine,
    dry_run,
    dry_run_summary,
    parse_bank_file,
)
from o2c.adapters.store import tables as t
from o2c.adapters.store.cash_store import CashStore
from o2c.adapters.store.intake_store import Quarantine
from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.cash_application import apply_command, match_stored_payment
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.errors import DomainError
from o2c.domain.matching import AdvisedLine, Match
from o2c.domain.payments import Payment, PaymentStatus
from o2c.services.handlers import Company
from o2c.services.proposals import run_command

if TYPE_CHECKING:
    from o2c.bootstrap import App

ACTOR = "bank-import"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did; ``exit_code`` is 0 when the file was read, 2 when it was refused."""

    filename: str
    format: str | None
    refused: bool
    errors: tuple[str, ...] = ()
    statements: int = 0
    payments_recorded: int = 0
    already_known: int = 0
    debits_skipped: int = 0
    remittances: int = 0
    linked: int = 0
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 2 if self.refused else 0


def preview_bank_file(data: bytes, filename: str) -> dict[str, Any]:
    """The dry-run summary (``o2c import FILE --dry-run --json``): nothing is stored."""
    return dry_run(data, filename)


def import_bank_file(app: App, data: bytes, filename: str, *, match: bool = True) -> ImportReport:
    """Record a bank or remittance file's payments and advices, then let the agent match them."""
    try:
        parsed = parse_bank_file(data, filename)
    except FormatError as error:
        _quarantine(app, data, filename, str(error))
        return ImportReport(filename, dry_run(data, filename).get("format"), True, (str(error),),
                            summary=dry_run(data, filename))
    with app.uow() as uow:
        report = _record(uow, parsed, filename, app.company)
        _remember_file(uow, data, filename, parsed.format)
        uow.commit()
    if match:
        app.dispatcher.drain()
    return report


def _quarantine(app: App, data: bytes, filename: str, reason: str) -> None:
    with app.uow() as uow:
        Quarantine(uow.conn).add(uow.clock.now(), "bank", filename, hashlib.sha256(data).hexdigest(), reason, data)
        uow.audit.append(uow.clock.now(), ACTOR, "quarantine", f"file:{filename[:80]}", reason, {})
        uow.commit()


def _remember_file(uow: UnitOfWork, data: bytes, filename: str, file_format: str) -> None:
    digest = hashlib.sha256(data).hexdigest()
    known = uow.conn.execute(select(func.count()).select_from(t.imported_files)
                             .where(t.imported_files.c.sha256 == digest)).scalar_one()
    if not known:
        uow.conn.execute(insert(t.imported_files).values(sha256=digest, filename=filename[:300],
                                                         format=file_format, imported_at=uow.clock.now()))


def _record(uow: UnitOfWork, parsed: ParsedBankFile, filename: str, company: Company) -> ImportReport:
    store = CashStore(uow.conn, uow.functional_ccy)
    counts = {"recorded": 0, "known": 0, "debits": 0, "advices": 0, "linked": 0}
    counts["waiting_advices"] = len(store.unlinked_advices())
    for statement in parsed.statements:
        for entry in statement.entries:
            _record_entry(uow, store, entry, filename, counts, company)
    for advice in parsed.remittances:
        _record_advice(uow, store, advice, filename, counts)
    return ImportReport(filename, parsed.format, False, tuple(parsed.warnings), len(parsed.statements),
                        counts["recorded"], counts["known"], counts["debits"], counts["advices"],
                        counts["linked"], dry_run_summary(parsed))


def reference_text(entry: BankEntry) -> str:
    """Everything the payer wrote that may name what it pays, in one line."""
    parts = [entry.remittance_text, entry.end_to_end_id, entry.customer_reference]
    parts += [line.document for line in entry.remittance_lines]
    seen = [p for p in parts if p and p.upper() not in ("NOTPROVIDED", "NONREF")]
    return " ".join(dict.fromkeys(seen))[:500]


def _record_entry(uow: UnitOfWork, store: CashStore, entry: BankEntry, filename: str,
                  counts: dict[str, int], company: Company) -> None:
    if not entry.booked or not entry.credit or entry.reversal or entry.amount.is_zero():
        counts["debits"] += 1
        return
    if uow.payments.by_entry_key(entry.entry_key):
        counts["known"] += 1
        return
    day = entry.booking_date or entry.value_date or uow.clock.today()
    command = c.RecordPayment(day, entry.amount, entry.counterparty_name or "", entry.counterparty_account,
                              reference_text(entry), entry.entry_key)
    result = run_command(uow, command, ACTOR, f"bank statement entry in {filename}", company)
    payment_id = result.split()[1]
    counts["recorded"] += 1
    if entry.remittance_lines:
        counts["waiting_advices"] += store.add_advice(
            f"camt:{entry.entry_key}", reference_text(entry), entry.counterparty_name, entry.amount, day,
            [advised(line) for line in entry.remittance_lines], uow.clock.now(), filename)
    if not counts["waiting_advices"]:  # no advice waits for its payment: nothing to link
        return
    advice_id = store.unlinked_advice_for(entry.amount, reference_text(entry), day)
    if advice_id is not None:
        store.link(advice_id, payment_id)
        counts["linked"] += 1
        counts["waiting_advices"] -= 1


def advised(line: RemittanceLine) -> AdvisedLine:
    return AdvisedLine(line.document, line.amount_paid, line.discount, line.adjustment, line.adjustment_reason)


def _record_advice(uow: UnitOfWork, store: CashStore, advice: RemittanceAdvice, filename: str,
                   counts: dict[str, int]) -> None:
    key = f"advice:{advice.advice_key or advice.payment_reference}"
    if not store.add_advice(key, advice.payment_reference, advice.payer_name, advice.payment_amount,
                            advice.payment_date, [advised(line) for line in advice.lines], uow.clock.now(),
                            filename):
        return
    counts["advices"] += 1
    payment = _payment_for_advice(uow, advice)
    if payment is None:
        return
    advice_id = store.unlinked_advice_for(advice.payment_amount, payment.reference + " " + advice.payment_reference,
                                          payment.received_on)
    if advice_id is not None:
        store.link(advice_id, payment.id)
        counts["linked"] += 1
        uow.emit(e.PaymentReceived(payment.id, payment.customer_id))


def _payment_for_advice(uow: UnitOfWork, advice: RemittanceAdvice) -> Payment | None:
    """The one unapplied payment of the advised amount that names its reference or falls near its date."""
    amount = advice.payment_amount.quantize()
    found = uow.payments.where(t.payments.c.status == PaymentStatus.RECEIVED.value,
                               t.payments.c.currency == amount.currency,
                               t.payments.c.amount_minor == amount.to_minor())
    day = advice.payment_date
    near = [p for p in found if advice.payment_reference.upper() in p.reference.upper()
            or (day is not None and abs((p.received_on - day).days) <= 5)]
    return near[0] if len(near) == 1 else None


# --- the queue and a person's decision ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class QueueCandidate:
    customer_id: str
    documents: tuple[str, ...]
    cash: tuple[str, ...]
    unapplied: str
    confidence: float
    why: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A payment a person must look at: its candidates, best first, and why it was not posted."""

    payment_id: str
    received_on: date
    amount: str
    payer_name: str
    payer_account: str | None
    reference: str
    proposal_id: str | None
    not_automatic_because: str
    candidates: tuple[QueueCandidate, ...]


def _candidate(m: Match) -> QueueCandidate:
    return QueueCandidate(m.customer_id, m.documents, tuple(str(a.cash) for a in m.allocations), str(m.unapplied),
                          m.confidence, m.explanation)


def cash_queue(uow: UnitOfWork, limit: int = 200) -> list[QueueItem]:
    """Unapplied payments, each with its pending proposal (if any) and live candidates from the ledger."""
    pending = {row.subject: row for row in uow.proposals.list(status="pending", agent="cash_application")}
    waiting = uow.payments.where(t.payments.c.status.in_([PaymentStatus.RECEIVED.value,
                                                          PaymentStatus.UNMATCHED.value]),
                                 order_by=t.payments.c.received_on, limit=limit)
    items = []
    for payment in waiting:
        outcome = match_stored_payment(uow, payment)
        proposal = pending.get(f"payment:{payment.id}")
        matches = [m for m in (outcome.best, *outcome.alternatives) if m is not None]
        why = outcome.why_not_auto or ("waiting for approval under the policy" if proposal else
                                       "not matched yet")
        items.append(QueueItem(payment.id, payment.received_on, str(payment.amount), payment.payer_name,
                               payment.payer_account, payment.reference, proposal.id if proposal else None,
                               why, tuple(_candidate(m) for m in matches)))
    return items


def confirm_match(app: App, payment_id: str, customer_id: str | None, documents: tuple[str, ...],
                  user: str) -> str:
    """A person applies a payment to documents; the engine explains the amounts; the alias is learned."""
    with app.uow() as uow:
        payment = uow.payments.get(payment_id)
        if payment is None:
            raise DomainError(f"unknown payment {payment_id!r}")
        command = _person_command(uow, payment, customer_id, documents)
        result = run_command(uow, command, user, f"{user} matched {payment_id} by hand", app.company)
        uow.commit()
    app.dispatcher.drain()
    return result


def _person_command(uow: UnitOfWork, payment: Payment, customer_id: str | None,
                    documents: tuple[str, ...]) -> c.ApplyPayment:
    named = " ".join(documents)
    hinted = Payment(payment.id, payment.received_on, payment.amount, payment.payer_name, payment.payer_account,
                     named)
    best = match_stored_payment(uow, hinted).best
    if best is not None and set(best.documents) == set(documents) and customer_id in (None, best.customer_id):
        return apply_command(payment.id, best, learn_alias=True)
    owner = customer_id or _owner_of(uow, documents)
    left, amounts = payment.amount, []
    for document in documents:
        item = uow.ledger.item_for_document(document, "invoice")
        if item is None:
            raise DomainError(f"no open invoice {document}")
        cash = min(left, item.open)
        amounts.append(cash)
        left = left - cash
    return c.ApplyPayment(payment.id, owner, documents, tuple(amounts), learn_alias=True)


def _owner_of(uow: UnitOfWork, documents: tuple[str, ...]) -> str:
    owners = {item.customer_id for d in documents if (item := uow.ledger.item_for_document(d, "invoice"))}
    if len(owners) != 1:
        raise DomainError("name the customer: the documents belong to " + (", ".join(sorted(owners)) or "no one"))
    return owners.pop()
