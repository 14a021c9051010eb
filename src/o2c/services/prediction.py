"""Payment-date prediction: when will each open invoice be paid, and how risky is it.

Training data is the company's own history: every invoice settled in the ledger, with the day its
open amount reached zero. The target is days paid after the due date. An invoice's features only use
what was known on its issue date (the customer's earlier paid invoices): the mean and last delay,
the trend (recent three against the rest), the spread, the share paid late, how many there were, the
amount, the terms, the due date's month and weekday, and the segment.

The model is a small gradient-boosted ensemble of depth-2 regression trees on quantile thresholds,
in numpy (``GradientBoostedDays``). It learns the correction to the customer's own mean delay (trees
cannot extrapolate, and the slowest payers' invoices are the last to enter the history). Customers with fewer than ``MIN_HISTORY`` paid invoices get the
transparent fallback: their segment's median delay (zero when nothing is known). ``evaluate`` splits
the history in time and reports the mean absolute error in days against the naive baselines "pays on
the due date" and "pays like last time".
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median

import numpy as np
from sqlalchemy import Connection, func, select

from o2c.adapters.store import tables as t
from o2c.views.common import as_day

MIN_HISTORY = 2
SEGMENTS = ("retail_chain", "wholesaler", "horeca")


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
    """Settled invoices with the day they were settled (the last movement of their open amount)."""
    oi, mv, je = t.open_items.c, t.open_item_movements.c, t.journal_entries.c
    settled = (select(mv.open_item_id, func.max(je.posted_on).label("paid"))
               .join(t.journal_entries, je.id == mv.entry_id)
               .where(mv.signed_open_minor < 0).group_by(mv.open_item_id).subquery())
    rows = conn.execute(
        select(oi.document, oi.customer_id, t.customers.c.segment, oi.opened_on, oi.due_date, settled.c.paid,
               oi.carrying_minor, oi.original_minor)
        .join(settled, settled.c.open_item_id == oi.id).join(t.customers, t.customers.c.id == oi.customer_id)
        .where(oi.kind == "invoice", oi.open_minor == 0))
    return sorted((PaidInvoice(r[0], r[1], r[2], as_day(r[3]), as_day(r[4]), as_day(r[5]), float(r[7]) / 100)
                   for r in rows), key=lambda p: (p.paid, p.document))


def open_invoices(conn: Connection) -> list[OpenInvoice]:
    oi = t.open_items.c
    rows = conn.execute(select(oi.document, oi.customer_id, t.customers.c.segment, oi.opened_on, oi.due_date,
                               oi.open_minor).join(t.customers, t.customers.c.id == oi.customer_id)
                        .where(oi.kind == "invoice", oi.open_minor > 0).order_by(oi.document))
    return [OpenInvoice(r[0], r[1], r[2], as_day(r[3]), as_day(r[4]), float(r[5]) / 100) for r in rows]


def _profile(delays: Sequence[int]) -> list[float]:
    n = len(delays)
    if not n:
        return [0.0] * 6
    mean = sum(delays) / n
    recent = delays[-3:]
    trend = (sum(recent) / len(recent) - mean) if n > 3 else 0.0
    spread = math.sqrt(sum((d - mean) ** 2 for d in delays) / n)
    late = sum(1 for d in delays if d > 0) / n
    return [mean, float(delays[-1]), trend, spread, late, float(min(n, 20))]


def features(inv: PaidInvoice | OpenInvoice, prior: Sequence[int]) -> list[float]:
    """The feature row of one invoice given the customer's earlier delays (oldest first)."""
    terms = (inv.due - inv.issued).days
    segment = [1.0 if inv.segment == s else 0.0 for s in SEGMENTS]
    return [*_profile(prior), math.log1p(max(inv.amount, 0.0)), float(terms), float(inv.due.month),
            float(inv.due.weekday()), *segment]


class GradientBoostedDays:
    """Least-squares boosting of depth-2 trees on per-feature quantile thresholds (numpy only)."""

    def __init__(self, rounds: int = 60, rate: float = 0.05, bins: int = 16, min_leaf: int = 20) -> None:
        self.rounds, self.rate, self.bins, self.min_leaf = rounds, rate, bins, min_leaf
        self.base = 0.0
        self.trees: list[tuple[int, float, tuple[int, float, float, float], tuple[int, float, float, float]]] = []

    def _best_split(self, x: np.ndarray, r: np.ndarray) -> tuple[int, float, float, float] | None:
        best: tuple[float, int, float, float, float] | None = None
        for j in range(x.shape[1]):
            for thr in np.unique(np.quantile(x[:, j], np.linspace(0.05, 0.95, self.bins))):
                left = x[:, j] <= thr
                nl = int(left.sum())
                if nl < self.min_leaf or len(r) - nl < self.min_leaf:
                    continue
                lm, rm = float(r[left].mean()), float(r[~left].mean())
                gain = nl * lm * lm + (len(r) - nl) * rm * rm
                if best is None or gain > best[0]:
                    best = (gain, j, float(thr), lm, rm)
        return None if best is None else best[1:]

    def _leaf(self, x: np.ndarray, r: np.ndarray) -> tuple[int, float, float, float]:
        mean = float(r.mean()) if len(r) else 0.0
        return self._best_split(x, r) or (0, math.inf, mean, mean)

    def fit(self, x: np.ndarray, y: np.ndarray) -> GradientBoostedDays:
        self.base = float(np.median(y)) if len(y) else 0.0
        pred = np.full(len(y), self.base)
        self.trees = []
        for _ in range(self.rounds if len(y) >= 2 * self.min_leaf else 0):
            r = y - pred
            root = self._best_split(x, r)
            if root is None:
                break
            j, thr, _, _ = root
            left = x[:, j] <= thr
            tree = (j, thr, self._leaf(x[left], r[left]), self._leaf(x[~left], r[~left]))
            self.trees.append(tree)
            pred += self.rate * self._tree(tree, x)
        return self

    @staticmethod
    def _tree(tree: tuple[int, float, tuple[int, float, float, float], tuple[int, float, float, float]],
              x: np.ndarray) -> np.ndarray:
        j, thr, lo, hi = tree
        out = np.empty(len(x))
        for mask, (k, t2, a, b) in ((x[:, j] <= thr, lo), (x[:, j] > thr, hi)):
            out[mask] = np.where(x[mask, k] <= t2, a, b)
        return out

    def predict(self, x: np.ndarray) -> np.ndarray:
        pred = np.full(len(x), self.base)
        for tree in self.trees:
            pred += self.rate * self._tree(tree, x)
        return pred


@dataclass
class PaymentModel:
    """The fitted model plus what the fallback and the risk score need."""

    model: GradientBoostedDays
    segment_median: dict[str, float] = field(default_factory=dict)
    delays: dict[str, list[int]] = field(default_factory=dict)

    def expected_delay(self, inv: PaidInvoice | OpenInvoice, prior: Sequence[int] | None = None) -> tuple[float, str]:
        """Days after the due date, and which path gave it ('model' or 'fallback')."""
        prior = self.delays.get(inv.customer_id, []) if prior is None else prior
        if len(prior) < MIN_HISTORY or not self.model.trees:
            return self.segment_median.get(inv.segment, 0.0), "fallback"
        anchor = sum(prior) / len(prior)
        return anchor + float(self.model.predict(np.array([features(inv, prior)]))[0]), "model"

    def predict(self, inv: OpenInvoice, today: date) -> Prediction:
        delay, source = self.expected_delay(inv)
        expected = max(inv.due + timedelta(days=round(delay)), today)
        overdue = max((today - inv.due).days, 0)
        risk = 1 / (1 + math.exp(-(delay + 0.5 * overdue - 15) / 8))
        return Prediction(inv.document, expected, round(delay, 1), round(risk, 3), source)


@dataclass(frozen=True, slots=True)
class Prediction:
    document: str
    expected_date: date
    expected_delay: float
    risk: float
    source: str


def _rows(history: Sequence[PaidInvoice]) -> tuple[list[list[float]], list[float], list[PaidInvoice]]:
    """Feature rows of every paid invoice with enough history known on its issue date."""
    by_customer: dict[str, list[PaidInvoice]] = defaultdict(list)
    for inv in history:
        by_customer[inv.customer_id].append(inv)
    x, y, kept = [], [], []
    for inv in history:
        prior = [p.delay for p in by_customer[inv.customer_id] if p.paid < inv.issued]
        if len(prior) >= MIN_HISTORY:
            x.append(features(inv, prior))
            y.append(inv.delay - sum(prior) / len(prior))
            kept.append(inv)
    return x, y, kept


def train(history: Sequence[PaidInvoice]) -> PaymentModel:
    x, y, _ = _rows(history)
    width = len(features(OpenInvoice("", "", "", date.min, date.min, 0.0), []))
    model = GradientBoostedDays().fit(np.array(x, dtype=float).reshape(len(x), width), np.array(y, dtype=float))
    by_segment: dict[str, list[int]] = defaultdict(list)
    delays: dict[str, list[int]] = defaultdict(list)
    for inv in history:
        by_segment[inv.segment].append(inv.delay)
        delays[inv.customer_id].append(inv.delay)
    return PaymentModel(model, {s: float(median(d)) for s, d in by_segment.items()}, dict(delays))


@dataclass(frozen=True, slots=True)
class Evaluation:
    test_invoices: int
    train_invoices: int
    mae_days: float | None
    due_date_mae_days: float | None
    last_behaviour_mae_days: float | None
    fallback_share: float


def evaluate(history: Sequence[PaidInvoice], test_share: float = 0.3) -> Evaluation:
    """Train on invoices issued before a cut-off, score those issued after (known history only)."""
    if len(history) < 10:
        return Evaluation(0, len(history), None, None, None, 0.0)
    issued = sorted(p.issued for p in history)
    cutoff = issued[int(len(issued) * (1 - test_share))]
    train_set = [p for p in history if p.paid < cutoff]
    test_set = [p for p in history if p.issued >= cutoff]
    fitted = train(train_set)
    errors, due_errors, last_errors, fallback = [], [], [], 0
    for inv in test_set:
        prior = [p.delay for p in history if p.customer_id == inv.customer_id and p.paid < inv.issued]
        predicted, source = fitted.expected_delay(inv, prior)
        fallback += source == "fallback"
        errors.append(abs(predicted - inv.delay))
        due_errors.append(abs(inv.delay))
        last_errors.append(abs((prior[-1] if prior else 0) - inv.delay))
    mean = lambda v: round(sum(v) / len(v), 2) if v else None  # noqa: E731
    return Evaluation(len(test_set), len(train_set), mean(errors), mean(due_errors), mean(last_errors),
                      round(fallback / len(test_set), 3) if test_set else 0.0)
