"""Real banks bend their formats; o2c reads each bend with a warning naming its line and field, and
refuses what cannot be right. Every file here is a minimal one made for the bend it shows
(``tests/golden/bank/quirks``)."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from o2c.adapters.formats.bank import (
    FormatError,
    ImpossibleValue,
    dry_run,
    identify_bank_file,
    parse_bank_file,
    summary_exit_code,
)
from o2c.domain.money import Money

QUIRKS = Path(__file__).resolve().parents[2] / "golden" / "bank" / "quirks"


def read(name: str):
    return parse_bank_file((QUIRKS / name).read_bytes(), name, strict=False)


@pytest.mark.parametrize("name", ["bai2_03_ends_after_currency.bai2", "bai2_03_ends_with_empty_field.bai2"])
def test_a_bai2_account_record_continued_after_an_early_slash_keeps_all_its_balances(name):
    statement = read(name).statements[0]
    assert (statement.opening_balance, statement.closing_balance) == (
        Money.of("1000.00", "USD"),
        Money.of("1125.00", "USD"),
    )
    assert statement.balanced and statement.difference == Money.of("0", "USD")
    assert statement.warnings == (
        f"{name}: line 3, 03: a line of the account record ends early (an empty field "
        "before '/'); its 88 continuation is read as the next summary",
    )


def test_a_lone_dash_inside_the_86_narrative_does_not_end_the_statement():
    statement = read("mt940_lone_dash_in_86.sta").statements[0]
    assert statement.closing_balance == Money.of("125.00", "EUR") and statement.balanced
    assert (
        "MND-" in (statement.entries[0].remittance_text or "") + str(statement.entries[0].additional_info)
        or statement.entries[0].counterparty_name == "Customer One"
    )
    assert statement.warnings == (
        "mt940_lone_dash_in_86.sta: line 7, :86: a lone '-' inside the statement: read "
        "as narrative, not as the end of the message",
    )


def test_a_statement_line_broken_after_its_debit_credit_mark_is_read_across_the_break():
    statement = read("mt940_61_broken_after_mark.sta").statements[0]
    entry = statement.entries[0]
    assert (entry.amount, entry.bank_reference, statement.balanced) == (
        Money.of("25.00", "EUR"),
        "SPK001",
        True,
    )
    assert statement.warnings == (
        "mt940_61_broken_after_mark.sta: line 5, :61: the statement line breaks after "
        "its D/C mark: read across the break",
    )


def test_a_value_date_of_30_february_is_the_months_last_day_with_a_warning():
    statement = read("mt940_value_date_february_30.sta").statements[0]
    entry = statement.entries[0]
    assert (entry.booking_date, entry.value_date) == (date(2026, 2, 27), date(2026, 2, 28))
    assert statement.balanced
    assert statement.warnings == (
        "mt940_value_date_february_30.sta: line 5, :61: value date '260230' does not "
        "exist: read as the month's last day 2026-02-28",
    )


def test_a_line_in_the_narrative_that_looks_like_a_tag_stays_narrative():
    statement = read("mt940_tag_inside_86.sta").statements[0]
    assert (
        statement.entries[0].remittance_text
        == "INV-2026-000103 paid online 2026-01-05T16 :26:37 by Customer One"
    )
    assert statement.warnings == (
        "mt940_tag_inside_86.sta: line 7, :86: a line that starts like a tag (:26:) no "
        "statement has: read as narrative",
    )


def test_a_closing_balance_without_currency_is_in_the_statements_currency():
    statement = read("mt940_closing_without_currency.sta").statements[0]
    assert statement.closing_balance == Money.of("125.00", "EUR") and statement.balanced
    assert statement.warnings == (
        "mt940_closing_without_currency.sta: line 7, :62F: the balance names no currency: "
        "read in the statement's currency EUR",
    )


def test_a_statement_in_turkish_lira_is_read():
    statement = read("mt940_turkish_lira.sta").statements[0]
    assert statement.entries[0].amount == Money.of("250.00", "TRY") and statement.balanced


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "mt940_amount_finer_than_currency.sta",
            "mt940_amount_finer_than_currency.sta: line 5, :61:: 100.125 has more decimals than EUR has (2)",
        ),
        (
            "mt940_amount_beyond_bound.sta",
            "mt940_amount_beyond_bound.sta: line 5, :61:: amount 10000000000000000.00 EUR is out of range "
            "(limit 1,000,000,000,000,000)",
        ),
        (
            "mt940_booking_date_february_30.sta",
            "mt940_booking_date_february_30.sta: line 5, :61:: booking date '0230' (MMDD) does not exist",
        ),
    ],
)
def test_a_value_that_cannot_be_right_refuses_the_file_in_one_line(name, message):
    with pytest.raises(ImpossibleValue) as refused:
        read(name)
    assert str(refused.value) == message
    summary = dry_run((QUIRKS / name).read_bytes(), name)
    assert summary["errors"] == [message] and summary_exit_code(summary) == 2


def test_a_camt_file_in_utf16_with_a_byte_order_mark_is_read_as_camt():
    data = (QUIRKS / "camt053_utf16.xml").read_bytes()
    assert data[:2] == b"\xff\xfe" and identify_bank_file(data, "camt053_utf16.xml") == "camt.053"
    statement = parse_bank_file(data, "camt053_utf16.xml").statements[0]
    assert statement.entries[0].counterparty_name == "Customer Ü" and statement.balanced


def test_camt_delivered_in_a_zip_is_read_file_by_file_and_the_statements_put_together():
    data = (QUIRKS / "camt053_two_days.zip").read_bytes()
    assert identify_bank_file(data, "camt053_two_days.zip") == "camt.053"
    parsed = parse_bank_file(data, "camt053_two_days.zip")
    assert [s.statement_id for s in parsed.statements] == ["STMT-DAY1", "STMT-DAY2"]
    assert [e.amount for e in parsed.entries()] == [Money.of("25.00", "EUR"), Money.of("40.00", "EUR")]
    assert summary_exit_code(dry_run(data, "camt053_two_days.zip")) == 0


def test_an_ofx_statement_is_read_with_its_ledger_balance_and_fitids():
    parsed = read("statement.ofx")
    statement = parsed.statements[0]
    assert (parsed.format, statement.account, statement.currency) == ("ofx", "123456789", "USD")
    assert statement.closing_balance == Money.of("2474.50", "USD") and statement.opening_balance is None
    assert [(e.amount.amount, e.bank_reference, e.counterparty_name) for e in statement.entries] == [
        (Decimal("1500.00"), "OFX0001", "ACME CORP"),
        (Decimal("-25.50"), "OFX0002", "BANK FEE"),
    ]


def test_one_statement_cut_short_does_not_refuse_its_four_neighbours():
    parsed = read("mt940_five_statements_one_cut_short.sta")
    assert [s.statement_id for s in parsed.statements] == [
        "FIVE1/11/1",
        "FIVE2/12/1",
        "FIVE4/14/1",
        "FIVE5/15/1",
    ]
    assert parsed.rejected == (
        "mt940_five_statements_one_cut_short.sta: line 22, :86:: statement FIVE3 ends "
        "without a closing balance :62F:",
    )
    summary = dry_run((QUIRKS / "mt940_five_statements_one_cut_short.sta").read_bytes(), "five.sta")
    assert [s["chain_break"] for s in summary["statements"]] == [
        None,
        None,
        "30.00",
        None,
    ]  # FIVE3 is missing
    assert summary_exit_code(summary) == 1


def test_a_zip_bomb_is_refused_without_being_expanded(tmp_path):
    import zipfile

    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.xml", b"<" + b" " * (201 * 1024 * 1024))
    with pytest.raises(FormatError, match="expands beyond"):
        parse_bank_file(path.read_bytes(), "bomb.zip")


def test_a_dash_before_a_bank_preamble_still_ends_an_mt942_message():
    message = (":20:INTERIM{n}\n:25:NL91INGB0001234567\n:28C:{n}\n:34F:EUR0,\n:13D:2601051200+0100\n"
               ":61:2601050105C25,00NTRFNONREF//I{n}\n:86:INV-2026-00020{n}\n")
    text = "-\nINGBNL2A\n942\n".join(message.format(n=n) for n in (1, 2)) + "-\n"
    parsed = parse_bank_file(text.encode(), "interim.sta")
    assert [e.remittance_text for e in parsed.entries()] == ["INV-2026-000201", "INV-2026-000202"]
    assert parsed.format == "mt942" and all(not s.warnings for s in parsed.statements)
