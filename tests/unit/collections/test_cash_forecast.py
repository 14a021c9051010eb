"""The cash forecast's arithmetic: weekly sums, ranges, currencies and the due-date baseline."""

from datetime import date
from decimal import Decimal

import numpy as np

from o2c.services.cash_forecast import Backtest, Expected, WeekResult, iso_week, simulate
from o2c.services.prediction import Distribution

AS_OF = date(2026, 9, 6)  # a Sunday: week 1 is 2026-W37, Monday 7 September


def _point(days: int) -> Distribution:
    return Distribution(np.array([float(days)]), np.ones(1), "customer")


def test_certain_payments_land_in_their_weeks_per_currency_and_in_the_functional_total():
    items = [
        Expected("C1", "EUR", Decimal("100.00"), date(2026, 9, 8), _point(0), "open_invoice"),
        Expected("C2", "GBP", Decimal("50.00"), date(2026, 9, 8), _point(7), "open_invoice"),
        Expected("C3", "EUR", Decimal("10.00"), date(2026, 8, 1), _point(3), "open_invoice"),
    ]
    starts, paths, due = simulate(items, AS_OF, 3, {"EUR": Decimal(1), "GBP": Decimal("1.2")}, "EUR", runs=20)
    assert [iso_week(s) for s in starts] == ["2026-W37", "2026-W38", "2026-W39"]
    assert (paths["EUR*"][:, 0] == 11000).all() and (paths["EUR*"][:, 1] == 6000).all()
    assert (paths["GBP"][:, 1] == 5000).all() and (paths["EUR"][:, 0] == 11000).all()
    assert list(due["EUR*"]) == [17000, 0, 0]  # all on the due date; the overdue one in the first week


def test_uncertain_payments_spread_over_weeks_and_the_range_brackets_the_mean():
    spread = Distribution(np.arange(0.0, 21.0), np.ones(21), "customer")
    items = [
        Expected(f"C{n}", "EUR", Decimal("100.00"), date(2026, 9, 7), spread, "open_invoice")
        for n in range(50)
    ]
    _, paths, _ = simulate(items, AS_OF, 4, {"EUR": Decimal(1)}, "EUR", runs=300)
    weekly = paths["EUR*"]
    assert (weekly.sum(axis=1) == 500000).all()  # every path pays everything within the horizon
    for k in range(3):
        low, mean, high = np.quantile(weekly[:, k], 0.1), weekly[:, k].mean(), np.quantile(weekly[:, k], 0.9)
        assert low < mean < high


def test_a_backtest_reports_errors_against_the_cash_that_arrived():
    weeks = [
        WeekResult("2026-W37", Decimal(100), Decimal(80), Decimal(120), Decimal(150), Decimal(110)),
        WeekResult("2026-W38", Decimal(100), Decimal(90), Decimal(110), Decimal(0), Decimal(130)),
    ]
    test = Backtest(AS_OF, weeks)
    assert (
        test.mae == Decimal("20.00")
        and test.due_date_mae == Decimal("85.00")
        and test.within_range_share == 0.5
    )
