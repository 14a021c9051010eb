"""Payment-date prediction: when will each open invoice be paid, and how sure are we.

Training data is the company's own history: every invoice settled by cash in the ledger, with the
day its open amount reached zero. The target is days paid after the due date ("days late").

The model is what a credit practitioner does with a payment history, written down: each customer's
own days-late distribution (their last ``RECENT`` paid invoices, plus their invoices still unpaid
past due counted at their days overdue so far, a lower bound a slow payer would otherwise hide),
shrunk toward their segment's distribution with a pseudo-count of ``SHRINK`` invoices. The point
prediction is that mixture's median (the number that minimises the mean absolute error); its
quantiles and samples give the cash forecast its range. An invoice already overdue is predicted from
the part of the distribution beyond its days overdue.

Cold start falls back and says so in ``source``: a customer with fewer than ``MIN_HISTORY`` paid
invoices gets their segment's distribution (``segment``); a segment with fewer than ``MIN_SEGMENT``
gets the due date (``due_date``); otherwise ``customer``. ``evaluate`` splits the history in time
(the segments are fitted on invoices paid before day D; the invoices issued from D on are scored,
each with only the customer history known on its issue date) and reports the mean absolute error in
days against the baselines "pays on the due date" and "pays as late as last time".
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

import numpy as np
from sqlalchemy import Connection

from o2c.adapters.store.receivables_history import InvoiceRecord, ReceivablesHistory

MIN_HISTORY = 2
MIN_SEGMENT = 10
SHRINK = 3.0
RECENT = 12
SEGMENTS = ("retail_chain", "wholesaler", "horeca")


class Invoiced(Protocol):
    """What the model needs of an invoice (a paid or an open one)."""

    @property
    def customer_id(self) -> str: ...
    @property
    def segment(self) -> str: ...
    @property
    def issued(self) -> date: ...
    @property
    def due(self) -> date: ...


class Settled(Invoiced, Protocol):
    @property
    def paid(self) -> date | None: ...


@dataclass(frozen=True, slots=True)
class PaidInvoice:
    document: str
    customer_id: str
    segment: str
    issued: date
    due: date
    paid: date
    amount: float

    @property
    def delay(self) -> int:
        return (self.paid - self.due).days


@dataclass(frozen=True, slots=True)
class OpenInvoice:
    document: str
    customer_id: str
    segment: str
    issued: date
    due: date
    amount: float


def paid_history(conn: Connection) -> list[PaidInvoice]:
    """Invoices settled by cash with the day they were settled, oldest settlement first."""
    return sorted(
        (
            PaidInvoice(r.document, r.customer_id, r.segment, r.issued, r.due, r.paid, float(r.amount))
            for r in ReceivablesHistory(conn).invoices()
            if r.paid is not None
        ),
        key=lambda p: (p.paid, p.document),
    )


def open_invoices(conn: Connection) -> list[OpenInvoice]:
    return [
        OpenInvoice(r.document, r.customer_id, r.segment, r.issued, r.due, float(r.amount))
        for r in ReceivablesHistory(conn).invoices()
        if r.paid is None
    ]


def invoice_history(conn: Connection) -> list[InvoiceRecord]:
    """Every invoice, paid or open (the open ones tell the model who is paying late right now)."""
    return ReceivablesHistory(conn).invoices()


@dataclass(frozen=True, slots=True)
class Known:
    """A customer's payment record as known on one day: delays of the invoices paid before it (oldest
    first) and the days overdue so far of those past due and still unpaid then."""

    delays: tuple[int, ...]
    overdue: tuple[int, ...] = ()

    @property
    def last(self) -> int | None:
        return self.delays[-1] if self.delays else None


def known_on(invoices: Iterable[Settled], customer_id: str, day: date) -> Known:
    """What the books said about ``customer_id``'s paying on ``day`` (nothing from later)."""
    paid = sorted(
        (i.paid, (i.paid - i.due).days)
        for i in invoices
        if i.customer_id == customer_id and i.paid is not None and i.paid < day
    )
    overdue = tuple(
        (day - i.due).days
        for i in invoices
        if i.customer_id == customer_id
        and i.issued < day
        and i.due < day
        and (i.paid is None or i.paid >= day)
    )
    return Known(tuple(d for _, d in paid), overdue)


class History:
    """Invoices grouped per customer so ``known_on`` a day is cheap for every invoice of a back-test."""

    def __init__(self, invoices: Iterable[Settled]) -> None:
        self.by_customer: dict[str, list[Settled]] = defaultdict(list)
        for inv in invoices:
            self.by_customer[inv.customer_id].append(inv)

    def known_on(self, customer_id: str, day: date) -> Known:
        return known_on(self.by_customer.get(customer_id, ()), customer_id, day)


@dataclass(frozen=True, slots=True)
class Distribution:
    """Days late as weighted values; ``source`` says which level of the hierarchy gave it."""

    values: np.ndarray
    weights: np.ndarray
    source: str

    def quantile(self, q: float) -> float:
        order = np.argsort(self.values, kind="stable")
        cumulative = np.cumsum(self.weights[order])
        return float(
            self.values[order][min(int(np.searchsorted(cumulative, q * cumulative[-1])), len(order) - 1)]
        )

    @property
    def median(self) -> float:
        return self.quantile(0.5)

    def beyond(self, offset: int) -> Distribution:
        """The distribution of an invoice still unpaid ``offset`` days after its due date (negative:
        before it): paid that many days late or later. Where no past delay was that long, it is paid
        within the next two weeks."""
        keep = self.values >= offset
        if keep.any():
            return Distribution(self.values[keep], self.weights[keep], self.source)
        return Distribution(np.arange(offset, offset + 14, dtype=float), np.ones(14), self.source)

    def sample(self, rng: np.random.Generator, n: int) -> np.ndarray:
        return rng.choice(self.values, size=n, p=self.weights / self.weights.sum())


@dataclass
class PaymentModel:
    """Segment distributions fitted on a history, and the customers' records as of the fit."""

    segment_delays: dict[str, np.ndarray] = field(default_factory=dict)
    known: dict[str, Known] = field(default_factory=dict)
    shrink: float = SHRINK

    def distribution(self, segment: str, known: Known) -> Distribution:
        pool = self.segment_delays.get(segment, np.empty(0))
        own = np.array(known.delays[-RECENT:] + known.overdue, dtype=float)
        if len(known.delays) >= MIN_HISTORY:
            share = len(own) / (len(own) + self.shrink)
            if len(pool) < MIN_SEGMENT:
                return Distribution(own, np.full(len(own), 1.0 / len(own)), "customer")
            return Distribution(
                np.concatenate([own, pool]),
                np.concatenate(
                    [np.full(len(own), share / len(own)), np.full(len(pool), (1 - share) / len(pool))]
                ),
                "customer",
            )
        if len(pool) >= MIN_SEGMENT:
            return Distribution(pool, np.full(len(pool), 1.0 / len(pool)), "segment")
        return Distribution(np.zeros(1), np.ones(1), "due_date")

    def expected_delay(self, inv: Invoiced, known: Known | None = None) -> tuple[float, str]:
        """Days after the due date (the distribution's median), and which level gave it."""
        found = self.distribution(
            inv.segment, self.known.get(inv.customer_id, Known(())) if known is None else known
        )
        return found.median, found.source

    def for_open(self, inv: Invoiced, day: date) -> Distribution:
        """Days late of an invoice still unpaid at the start of ``day``: paid on ``day`` or later."""
        found = self.distribution(inv.segment, self.known.get(inv.customer_id, Known(())))
        return found.beyond((day - inv.due).days)

    def predict(self, inv: Invoiced, today: date, document: str = "") -> Prediction:
        found = self.for_open(inv, today)
        delay = found.median
        expected = max(inv.due + timedelta(days=round(delay)), today)
        overdue = max((today - inv.due).days, 0)
        risk = 1 / (1 + math.exp(-(delay + 0.5 * overdue - 15) / 8))
        return Prediction(
            document or getattr(inv, "document", ""), expected, round(delay, 1), round(risk, 3), found.source
        )


@dataclass(frozen=True, slots=True)
class Prediction:
    document: str
    expected_date: date
    expected_delay: float
    risk: float
    source: str


def train(history: Sequence[Settled], today: date | None = None) -> PaymentModel:
    """Fit the segment pools on the invoices paid before ``today`` (default: all of them) and keep each
    customer's record as known on ``today``."""
    day = today or (
        max((i.paid for i in history if i.paid is not None), default=date.min) + timedelta(days=1)
    )
    pools: dict[str, list[int]] = defaultdict(list)
    for inv in history:
        if inv.paid is not None and inv.paid < day:
            pools[inv.segment].append((inv.paid - inv.due).days)
    grouped = History(history)
    return PaymentModel(
        {s: np.array(d, dtype=float) for s, d in pools.items()},
        {c: grouped.known_on(c, day) for c in grouped.by_customer},
    )


@dataclass(frozen=True, slots=True)
class Evaluation:
    test_invoices: int
    train_invoices: int
    mae_days: float | None
    due_date_mae_days: float | None
    last_behaviour_mae_days: float | None
    fallback_share: float
    cutoff: date | None = None
    by_source: dict[str, int] = field(default_factory=dict)


def evaluate(history: Sequence[Settled], test_share: float = 0.3, cutoff: date | None = None) -> Evaluation:
    """Fit on invoices paid before a cut-off day D, score the invoices issued from D on and paid since,
    each predicted with only what was known on its issue date. Baselines: "pays on the due date" and
    "pays as late as last time" (the customer's last days late applied to the due date; the due date
    when there is no last time)."""
    paid = [i for i in history if i.paid is not None]
    if len(paid) < 10:
        return Evaluation(0, len(paid), None, None, None, 0.0)
    if cutoff is None:
        issued = sorted(i.issued for i in history)
        cutoff = issued[int(len(issued) * (1 - test_share))]
    fitted = train(history, cutoff)
    grouped = History(history)
    errors: list[float] = []
    due_errors: list[float] = []
    last_errors: list[float] = []
    sources: dict[str, int] = defaultdict(int)
    for inv in paid:
        if inv.issued < cutoff or inv.paid is None:
            continue
        actual = (inv.paid - inv.due).days
        known = grouped.known_on(inv.customer_id, inv.issued)
        predicted, source = fitted.expected_delay(inv, known)
        sources[source] += 1
        errors.append(abs(predicted - actual))
        due_errors.append(abs(actual))
        last_errors.append(abs((known.last or 0) - actual))
    mean = lambda v: round(sum(v) / len(v), 2) if v else None  # noqa: E731
    tested = len(errors)
    return Evaluation(
        tested,
        sum(1 for i in paid if i.paid is not None and i.paid < cutoff),
        mean(errors),
        mean(due_errors),
        mean(last_errors),
        round(1 - sources["customer"] / tested, 3) if tested else 0.0,
        cutoff,
        dict(sources),
    )
