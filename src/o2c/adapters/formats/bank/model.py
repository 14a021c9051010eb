"""What a bank or a payer tells us about money moved: statements, entries and remittance advices.

Every bank file format (camt.053/054, MT940/942, BAI2, CSV) and every remittance format (X12 820,
camt structured remittance) is read into these few frozen classes, so cash application never sees
a format. The invariants:

- an entry's ``amount`` is signed from the account holder's side: a credit (money in) is positive,
  a debit (money out) negative; ``credit`` says the same in words;
- a statement balances when opening balance + booked entries == closing balance, exactly, in the
  statement's currency (pending entries do not move the booked balance); ``difference`` says by how
  much one does not (banks do send such statements: they are kept, flagged, never reconciled). A
  statement without an opening or closing balance (camt.054, MT942, OFX) has nothing to contradict;
- ``entry_key`` is deterministic and made of what the bank states (account, booking date, bank
  reference or amount, sequence): the same bank entry read again from a later, overlapping or
  corrected statement gets the same key, so importing twice posts nothing twice;
- ``warnings`` on a statement name, by line and field, every bend of the format read to make it;
- a remittance line explains a payment against one document: invoice amount - discount +
  adjustment == amount paid when nothing is left unexplained.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from o2c.domain.errors import CurrencyMismatch
from o2c.domain.money import Money


class FormatError(Exception):
    """A file that cannot be read as its format says, with the place and the field that broke it."""

    def __init__(self, file: str, message: str, *, line: int | None = None, field: str | None = None):
        self.file, self.line, self.field, self.message = file, line, field, message
        where = f"line {line}, " if line is not None else ""
        what = f"{field}: " if field else ""
        super().__init__(f"{file}: {where}{what}{message}")


class FileRefused(FormatError):
    """An error that refuses the whole file, whatever its other statements hold."""


class ImpossibleValue(FileRefused):
    """A value that cannot be right: an amount finer than its currency, beyond any sane bound or in
    no known currency, a date that does not exist."""


class UnbalancedStatement(FileRefused):
    """A statement that does not add up, in a file read strictly (the policy that refuses such files)."""


class EntryStatus(StrEnum):
    BOOKED = "booked"
    PENDING = "pending"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class RemittanceLine:
    """One document a payment settles, with what the payer says about the amounts.

    ``adjustment`` is signed as added to the payment (a deduction is negative); ``discount`` is the
    early-payment or terms discount taken. Amounts the source does not give are None.
    """

    document: str | None
    document_kind: str | None = None
    amount_paid: Money | None = None
    invoice_amount: Money | None = None
    discount: Money | None = None
    adjustment: Money | None = None
    adjustment_reason: str | None = None
    document_date: date | None = None
    creditor_reference: str | None = None
    entity: str | None = None
    references: tuple[tuple[str, str], ...] = ()
    note: str | None = None

    @property
    def short_paid(self) -> Money | None:
        """Invoice amount minus amount paid: what the payer did not pay, for any reason."""
        if self.invoice_amount is None or self.amount_paid is None:
            return None
        return self.invoice_amount - self.amount_paid

    @property
    def unexplained_difference(self) -> Money | None:
        """What discount and adjustment do not explain: a short pay without a stated reason."""
        short = self.short_paid
        if short is None:
            return None
        if self.discount is not None:
            short = short - self.discount
        if self.adjustment is not None:
            short = short + self.adjustment
        return short


@dataclass(frozen=True, slots=True)
class RemittanceAdvice:
    """A payer's advice of one payment (X12 820): who pays whom, how much, and for which documents."""

    payment_reference: str
    payment_amount: Money
    payment_date: date | None
    payer_name: str | None = None
    payer_id: str | None = None
    payee_name: str | None = None
    payee_id: str | None = None
    method: str | None = None
    payment_format: str | None = None
    credit: bool = True
    lines: tuple[RemittanceLine, ...] = ()
    references: tuple[tuple[str, str], ...] = ()
    advice_key: str = ""

    @property
    def lines_total(self) -> Money:
        total = Money.zero(self.payment_amount.currency)
        for line in self.lines:
            if line.amount_paid is not None:
                total = total + line.amount_paid
        return total

    @property
    def unexplained_difference(self) -> Money:
        """Payment amount minus the sum paid on the lines; zero when the advice explains it all."""
        return self.payment_amount - self.lines_total


@dataclass(frozen=True, slots=True)
class BankEntry:
    """One movement on the account as the bank booked (or announced) it."""

    entry_key: str
    booking_date: date | None
    value_date: date | None
    amount: Money
    status: EntryStatus = EntryStatus.BOOKED
    bank_transaction_code: str | None = None
    counterparty_name: str | None = None
    counterparty_account: str | None = None
    counterparty_bic: str | None = None
    end_to_end_id: str | None = None
    bank_reference: str | None = None
    customer_reference: str | None = None
    remittance_text: str | None = None
    remittance_lines: tuple[RemittanceLine, ...] = ()
    charges: Money | None = None
    original_amount: Money | None = None
    exchange_rate: Decimal | None = None
    reversal: bool = False
    additional_info: str | None = None

    @property
    def credit(self) -> bool:
        """True for money in (a credit to the account holder), False for money out."""
        return self.amount.amount >= 0

    @property
    def booked(self) -> bool:
        return self.status is EntryStatus.BOOKED


@dataclass(frozen=True, slots=True)
class BankStatement:
    """An account's movements over a period, between an opening and a closing balance."""

    format: str
    statement_id: str
    account: str
    currency: str
    opening_balance: Money | None
    closing_balance: Money | None
    statement_date: date | None
    created_at: datetime | None = None
    servicer_bic: str | None = None
    entries: tuple[BankEntry, ...] = ()
    closing_available: Money | None = None
    warnings: tuple[str, ...] = ()

    def booked_total(self) -> Money:
        total = Money.zero(self.currency)
        for entry in self.entries:
            if entry.booked:
                total = total + entry.amount
        return total

    def balance_problems(self) -> list[str]:
        """Why opening + booked entries != closing, in figures; empty when the statement balances."""
        if self.opening_balance is None or self.closing_balance is None:
            return []
        try:
            expected = self.opening_balance + self.booked_total()
            if expected.amount == self.closing_balance.amount and expected.currency == self.currency:
                return []
            differs_by = f"differs by {_figure(self.closing_balance - expected)}"
        except CurrencyMismatch:
            figure = self.difference
            differs_by = (f"is in another currency, {self.closing_balance.currency}; by its figure it differs by "
                          f"{plain_amount(figure) if figure else '?'}")
        booked = sum(1 for entry in self.entries if entry.booked)
        return [
            f"statement {self.statement_id} of account {self.account} does not balance: opening "
            f"{_figure(self.opening_balance)} + {booked} booked entries {_figure(self.booked_total())} "
            f"= {_figure(self.opening_balance, self.booked_total())}, but the closing balance is "
            f"{_figure(self.closing_balance)} ({differs_by})"
        ]

    @property
    def balanced(self) -> bool:
        return not self.balance_problems()

    @property
    def difference(self) -> Money | None:
        """Closing balance minus (opening + booked entries): what the entries fail to explain, in the
        statement's currency (a balance stated in another currency is compared by its figure, and
        ``balance_problems`` says so). Zero when it balances, None without both balances."""
        if self.opening_balance is None or self.closing_balance is None:
            return None
        expected = self.opening_balance.amount + self.booked_total().amount
        return Money(self.closing_balance.amount - expected, self.currency)


def plain_amount(money: Money) -> str:
    """The amount as plain text, to the currency's minor unit unless that would round it."""
    quantized = money.quantize()
    return str(quantized.amount if quantized.amount == money.amount else money.amount)


def _figure(*amounts: Money) -> str:
    try:
        total = amounts[0]
        for more in amounts[1:]:
            total = total + more
        return f"{plain_amount(total)} {total.currency}"
    except CurrencyMismatch:
        return " + ".join(f"{plain_amount(a)} {a.currency}" for a in amounts)


@dataclass(frozen=True, slots=True)
class ParsedBankFile:
    """What one file held: statements, remittance advices, and the warnings met on the way."""

    format: str
    statements: tuple[BankStatement, ...] = ()
    remittances: tuple[RemittanceAdvice, ...] = ()
    warnings: tuple[str, ...] = ()
    rejected: tuple[str, ...] = ()
    """Statements that could not be read (cut short, a required field missing), one line each; the
    file's other statements are read all the same."""

    def entries(self) -> Iterable[BankEntry]:
        for statement in self.statements:
            yield from statement.entries
