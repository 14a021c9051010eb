"""The cash-application agent: every payment received is matched to open items and proposed for posting.

On ``PaymentReceived`` it reads the payment, any remittance advice linked to it, the customers (with
the aliases people confirmed) and the open items fresh from the ledger, runs the matching engine and
proposes ``ApplyPayment`` with the engine's confidence and explanation. The policy gate posts the
confident ones at once; the rest wait in the cash-application queue for a person, who sees the
candidates and why the agent did not post. A proposal a person approves teaches the agent the payer's
name and account (``learn_alias``). The agent never writes: its only output is proposals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import bindparam, select

from o2c.adapters.store import tables as t
from o2c.adapters.store.cash_store import CashStore, receivables_query
from o2c.adapters.store.prepared import Prepared
from o2c.adapters.store.uow import UnitOfWork
from o2c.agents.base import AgentDeps, Proposal
from o2c.domain import events as e
from o2c.domain.commands import ApplyPayment
from o2c.domain.ledger import Account
from o2c.domain.matching import IncomingPayment, Match, MatchOutcome, MatchRules, Receivable, match_payment
from o2c.domain.money import Money
from o2c.domain.payments import Payment, PaymentStatus
from o2c.domain.remittance import PayerDirectory
from o2c.policy.cash_matching import load_match_rules

ACTION = "apply_payment"
SEQUENCE_YEARS = 5  # a bare invoice sequence is looked up among this many past years' invoices


_DOCUMENT_OF_ORDER = select(t.invoices.c.number).where(t.invoices.c.order_id == bindparam("key"))
_DOCUMENTS_OF_PO = (select(t.invoices.c.number).join(t.orders, t.orders.c.id == t.invoices.c.order_id)
                    .where(t.orders.c.po_number == bindparam("key")))
# Each lookup is built once with bound parameters. A bare sequence is looked up among the invoice
# numbers of the last years (an index lookup, not a LIKE scan); an order or a PO by the invoices it
# has, so that the lookup starts from their indexes.
_KEYED = {kind: Prepared(query) for kind, query in {
    "full": receivables_query(t.open_items.c.document == bindparam("key")),
    "seq": receivables_query(t.open_items.c.document.in_([bindparam(f"key{n}") for n in range(SEQUENCE_YEARS + 1)])),
    "order": receivables_query(t.open_items.c.document.in_(_DOCUMENT_OF_ORDER)),
    "po": receivables_query(t.open_items.c.document.in_(_DOCUMENTS_OF_PO)),
}.items()}
# A payer's every open item, for amounts and near references: the invoice's issue date is read only
# where a discount depends on it, order and PO never (they are only looked up through ``by_key``).
# One statement per size of the payer's group (it and the subsidiaries it pays for).
# The bank charges a payer's earlier payments bore (posted to the bank-charges account on its name).
_CHARGES_BEFORE = Prepared(
    select(t.journal_lines.c.amount_minor)
    .where(t.journal_lines.c.customer_id == bindparam("customer"), t.journal_lines.c.account == Account.BANK_CHARGES.value,
           t.journal_lines.c.currency == bindparam("currency"))
    .order_by(t.journal_lines.c.id.desc()).limit(5))
# The journal entries that moved an open item (a payment's entry has the source ``payment:<id>``).
_SOURCES_ON = Prepared(
    select(t.journal_entries.c.source)
    .join(t.open_item_movements, t.open_item_movements.c.entry_id == t.journal_entries.c.id)
    .where(t.open_item_movements.c.open_item_id == bindparam("item")))
GROUP_SIZES = range(1, 17)


def _of_group(size: int, joined: str, *more: Any) -> Prepared:
    return Prepared(receivables_query(
        t.open_items.c.customer_id.in_([bindparam(f"customer{i}") for i in range(size)]), *more, joined=joined))


_OF_CUSTOMERS = {joined: {n: _of_group(n, joined) for n in GROUP_SIZES} for joined in ("issue_date", "none")}
# The group's open items of one amount (the index on customer and open amount answers it).
_AMOUNT = (t.open_items.c.open_minor == bindparam("amount"), t.open_items.c.currency == bindparam("currency"))
_OF_AMOUNT = {joined: {n: _of_group(n, joined, *_AMOUNT) for n in GROUP_SIZES} for joined in ("issue_date", "none")}


class LedgerBook:
    """The ``ReceivableBook`` port over the database: every read goes to the ledger, nothing cached."""

    def __init__(self, uow: UnitOfWork, directory: PayerDirectory) -> None:
        self.uow = uow
        self.store = CashStore(uow.conn, uow.functional_ccy)
        self.terms = terms_of(directory)

    def open_of(self, customer_ids: Sequence[str]) -> list[Receivable]:
        joined = "issue_date" if any(c in self.terms for c in customer_ids) else "none"
        ids = list(dict.fromkeys(customer_ids))
        # a group larger than prepared for gets its statement built here
        query = _OF_CUSTOMERS[joined].get(len(ids)) or _of_group(len(ids), joined)
        return self.store.read_receivables(query, self.terms, {f"customer{i}": c for i, c in enumerate(ids)})

    def of_amount(self, customer_ids: Sequence[str], amount: Money) -> list[Receivable]:
        joined = "issue_date" if any(c in self.terms for c in customer_ids) else "none"
        ids = list(dict.fromkeys(customer_ids))
        query = _OF_AMOUNT[joined].get(len(ids)) or _of_group(len(ids), joined, *_AMOUNT)
        params: dict[str, Any] = {f"customer{i}": c for i, c in enumerate(ids)}
        params.update(amount=amount.to_minor(), currency=amount.currency)
        return self.store.read_receivables(query, self.terms, params)

    def by_key(self, kind: str, key: str) -> list[Receivable]:
        params: dict[str, str]
        if kind == "full":
            params = {"key": f"INV-{key[:4]}-{key[4:]}"}
        elif kind == "seq":  # the invoice numbers of the last years with this sequence
            year = self.uow.clock.today().year
            params = {f"key{n}": f"INV-{year - n}-{key}" for n in range(SEQUENCE_YEARS + 1)}
        else:
            params = {"key": key}
        return self.store.read_receivables(_KEYED[kind], self.terms, params)

    def value_in(self, amount: Money, currency: str, day: date) -> Money | None:
        try:
            to_functional = self.uow.fx.to_functional(amount.currency, day)
            per_unit = self.uow.fx.to_functional(currency, day)
        except LookupError:
            return None
        return Money(amount.amount * to_functional / per_unit, currency).quantize()

    def charges_before(self, customer_id: str, currency: str) -> list[Money]:
        rows = _CHARGES_BEFORE.rows(self.uow.conn, {"customer": customer_id, "currency": currency})
        return [Money.from_minor(abs(row[0]), currency) for row in rows]

    def receipts_on(self, item_ids: Sequence[str]) -> list[IncomingPayment]:
        sources = {source for item_id in dict.fromkeys(item_ids)
                   for (source,) in _SOURCES_ON.rows(self.uow.conn, {"item": item_id})}
        found = [self.uow.payments.get(source.removeprefix("payment:")) for source in sorted(sources)
                 if source.startswith("payment:")]
        return [IncomingPayment(p.id, p.received_on, p.amount, p.payer_name, p.payer_account, p.reference)
                for p in found if p is not None]


@lru_cache(maxsize=4)
def terms_of(directory: PayerDirectory) -> dict[str, tuple[int, Decimal]]:
    """The early-payment discount (days, percent) of each payer that has one, once per directory read."""
    return {p.id: (p.discount_days, Decimal(p.discount_percent)) for p in directory.payers.values()
            if p.discount_days}


def directory_of(uow: UnitOfWork) -> PayerDirectory:
    return PayerDirectory(CashStore(uow.conn, uow.functional_ccy).payers())


def match_stored_payment(uow: UnitOfWork, payment: Payment, rules: MatchRules | None = None,
                         directory: PayerDirectory | None = None) -> MatchOutcome:
    """Run the engine on a recorded payment with everything the store knows about it.

    ``directory`` may be one read earlier in the same transaction (customers and learned aliases do
    not change while a batch of payments is matched: aliases are learned only on a person's approval).
    """
    directory = directory or directory_of(uow)
    incoming = IncomingPayment(payment.id, payment.received_on, payment.amount, payment.payer_name,
                               payment.payer_account, payment.reference,
                               CashStore(uow.conn, uow.functional_ccy).advice_of(payment.id))
    return match_payment(incoming, directory, LedgerBook(uow, directory), rules)


def _column(values: list[Money | None], zero: Money) -> tuple[Money, ...]:
    return tuple(v or zero for v in values) if any(v is not None for v in values) else ()


def apply_command(payment_id: str, match: Match, learn_alias: bool = False) -> ApplyPayment:
    """The command that posts ``match`` (documents with cash, discount, charges and deductions)."""
    a = match.allocations
    zero = Money.zero(a[0].cash.currency if a else match.unapplied.currency)
    deductions = _column([x.deduction for x in a], zero)
    return ApplyPayment(
        payment_id, match.customer_id, tuple(x.document for x in a), tuple(x.cash for x in a),
        discounts=_column([x.discount for x in a], zero), charges=_column([x.charges for x in a], zero),
        deductions=deductions, deduction_reasons=tuple(x.reason or "" for x in a) if deductions else (),
        received_as=match.received_as, learn_alias=learn_alias)


def evidence_of(outcome: MatchOutcome) -> dict[str, object]:
    def brief(m: Match) -> dict[str, object]:
        return {"customer": m.customer_id, "documents": list(m.documents),
                "cash": [str(a.cash) for a in m.allocations], "unapplied": str(m.unapplied),
                "confidence": m.confidence, "why": list(m.explanation)}

    found: dict[str, object] = {"payment": outcome.payment_id}
    if outcome.best:
        found["best"] = brief(outcome.best)
    found["alternatives"] = [brief(m) for m in outcome.alternatives]
    if outcome.why_not_auto:
        found["not_automatic_because"] = outcome.why_not_auto
    return found


@dataclass
class CashApplicationAgent:
    name: str = "cash_application"
    subscribes: frozenset[str] = frozenset({"PaymentReceived"})
    rules: MatchRules = field(default_factory=load_match_rules)
    # The payer directory of each database, with the ``payers`` revision it was read at: rebuilt only
    # when customers or learned aliases changed since (the database moves the revision).
    _directories: dict[str, tuple[int, PayerDirectory]] = field(default_factory=dict, init=False, repr=False)

    def directory(self, uow: UnitOfWork) -> PayerDirectory:
        revision = CashStore(uow.conn, uow.functional_ccy).payers_revision()
        where = str(uow.engine.url)
        known = self._directories.get(where)
        if revision is not None and known is not None and known[0] == revision:
            return known[1]
        directory = directory_of(uow)
        if revision is not None:
            self._directories[where] = (revision, directory)
        return directory

    def handle(self, event: e.Event, deps: AgentDeps) -> list[Proposal]:
        if not isinstance(event, e.PaymentReceived):
            return []
        payment = deps.uow.payments.get(event.payment_id)
        if payment is None or payment.status is not PaymentStatus.RECEIVED:
            return []
        directory = deps.scratch.get("payer_directory")
        if directory is None:
            directory = deps.scratch["payer_directory"] = self.directory(deps.uow)
        outcome = match_stored_payment(deps.uow, payment, self.rules, directory)
        if outcome.best is None:
            return []
        proposal = self._proposal(payment, outcome, outcome.best, directory)
        if isinstance(proposal.command, ApplyPayment) and proposal.command.learn_alias:
            deps.scratch.pop("payer_directory", None)  # should the policy post it, an alias is learned
        return [proposal]

    def _proposal(self, payment: Payment, outcome: MatchOutcome, best: Match, directory: PayerDirectory) -> Proposal:
        confidence = best.confidence
        if outcome.why_not_auto:
            confidence = min(confidence, self.rules.auto_confidence - 0.01)
        payer = directory.payers.get(best.customer_id)
        reason = "; ".join(best.explanation)
        if outcome.why_not_auto:
            reason += f". Not posted automatically: {outcome.why_not_auto}"
        return Proposal(self.name, ACTION, apply_command(payment.id, best, learn_alias=bool(outcome.why_not_auto)),
                        f"payment:{payment.id}", reason, evidence_of(outcome), confidence, payment.amount,
                        payer.segment if payer else None)
