"""Worked accounting stories, each checked line by line."""

from datetime import date
from decimal import Decimal

import pytest

from o2c.domain.errors import OverApplication, UnbalancedEntry
from o2c.domain.ledger import (
    Account,
    Ledger,
    Settlement,
    post_document,
    receive_payment,
    revalue,
)
from o2c.domain.money import Money

DAY = date(2026, 9, 1)


def eur(x: str) -> Money:
    return Money.of(x, "EUR")


def gbp(x: str) -> Money:
    return Money.of(x, "GBP")


def test_gbp_invoice_paid_at_a_better_rate_books_a_realised_fx_gain():
    ledger = Ledger("EUR")
    ledger.apply(post_document("J1", DAY, "OI1", "C1", "INV-1", "invoice", DAY, gbp("1000"), gbp("200"),
                               Decimal("1.15"), "EUR"))
    assert ledger.items["OI1"].carrying == eur("1380.00")
    posting = receive_payment("J2", DAY, "PAY1", "C1", gbp("1200"), Decimal("1.17"),
                              [Settlement(ledger.items["OI1"], gbp("1200"))], "EUR")
    ledger.apply(posting)
    fx = [ln for ln in posting.entry.lines if ln.account is Account.FX_REALISED]
    assert fx[0].functional == eur("-24.00")  # 1200 x (1.17 - 1.15), a credit: a gain
    assert ledger.items["OI1"].is_settled and ledger.items["OI1"].carrying.is_zero()
    assert ledger.problems() == []


def test_revaluation_moves_the_carrying_amount_and_settlement_realises_only_the_rest():
    ledger = Ledger("EUR")
    ledger.apply(post_document("J1", DAY, "OI1", "C1", "INV-1", "invoice", DAY, gbp("100"), gbp("0"),
                               Decimal("1.10"), "EUR"))
    ledger.apply(revalue("J2", DAY, ledger.items.values(), {"GBP": Decimal("1.20")}, "EUR"))
    assert ledger.items["OI1"].carrying == eur("120.00")
    assert ledger.balances[(Account.FX_UNREALISED, "EUR")][0] == Decimal("-10.00")
    posting = receive_payment("J3", DAY, "PAY1", "C1", gbp("100"), Decimal("1.20"),
                              [Settlement(ledger.items["OI1"], gbp("100"))], "EUR")
    assert not [ln for ln in posting.entry.lines if ln.account is Account.FX_REALISED]
    ledger.apply(posting)
    assert ledger.problems() == []


def test_a_short_pay_leaves_the_difference_open_on_the_invoice():
    ledger = Ledger("EUR")
    ledger.apply(post_document("J1", DAY, "OI1", "C1", "INV-1", "invoice", DAY, eur("100"), eur("21"),
                               Decimal(1), "EUR"))
    ledger.apply(receive_payment("J2", DAY, "PAY1", "C1", eur("115"), Decimal(1),
                                 [Settlement(ledger.items["OI1"], eur("115"))], "EUR"))
    assert ledger.items["OI1"].open == eur("6")
    assert ledger.problems() == []


def test_an_overpayment_becomes_unapplied_cash_on_the_customer():
    ledger = Ledger("EUR")
    ledger.apply(post_document("J1", DAY, "OI1", "C1", "INV-1", "invoice", DAY, eur("100"), eur("0"),
                               Decimal(1), "EUR"))
    ledger.apply(receive_payment("J2", DAY, "PAY1", "C1", eur("130"), Decimal(1),
                                 [Settlement(ledger.items["OI1"], eur("100"))], "EUR", unapplied_item_id="OI2"))
    assert ledger.items["OI2"].kind == "unapplied_cash" and ledger.items["OI2"].open == eur("30")
    assert ledger.problems() == []


def test_applying_more_than_is_open_is_refused():
    ledger = Ledger("EUR")
    ledger.apply(post_document("J1", DAY, "OI1", "C1", "INV-1", "invoice", DAY, eur("100"), eur("0"),
                               Decimal(1), "EUR"))
    with pytest.raises(OverApplication):
        receive_payment("J2", DAY, "PAY1", "C1", eur("150"), Decimal(1),
                        [Settlement(ledger.items["OI1"], eur("150"))], "EUR")


def test_an_entry_that_does_not_balance_is_refused_whole():
    ledger = Ledger("EUR")
    posting = post_document("J1", DAY, "OI1", "C1", "INV-1", "invoice", DAY, eur("100"), eur("21"),
                            Decimal(1), "EUR")
    broken = type(posting)(type(posting.entry)("J1", DAY, "x", "x", posting.entry.lines[:2]), posting.new_items)
    with pytest.raises(UnbalancedEntry):
        ledger.apply(broken)
    assert ledger.items == {} and ledger.entries == []
