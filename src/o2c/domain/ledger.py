"""Double-entry ledger with an accounts-receivable subledger of open items.

Every posting is a journal entry plus the open-item changes it causes, produced by the pure functions
below and applied as one unit. Amounts on a line are signed (debit positive) twice: in the company's
functional currency and in the transaction currency.

Invariants (``Ledger.problems`` states them once; the store checks them again in the database):
1. every entry balances in the functional currency;
2. per currency, the AR control account equals the open items (debit items minus credit items), both
   in the transaction currency and in functional carrying amounts;
3. an open item's open amount stays between zero and its original amount.

Foreign-currency receivables carry a functional amount: revaluation moves it to the closing rate
(unrealised FX), settlement releases it, and the difference to what the bank paid is realised FX.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum

from o2c.domain.errors import CurrencyMismatch, OverApplication, UnbalancedEntry
from o2c.domain.money import Money


class Account(StrEnum):
    BANK = "1000"
    AR = "1100"
    ACCOUNTS_PAYABLE = "2000"
    VAT_OUTPUT = "2200"
    SALES_TAX = "2210"
    LOANS = "2500"
    SUSPENSE = "2900"
    OPENING_BALANCE = "3900"
    """Opening balance equity: the other side of the receivables a company brings in when it starts."""
    REVENUE = "4000"
    SALES_ALLOWANCES = "4100"
    PAYMENT_DISCOUNTS = "4150"
    BANK_CHARGES = "6500"
    BAD_DEBT = "6900"
    FX_REALISED = "7800"
    FX_UNREALISED = "7810"
    INTEREST_INCOME = "8100"
    OTHER_INCOME = "8900"


OTHER_RECEIPT_ACCOUNTS = {
    Account.ACCOUNTS_PAYABLE: "a supplier's refund (accounts payable)",
    Account.INTEREST_INCOME: "interest received",
    Account.LOANS: "a loan received",
    Account.OTHER_INCOME: "other income",
    Account.SUSPENSE: "not known yet (suspense)",
}
"""Where a receipt that is not a customer's payment may be posted, with what each means."""


class Side(StrEnum):
    DEBIT = "debit"
    CREDIT = "credit"


@dataclass(frozen=True, slots=True)
class JournalLine:
    account: Account
    functional: Money
    amount: Money
    customer_id: str | None = None
    open_item_id: str | None = None


@dataclass(frozen=True, slots=True)
class JournalEntry:
    id: str
    posted_on: date
    description: str
    source: str
    lines: tuple[JournalLine, ...]

    def problems(self) -> list[str]:
        if not self.lines:
            return [f"entry {self.id} has no lines"]
        currency = self.lines[0].functional.currency
        found = [f"entry {self.id}: line in {ln.functional.currency}, expected {currency}"
                 for ln in self.lines if ln.functional.currency != currency]
        if found:
            return found
        balance = sum((ln.functional.amount for ln in self.lines), Decimal(0))
        if balance != 0:
            found.append(f"entry {self.id} ({self.description}) does not balance: off by {balance} {currency}")
        for ln in self.lines:
            if ln.functional != ln.functional.quantize() or ln.amount != ln.amount.quantize():
                found.append(f"entry {self.id}: account {ln.account} has sub-minor-unit amounts")
        return found


@dataclass(frozen=True, slots=True)
class OpenItem:
    """A receivable (debit side) or a customer credit (credit note, unapplied cash: credit side)."""

    id: str
    customer_id: str
    document: str
    kind: str
    side: Side
    original: Money
    open: Money
    carrying: Money
    opened_on: date
    due_date: date

    @property
    def sign(self) -> int:
        return 1 if self.side is Side.DEBIT else -1

    @property
    def is_settled(self) -> bool:
        return self.open.is_zero()


@dataclass(frozen=True, slots=True)
class ItemChange:
    """A change to an open item's open amount (transaction currency) and carrying amount."""

    open_item_id: str
    open_delta: Money
    carrying_delta: Money


@dataclass(frozen=True, slots=True)
class Posting:
    entry: JournalEntry
    new_items: tuple[OpenItem, ...] = ()
    changes: tuple[ItemChange, ...] = ()

    def problems(self, items: dict[str, OpenItem]) -> list[str]:
        """What would break if this posting were applied to ``items``."""
        found = self.entry.problems()
        known = {**items, **{i.id: i for i in self.new_items}}
        ar_txn: dict[str, Decimal] = defaultdict(Decimal)
        ar_fun: dict[str, Decimal] = defaultdict(Decimal)
        for ln in self.entry.lines:
            if ln.account is Account.AR:
                ar_txn[ln.amount.currency] += ln.amount.amount
                ar_fun[ln.amount.currency] += ln.functional.amount
        sub_txn: dict[str, Decimal] = defaultdict(Decimal)
        sub_fun: dict[str, Decimal] = defaultdict(Decimal)
        for item in self.new_items:
            sub_txn[item.original.currency] += item.sign * item.open.amount
            sub_fun[item.original.currency] += item.sign * item.carrying.amount
        for ch in self.changes:
            changed = known.get(ch.open_item_id)
            if changed is None:
                found.append(f"entry {self.entry.id}: unknown open item {ch.open_item_id}")
                continue
            item = changed
            new_open = item.open + ch.open_delta
            if new_open.is_negative():
                found.append(f"open item {item.id} ({item.document}) would go below zero: {new_open}")
            if new_open > item.original:
                found.append(f"open item {item.id} ({item.document}) would exceed its original {item.original}")
            sub_txn[item.original.currency] += item.sign * ch.open_delta.amount
            sub_fun[item.original.currency] += item.sign * ch.carrying_delta.amount
        for ccy in set(ar_txn) | set(sub_txn):
            if ar_txn[ccy] != sub_txn[ccy] or ar_fun[ccy] != sub_fun[ccy]:
                found.append(f"entry {self.entry.id}: AR control moves {ar_txn[ccy]} {ccy} "
                             f"but open items move {sub_txn[ccy]} {ccy}")
        return found

    def reversed(self, entry_id: str, on: date) -> Posting:
        """The posting that undoes this one (new items are closed, changes inverted)."""
        lines = tuple(replace(ln, functional=-ln.functional, amount=-ln.amount) for ln in self.entry.lines)
        entry = JournalEntry(entry_id, on, f"reversal of {self.entry.id}", f"reversal:{self.entry.id}", lines)
        undo = [ItemChange(i.id, -i.open, -i.carrying) for i in self.new_items]
        undo += [ItemChange(c.open_item_id, -c.open_delta, -c.carrying_delta) for c in self.changes]
        return Posting(entry, (), tuple(undo))


def _line(account: Account, functional: Money, amount: Money, customer_id: str | None = None,
          open_item_id: str | None = None) -> JournalLine:
    return JournalLine(account, functional, amount, customer_id, open_item_id)


def _functional_zero(functional_ccy: str) -> Money:
    return Money.zero(functional_ccy)


def post_document(entry_id: str, on: date, item_id: str, customer_id: str, document: str,
                  kind: str, due: date, net: Money, tax: Money, rate: Decimal,
                  functional_ccy: str, tax_account: Account = Account.VAT_OUTPUT) -> Posting:
    """Post an invoice (kind 'invoice') or a credit note (kind 'credit_note') to revenue, tax and AR."""
    side = Side.CREDIT if kind == "credit_note" else Side.DEBIT
    sign = 1 if side is Side.DEBIT else -1
    net_f, tax_f = net.convert(rate, functional_ccy), tax.convert(rate, functional_ccy)
    gross, gross_f = net + tax, net_f + tax_f
    revenue_account = Account.SALES_ALLOWANCES if side is Side.CREDIT else Account.REVENUE
    lines = [
        _line(Account.AR, gross_f * sign, gross * sign, customer_id, item_id),
        _line(revenue_account, -net_f * sign, -net * sign, customer_id),
    ]
    if not tax.is_zero():
        lines.append(_line(tax_account, -tax_f * sign, -tax * sign, customer_id))
    item = OpenItem(item_id, customer_id, document, kind, side, gross, gross, gross_f, on, due)
    return Posting(JournalEntry(entry_id, on, f"{kind.replace('_', ' ')} {document}", f"{kind}:{document}",
                                tuple(lines)), (item,))


def _release(item: OpenItem, amount: Money) -> Money:
    """The carrying amount released when ``amount`` of ``item`` is settled (all of it at the end)."""
    if amount == item.open:
        return item.carrying
    return Money(item.carrying.amount * amount.amount / item.open.amount, item.carrying.currency).quantize()


@dataclass(frozen=True, slots=True)
class Settlement:
    """How much of one open item a payment settles: ``cash`` applied, plus discount and charges."""

    item: OpenItem
    cash: Money
    discount: Money | None = None
    charges: Money | None = None

    @property
    def settled(self) -> Money:
        result = self.cash
        for extra in (self.discount, self.charges):
            if extra is not None:
                result = result + extra
        return result


@dataclass(slots=True)
class _EntryBuilder:
    functional_ccy: str
    lines: list[JournalLine] = field(default_factory=list)
    changes: list[ItemChange] = field(default_factory=list)

    def add(self, account: Account, functional: Money, amount: Money, customer_id: str | None = None,
            open_item_id: str | None = None) -> None:
        if not functional.is_zero() or not amount.is_zero():
            self.lines.append(_line(account, functional, amount, customer_id, open_item_id))

    def settle(self, item: OpenItem, amount: Money) -> None:
        """Reduce ``item`` by ``amount``: the AR line and the item change, with its carrying release."""
        if amount > item.open:
            raise OverApplication(f"{amount} exceeds the {item.open} open on {item.document}")
        released = _release(item, amount)
        self.add(Account.AR, -released * item.sign, -amount * item.sign, item.customer_id, item.id)
        self.changes.append(ItemChange(item.id, -amount, -released))

    def balance_to(self, account: Account, customer_id: str | None) -> None:
        off = sum((ln.functional.amount for ln in self.lines), Decimal(0))
        if off:
            self.add(account, Money(-off, self.functional_ccy), Money(-off, self.functional_ccy), customer_id)


def receive_payment(entry_id: str, on: date, payment_ref: str, customer_id: str | None,
                    received: Money, rate: Decimal, settlements: Iterable[Settlement],
                    functional_ccy: str, unapplied_item_id: str | None = None,
                    due: date | None = None) -> Posting:
    """Bank receipt applied to open items; any rest becomes an unapplied-cash credit item."""
    b = _EntryBuilder(functional_ccy)
    b.add(Account.BANK, received.convert(rate, functional_ccy), received, customer_id)
    applied = Money.zero(received.currency)
    for s in settlements:
        if s.item.original.currency != received.currency:
            raise CurrencyMismatch(received.currency, s.item.original.currency)
        b.settle(s.item, s.settled)
        applied = applied + s.cash
        if s.discount is not None:
            b.add(Account.PAYMENT_DISCOUNTS, s.discount.convert(rate, functional_ccy), s.discount, customer_id)
        if s.charges is not None:
            b.add(Account.BANK_CHARGES, s.charges.convert(rate, functional_ccy), s.charges, customer_id)
    rest = received - applied
    if rest.is_negative():
        raise OverApplication(f"applications {applied} exceed the payment {received}")
    new_items: tuple[OpenItem, ...] = ()
    if not rest.is_zero():
        if unapplied_item_id is None or customer_id is None:
            raise OverApplication(f"{rest} of payment {payment_ref} is unapplied and has no customer item")
        rest_f = rest.convert(rate, functional_ccy)
        b.add(Account.AR, -rest_f, -rest, customer_id, unapplied_item_id)
        new_items = (OpenItem(unapplied_item_id, customer_id, payment_ref, "unapplied_cash", Side.CREDIT,
                              rest, rest, rest_f, on, due or on),)
    b.balance_to(Account.FX_REALISED, customer_id)
    entry = JournalEntry(entry_id, on, f"payment {payment_ref}", f"payment:{payment_ref}", tuple(b.lines))
    return Posting(entry, new_items, tuple(b.changes))


def other_receipt(entry_id: str, on: date, payment_ref: str, received: Money, rate: Decimal, account: Account,
                  functional_ccy: str) -> Posting:
    """A bank receipt that is no customer's payment: debit the bank, credit ``account``; no open item."""
    if account not in OTHER_RECEIPT_ACCOUNTS:
        raise OverApplication(f"a receipt cannot be posted to account {account.value} ({account.name.lower()})")
    functional = received.convert(rate, functional_ccy)
    lines = (_line(Account.BANK, functional, received, None, None), _line(account, -functional, -received, None, None))
    entry = JournalEntry(entry_id, on, f"receipt {payment_ref}", f"payment:{payment_ref}", lines)
    return Posting(entry, (), ())


def settle_items(entry_id: str, on: date, debit_item: OpenItem, credit_item: OpenItem, amount: Money,
                 functional_ccy: str) -> Posting:
    """Apply a customer credit (credit note, unapplied cash) to a receivable."""
    if debit_item.side is not Side.DEBIT or credit_item.side is not Side.CREDIT:
        raise OverApplication("settle a debit item with a credit item")
    b = _EntryBuilder(functional_ccy)
    b.settle(debit_item, amount)
    b.settle(credit_item, amount)
    b.balance_to(Account.FX_REALISED, debit_item.customer_id)
    entry = JournalEntry(entry_id, on, f"{credit_item.document} applied to {debit_item.document}",
                         f"settle:{credit_item.id}:{debit_item.id}", tuple(b.lines))
    return Posting(entry, (), tuple(b.changes))


def write_off(entry_id: str, on: date, item: OpenItem, amount: Money, functional_ccy: str,
              reason: str, account: Account = Account.BAD_DEBT) -> Posting:
    b = _EntryBuilder(functional_ccy)
    b.settle(item, amount)
    b.balance_to(account, item.customer_id)
    entry = JournalEntry(entry_id, on, f"write-off {item.document}: {reason}", f"write_off:{item.id}",
                         tuple(b.lines))
    return Posting(entry, (), tuple(b.changes))


def revalue(entry_id: str, on: date, items: Iterable[OpenItem], rates: dict[str, Decimal],
            functional_ccy: str) -> Posting | None:
    """Move foreign open items' carrying amounts to the closing ``rates`` (unrealised FX)."""
    b = _EntryBuilder(functional_ccy)
    for item in items:
        ccy = item.original.currency
        if ccy == functional_ccy or item.is_settled or ccy not in rates:
            continue
        delta = item.open.convert(rates[ccy], functional_ccy) - item.carrying
        if delta.is_zero():
            continue
        b.add(Account.AR, delta * item.sign, Money.zero(ccy), item.customer_id, item.id)
        b.changes.append(ItemChange(item.id, Money.zero(ccy), delta))
    if not b.changes:
        return None
    b.balance_to(Account.FX_UNREALISED, None)
    entry = JournalEntry(entry_id, on, f"FX revaluation {on.isoformat()}", f"revaluation:{on.isoformat()}",
                         tuple(b.lines))
    return Posting(entry, (), tuple(b.changes))


@dataclass
class Ledger:
    """An in-memory ledger that applies postings atomically and can state its own problems."""

    functional_ccy: str
    entries: list[JournalEntry] = field(default_factory=list)
    items: dict[str, OpenItem] = field(default_factory=dict)
    balances: dict[tuple[Account, str], tuple[Decimal, Decimal]] = field(default_factory=dict)

    def apply(self, posting: Posting) -> None:
        problems = posting.problems(self.items)
        if problems:
            raise UnbalancedEntry("; ".join(problems))
        for item in posting.new_items:
            self.items[item.id] = item
        for ch in posting.changes:
            item = self.items[ch.open_item_id]
            self.items[item.id] = replace(item, open=item.open + ch.open_delta,
                                          carrying=item.carrying + ch.carrying_delta)
        for ln in posting.entry.lines:
            key = (ln.account, ln.amount.currency)
            fun, txn = self.balances.get(key, (Decimal(0), Decimal(0)))
            self.balances[key] = (fun + ln.functional.amount, txn + ln.amount.amount)
        self.entries.append(posting.entry)

    def problems(self) -> list[str]:
        found = [p for e in self.entries for p in e.problems()]
        total_f = sum((f for f, _ in self.balances.values()), Decimal(0))
        if total_f != 0:
            found.append(f"trial balance is off by {total_f} {self.functional_ccy}")
        found += ar_control_problems(
            {ccy: bal for (acc, ccy), bal in self.balances.items() if acc is Account.AR},
            self.items.values())
        return found


def ar_control_problems(ar_balances: dict[str, tuple[Decimal, Decimal]],
                        items: Iterable[OpenItem]) -> list[str]:
    """AR control (functional, transaction) per currency against the open items' sum."""
    sub: dict[str, tuple[Decimal, Decimal]] = defaultdict(lambda: (Decimal(0), Decimal(0)))
    found = []
    for item in items:
        if item.open.is_negative() or item.open > item.original:
            found.append(f"open item {item.id} ({item.document}) has open {item.open} of {item.original}")
        fun, txn = sub[item.original.currency]
        sub[item.original.currency] = (fun + item.sign * item.carrying.amount, txn + item.sign * item.open.amount)
    for ccy in set(ar_balances) | set(sub):
        ctrl_f, ctrl_t = ar_balances.get(ccy, (Decimal(0), Decimal(0)))
        sub_f, sub_t = sub.get(ccy, (Decimal(0), Decimal(0)))
        if ctrl_t != sub_t:
            found.append(f"AR control {ctrl_t} {ccy} != open items {sub_t} {ccy}")
        if ctrl_f != sub_f:
            found.append(f"AR control carrying {ctrl_f} != open items carrying {sub_f} (items in {ccy})")
    return found
