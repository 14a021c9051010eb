"""BAI2: control totals and record counts at every level, minor units, type codes to direction."""

from __future__ import annotations

from datetime import date

import pytest
from bank_samples import sample

from o2c.adapters.formats.bank import FormatError, bai2
from o2c.domain.money import Money

BALANCED = """01,BANKID,CUSTID,240301,0800,FILE1,80,,2/
02,CUSTID,BANKID,1,240229,2359,USD,2/
03,123456789,USD,010,100000,,,015,145000,,/
16,195,50000,0,BANKREF1,CUSTREF1,WIRE FROM ACME FOODS/
16,475,5000,V,240228,1200,CHK1001,,CHECK PAID/
88,TO SUPPLIER 42
49,300000,5/
98,300000,1,7/
99,300000,1,9/
"""


def test_balanced_report_reads_credits_and_debits_in_minor_units():
    statement, = bai2.parse(BALANCED.encode(), "ok.bai2").statements
    assert (statement.opening_balance, statement.closing_balance) == (Money.of("1000.00", "USD"),
                                                                       Money.of("1450.00", "USD"))
    wire, check = statement.entries
    assert (wire.amount, wire.bank_reference, wire.customer_reference) == (
        Money.of("500.00", "USD"), "BANKREF1", "CUSTREF1")
    assert wire.remittance_text == "WIRE FROM ACME FOODS"
    assert (check.amount, check.value_date, check.booking_date) == (
        Money.of("-50.00", "USD"), date(2024, 2, 28), date(2024, 2, 29))
    assert check.remittance_text == "CHECK PAID TO SUPPLIER 42"
    assert statement.balanced


def test_wrong_account_control_total_is_refused_naming_the_trailer():
    data = sample("bank/bai2/citi_example.bai2").replace(b"49,20001,10/", b"49,20002,10/")
    with pytest.raises(FormatError) as refused:
        bai2.parse(data, "citi.bai2", strict=False)
    assert str(refused.value) == ("citi.bai2: line 12, 49 account control total: account trailer states "
                                  "account control total 20002, but the records add up to 20001")


def test_wrong_file_record_count_is_refused_naming_the_file_trailer():
    data = BALANCED.replace("99,300000,1,9/", "99,300000,1,8/").encode()
    with pytest.raises(FormatError, match=r"line 9, 99 number of records: file trailer states number of records 8"):
        bai2.parse(data, "count.bai2")


def test_wrong_group_control_total_is_refused_naming_the_group_trailer():
    data = BALANCED.replace("98,300000", "98,300001").encode()
    with pytest.raises(FormatError, match=r"line 8, 98 group control total"):
        bai2.parse(data, "group.bai2")


def test_citi_sample_passes_its_controls_but_does_not_balance():
    with pytest.raises(FormatError, match=r"opening 100.00 GBP \+ 1 booked entries 0.01 GBP = 100.01 GBP"):
        bai2.parse(sample("bank/bai2/citi_example.bai2"), "citi_example.bai2")
    statement, = bai2.parse(sample("bank/bai2/citi_example.bai2"), "citi_example.bai2", strict=False).statements
    entry, = statement.entries
    assert (entry.amount, entry.bank_transaction_code, entry.bank_reference) == (
        Money.of("0.01", "GBP"), "191", "1234567890")
    assert entry.remittance_text.startswith("FR:FP SIP INCOMING ENDT:20150715 TRID:RP12312312312312")


def test_truncated_file_is_refused_naming_the_missing_trailer():
    data = "".join(BALANCED.splitlines(keepends=True)[:6]).encode()
    with pytest.raises(FormatError, match=r"line 6, 49: the file ends inside account 123456789 without its 49"):
        bai2.parse(data, "cut.bai2")


def test_loan_type_code_is_neither_credit_nor_debit_and_is_refused():
    data = BALANCED.replace("16,195,", "16,700,").encode()
    with pytest.raises(FormatError, match=r"line 4, 16 type code: type code '700' is neither"):
        bai2.parse(data, "loan.bai2")
