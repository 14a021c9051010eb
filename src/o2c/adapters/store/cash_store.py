"""Cash application's own tables: remittance advices, learned payer aliases, and the open items as
the matching engine reads them (joined with their invoice's order and PO, read fresh every time).

- ``remittance_advices``: what payers said they paid (X12 820, camt structured remittance), linked
  to the payment they describe whenever both are known, whichever arrived first;
- ``payer_aliases``: a payer name or account a person confirmed for a customer;
- ``bank_statements``: every statement imported, keyed by what the bank states (account, currency,
  statement id, date, opening and closing balance), with whether it adds up (``difference``),
  follows on from the account's previous statement (``chain_break``) and so is ``reconciled``.

Nothing here caches: the open items are the ledger's, read in the caller's transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    and_,
    bindparam,
    func,
    insert,
    select,
    update,
)

from o2c.adapters.store import tables as t
from o2c.adapters.store.ledger_store import _item
from o2c.adapters.store.prepared import Prepared
from o2c.domain.codec import decode
from o2c.domain.matching import AdvisedLine, Receivable
from o2c.domain.money import Money
from o2c.domain.payments import Payment
from o2c.domain.remittance import Payer, normalise_name, plain_account

remittance_advices = Table(
    "remittance_advices", t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("advice_key", String(200), nullable=False, unique=True),
    Column("payment_reference", String(200), nullable=False, index=True),
    Column("payer_name", String(200)),
    Column("currency", String(3), nullable=False),
    Column("amount_minor", BigInteger, nullable=False, index=True),
    Column("payment_date", Date),
    Column("lines", JSON, nullable=False),
    Column("payment_id", String(32), index=True),
    Column("received_at", DateTime, nullable=False),
    Column("source", String(300), nullable=False),
)

payer_aliases = Table(
    "payer_aliases", t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(32), nullable=False, index=True),
    Column("kind", String(8), nullable=False),
    Column("value", String(200), nullable=False),
    Column("learned_at", DateTime, nullable=False),
    Column("source", String(100), nullable=False),
    UniqueConstraint("kind", "value", "customer_id", name="one_alias"),
)


bank_statements = Table(
    "bank_statements", t.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("statement_key", String(64), nullable=False, unique=True),
    Column("account", String(100), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("statement_id", String(200), nullable=False),
    Column("statement_date", Date),
    Column("opening_minor", BigInteger),
    Column("closing_minor", BigInteger),
    Column("difference_minor", BigInteger),
    Column("chain_break_minor", BigInteger),
    Column("reconciled", Boolean, nullable=False),
    Column("warnings", JSON, nullable=False),
    Column("source", String(300), nullable=False),
    Column("imported_at", DateTime, nullable=False),
    Index("ix_bank_statements_account_date", "account", "currency", "statement_date"),
)


def _money_json(money: Money | None) -> dict[str, str] | None:
    return None if money is None else {"amount": str(money.amount), "currency": money.currency}


def _money_from(data: dict[str, str] | None) -> Money | None:
    return None if data is None else Money(Decimal(data["amount"]), data["currency"])


def advised_line_json(line: AdvisedLine) -> dict[str, Any]:
    return {"document": line.document, "paid": _money_json(line.paid), "discount": _money_json(line.discount),
            "adjustment": _money_json(line.adjustment), "reason": line.reason}


def _advised_line(data: dict[str, Any]) -> AdvisedLine:
    return AdvisedLine(data.get("document"), _money_from(data.get("paid")), _money_from(data.get("discount")),
                       _money_from(data.get("adjustment")), data.get("reason"))


def receivables_query(*conditions: Any, joined: str = "order") -> Any:
    """Open debit items, oldest due first, with what ``joined`` asks of their invoice: ``"order"``
    its issue date, order and PO; ``"issue_date"`` the issue date alone; ``"none"`` nothing (the
    receivables then carry the item's opening date as their issue date). Each join is an index lookup
    per item, so a read of a payer's every open item takes only what its caller needs.

    Build it once for a fixed shape of ``conditions`` (with bound parameters) and read it with
    ``CashStore.read_receivables`` as a ``Prepared`` statement: on a hot path it is only bound and run.
    """
    wanted: list[Any] = [t.open_items]
    if joined != "none":
        wanted.append(t.invoices.c.issue_date)
    if joined == "order":
        wanted += [t.invoices.c.order_id, t.orders.c.po_number]
    query = select(*wanted)
    if joined != "none":
        query = query.join(t.invoices, t.invoices.c.number == t.open_items.c.document, isouter=True)
    if joined == "order":
        query = query.join(t.orders, t.orders.c.id == t.invoices.c.order_id, isouter=True)
    return (query.where(t.open_items.c.open_minor > 0, t.open_items.c.side == "debit", *conditions)
            .order_by(t.open_items.c.due_date, t.open_items.c.id))


class CashStore:
    """Remittances, aliases and the engine's view of open receivables, on one connection."""

    def __init__(self, conn: Connection, functional_ccy: str) -> None:
        self.conn = conn
        self.functional_ccy = functional_ccy

    # --- payers ---------------------------------------------------------------------------------
    _PAYER_ROWS = select(t.customers.c.id, t.customers.c.name, t.customers.c.currency, t.customers.c.segment,
                         t.customers.c.body).order_by(t.customers.c.id)
    _ALIASES = select(payer_aliases.c.customer_id, payer_aliases.c.kind, payer_aliases.c.value)

    _PAYERS_REVISION = Prepared(select(t.revisions.c.value).where(t.revisions.c.name == "payers"))

    def payers_revision(self) -> int | None:
        """A number that moves whenever customers or learned aliases change (database triggers)."""
        return self._PAYERS_REVISION.scalar(self.conn)

    def payers(self) -> list[Payer]:
        """Every customer as cash application sees it, with the names and accounts people confirmed.

        Reads the few fields it needs from each customer's stored body rather than decoding whole
        customers (ship-tos, contacts, limits): a batch of payments reads the directory once.
        """
        learned: dict[str, dict[str, list[str]]] = {}
        for row in self.conn.execute(self._ALIASES):
            learned.setdefault(row[0], {}).setdefault(row[1], []).append(row[2])
        found = []
        for cid, name, currency, segment, body in self.conn.execute(self._PAYER_ROWS):
            mine = learned.get(cid, {})
            terms = body.get("terms") or {}
            found.append(Payer(cid, name, currency, (*body.get("bank_accounts", ()), *mine.get("account", ())),
                               body.get("parent_id"), tuple(mine.get("name", ())), int(terms.get("discount_days", 0)),
                               str(terms.get("discount_percent", "0")), segment))
        return found

    def learn(self, customer_id: str, name: str | None, account: str | None, at: datetime, source: str) -> int:
        """Remember a confirmed payer name and account for the customer; how many were new."""
        wanted = [("name", normalise_name(name or "")), ("account", plain_account(account))]
        new = 0
        for kind, value in wanted:
            if not value or self._known(customer_id, kind, value):
                continue
            self.conn.execute(insert(payer_aliases).values(customer_id=customer_id, kind=kind, value=value,
                                                           learned_at=at, source=source[:100]))
            new += 1
        return new

    def _known(self, customer_id: str, kind: str, value: str) -> bool:
        return bool(self.conn.execute(select(func.count()).select_from(payer_aliases).where(
            payer_aliases.c.customer_id == customer_id, payer_aliases.c.kind == kind,
            payer_aliases.c.value == value)).scalar_one())

    # --- receivables ----------------------------------------------------------------------------
    def read_receivables(self, query: Prepared, terms: dict[str, tuple[int, Decimal]] | None = None,
                         params: dict[str, Any] | None = None) -> list[Receivable]:
        """``query`` (one of ``receivables_query``'s) read into receivables with their discount terms."""
        found = []
        terms = terms or {}
        no_terms = (0, Decimal(0))
        width = len(t.open_items.c)
        for row in query.rows(self.conn, params):
            item = _item(row, self.functional_ccy)
            # the invoice's issue date, order and PO follow the item's own columns, as far as joined
            issued, order_id, po_number = (*row[width:], None, None, None)[:3]
            issued = issued or item.opened_on
            days, percent = terms.get(item.customer_id, no_terms)
            found.append(Receivable(item, issued, order_id, po_number, percent,
                                    issued + timedelta(days=days) if days else None))
        return found

    # --- remittance advices ---------------------------------------------------------------------
    def add_advice(self, key: str, reference: str, payer_name: str | None, amount: Money, day: date | None,
                   lines: list[AdvisedLine], at: datetime, source: str) -> bool:
        """Store an advice once (by key); False when it was already there."""
        exists = self.conn.execute(select(func.count()).select_from(remittance_advices)
                                   .where(remittance_advices.c.advice_key == key)).scalar_one()
        if exists:
            return False
        self.conn.execute(insert(remittance_advices).values(
            advice_key=key, payment_reference=reference[:200], payer_name=(payer_name or "")[:200],
            currency=amount.currency, amount_minor=amount.quantize().to_minor(), payment_date=day,
            lines=[advised_line_json(line) for line in lines], received_at=at, source=source[:300]))
        return True

    def unlinked_advice_for(self, amount: Money, reference: str, day: date) -> int | None:
        """The one unlinked advice of this amount whose reference appears in the payment's text."""
        rows = self.conn.execute(select(remittance_advices.c.id, remittance_advices.c.payment_reference,
                                        remittance_advices.c.payment_date).where(
            remittance_advices.c.payment_id.is_(None), remittance_advices.c.currency == amount.currency,
            remittance_advices.c.amount_minor == amount.quantize().to_minor())).all()
        text = reference.upper()
        near = [r[0] for r in rows if (r[1] and r[1].upper() in text)
                or (r[2] is not None and abs((r[2] - day).days) <= 5)]
        return near[0] if len(near) == 1 else None

    def link(self, advice_id: int, payment_id: str) -> None:
        self.conn.execute(update(remittance_advices).where(remittance_advices.c.id == advice_id)
                          .values(payment_id=payment_id))

    _ADVICE_OF = Prepared(select(remittance_advices.c.lines).where(
        remittance_advices.c.payment_id == bindparam("payment_id")).order_by(remittance_advices.c.id))

    def advice_of(self, payment_id: str) -> tuple[AdvisedLine, ...]:
        rows = self._ADVICE_OF.rows(self.conn, {"payment_id": payment_id})
        return tuple(_advised_line(line) for (lines,) in rows for line in lines)

    def unlinked_advices(self) -> list[tuple[int, str, Money, date | None]]:
        rows = self.conn.execute(select(remittance_advices.c.id, remittance_advices.c.payment_reference,
                                        remittance_advices.c.currency, remittance_advices.c.amount_minor,
                                        remittance_advices.c.payment_date)
                                 .where(and_(remittance_advices.c.payment_id.is_(None)))).all()
        return [(r[0], r[1], Money.from_minor(r[3], r[2]), r[4]) for r in rows]

    # --- bank statements and the entries already recorded ------------------------------------------
    def recorded_entries(self, keys: list[str]) -> dict[str, Payment]:
        """The payments already recorded for these bank entry keys, read in batches of 500."""
        found: dict[str, Payment] = {}
        for start in range(0, len(keys), 500):
            rows = self.conn.execute(select(t.payments.c.bank_entry_key, t.payments.c.body)
                                     .where(t.payments.c.bank_entry_key.in_(keys[start:start + 500])))
            found.update((key, decode(Payment, body)) for key, body in rows)
        return found

    def known_statements(self, keys: list[str]) -> set[str]:
        """Which of these statement keys were imported before."""
        if not keys:
            return set()
        rows = self.conn.execute(select(bank_statements.c.statement_key)
                                 .where(bank_statements.c.statement_key.in_(keys)))
        return {row[0] for row in rows}

    def previous_statement(self, account: str, currency: str, before: date | None,
                           other_than: str) -> tuple[str, int | None, str] | None:
        """The account's latest statement dated before ``before``: (statement id, closing minor, file)."""
        query = (select(bank_statements.c.statement_id, bank_statements.c.closing_minor, bank_statements.c.source)
                 .where(bank_statements.c.account == account, bank_statements.c.currency == currency,
                        bank_statements.c.statement_key != other_than, bank_statements.c.closing_minor.is_not(None))
                 .order_by(bank_statements.c.statement_date.desc(), bank_statements.c.id.desc()).limit(1))
        if before is not None:
            query = query.where(bank_statements.c.statement_date < before)
        row = self.conn.execute(query).first()
        return None if row is None else (row[0], row[1], row[2])

    def add_statement(self, values: dict[str, Any]) -> None:
        self.conn.execute(insert(bank_statements).values(**values))
