"""The matching engine: for one payment, which open items it settles, how sure we are, and why.

Steps: read the references in the remittance (``remittance.read_references``), identify the payer
(account, learned alias, customer number, the references' owner, a name that looks alike), resolve
the references against the payer group's open items (exact, missing prefix, one digit transposed or
dropped, order and PO numbers), then explain the amount: exact, early-payment discount taken within
terms, bank charges within tolerance, a short pay (the difference stays open as a deduction), a
partial payment, an overpayment (unapplied credit), a payment in another currency; with no usable
reference, a bounded subset sum over the payer's open items finds the invoices it pays.

Invariants: pure (the open items come through the ``ReceivableBook`` port); every allocation's cash
adds up with the unapplied rest to exactly the payment (or to ``received_as`` for a foreign-currency
payment); cash never exceeds what is open; a match carries a confidence in 0..1 and its reasons.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol

from rapidfuzz.distance import DamerauLevenshtein

from o2c.domain.ledger import OpenItem
from o2c.domain.money import Money
from o2c.domain.remittance import (
    PayerDirectory,
    PayerGuess,
    References,
    document_keys,
    plain_account,
    read_references,
)


@dataclass(frozen=True, slots=True)
class Receivable:
    """An open invoice with what a payer may quote: its number, order, PO, and its discount terms."""

    item: OpenItem
    issue_date: date
    order_id: str | None = None
    po_number: str | None = None
    discount_percent: Decimal = Decimal(0)
    discount_until: date | None = None

    @property
    def document(self) -> str:
        return self.item.document

    def discount_on(self, day: date, grace_days: int) -> Money | None:
        """The early-payment discount a payment on ``day`` may take, if within terms and unpaid so far."""
        if not self.discount_percent or self.discount_until is None or self.item.open != self.item.original:
            return None
        if day > self.discount_until + timedelta(days=grace_days):
            return None
        return self.terms_discount()

    def terms_discount(self) -> Money | None:
        """The discount the terms give when paid in time, whenever it is paid; None without terms."""
        if not self.discount_percent or self.discount_until is None or self.item.open != self.item.original:
            return None
        return (self.item.original * self.discount_percent / 100).quantize()


class ReceivableBook(Protocol):
    """Where the engine reads open receivables (the ledger's open items are the truth)."""

    def open_of(self, customer_ids: Sequence[str]) -> list[Receivable]:
        """The customers' open receivables, oldest due first, with their discount terms. Their order
        and PO may be left unset: the engine looks those up only through ``by_key``."""
        ...

    def by_key(self, kind: str, key: str) -> list[Receivable]:
        """Open receivables by ``kind`` 'full' (year+sequence digits), 'seq', 'order' or 'po'."""
        ...

    def of_amount(self, customer_ids: Sequence[str], amount: Money) -> list[Receivable]:
        """The customers' open receivables of exactly ``amount`` still open (whether another of the
        payer's items fits the amount, asked without reading every item of the payer)."""
        ...

    def value_in(self, amount: Money, currency: str, day: date) -> Money | None:
        """``amount`` at the day's reference rate in ``currency``; None without a rate."""
        ...

    def charges_before(self, customer_id: str, currency: str) -> list[Money]:
        """The bank charges earlier payments of ``customer_id`` in ``currency`` bore, latest first."""
        ...

    def receipts_on(self, item_ids: Sequence[str]) -> list[IncomingPayment]:
        """The payments already applied to these open items."""
        ...


@dataclass(frozen=True, slots=True)
class AdvisedLine:
    """One line of a remittance advice: what the payer says it pays on a document, and why less."""

    document: str | None
    paid: Money | None = None
    discount: Money | None = None
    adjustment: Money | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class IncomingPayment:
    payment_id: str
    received_on: date
    amount: Money
    payer_name: str
    payer_account: str | None
    reference: str
    advice: tuple[AdvisedLine, ...] = ()


@dataclass(frozen=True, slots=True)
class MatchRules:
    """Tolerances, set by policy (the ``cash_matching`` section of the policy YAML), never by the noise.

    ``charges``: per currency, the most a bank may keep as fees on one payment; ``charges_share`` caps
    that at a share of what was due (a bank keeps €20 of €20,000, not of €60); ``customer_charges``
    gives a customer its own limits (a payer abroad whose banks charge more). A difference beyond them
    still counts as charges when it is close (``history_margin``) to charges the payer bore before.
    ``fuzzy_edits``: a reference this many edits from one of the payer's invoice numbers may name it.
    """

    charges: dict[str, Decimal] = field(default_factory=lambda: {"EUR": Decimal(35), "GBP": Decimal(30),
                                                                  "USD": Decimal(45)})
    charges_share: Decimal = Decimal("0.01")
    customer_charges: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    history_margin: Decimal = Decimal("0.25")
    fx_tolerance: Decimal = Decimal("0.02")
    short_pay_share: Decimal = Decimal("0.15")
    discount_grace_days: int = 2
    fuzzy_edits: int = 2
    auto_confidence: float = 0.9
    subset_items: int = 40
    subset_size: int = 6
    subset_size_unreferenced: int = 4
    duplicate_days: int = 14

    def charges_limit(self, customer_id: str, base: Money) -> Money:
        """The most a bank may have kept of ``base`` due from ``customer_id``."""
        ccy = base.currency
        own = self.customer_charges.get(customer_id, {})
        flat = own.get(ccy, self.charges.get(ccy, Decimal(0)))
        return Money(min(flat, abs(base.amount) * self.charges_share), ccy).quantize()

    def slack(self, customer_id: str, currency: str) -> Decimal:
        """The flat charges limit alone (what an amount search may leave unexplained)."""
        return self.customer_charges.get(customer_id, {}).get(currency, self.charges.get(currency, Decimal(0)))


@dataclass(frozen=True, slots=True)
class Allocation:
    """Cash on one open item, plus the discount and charges it settles; ``deduction`` stays open."""

    document: str
    item_id: str
    customer_id: str
    cash: Money
    discount: Money | None = None
    charges: Money | None = None
    deduction: Money | None = None
    reason: str | None = None
    paid_before: bool = False  # an earlier payment settled part of the item


@dataclass(frozen=True, slots=True)
class Match:
    customer_id: str
    allocations: tuple[Allocation, ...]
    unapplied: Money
    confidence: float
    explanation: tuple[str, ...]
    received_as: Money | None = None

    @property
    def documents(self) -> tuple[str, ...]:
        return tuple(a.document for a in self.allocations)


@dataclass(frozen=True, slots=True)
class MatchOutcome:
    payment_id: str
    best: Match | None
    alternatives: tuple[Match, ...] = ()
    why_not_auto: str | None = None

    @property
    def automatic(self) -> bool:
        return self.best is not None and self.why_not_auto is None


# Certainty of a reference some edits off exactly one of the payer's items (by edits; beyond: the last),
# and how much of it is left when another of the payer's items is within reach too.
EDITS_OFF = (1.0, 0.85, 0.8, 0.75)
ONE_DIGIT_OFF = EDITS_OFF[1]
CROWDED = 0.8
# Words payers use when they pay less on purpose: the rest stays open as a deduction, never as charges.
_DEDUCTION_WORDS = re.compile(
    r"\b(DAMAGED?|BROKEN|SHORT(?:AGE|[ -]?SHIPPED|[ -]?DELIVERY)?|MISSING|RETURN(?:ED|S)?|PROMO(?:TION)?|"
    r"ALLOWANCE|PRIC(?:E|ING)|DEDUCT(?:ION|ED)?|CLAIM|DISPUTE[D]?|REBATE|LESS|QUALITY|EXPIRED)\b")


@dataclass(frozen=True, slots=True)
class _Hit:
    receivable: Receivable
    how: str
    certainty: float
    key: str = ""


def match_payment(payment: IncomingPayment, directory: PayerDirectory, book: ReceivableBook,
                  rules: MatchRules | None = None) -> MatchOutcome:
    """The best explanation of ``payment``, its alternatives, and why a person must look if so."""
    rules = rules or MatchRules()
    if not payment.amount.amount > 0:
        return MatchOutcome(payment.payment_id, None, (), "not a receipt: nothing to apply")
    texts = [payment.reference, *(line.document for line in payment.advice)]
    refs = read_references(*texts)
    hits = _exact_hits(refs, book)
    guesses = _payer_guesses(payment, refs, hits, directory)
    found: dict[int, Match | None] = {}
    quoted = [n for n, g in enumerate(guesses) if _within_group(hits, directory.group(g.payer_id))]
    for n in quoted:
        found[n] = _match_for(payment, guesses[n], refs, hits, directory, book, rules)
    sure = max((m.confidence for m in found.values() if m), default=0.0)
    for n, guess in enumerate(guesses):
        # A payer none of the quoted invoices belong to is looked at (its every open item read) unless
        # a quoted payer's match will post and this one could come nowhere near it.
        if n not in found and not (sure >= rules.auto_confidence and _ceiling(payment, guess) < sure - 0.051):
            found[n] = _match_for(payment, guess, refs, hits, directory, book, rules)
    matches = [m for n in sorted(found) if (m := found[n])]
    matches.sort(key=lambda m: -m.confidence)
    if not matches:
        why = "payer not identified" if not guesses else "no open items fit the amount or the references"
        return MatchOutcome(payment.payment_id, None, (), why)
    best, rest = matches[0], tuple(matches[1:3])
    why_not = _why_not_auto(best, rest, rules) or _duplicate_of(payment, best, book, rules)
    return MatchOutcome(payment.payment_id, best, rest, why_not)


def _duplicate_of(payment: IncomingPayment, best: Match, book: ReceivableBook, rules: MatchRules) -> str | None:
    """An earlier payment on the same invoices with the same amount, references and payer, days apart: the
    payer or its bank may have sent one payment twice, and only a person can tell (refund, or hold as
    credit). Only invoices some payment has reached already are asked about."""
    touched = [a.item_id for a in best.allocations if a.paid_before]
    if not touched:
        return None
    for before in book.receipts_on(touched):
        if before.payment_id == payment.payment_id or before.amount != payment.amount:
            continue
        if abs((payment.received_on - before.received_on).days) > rules.duplicate_days:
            continue
        same_payer = (plain_account(before.payer_account) == plain_account(payment.payer_account)
                      if payment.payer_account else before.payer_name == payment.payer_name)
        if same_payer and read_references(before.reference) == read_references(payment.reference):
            return (f"payment {before.payment_id} of {before.received_on} had the same amount, reference and "
                    f"payer and was applied to the same invoice(s): a duplicate?")
    return None


def _explained(certainty: float) -> float:
    """A reference's certainty once the amount is explained too: half its doubt goes."""
    return 1 - (1 - certainty) / 2


def _ceiling(payment: IncomingPayment, guess: PayerGuess) -> float:
    """The most confidence a payer can reach when none of the quoted invoices is theirs: a reference
    one digit off one of their items (0.925 with the amount explained), the amount alone (0.97 of the
    confidence in the payer), or a remittance advice (0.98 of its square root)."""
    advised = 0.98 * guess.confidence ** 0.5 if payment.advice else 0.0
    return max(_explained(ONE_DIGIT_OFF), 0.97 * guess.confidence, advised)


def _why_not_auto(best: Match, rest: tuple[Match, ...], rules: MatchRules) -> str | None:
    if best.confidence < rules.auto_confidence:
        return f"confidence {best.confidence:.2f} is below {rules.auto_confidence:.2f}"
    close = [m for m in rest if m.confidence >= best.confidence - 0.05 and m.documents != best.documents]
    if close:
        return f"another explanation is as likely ({close[0].customer_id}: {', '.join(close[0].documents)})"
    return None


# --- references ------------------------------------------------------------------------------------
def _exact_hits(refs: References, book: ReceivableBook) -> dict[str, _Hit]:
    hits: dict[str, _Hit] = {}

    def add(found: list[Receivable], how: str, certainty: float, key: str = "") -> None:
        for r in found:
            if r.item.id not in hits or hits[r.item.id].certainty < certainty:
                hits[r.item.id] = _Hit(r, how, certainty, key)

    for number in refs.documents:
        keys = document_keys(number)
        if keys:
            add(book.by_key("full", keys[0]), f"reference names {number}", 1.0)
    resolved = [k[0] for number in refs.documents if (k := document_keys(number))]
    for digits in refs.digits:
        if len(digits) == 10:
            found = book.by_key("full", digits)
            resolved += [digits] if found else []
            add(found, f"reference {digits} is an invoice number without its prefix", 0.97)
        elif len(digits) == 6 and not any(full.endswith(digits) for full in resolved):
            found = book.by_key("seq", digits)
            add(found, f"reference {digits} is the sequence of an invoice number", 0.93 if len(found) == 1 else 0.6,
                f"seq:{digits}")
    for order in refs.orders:
        add(book.by_key("order", order), f"reference names our order {order}", 0.9)
    for po in refs.purchase_orders:
        add(book.by_key("po", po), f"reference names the customer's purchase order {po}", 0.9)
    return hits


def _unresolved_digits(refs: References, known: dict[str, _Hit]) -> list[str]:
    """Digit runs long enough to be a document number that no found item explains."""
    resolved = [k for h in known.values() for k in (document_keys(h.receivable.document) or ())]
    return [d for d in refs.digits if len(d) >= 5 and not any(d in k for k in resolved)]


def _same_reference(digits: str, typed: list[str]) -> bool:
    """Whether ``digits`` is one of the near references already resolved, or a run that holds one or
    is held by one ("2206007524" holds the sequence "007524" read one edit off an invoice)."""
    return any(digits in k or k in digits for k in typed)


def _fuzzy_hits(refs: References, items: list[Receivable], known: dict[str, _Hit], rules: MatchRules,
                amount: Money) -> dict[str, _Hit]:
    """References a few edits (mistyped, transposed, dropped digits) from exactly one of the payer's
    items at the fewest edits; surer the fewer the edits, less sure when another item within reach is
    of the amount paid too (two candidates the amount cannot tell apart)."""
    found: dict[str, _Hit] = {}
    unresolved = _unresolved_digits(refs, known)
    if not unresolved or not items or rules.fuzzy_edits < 1:
        return found
    keyed = [(r, keys) for r in items if (keys := document_keys(r.document)) and r.item.id not in known]
    reach = rules.fuzzy_edits
    for digits in unresolved:
        near = [(d, r) for r, (full, seq) in keyed
                if (d := DamerauLevenshtein.distance(digits, full if len(digits) > 7 else seq,
                                                     score_cutoff=reach)) <= reach]
        if not near:
            continue
        fewest = min(d for d, _ in near)
        nearest = [r for d, r in near if d == fewest]
        if len(nearest) != 1:
            continue
        r = nearest[0]
        rivals = [o for _, o in near if o is not r and o.item.open == amount]
        certainty = EDITS_OFF[min(fewest, len(EDITS_OFF) - 1)] * (CROWDED if rivals else 1.0)
        if r.item.id not in found or found[r.item.id].certainty < certainty:
            how = f"reference {digits} is {fewest} edit(s) off {r.document}"
            if rivals:
                how += f", and {rivals[0].document} of the same amount is near too"
            found[r.item.id] = _Hit(r, how, certainty, f"typed:{digits}")
    return found


# --- payer -----------------------------------------------------------------------------------------
def _payer_guesses(payment: IncomingPayment, refs: References, hits: dict[str, _Hit],
                   directory: PayerDirectory) -> list[PayerGuess]:
    guesses = directory.identify(payment.payer_name, payment.payer_account)
    if guesses and guesses[0].confidence >= 0.97:
        return guesses[:1]
    owners = _owners(hits, directory)
    for customer in refs.customers:
        if customer in directory.payers:
            guesses.insert(0, PayerGuess(customer, 0.95, f"reference quotes customer number {customer}"))
    if len(owners) == 1 and max(h.certainty for h in hits.values()) >= 0.9:
        owner = next(iter(owners))
        name = directory.payers[owner].name if owner in directory.payers else owner
        # the name on the statement is evidence of its own: when it points at the owner too, both agree
        named = max((g.confidence for g in guesses if g.payer_id == owner), default=0.0)
        sure = _corroborated(0.95, named)
        why = f"the invoices quoted belong to {name}" + (", whose name the payer's resembles" if named else "")
        guesses.insert(0, PayerGuess(owner, sure, why, from_references=True))
    seen: set[str] = set()
    unique = [g for g in guesses if not (g.payer_id in seen or seen.add(g.payer_id))]  # type: ignore[func-returns-value]
    return unique[:3]


def _owners(hits: dict[str, _Hit], directory: PayerDirectory) -> set[str]:
    """Who the confident hits belong to: one customer, or the parent when they span its group."""
    owners = {h.receivable.item.customer_id for h in hits.values() if h.certainty >= 0.9}
    parents = {p.parent_id or p.id for o in owners if (p := directory.payers.get(o))}
    return owners if len(owners) <= 1 or len(parents) != 1 else parents


# --- one payer -------------------------------------------------------------------------------------
def _match_for(payment: IncomingPayment, guess: PayerGuess, refs: References, hits: dict[str, _Hit],
               directory: PayerDirectory, book: ReceivableBook, rules: MatchRules) -> Match | None:
    group = directory.group(guess.payer_id)
    ours = _within_group(hits, group)
    advised_amounts = bool(payment.advice) and any(line.paid is not None for line in payment.advice)
    # The payer's open items are read only when the answer depends on them: to look for references one
    # digit off, to apply an advice, or to fit the amount when nothing was quoted.
    items = book.open_of(group) if advised_amounts or not ours or _unresolved_digits(refs, ours) else []
    ours.update(_fuzzy_hits(refs, items, ours, rules, payment.amount))
    why = [guess.why]
    foreign = [h for i, h in hits.items() if i not in ours and h.certainty >= 0.97]
    if foreign:
        why.append(f"{len(foreign)} quoted invoice(s) belong to another customer")
    if advised_amounts:
        advised = _from_advice(payment, guess, ours, items, rules, why)
        if advised:
            return advised
    if ours:
        # a quoted number that names none of the payer's items: what the rest of the money pays is unknown
        typed = [h.key[6:] for h in ours.values() if h.key.startswith("typed:")]
        unknown = any(not _same_reference(d, typed) for d in _unresolved_digits(refs, ours))
        match = _fit_references(payment, guess, list(ours.values()), rules, why, book,
                                penalty=0.9 if foreign else 1.0,
                                others=lambda amount: _of_amount(items, amount) if items else book.of_amount(group, amount))
        if match is not None and unknown and (not match.unapplied.is_zero() or match.confidence < 0.95):
            match = replace(match, confidence=round(match.confidence * 0.9, 3),
                            explanation=(*match.explanation, "a quoted number names none of the payer's invoices"))
        return match
    return _fit_by_amount(payment, guess, items, rules, why, book)


def _within_group(hits: dict[str, _Hit], group: list[str]) -> dict[str, _Hit]:
    """The hits on the group's items; a sequence number unique within the group is as good as unique."""
    ours = {i: h for i, h in hits.items() if h.receivable.item.customer_id in group}
    per_key: dict[str, int] = {}
    for h in ours.values():
        per_key[h.key] = per_key.get(h.key, 0) + 1
    return {i: replace(h, certainty=0.93) if h.key.startswith("seq:") and per_key[h.key] == 1 else h
            for i, h in ours.items()}


def _corroborated(first: float, second: float) -> float:
    """The certainty of two independent pieces of evidence that point at the same thing: it is wrong
    only if both are (the doubts multiply)."""
    return round(1 - (1 - first) * (1 - second), 3)


def _confidence(*parts: float) -> float:
    result = 1.0
    for p in parts:
        result *= p
    return round(result, 3)


def _in_currency(payment: IncomingPayment, currency: str, book: ReceivableBook) -> tuple[Money | None, str]:
    if payment.amount.currency == currency:
        return payment.amount, ""
    value = book.value_in(payment.amount, currency, payment.received_on)
    if value is None:
        return None, ""
    return value, f"paid {payment.amount} for {currency} invoices (worth {value} at the reference rate)"


def _fit_references(payment: IncomingPayment, guess: PayerGuess, hits: list[_Hit], rules: MatchRules,
                    why: list[str], book: ReceivableBook, penalty: float,
                    others: Callable[[Money], list[Receivable]]) -> Match | None:
    hits = sorted(hits, key=lambda h: (h.receivable.item.due_date, h.receivable.document))
    currency = hits[0].receivable.item.original.currency
    if any(h.receivable.item.original.currency != currency for h in hits):
        return None
    amount, fx_note = _in_currency(payment, currency, book)
    if amount is None:
        return None
    why = [*why, *(h.how for h in hits)] + ([fx_note] if fx_note else [])
    receivables = [h.receivable for h in hits]
    judge = _Judge(payment, rules, book, guess.payer_id)
    fitted = judge.explain(amount, receivables, fx=bool(fx_note))
    if fitted is None and len(receivables) > 1:
        fitted = _subset_of(amount, receivables, rules)
    if fitted is None:
        fitted = judge.short_or_partial(amount, receivables)
    allocations, unapplied, fit_conf, fit_why = fitted
    chosen = {a.item_id for a in allocations}
    certainty = min(_owned(h, guess) for h in hits if h.receivable.item.id in chosen)
    if fit_conf >= 0.95:
        certainty = _explained(certainty)
    elif not fx_note:
        # The amount does not fit what was quoted: if it fits another of the payer's items exactly,
        # the reference may be the mistake. Two explanations: a person decides.
        rival = _fits_another(amount, chosen, others(amount))
        if rival is not None:
            why.append(f"the amount equals {rival.document}, which was not quoted")
            penalty *= 0.8
    confidence = _confidence(min(certainty, max(guess.confidence, 0.95)), fit_conf,
                             penalty if fit_conf < 0.95 else 1.0)
    received_as = _sum((a.cash for a in allocations), currency) + unapplied if fx_note else None
    return Match(guess.payer_id, allocations, unapplied, confidence, (*why, *fit_why), received_as)


def _owned(hit: _Hit, guess: PayerGuess) -> float:
    """A key quoted exactly (not a near miss) that names an item of a payer known without the references
    (its account, a confirmed name, its name): two independent pieces of evidence agree."""
    if guess.from_references or hit.key.startswith("typed:") or hit.certainty < 0.9:
        return hit.certainty  # a key several of the payer's items share stays as doubtful as it was
    return _corroborated(hit.certainty, guess.confidence)


def _of_amount(items: list[Receivable], amount: Money) -> list[Receivable]:
    return [r for r in items if r.item.open == amount]


def _fits_another(amount: Money, chosen: set[str], items: list[Receivable]) -> Receivable | None:
    return next((r for r in items if r.item.id not in chosen and r.item.open == amount), None)


_Fitted = tuple[tuple[Allocation, ...], Money, float, list[str]]


def _alloc(r: Receivable, cash: Money, **extra: Money | str | None) -> Allocation:
    return Allocation(r.document, r.item.id, r.item.customer_id, cash, **extra,  # type: ignore[arg-type]
                      paid_before=r.item.open != r.item.original)


def stated_deduction(text: str | None) -> str | None:
    """The words in a remittance text that say the payer paid less on purpose ("LESS DAMAGED GOODS")."""
    found = _DEDUCTION_WORDS.search((text or "").upper())
    if found is None:
        return None
    return " ".join((text or "")[found.start():].split()[:4]).lower()


@dataclass(frozen=True, slots=True)
class _Judge:
    """Explains an amount against receivables with the policy's tolerances and the payer's history."""

    payment: IncomingPayment
    rules: MatchRules
    book: ReceivableBook
    payer_id: str

    def explain(self, amount: Money, receivables: list[Receivable], fx: bool = False) -> _Fitted | None:
        """Exact, discount taken in time, a discount taken late, bank charges, FX within tolerance, or
        an overpayment; None otherwise."""
        rules, ccy = self.rules, amount.currency
        total = _sum((r.item.open for r in receivables), ccy)
        discounts = [r.discount_on(self.payment.received_on, rules.discount_grace_days) for r in receivables]
        discount_total = _sum((d for d in discounts if d), ccy)
        plain = tuple(_alloc(r, r.item.open) for r in receivables)
        if fx and abs(amount.amount - total.amount) <= total.amount * rules.fx_tolerance:
            return plain, Money.zero(ccy), 0.96, [f"within the {rules.fx_tolerance:.0%} FX tolerance of {total}"]
        if amount == total:
            return plain, Money.zero(ccy), 1.0, [f"amount {amount} equals the {len(receivables)} open item(s)"]
        if discount_total and amount == total - discount_total:
            allocs = tuple(_alloc(r, r.item.open - d, discount=d) if d else _alloc(r, r.item.open)
                           for r, d in zip(receivables, discounts, strict=True))
            return allocs, Money.zero(ccy), 0.98, [f"early-payment discount {discount_total} taken within terms"]
        late = self._late_discount(amount, total, receivables) if not discount_total else None
        if late is not None:
            return late
        if stated_deduction(self.payment.reference) is None:
            for base, note in ((total, ""), (total - discount_total, " after the discount")):
                if note and not discount_total:
                    continue
                charged = self._charges(base - amount, base)
                if charged is not None:
                    sure, how = charged
                    parts = _explain_amount_discounted(receivables, discounts, bool(note))
                    gap = base - amount
                    parts[-1] = replace(parts[-1], cash=parts[-1].cash - gap, charges=gap)
                    return tuple(parts), Money.zero(ccy), sure, [f"bank charges of {gap}{note} {how}"]
        if amount > total:
            excess = amount - total
            sure = 0.94 if excess.amount * 10 <= total.amount else 0.85
            return plain, excess, sure, [f"overpaid by {excess}: left as unapplied credit"]
        return None

    def _charges(self, gap: Money, base: Money) -> tuple[float, str] | None:
        """Whether a bank kept ``gap`` of ``base``: within the policy's limit for this payer and amount,
        or close to what this payer's banks kept before."""
        if gap.amount <= 0:
            return None
        limit = self.rules.charges_limit(self.payer_id, base)
        if gap <= limit:
            return 0.95, f"within the policy's limit of {limit}"
        if gap.amount * 10 > base.amount:
            return None
        margin = self.rules.history_margin
        before = self.book.charges_before(self.payer_id, gap.currency)
        if any(abs(gap.amount - c.amount) <= c.amount * margin for c in before):
            return 0.95, "as this payer's bank charged before"
        return None

    def _late_discount(self, amount: Money, total: Money, receivables: list[Receivable]) -> _Fitted | None:
        """The terms' discount taken after the terms: the invoices are paid, the discount stays open."""
        terms = [r.terms_discount() for r in receivables]
        taken = _sum((d for d in terms if d), amount.currency)
        if taken.is_zero() or amount != total - taken:
            return None
        allocs = tuple(_alloc(r, r.item.open - d, deduction=d, reason="early-payment discount taken after its terms")
                       if d else _alloc(r, r.item.open) for r, d in zip(receivables, terms, strict=True))
        return allocs, Money.zero(amount.currency), 0.93, [f"discount {taken} taken after its terms: left open"]

    def short_or_partial(self, amount: Money, receivables: list[Receivable]) -> _Fitted:
        """Pay the oldest first; the rest of the last one stays open as a deduction or a partial."""
        ccy = amount.currency
        total = _sum((r.item.open for r in receivables), ccy)
        left, allocs = amount, []
        for r in receivables:
            cash = min(left, r.item.open)
            if cash.is_zero():
                continue
            allocs.append(_alloc(r, cash))
            left = left - cash
        short = total - amount
        unpaid = len(receivables) - len(allocs)
        if unpaid:  # a quoted invoice gets nothing: not paid, or shorted elsewhere? a person decides
            return tuple(allocs), Money.zero(ccy), 0.85, [f"{unpaid} quoted invoice(s) left unpaid: {short} short"]
        if short <= total * self.rules.short_pay_share:
            stated = stated_deduction(self.payment.reference)
            last = allocs[-1]
            allocs[-1] = replace(last, deduction=short, reason=stated or "short payment without a stated reason")
            return tuple(allocs), Money.zero(ccy), 0.92, [f"short pay of {short}: left open as a deduction"]
        return tuple(allocs), Money.zero(ccy), 0.9, [f"partial payment: {short} stays open"]


def _explain_amount_discounted(receivables: list[Receivable], discounts: list[Money | None],
                               with_discount: bool) -> list[Allocation]:
    return [_alloc(r, r.item.open - d, discount=d) if with_discount and d else _alloc(r, r.item.open)
            for r, d in zip(receivables, discounts, strict=True)]


def _from_advice(payment: IncomingPayment, guess: PayerGuess, hits: dict[str, _Hit],
                 items: list[Receivable], rules: MatchRules, why: list[str]) -> Match | None:
    """Apply a remittance advice line by line: paid, discount, and a deduction with its reason."""
    by_doc = {r.document: r for r in items}
    by_hit = {h.receivable.document: h.receivable for h in hits.values()}
    allocs: list[Allocation] = []
    ccy = payment.amount.currency
    for line in payment.advice:
        r = by_doc.get(line.document or "") or _advised_item(line, by_hit)
        if r is None or line.paid is None or r.item.original.currency != ccy:
            return None
        discount = line.discount if line.discount and not line.discount.is_zero() else None
        cash = min(line.paid, r.item.open)
        rest = r.item.open - cash - (discount or Money.zero(ccy))
        deduction = rest if rest.amount > 0 and line.adjustment is not None else None
        allocs.append(_alloc(r, cash, discount=discount, deduction=deduction,
                             reason=(line.reason or "deduction on the remittance") if deduction else None))
    applied = _sum((a.cash for a in allocs), ccy)
    if applied > payment.amount:
        return None
    note = f"remittance advice explains {len(allocs)} document(s)"
    return Match(guess.payer_id, tuple(allocs), payment.amount - applied,
                 _confidence(guess.confidence ** 0.5, 0.98 if applied == payment.amount else 0.9),
                 (*why, note))


def _advised_item(line: AdvisedLine, by_hit: dict[str, Receivable]) -> Receivable | None:
    keys = read_references(line.document)
    for doc, r in by_hit.items():
        doc_keys = document_keys(doc)
        if doc_keys and any(k in doc_keys for k in keys.digits):
            return r
    return None


def _subset_of(amount: Money, receivables: list[Receivable], rules: MatchRules) -> _Fitted | None:
    found = find_subsets([r.item.open.to_minor() for r in receivables], amount.to_minor(),
                         rules.subset_size, 2)
    if len(found) != 1:
        return None
    chosen = [receivables[i] for i in found[0]]
    # a quoted invoice left unpaid is unexplained (not paid, or a short pay of the same size?)
    return tuple(_alloc(r, r.item.open) for r in chosen), Money.zero(amount.currency), 0.88, [
        f"{amount} equals exactly {', '.join(r.document for r in chosen)} of the invoices quoted"]


def _fit_by_amount(payment: IncomingPayment, guess: PayerGuess, items: list[Receivable],
                   rules: MatchRules, why: list[str], book: ReceivableBook) -> Match | None:
    """No reference: the one set of the payer's open items the amount pays (with discount or fees)."""
    ccy = payment.amount.currency
    judge = _Judge(payment, rules, book, guess.payer_id)
    candidates = sorted((r for r in items if r.item.original.currency == ccy and r.item.side.value == "debit"),
                        key=lambda r: (r.item.due_date, r.document))
    exact = [r for r in candidates if r.item.open == payment.amount]
    if len(exact) == 1:
        fitted = judge.explain(payment.amount, exact)
        if fitted is not None:
            note = "no usable reference; the amount equals exactly one open item"
            return Match(guess.payer_id, fitted[0], fitted[1], _confidence(guess.confidence, 0.97),
                         (*why, note, *fitted[3]))
    pool = candidates[: rules.subset_items]
    if not pool:
        return None
    complete = len(pool) == len(candidates)
    target = payment.amount.to_minor()
    for variant, values, slack in _amount_variants(payment, pool, rules, guess.payer_id):
        found = find_subsets(values, target, rules.subset_size_unreferenced, 2, slack)
        if not found:
            continue
        chosen = [pool[i] for i in found[0]]
        fitted = judge.explain(payment.amount, chosen)
        if fitted is None:
            continue
        allocs, unapplied, fit_conf, fit_why = fitted
        unique = len(found) == 1 and complete
        conf = _confidence(guess.confidence, fit_conf, 0.97 if unique else 0.6, 0.98 if len(chosen) < 4 else 0.95)
        note = (f"no usable reference; {variant} of {len(chosen)} open item(s) "
                f"{'is the only combination that fits' if unique else 'is one of several combinations'}")
        return Match(guess.payer_id, allocs, unapplied, conf, (*why, note, *fit_why))
    return None


def _amount_variants(payment: IncomingPayment, pool: list[Receivable], rules: MatchRules,
                     payer_id: str) -> list[tuple[str, list[int], int]]:
    ccy = payment.amount.currency
    opens = [r.item.open.to_minor() for r in pool]
    discounted = [r.item.open.to_minor() - (d.to_minor() if (d := r.discount_on(
        payment.received_on, rules.discount_grace_days)) else 0) for r in pool]
    slack = Money(rules.slack(payer_id, ccy), ccy).quantize().to_minor()
    variants = [("the amount", opens, 0)]
    if discounted != opens:
        variants.append(("the amount less discount", discounted, 0))
    variants.append(("the amount less bank charges", opens, slack))
    return variants


def _sum(amounts: object, currency: str) -> Money:
    total = Money.zero(currency)
    for a in amounts:  # type: ignore[attr-defined]
        total = total + a
    return total


def find_subsets(values: Sequence[int], target: int, max_size: int, limit: int, slack: int = 0,
                 budget: int = 20_000) -> list[tuple[int, ...]]:
    """Index sets of at most ``max_size`` values summing to ``target`` (or 1 to ``slack`` more).

    Up to four positive values (what a payment without a reference may pay) are searched completely
    by pair sums (``_small_subsets``); a set counts only when no part of it sums into the range on its
    own. Larger sets are searched depth-first, bounded: that search stops after ``limit`` solutions or
    ``budget`` steps, and an exhausted budget repeats the first solution, so a caller asking for
    uniqueness never mistakes "not searched" for "only one".
    """
    low, high = (target + 1, target + slack) if slack else (target, target)
    if max_size <= 4 and all(v > 0 for v in values):
        return _small_subsets(values, low, high, max_size, limit)
    return _subsets_depth_first(values, low, high, max_size, limit, budget)


def _small_subsets(values: Sequence[int], low: int, high: int, max_size: int,
                   limit: int) -> list[tuple[int, ...]]:
    """Every minimal set of one to ``max_size`` (at most four) positive values summing into [low, high],
    smallest sets first, up to ``limit`` of them: singles, then pairs from the sorted pair sums, then
    a single or a pair beside another pair, found by binary search on those sums."""
    found: list[tuple[int, ...]] = []
    seen: set[tuple[int, ...]] = set()

    def take(indices: tuple[int, ...]) -> bool:
        chosen = tuple(sorted(indices))
        total = sum(values[i] for i in chosen)
        if chosen not in seen and all(total - values[i] < low for i in chosen):
            seen.add(chosen)
            found.append(chosen)
        return len(found) >= limit

    count = len(values)
    for i in range(count):
        if low <= values[i] <= high and take((i,)):
            return found
    if max_size < 2:
        return found
    pairs = sorted((values[i] + values[j], i, j) for i in range(count) for j in range(i + 1, count))
    sums = [p[0] for p in pairs]

    def summing_to(lo: int, hi: int) -> list[tuple[int, int, int]]:
        return pairs[bisect_left(sums, lo):bisect_right(sums, hi)]

    for _, i, j in summing_to(low, high):
        if take((i, j)):
            return found
    if max_size >= 3:
        for i in range(count):
            for _, j, k in summing_to(low - values[i], high - values[i]):
                if i not in (j, k) and take((i, j, k)):
                    return found
    if max_size >= 4:
        for first, (total, a, b) in enumerate(pairs):
            if total * 2 > high:  # the second pair is never the smaller: every four-set was seen
                break
            start = max(first, bisect_left(sums, low - total))
            for _, c, d in pairs[start:bisect_right(sums, high - total)]:
                if len({a, b, c, d}) == 4 and take((a, b, c, d)):
                    return found
    return found


def _subsets_depth_first(values: Sequence[int], low: int, high: int, max_size: int, limit: int,
                         budget: int) -> list[tuple[int, ...]]:
    order = sorted(range(len(values)), key=lambda i: -values[i])
    ordered = [values[i] for i in order]
    suffix = [0] * (len(ordered) + 1)
    for n in range(len(ordered) - 1, -1, -1):
        suffix[n] = suffix[n + 1] + max(ordered[n], 0)
    found: list[tuple[int, ...]] = []
    steps = 0

    def walk(start: int, total: int, chosen: list[int]) -> bool:
        nonlocal steps
        for n in range(start, len(ordered)):
            steps += 1
            if steps > budget or len(found) >= limit:
                return False
            value = total + ordered[n]
            if value + suffix[n + 1] < low:
                return True
            if value > high:
                continue
            chosen.append(order[n])
            if low <= value <= high:
                found.append(tuple(sorted(chosen)))
            elif len(chosen) < max_size and not walk(n + 1, value, chosen):
                chosen.pop()
                return False
            chosen.pop()
        return True

    complete = walk(0, 0, [])
    if not complete and len(found) == 1:
        found.append(found[0])
    return found


class ReceivableIndex:
    """An in-memory ``ReceivableBook`` (tests, the bench): open receivables keyed as payers quote them.

    ``settle`` keeps it true after a posting; ``rates`` are units of each currency per functional unit.
    """

    def __init__(self, receivables: Sequence[Receivable], rates: dict[str, Decimal] | None = None) -> None:
        self.rates = rates or {}
        self.charged: dict[tuple[str, str], list[Money]] = {}
        self.receipts: dict[str, list[IncomingPayment]] = {}
        self.items: dict[str, Receivable] = {}
        self.by_customer: dict[str, dict[str, Receivable]] = {}
        self.keys: dict[tuple[str, str], dict[str, Receivable]] = {}
        for r in receivables:
            self.add(r)

    def add(self, r: Receivable) -> None:
        self.items[r.item.id] = r
        self.by_customer.setdefault(r.item.customer_id, {})[r.item.id] = r
        for pair in self._pairs(r):
            self.keys.setdefault(pair, {})[r.item.id] = r

    @staticmethod
    def _pairs(r: Receivable) -> list[tuple[str, str]]:
        keys = document_keys(r.document)
        pairs = [("full", keys[0]), ("seq", keys[1])] if keys else []
        pairs += [("order", r.order_id)] if r.order_id else []
        return pairs + ([("po", r.po_number)] if r.po_number else [])

    def settle(self, item_id: str, amount: Money) -> None:
        """Lower an item's open amount; a settled item disappears from every key."""
        r = self.items[item_id]
        left = r.item.open - amount
        updated = replace(r, item=replace(r.item, open=left))
        buckets = [self.by_customer[r.item.customer_id], *(self.keys[p] for p in self._pairs(r))]
        for bucket in buckets:
            if left.is_zero():
                bucket.pop(item_id, None)
            else:
                bucket[item_id] = updated
        self.items[item_id] = updated

    def open_of(self, customer_ids: Sequence[str]) -> list[Receivable]:
        found = [r for cid in customer_ids for r in self.by_customer.get(cid, {}).values()]
        return sorted(found, key=lambda r: (r.item.due_date, r.item.id))

    def by_key(self, kind: str, key: str) -> list[Receivable]:
        return list(self.keys.get((kind, key), {}).values())

    def of_amount(self, customer_ids: Sequence[str], amount: Money) -> list[Receivable]:
        return _of_amount(self.open_of(customer_ids), amount)

    def value_in(self, amount: Money, currency: str, day: date) -> Money | None:
        if amount.currency not in self.rates or currency not in self.rates:
            return None
        return Money(amount.amount * self.rates[currency] / self.rates[amount.currency], currency).quantize()

    def record_charges(self, customer_id: str, charges: Money) -> None:
        """Remember that a bank kept ``charges`` of a payment from ``customer_id``."""
        self.charged.setdefault((customer_id, charges.currency), []).insert(0, charges)

    def charges_before(self, customer_id: str, currency: str) -> list[Money]:
        return list(self.charged.get((customer_id, currency), ()))

    def record_receipt(self, payment: IncomingPayment, item_ids: Sequence[str]) -> None:
        """Remember that ``payment`` was applied to these items."""
        for item_id in item_ids:
            self.receipts.setdefault(item_id, []).append(payment)

    def receipts_on(self, item_ids: Sequence[str]) -> list[IncomingPayment]:
        return [p for item_id in dict.fromkeys(item_ids) for p in self.receipts.get(item_id, ())]
