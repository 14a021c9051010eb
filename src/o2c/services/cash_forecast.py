"""Cash forecast: the receipts expected in each of the next weeks, with a range, and its back-test.

What is expected to come in is the receivables run-off plus the sales still to be invoiced, all timed
by the payment-date model (``services.prediction``):
- every invoice open on the forecast day, paid at a day drawn from its customer's days-late
  distribution (beyond its days overdue when it is already late);
- every order placed and not yet invoiced, invoiced after the company's usual order-to-invoice lead
  time and due on the customer's usual terms;
- the sales not yet ordered, at each customer's invoicing run rate of the last ``RUN_RATE_DAYS``
  (ordered from tomorrow, invoiced after the lead time), with the week-to-week variation of invoicing
  seen in that period.
``RUNS`` simulated paths of all of these give each ISO week's expected receipts (the mean) and range
(the ``LOW`` and ``HIGH`` quantiles), per currency and in the functional currency (converted at the
forecast day's rate). The baseline "every invoice paid on its due date" uses the same invoices,
orders and run rate, paid on their due dates (an overdue one in the first week).

The back-test makes the forecast on a past day D, as if the books ended there, and compares each
following week with the cash applied to invoices in that week (converted at D's rates, so that rate
moves are not counted as forecast error). Amounts are computed in integer minor units and reported
as ``Decimal``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from statistics import median, pstdev
from typing import Any

import numpy as np

from o2c.adapters.store.receivables_history import InvoiceRecord, ReceivablesHistory
from o2c.domain.money import minor_units
from o2c.services.prediction import Distribution, Known, PaymentModel, train

RUNS = 500
LOW, HIGH = 0.1, 0.9
RUN_RATE_DAYS = 56
DEFAULT_TERMS = 30


@dataclass(frozen=True, slots=True)
class Expected:
    """Something that should turn into cash: an amount, the day it falls due, and when it is paid."""

    customer_id: str
    currency: str
    amount: Decimal
    due: date
    delays: Distribution
    kind: str  # open_invoice | open_order | run_rate
    volume_cv: float = 0.0


@dataclass(frozen=True, slots=True)
class WeekRange:
    expected: Decimal
    low: Decimal
    high: Decimal
    due_date: Decimal


@dataclass(frozen=True, slots=True)
class WeekForecast:
    week: str
    start: date
    functional: WeekRange
    by_currency: dict[str, WeekRange]


@dataclass(frozen=True, slots=True)
class CashForecast:
    as_of: date
    functional_ccy: str
    weeks: list[WeekForecast]
    inputs: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WeekResult:
    week: str
    expected: Decimal
    low: Decimal
    high: Decimal
    due_date: Decimal
    actual: Decimal

    @property
    def within(self) -> bool:
        return self.low <= self.actual <= self.high


@dataclass(frozen=True, slots=True)
class Backtest:
    as_of: date
    weeks: list[WeekResult]

    @property
    def mae(self) -> Decimal:
        return _mean([abs(w.expected - w.actual) for w in self.weeks])

    @property
    def due_date_mae(self) -> Decimal:
        return _mean([abs(w.due_date - w.actual) for w in self.weeks])

    @property
    def within_range_share(self) -> float:
        return round(sum(w.within for w in self.weeks) / len(self.weeks), 3) if self.weeks else 0.0


def _mean(values: Sequence[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01")) if values else Decimal(0)


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def known_on(invoices: Sequence[InvoiceRecord], day: date) -> list[InvoiceRecord]:
    """The invoices as the books knew them at the end of ``day``: issued by then, paid only if by then."""
    return [
        replace(i, paid=i.paid if i.paid is not None and i.paid <= day else None)
        for i in invoices
        if i.issued <= day
    ]


def _usual(values: Sequence[int], default: int) -> int:
    return round(median(values)) if values else default


def expected_items(history: ReceivablesHistory, as_of: date, weeks: int) -> list[Expected]:
    """Open invoices, open orders and run-rate sales on ``as_of``, each with its days-late distribution."""
    invoices = known_on(history.invoices(), as_of)
    model = train(invoices, as_of + timedelta(days=1))
    segment = {i.customer_id: i.segment for i in invoices}
    terms: dict[str, list[int]] = defaultdict(list)
    for inv in invoices:
        terms[inv.customer_id].append((inv.due - inv.issued).days)
    lead = _usual(history.order_to_invoice_days(as_of - timedelta(days=RUN_RATE_DAYS), as_of), 2)
    items = [
        Expected(
            o.customer_id,
            o.currency,
            o.open,
            o.due,
            model.for_open(o, as_of + timedelta(days=1)),
            "open_invoice",
        )
        for o in history.open_invoices_at(as_of)
    ]
    for order in history.open_orders_at(as_of):
        issue = max(as_of + timedelta(days=1), order.ordered + timedelta(days=lead))
        due = issue + timedelta(days=_usual(terms[order.customer_id], DEFAULT_TERMS))
        items.append(
            Expected(
                order.customer_id,
                order.currency,
                order.value,
                due,
                _distribution(model, order.segment, order.customer_id),
                "open_order",
            )
        )
    items += _run_rate(invoices, model, segment, terms, as_of, lead, weeks)
    return items


def _distribution(model: PaymentModel, segment: str, customer_id: str) -> Distribution:
    return model.distribution(segment, model.known.get(customer_id, Known(())))


def _run_rate(
    invoices: Sequence[InvoiceRecord],
    model: PaymentModel,
    segment: dict[str, str],
    terms: dict[str, list[int]],
    as_of: date,
    lead: int,
    weeks: int,
) -> list[Expected]:
    """Sales not yet ordered: each customer's average weekly invoicing of the last ``RUN_RATE_DAYS``,
    invoiced a week at a time from the day after tomorrow's orders are billed to the horizon."""
    since = as_of - timedelta(days=RUN_RATE_DAYS - 1)
    recent = [i for i in invoices if i.issued >= since]
    per_week: dict[int, Decimal] = defaultdict(Decimal)
    totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for inv in recent:
        totals[(inv.customer_id, inv.currency)] += inv.amount
        per_week[(inv.issued - since).days // 7] += inv.amount  # mixed currencies: only the variation is used
    weekly = [per_week[w] for w in range(RUN_RATE_DAYS // 7)]
    mean = sum(weekly, Decimal(0)) / len(weekly)
    cv = float(Decimal(pstdev(weekly)) / mean) if mean else 0.0
    horizon = as_of + timedelta(days=7 * weeks + 7)
    found = []
    for (customer_id, currency), total in sorted(totals.items()):
        rate = total / RUN_RATE_DAYS * 7
        days = _usual(terms[customer_id], DEFAULT_TERMS)
        delays = _distribution(model, segment[customer_id], customer_id)
        issue = as_of + timedelta(days=1 + lead + 3)
        while issue <= horizon:
            found.append(
                Expected(customer_id, currency, rate, issue + timedelta(days=days), delays, "run_rate", cv)
            )
            issue += timedelta(days=7)
    return found


def _minor(amount: Decimal, currency: str) -> int:
    return int(amount.scaleb(minor_units(currency)).to_integral_value())


def simulate(
    items: Sequence[Expected],
    as_of: date,
    weeks: int,
    rates: dict[str, Decimal],
    functional_ccy: str,
    runs: int = RUNS,
    seed: int = 0,
) -> tuple[list[date], dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Receipts per (currency, week) in minor units: ``runs`` simulated paths and the due-date baseline.
    The key ``functional_ccy + "*"`` holds the functional total."""
    rng = np.random.default_rng(seed)
    first = as_of + timedelta(days=1)
    monday = first - timedelta(days=first.weekday())
    starts = [monday + timedelta(days=7 * k) for k in range(weeks)]
    end = starts[-1] + timedelta(days=7)
    total = functional_ccy + "*"
    paths: dict[str, np.ndarray] = defaultdict(lambda: np.zeros((runs, weeks), dtype=np.int64))
    due: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(weeks, dtype=np.int64))
    volume = 1 + np.clip(rng.normal(0, 1, size=(runs, weeks + 30)), -2.5, 2.5)
    for item in items:
        own = _minor(item.amount, item.currency)
        functional = _minor(item.amount * rates[item.currency], functional_ccy)
        offset = (item.due - first).days
        days = np.maximum(offset + item.delays.sample(rng, runs).astype(np.int64), 0)
        week = ((first - monday).days + days) // 7
        inside = first + timedelta(days=int(days.min())) < end
        if inside:
            rows = np.nonzero(week < weeks)[0]
            scale = np.ones(runs)
            if item.volume_cv:
                scale = np.maximum(
                    1 + (volume[:, min(max(offset // 7, 0), weeks + 29)] - 1) * item.volume_cv, 0
                )
            for key, minor in ((item.currency, own), (total, functional)):
                np.add.at(paths[key], (rows, week[rows]), np.round(minor * scale[rows]).astype(np.int64))
        paid_on = max(item.due, first)
        k = ((paid_on - monday).days) // 7
        if k < weeks:
            due[item.currency][k] += own
            due[total][k] += functional
    return starts, dict(paths), dict(due)


def _range(paths: np.ndarray, due: np.ndarray, k: int, currency: str) -> WeekRange:
    column = paths[:, k]
    as_money = lambda v: Decimal(round(float(v))).scaleb(-minor_units(currency))  # noqa: E731
    return WeekRange(
        as_money(column.mean()),
        as_money(np.quantile(column, LOW)),
        as_money(np.quantile(column, HIGH)),
        as_money(due[k]),
    )


def forecast(
    history: ReceivablesHistory,
    as_of: date,
    functional_ccy: str,
    weeks: int = 13,
    runs: int = RUNS,
    seed: int = 0,
) -> CashForecast:
    """Expected receipts per ISO week from the day after ``as_of``, per currency and in total."""
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    items = expected_items(history, as_of, weeks)
    rates = {ccy: history.rate(functional_ccy, ccy, as_of) for ccy in {i.currency for i in items}}
    rates[functional_ccy] = Decimal(1)
    starts, paths, due = simulate(items, as_of, weeks, rates, functional_ccy, runs, seed)
    total = functional_ccy + "*"
    empty_paths, empty_due = np.zeros((runs, weeks), dtype=np.int64), np.zeros(weeks, dtype=np.int64)
    found = []
    for k, start in enumerate(starts):
        by_currency = {
            ccy: _range(paths.get(ccy, empty_paths), due.get(ccy, empty_due), k, ccy)
            for ccy in sorted(set(paths) | set(due))
            if ccy != total
        }
        found.append(
            WeekForecast(
                iso_week(start),
                start,
                _range(paths.get(total, empty_paths), due.get(total, empty_due), k, functional_ccy),
                by_currency,
            )
        )
    inputs: dict[str, Decimal] = defaultdict(Decimal)
    for item in items:
        inputs[item.kind] += (item.amount * rates[item.currency]).quantize(Decimal("0.01"))
    return CashForecast(as_of, functional_ccy, found, dict(inputs))


def cash_by_week(
    history: ReceivablesHistory, starts: Sequence[date], as_of: date, functional_ccy: str
) -> list[Decimal]:
    """Cash applied to invoices in each week starting at ``starts`` (after ``as_of``), in the functional
    currency at ``as_of``'s rates."""
    first = as_of + timedelta(days=1)
    end = starts[-1] + timedelta(days=6)
    totals = [Decimal(0)] * len(starts)
    rates: dict[str, Decimal] = {}
    for day, ccy, amount in history.cash_received(first, end):
        if ccy not in rates:
            rates[ccy] = history.rate(functional_ccy, ccy, as_of)
        totals[(day - starts[0]).days // 7] += amount * rates[ccy]
    return [t.quantize(Decimal("0.01")) for t in totals]


def backtest(
    history: ReceivablesHistory,
    last_day: date,
    functional_ccy: str,
    weeks: int = 13,
    runs: int = RUNS,
    seed: int = 0,
) -> Backtest:
    """The forecast made on the Sunday ``weeks`` full weeks before ``last_day``, against the cash that
    arrived in each of those weeks."""
    last_sunday = last_day - timedelta(days=(last_day.weekday() + 1) % 7)
    as_of = last_sunday - timedelta(days=7 * weeks)
    made = forecast(history, as_of, functional_ccy, weeks, runs, seed)
    actual = cash_by_week(history, [w.start for w in made.weeks], as_of, functional_ccy)
    return Backtest(
        as_of,
        [
            WeekResult(
                w.week, w.functional.expected, w.functional.low, w.functional.high, w.functional.due_date, a
            )
            for w, a in zip(made.weeks, actual, strict=True)
        ],
    )


def to_json(made: CashForecast, test: Backtest | None = None) -> dict[str, Any]:
    """The forecast (and its back-test) as plain JSON: amounts are decimal strings, in the functional
    currency unless under ``by_currency``."""
    result: dict[str, Any] = {
        "as_of": made.as_of.isoformat(),
        "currency": made.functional_ccy,
        "amounts": f"decimal strings in {made.functional_ccy} (the functional currency) at the as-of day's rates",
        "weeks": [
            {
                "week": w.week,
                "start": w.start.isoformat(),
                "expected": str(w.functional.expected),
                "low": str(w.functional.low),
                "high": str(w.functional.high),
                "due_date": str(w.functional.due_date),
            }
            for w in made.weeks
        ],
        "by_currency": {
            ccy: [
                {
                    "week": w.week,
                    "expected": str(w.by_currency[ccy].expected),
                    "low": str(w.by_currency[ccy].low),
                    "high": str(w.by_currency[ccy].high),
                }
                for w in made.weeks
                if ccy in w.by_currency
            ]
            for ccy in sorted({c for w in made.weeks for c in w.by_currency})
        },
        "inputs": {k: str(v) for k, v in sorted(made.inputs.items())},
        "range": f"{LOW:.0%} to {HIGH:.0%} quantiles of {RUNS} simulated paths",
    }
    if test is not None:
        result["backtest"] = {
            "as_of": test.as_of.isoformat(),
            "weeks": len(test.weeks),
            "mae": str(test.mae),
            "due_date_mae": str(test.due_date_mae),
            "within_range_share": test.within_range_share,
            "detail": [
                {
                    "week": w.week,
                    "expected": str(w.expected),
                    "low": str(w.low),
                    "high": str(w.high),
                    "due_date": str(w.due_date),
                    "actual": str(w.actual),
                }
                for w in test.weeks
            ],
        }
    return result
