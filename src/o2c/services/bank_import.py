"""Importing a bank or remittance file: record what is new, skip what is known, flag what is wrong.

Liberal in what it reads, careful in what it posts:

- a file that cannot be right (an amount finer than its currency or beyond Money's bound, a date
  that does not exist, a ZIP bomb, nothing readable) is refused as a whole with one line, quarantined
  with its reason, and nothing of it is written;
- a statement that does not add up (opening + booked entries != closing), or whose opening balance
  is not the account's previous closing balance (same file or earlier imports), is imported all the
  same: its entries are real money movements, recorded, matched and posted as usual. The statement
  is kept with its difference, never reconciled, and one task for treasury names it, the difference
  and the likely cause. ``Settings.bank_unbalanced = "refuse"`` refuses such files instead;
- a statement that cannot be read (cut short, a field missing) is named and its neighbours imported;
- every booked credit becomes a payment keyed by its bank entry key, which says what the bank
  states (account, booking date, bank reference or amount, sequence in the statement). An entry
  recorded before is skipped and the report says why; one that shares a key with a recorded payment
  but not its amount or payer is a conflict: nothing changes and treasury gets a task.

The entries recorded before are read in one batch per file, not one query per entry.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select

from o2c.adapters.formats.bank import (
    BankEntry,
    BankStatement,
    FormatError,
    ParsedBankFile,
    RemittanceAdvice,
    RemittanceLine,
    dry_run,
    dry_run_summary,
    parse_bank_file,
    summary_exit_code,
)
from o2c.adapters.formats.bank.common import real_reference
from o2c.adapters.formats.bank.continuity import ChainBreak, Previous, chain_breaks
from o2c.adapters.store import tables as t
from o2c.adapters.store.cash_store import CashStore
from o2c.adapters.store.intake_store import Quarantine
from o2c.adapters.store.uow import UnitOfWork
from o2c.domain import commands as c
from o2c.domain import events as e
from o2c.domain.matching import AdvisedLine
from o2c.domain.messages import Task
from o2c.domain.money import Money
from o2c.domain.payments import Payment, PaymentStatus
from o2c.domain.remittance import normalise_name, plain_account
from o2c.services.handlers import Company
from o2c.services.proposals import run_command

if TYPE_CHECKING:
    from o2c.bootstrap import App

ACTOR = "bank-import"
TEAM = "treasury"


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did. ``exit_code``: 0 imported cleanly, 1 imported with findings for a person
    (a statement that does not add up or breaks the chain, a conflict, a statement not read), 2 refused."""

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
    conflicts: tuple[dict[str, Any], ...] = ()
    skipped: tuple[dict[str, Any], ...] = ()
    tasks: tuple[str, ...] = ()

    @property
    def exit_code(self) -> int:
        code = summary_exit_code(self.summary, self.refused)
        return max(code, 1) if self.conflicts and not self.refused else code

    def as_json(self) -> dict[str, Any]:
        """The dry-run shape plus what the import recorded (``o2c import FILE --json``)."""
        return {
            **self.summary,
            "file": self.filename,
            "refused": self.refused,
            "exit_code": self.exit_code,
            "errors": list(self.errors) if self.refused else self.summary.get("errors", []),
            "payments_recorded": self.payments_recorded,
            "already_known": self.already_known,
            "debits_skipped": self.debits_skipped,
            "remittances": self.remittances,
            "linked": self.linked,
            "conflicts": list(self.conflicts),
            "skipped": list(self.skipped),
            "tasks": list(self.tasks),
        }


def preview_bank_file(data: bytes, filename: str) -> dict[str, Any]:
    """The dry-run summary (``o2c import FILE --dry-run --json``): nothing is stored."""
    return dry_run(data, filename)


def import_bank_file(
    app: App, data: bytes, filename: str, *, match: bool = True, refuse_unbalanced: bool | None = None
) -> ImportReport:
    """Record a bank or remittance file's payments and advices, then let the agent match them.

    ``refuse_unbalanced`` (default: ``Settings.bank_unbalanced == "refuse"``) refuses a file with a
    statement that does not add up or breaks its account's chain, instead of importing and flagging it."""
    refuse = app.settings.bank_unbalanced == "refuse" if refuse_unbalanced is None else refuse_unbalanced
    try:
        parsed = parse_bank_file(data, filename, strict=refuse)
    except FormatError as error:
        return _refuse(app, data, filename, str(error))
    with app.uow() as uow:
        store = CashStore(uow.conn, uow.functional_ccy)
        keys = [statement_key(s) for s in parsed.statements]
        breaks = chain_breaks(parsed.statements, lambda s: _earlier(store, s), "this file")
        if refuse and breaks:
            index, found = next(iter(breaks.items()))
            reason = f"{filename}: {_chain_text(parsed.statements[index], found)}; refused by the bank_unbalanced policy"
        else:
            report = _Recorder(uow, store, filename, app.company).record(parsed, keys, breaks)
            _remember_file(uow, data, filename, parsed.format)
            uow.commit()
    if refuse and breaks:
        return _refuse(app, data, filename, reason)
    if match:
        app.dispatcher.drain()
    return report


def statement_key(statement: BankStatement) -> str:
    """What the bank states about a statement: its account, id, date and balances."""
    parts = (
        statement.account,
        statement.currency,
        statement.statement_id,
        statement.statement_date.isoformat() if statement.statement_date else "",
        _text(statement.opening_balance),
        _text(statement.closing_balance),
    )
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _text(money: Money | None) -> str:
    return "" if money is None else f"{money.amount.normalize():f} {money.currency}"


def _earlier(store: CashStore, statement: BankStatement) -> Previous | None:
    if statement.opening_balance is None:
        return None
    found = store.previous_statement(
        statement.account, statement.currency, statement.statement_date, statement_key(statement)
    )
    if found is None or found[1] is None:
        return None
    return Previous(found[0], Money.from_minor(found[1], statement.currency), found[2])


def _refuse(app: App, data: bytes, filename: str, reason: str) -> ImportReport:
    _quarantine(app, data, filename, reason)
    summary = dry_run(data, filename)
    return ImportReport(filename, summary.get("format"), True, (reason,), summary=summary)


def _quarantine(app: App, data: bytes, filename: str, reason: str) -> None:
    with app.uow() as uow:
        Quarantine(uow.conn).add(uow.clock.now(), "bank", filename, hashlib.sha256(data).hexdigest(), reason, data)
        uow.audit.append(uow.clock.now(), ACTOR, "quarantine", f"file:{filename[:80]}", reason, {})
        uow.commit()


def _remember_file(uow: UnitOfWork, data: bytes, filename: str, file_format: str) -> None:
    digest = hashlib.sha256(data).hexdigest()
    known = uow.conn.execute(
        select(func.count()).select_from(t.imported_files).where(t.imported_files.c.sha256 == digest)
    ).scalar_one()
    if not known:
        uow.conn.execute(
            insert(t.imported_files).values(
                sha256=digest, filename=filename[:300], format=file_format, imported_at=uow.clock.now()
            )
        )


def reference_text(entry: BankEntry) -> str:
    """Everything the payer wrote that may name what it pays, in one line."""
    parts = [entry.remittance_text, entry.end_to_end_id, entry.customer_reference]
    parts += [line.document for line in entry.remittance_lines]
    seen = [p for p in parts if p and p.upper() not in ("NOTPROVIDED", "NONREF")]
    return " ".join(dict.fromkeys(seen))[:500]


def advised(line: RemittanceLine) -> AdvisedLine:
    return AdvisedLine(
        line.document, line.amount_paid, line.discount, line.adjustment, line.adjustment_reason
    )


def _payable(entry: BankEntry) -> bool:
    """A booked credit that moves money: what cash application records as a payment."""
    return entry.booked and entry.credit and not entry.reversal and not entry.amount.is_zero()


class _Recorder:
    """Records one parsed file in the caller's unit of work and counts what it did."""

    def __init__(self, uow: UnitOfWork, store: CashStore, filename: str, company: Company) -> None:
        self.uow, self.store, self.filename, self.company = uow, store, filename, company
        self.counts = {"recorded": 0, "known": 0, "debits": 0, "advices": 0, "linked": 0}
        self.conflicts: list[dict[str, Any]] = []
        self.skipped: list[dict[str, Any]] = []
        self.tasks: list[str] = []
        self.waiting_advices = 0

    def record(self, parsed: ParsedBankFile, keys: list[str], breaks: dict[int, ChainBreak]) -> ImportReport:
        self.waiting_advices = len(self.store.unlinked_advices())
        payable = [entry.entry_key for s in parsed.statements for entry in s.entries if _payable(entry)]
        recorded = self.store.recorded_entries(payable)
        known_statements = self.store.known_statements(keys)
        summary = dry_run_summary(parsed, breaks)
        for index, statement in enumerate(parsed.statements):
            for entry in statement.entries:
                self.entry(statement, entry, recorded)
            chain = breaks.get(index)
            summary["statements"][index]["reconciled"] = statement.balanced and chain is None
            if keys[index] not in known_statements:
                known_statements.add(keys[index])
                self.add_statement(statement, keys[index], chain)
            if not statement.balanced or chain is not None:
                self.flag(statement, keys[index], chain)
        for advice in parsed.remittances:
            self.advice(advice)
        counts = self.counts
        return ImportReport(
            self.filename,
            parsed.format,
            False,
            tuple(parsed.warnings),
            len(parsed.statements),
            counts["recorded"],
            counts["known"],
            counts["debits"],
            counts["advices"],
            counts["linked"],
            summary,
            tuple(self.conflicts),
            tuple(self.skipped),
            tuple(self.tasks),
        )

    # --- entries ----------------------------------------------------------------------------------
    def entry(self, statement: BankStatement, entry: BankEntry, recorded: dict[str, Payment]) -> None:
        if not _payable(entry):
            self.counts["debits"] += 1
            return
        known = recorded.get(entry.entry_key)
        if known is not None:
            self.known(statement, entry, known)
            return
        day = entry.booking_date or entry.value_date or self.uow.clock.today()
        command = c.RecordPayment(
            day,
            entry.amount,
            entry.counterparty_name or "",
            entry.counterparty_account,
            reference_text(entry),
            entry.entry_key,
        )
        result = run_command(
            self.uow, command, ACTOR, f"bank statement entry in {self.filename}", self.company
        )
        payment_id = result.split()[1]
        recorded[entry.entry_key] = Payment(
            payment_id,
            day,
            entry.amount,
            entry.counterparty_name or "",
            entry.counterparty_account,
            reference_text(entry),
        )
        self.counts["recorded"] += 1
        self.link_advice(entry, payment_id, day)

    def known(self, statement: BankStatement, entry: BankEntry, known: Payment) -> None:
        conflict = _conflict(known, entry)
        where = {"entry_key": entry.entry_key, "statement": statement.statement_id, "payment": known.id}
        if conflict is None:
            self.counts["known"] += 1
            changed = reference_text(entry) != known.reference
            self.skipped.append(
                {
                    **where,
                    "reason": f"recorded before as {known.id}: same account, booking date, "
                    + ("bank reference" if real_reference(entry.bank_reference) else "amount")
                    + " and place in the statement"
                    + ("; only its text differs, which does not make it a new payment" if changed else ""),
                }
            )
            return
        self.conflicts.append({**where, "reason": conflict})
        self.task(
            f"bank-entry-conflict:{entry.entry_key}:{entry.amount.amount}:{entry.counterparty_name}",
            "bank_entry_conflict",
            f"payment:{known.id}",
            f"Bank entry {real_reference(entry.bank_reference) or entry.entry_key} sent again with other figures",
            f"Statement {statement.statement_id} of account {statement.account} ({self.filename}) repeats the "
            f"entry recorded as {known.id}, but {conflict}. Nothing was changed: check with the bank which is "
            "right, then correct the payment by hand.",
            {**where, "file": self.filename, "conflict": conflict},
        )

    def link_advice(self, entry: BankEntry, payment_id: str, day: Any) -> None:
        store = self.store
        if entry.remittance_lines:
            self.waiting_advices += store.add_advice(
                f"camt:{entry.entry_key}",
                reference_text(entry),
                entry.counterparty_name,
                entry.amount,
                day,
                [advised(line) for line in entry.remittance_lines],
                self.uow.clock.now(),
                self.filename,
            )
        if not self.waiting_advices:  # no advice waits for its payment: nothing to link
            return
        advice_id = store.unlinked_advice_for(entry.amount, reference_text(entry), day)
        if advice_id is not None:
            store.link(advice_id, payment_id)
            self.counts["linked"] += 1
            self.waiting_advices -= 1

    # --- statements -------------------------------------------------------------------------------
    def add_statement(self, statement: BankStatement, key: str, chain: ChainBreak | None) -> None:
        difference = statement.difference
        self.store.add_statement(
            {
                "statement_key": key,
                "account": statement.account[:100],
                "currency": statement.currency,
                "statement_id": statement.statement_id[:200],
                "statement_date": statement.statement_date,
                "opening_minor": _minor(statement.opening_balance),
                "closing_minor": _minor(statement.closing_balance),
                "difference_minor": _minor(difference),
                "chain_break_minor": _minor(chain.difference) if chain else None,
                "reconciled": statement.balanced and chain is None,
                "warnings": list(statement.warnings),
                "source": self.filename[:300],
                "imported_at": self.uow.clock.now(),
            }
        )

    def flag(self, statement: BankStatement, key: str, chain: ChainBreak | None) -> None:
        problems = [] if statement.balanced else [_balance_text(statement)]
        problems += [_chain_text(statement, chain)] if chain else []
        difference = statement.difference
        self.task(
            f"bank-statement:{key}",
            "bank_statement",
            f"statement:{statement.statement_id}"[:200],
            f"Bank statement {statement.statement_id} of account {statement.account} "
            + ("does not add up" if not statement.balanced else "does not follow on from the previous one"),
            " ".join(problems) + f" Its {len(statement.entries)} entries were recorded and matched as usual; "
            "the statement is not reconciled.",
            {
                "statement_id": statement.statement_id,
                "account": statement.account,
                "file": self.filename,
                "difference": _plain(difference),
                "chain_break": _plain(chain.difference) if chain else None,
            },
        )

    def task(
        self, dedupe_key: str, kind: str, subject: str, title: str, detail: str, evidence: dict[str, Any]
    ) -> None:
        uow = self.uow
        task_id = uow.sequences.next("task", "TASK")
        if uow.tasks.add(
            Task(
                task_id,
                uow.clock.now(),
                TEAM,
                kind,
                subject[:200],
                title[:200],
                detail,
                evidence,
                dedupe_key=hashlib.sha256(dedupe_key.encode()).hexdigest()[:40],
            )
        ):
            self.tasks.append(task_id)

    # --- remittance advices -----------------------------------------------------------------------
    def advice(self, advice: RemittanceAdvice) -> None:
        store = self.store
        key = f"advice:{advice.advice_key or advice.payment_reference}"
        if not store.add_advice(
            key,
            advice.payment_reference,
            advice.payer_name,
            advice.payment_amount,
            advice.payment_date,
            [advised(line) for line in advice.lines],
            self.uow.clock.now(),
            self.filename,
        ):
            return
        self.counts["advices"] += 1
        payment = _payment_for_advice(self.uow, advice)
        if payment is None:
            return
        advice_id = store.unlinked_advice_for(
            advice.payment_amount, payment.reference + " " + advice.payment_reference, payment.received_on
        )
        if advice_id is not None:
            store.link(advice_id, payment.id)
            self.counts["linked"] += 1
            self.uow.emit(e.PaymentReceived(payment.id, payment.customer_id))


def _conflict(known: Payment, entry: BankEntry) -> str | None:
    """Why an entry with a recorded payment's key is not that payment, or None when it is."""
    if known.amount.currency != entry.amount.currency or known.amount.amount != entry.amount.amount:
        return f"the amount was {known.amount} and is now {entry.amount}"
    if not real_reference(entry.bank_reference):
        return None
    before, now = plain_account(known.payer_account), plain_account(entry.counterparty_account)
    if before and now and before != now:
        return f"the payer's account was {known.payer_account} and is now {entry.counterparty_account}"
    before_name, now_name = normalise_name(known.payer_name), normalise_name(entry.counterparty_name or "")
    if before_name and now_name and before_name not in now_name and now_name not in before_name:
        return f"the payer was {known.payer_name!r} and is now {entry.counterparty_name!r}"
    return None


def _balance_text(statement: BankStatement) -> str:
    opening, booked = statement.opening_balance, statement.booked_total()
    expected = Money(opening.amount + booked.amount, statement.currency) if opening else None
    stated = (
        f"Opening {_plain(opening)} + booked entries {_plain(booked)} = {_plain(expected)}, but the closing "
        f"balance is {_plain(statement.closing_balance)}: a difference of {_plain(statement.difference)}."
    )
    return f"{stated} Likely cause: {_likely_cause(statement)}."


def _likely_cause(statement: BankStatement) -> str:
    difference, closing = statement.difference, statement.closing_balance
    if closing is not None and closing.currency != statement.currency:
        return f"the closing balance is stated in {closing.currency}, not in the statement's {statement.currency}"
    same_size = [
        x
        for x in statement.entries
        if difference is not None and abs(x.amount.amount) == abs(difference.amount)
    ]
    if same_size:
        entry = same_size[0]
        day = entry.booking_date.isoformat() if entry.booking_date else "an unknown date"
        return (
            f"the entry of {entry.amount} booked {day} is the size of the difference: it may belong to "
            "another statement, or one like it is missing"
        )
    return "entries missing from the statement (or one amount misstated)"


def _chain_text(statement: BankStatement, chain: ChainBreak) -> str:
    previous = chain.previous
    return (
        f"statement {statement.statement_id} of account {statement.account} opens with "
        f"{_plain(statement.opening_balance)}, but the previous statement {previous.statement_id} "
        f"({previous.source}) closed with {_plain(previous.closing)}: a break of {_plain(chain.difference)}. "
        "Likely cause: a statement in between is missing, or one of the two was corrected."
    )


def _plain(money: Money | None) -> str | None:
    return None if money is None else f"{money.quantize().amount} {money.currency}"


def _minor(money: Money | None) -> int | None:
    return None if money is None else money.quantize().to_minor()


def _payment_for_advice(uow: UnitOfWork, advice: RemittanceAdvice) -> Payment | None:
    """The one unapplied payment of the advised amount that names its reference or falls near its date."""
    amount = advice.payment_amount.quantize()
    found = uow.payments.where(
        t.payments.c.status == PaymentStatus.RECEIVED.value,
        t.payments.c.currency == amount.currency,
        t.payments.c.amount_minor == amount.to_minor(),
    )
    day = advice.payment_date
    near = [
        p
        for p in found
        if advice.payment_reference.upper() in p.reference.upper()
        or (day is not None and abs((p.received_on - day).days) <= 5)
    ]
    return near[0] if len(near) == 1 else None
