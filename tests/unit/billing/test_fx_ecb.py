"""ECB reference-rate CSV: daily and history layouts, N/A cells, refusals by line and column, cross rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from o2c.adapters.fx_ecb import EcbFormatError, per_functional, read_ecb_csv

DAILY = b"Date, USD, JPY, GBP, \n04 January 2024, 1.0921, 158.35, 0.86, \n"
HISTORY = b"Date,USD,GBP,CYP,\n2024-01-05,1.0921,0.8600,N/A,\n2024-01-04,1.0950,0.8610,N/A,\n"


def test_the_daily_file_with_spaces_and_long_dates_is_read():
    assert read_ecb_csv(DAILY) == [(date(2024, 1, 4), "USD", Decimal("1.0921")),
                                   (date(2024, 1, 4), "JPY", Decimal("158.35")),
                                   (date(2024, 1, 4), "GBP", Decimal("0.86"))]


def test_the_history_file_skips_currencies_without_a_rate():
    rates = read_ecb_csv(HISTORY)
    assert len(rates) == 4 and all(ccy != "CYP" for _, ccy, _ in rates)


def test_a_malformed_rate_is_refused_naming_line_and_column():
    with pytest.raises(EcbFormatError, match="line 3, column GBP"):
        read_ecb_csv(b"Date,USD,GBP,\n2024-01-05,1.09,0.86,\n2024-01-04,1.09,zero,\n")
    with pytest.raises(EcbFormatError, match="line 1"):
        read_ecb_csv(b"Day,USD\n")


def test_rates_become_cross_rates_for_another_functional_currency():
    crossed = dict(((d, c), r) for d, c, r in per_functional(read_ecb_csv(HISTORY), "GBP"))
    assert crossed[(date(2024, 1, 5), "EUR")] == Decimal("1.1627906977")
    assert crossed[(date(2024, 1, 5), "USD")] == Decimal("1.2698837209")
    assert (date(2024, 1, 5), "GBP") not in crossed
