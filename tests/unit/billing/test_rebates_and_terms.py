"""Volume rebates (retrospective tiers, accrual, split over VAT groups) and header terms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from o2c.domain.errors import DomainError
from o2c.domain.money import Money
from o2c.domain.rebates import InvoiceTerms, RebateAgreement, Tier, accrue, split_over_groups

D = Decimal
AGREEMENT = RebateAgreement("RB-1", "C1", "EUR", date(2026, 9, 1), date(2026, 9, 30),
                            (Tier(D(5000), D(1)), Tier(D(15000), D(2)), Tier(D(30000), D(3))))


def eur(amount: str) -> Money:
    return Money.of(amount, "EUR")


def test_the_tier_reached_sets_the_percentage_for_the_whole_volume():
    assert AGREEMENT.rebate_on(eur("4999.99")) == eur("0")
    assert AGREEMENT.rebate_on(eur("5000")) == eur("50.00")
    assert AGREEMENT.rebate_on(eur("16000.50")) == eur("320.01")
    assert AGREEMENT.rebate_on(eur("-10")) == eur("0")


def test_an_accrual_records_volume_percentage_and_amount_as_of_a_day():
    accrual = accrue(AGREEMENT, eur("31000"), date(2026, 9, 20))
    assert (accrual.percent, accrual.amount, accrual.as_of) == (D(3), eur("930.00"), date(2026, 9, 20))


def test_tiers_must_rise_and_volume_must_be_in_the_agreement_currency():
    with pytest.raises(DomainError):
        RebateAgreement("RB-2", "C1", "EUR", date(2026, 9, 1), date(2026, 9, 30), (Tier(D(10), D(2)), Tier(D(5), D(1))))
    with pytest.raises(DomainError):
        AGREEMENT.rebate_on(Money.of("100", "GBP"))


def test_a_rebate_split_over_vat_groups_adds_up_to_the_rebate_exactly():
    nets = {("S", D(21)): eur("1000.00"), ("S", D(9)): eur("333.33"), ("K", D(0)): eur("0.01"),
            ("E", D(0)): eur("-5")}
    parts = split_over_groups(eur("100.01"), nets)
    assert sum((p.amount for p in parts.values()), D(0)) == D("100.01")
    assert ("E", D(0)) not in parts


def test_a_small_drop_gets_the_logistics_charge_split_over_its_vat_groups():
    terms = InvoiceTerms(small_drop_below=D(150), small_drop_charge=D("12.50"))
    items = terms.header_items({("S", D(21)): eur("70.00"), ("S", D(9)): eur("30.00")}, D(5), "EUR")
    assert all(ac.charge and ac.reason_code == "FC" for ac in items)
    assert sum((ac.amount for ac in items), D(0)) == D("12.50")
    assert {(ac.tax_category, ac.tax_rate) for ac in items} == {("S", D(21)), ("S", D(9))}
    assert terms.header_items({("S", D(21)): eur("150.00")}, D(5), "EUR") == ()


def test_a_full_pallet_earns_the_pallet_discount_on_the_line_total():
    terms = InvoiceTerms(pallet_cases=D(300), pallet_discount_percent=D("1.5"))
    items = terms.header_items({("S", D(21)): eur("2000.00"), ("S", D(9)): eur("1000.01")}, D(300), "EUR")
    assert all(not ac.charge for ac in items)
    assert sum((ac.amount for ac in items), D(0)) == D("45.00")
    assert terms.header_items({("S", D(21)): eur("2000.00")}, D(299), "EUR") == ()
