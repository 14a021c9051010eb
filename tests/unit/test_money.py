from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.domain.errors import AmountOutOfRange, CurrencyMismatch, UnknownCurrency
from o2c.domain.money import Money, allocate, minor_units


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        Money(0.1, "EUR")  # type: ignore[arg-type]


def test_adding_different_currencies_raises_rather_than_guessing():
    with pytest.raises(CurrencyMismatch):
        Money.of("1", "EUR") + Money.of("1", "USD")


def test_unknown_currency_is_refused():
    with pytest.raises(UnknownCurrency):
        Money.of("1", "XYZ")


def test_quantize_rounds_half_up_to_the_minor_unit():
    assert Money.of("2.345", "EUR").quantize() == Money.of("2.35", "EUR")
    assert Money.of("2.5", "JPY").quantize() == Money.of("3", "JPY")


def test_minor_units_round_trip():
    assert Money.from_minor(12345, "EUR") == Money.of("123.45", "EUR")
    assert Money.of("123.45", "EUR").to_minor() == 12345


def test_ten_euros_in_three_parts_sum_back_exactly():
    parts = Money.of("10", "EUR").allocate([1, 1, 1])
    assert [p.amount for p in parts] == [Decimal("3.34"), Decimal("3.33"), Decimal("3.33")]


@given(st.integers(min_value=-10**9, max_value=10**9),
       st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=20))
def test_every_allocation_sums_back_to_the_total(minor, weights):
    total = Money.from_minor(minor, "EUR")
    parts = allocate(total, weights)
    assert sum(p.to_minor() for p in parts) == minor
    assert len(parts) == len(weights)


@pytest.mark.parametrize("amount", ["1e26", "-1e16", "1000000000000000", "NaN", "Infinity"])
def test_amounts_beyond_any_document_are_refused_with_the_amount_named(amount: str) -> None:
    with pytest.raises(AmountOutOfRange, match="out of range"):
        Money.of(amount, "EUR")


def test_the_largest_plausible_amount_is_still_money() -> None:
    assert Money.of("999999999999999.99", "EUR").to_minor() == 99999999999999999


@pytest.mark.parametrize(("currency", "places"), [("TRY", 2), ("RUB", 2), ("UAH", 2), ("KWD", 3), ("IQD", 3),
                                                  ("CLF", 4), ("ISK", 0), ("VND", 0), ("DEM", 2), ("ITL", 0)])
def test_every_iso_4217_currency_is_known_with_its_minor_unit(currency, places):
    assert minor_units(currency) == places


def test_codes_without_a_minor_unit_such_as_gold_are_not_money():
    with pytest.raises(UnknownCurrency):
        Money.of("1", "XAU")
