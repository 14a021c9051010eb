"""MT940/MT942: Dutch, German, Polish and Swiss variants, encodings, stable keys, refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from bank_samples import sample

from o2c.adapters.formats.bank import FormatError, mt940
from o2c.domain.money import Money


def statement(reference: str, opening: str, closing: str, *lines: str) -> str:
    body = "\n".join(lines)
    return f":20:{reference}\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:{opening}\n{body}\n:62F:{closing}\n-\n"


DAY_ONE = (":61:2403010301C100,00NTRFNONREF//B1", ":86:/EREF/E1/NAME/BAR CENTRAAL/REMI/INV 1001")
DAY_TWO = (":61:2403020302C50,00NTRFNONREF", ":86:/NAME/CAFE NOORD/REMI/INV 1002",
           ":61:2403020302C50,00NTRFNONREF", ":86:/NAME/CAFE NOORD/REMI/INV 1002")
DAY_THREE = (":61:2403030303D20,00NTRFNONREF//B3", ":86:BANKKOSTEN")


def test_same_entry_in_two_overlapping_statements_gets_the_same_key():
    first = statement("A", "C240229EUR0,00", "C240302EUR200,00", *DAY_ONE, *DAY_TWO)
    second = statement("B", "C240301EUR100,00", "C240303EUR180,00", *DAY_TWO, *DAY_THREE)
    keys_first = [e.entry_key for e in mt940.parse(first.encode(), "a.sta").statements[0].entries]
    keys_second = [e.entry_key for e in mt940.parse(second.encode(), "b.sta").statements[0].entries]
    assert keys_first[1:] == keys_second[:2]
    assert len(set(keys_first + keys_second)) == 4


def test_twin_entries_on_the_same_day_get_different_keys():
    data = statement("A", "C240301EUR100,00", "C240302EUR200,00", *DAY_TWO).encode()
    first, second = mt940.parse(data, "a.sta").statements[0].entries
    assert first.entry_key != second.entry_key


def test_latin1_statement_keeps_its_accents():
    text = statement("L1", "C240301EUR0,00", "C240302EUR12,50",
                     ":61:2403020302C12,50NTRFNONREF", ":86:/NAME/MÜLLER GMBH/REMI/RÉF 42")
    entry = mt940.parse(text.encode("latin-1"), "latin1.sta").statements[0].entries[0]
    assert (entry.counterparty_name, entry.remittance_text) == ("MÜLLER GMBH", "RÉF 42")


def test_unbalanced_statement_is_refused_naming_the_closing_balance_line():
    data = statement("A", "C240301EUR100,00", "C240302EUR999,00", *DAY_ONE).encode()
    with pytest.raises(FormatError) as refused:
        mt940.parse(data, "bad.sta")
    assert str(refused.value) == (
        "bad.sta: line 7, :62F:: statement A/1/1 of account NL91ABNA0417164300 does not balance: opening "
        "100.00 EUR + 1 booked entries 100.00 EUR = 200.00 EUR, but the closing balance is 999.00 EUR "
        "(differs by 799.00 EUR)")


def test_truncated_statement_is_refused_naming_where_it_stops():
    data = statement("A", "C240301EUR100,00", "C240302EUR200,00", *DAY_ONE).split(":62F:")[0].encode()
    with pytest.raises(FormatError, match=r"truncated.sta: line 6, :86:: statement A ends without a closing"):
        mt940.parse(data, "truncated.sta")


def test_rabobank_slash_narrative_gives_counterparty_and_end_to_end_id():
    entry = mt940.parse(sample("bank/mt940/rabobank-iban.sta"), "rabobank-iban.sta").statements[0].entries[0]
    assert entry.counterparty_name == "CONTRA ACCOUNT HOLDER"
    assert entry.counterparty_account == "NL70ABNA0987654321"
    assert entry.end_to_end_id == "01-01-2013 12:00 0030000987654321"
    assert entry.amount == Money.of("-25.00", "EUR")


def test_knab_narrative_names_the_counterparty_account():
    parsed = mt940.parse(sample("bank/mt940/knab.sta"), "knab.sta", strict=False)
    entry = parsed.statements[1].entries[0]
    assert (entry.counterparty_name, entry.counterparty_account) == ("PICQER", "NL65INGB0123456789")
    assert entry.remittance_text == "FACTUUR 201403110, 201403113"
    assert entry.bank_reference == "B4G29PGCVO7Q06US"


def test_german_and_polish_question_mark_subfields_are_read():
    text = sample("bank/mt940/mt940.sta").replace(b"DEM", b"EUR")
    statements = mt940.parse(text, "mt940.sta").statements
    assert [len(s.entries) for s in statements] == [11, 2, 3]
    rent = statements[1].entries[0]
    assert (rent.counterparty_name, rent.counterparty_account, rent.remittance_text) == (
        "MUELLER", "234567", "Miete November")
    assert rent.amount == Money.of("-800", "EUR") and rent.bank_reference == "55555"
    polish = statements[2].entries[0]
    assert polish.counterparty_account == "PL08106000760000777777777777"
    assert polish.counterparty_name == "HUTA SZKLA TOPIC UL PRZEMYSLOWA 67 32-669 WROCLAW"
    assert polish.additional_info == "Card transaction"


def test_sepa_keywords_give_the_end_to_end_id_and_the_remittance_text():
    fragment = sample("bank/mt940/statement_details.sta").decode()
    text = statement("D", "C140901EUR10,00", "C140902EUR8,38", fragment.strip())
    entry = mt940.parse(text.encode(), "details.sta").statements[0].entries[0]
    assert entry.end_to_end_id == "TRX-0A4A47C3-F846-4729-8A1B-5DF620F"
    assert entry.remittance_text == "FOO TRX-0A4A47C3-F846-4729-8A1B-5DF620F"
    assert (entry.counterparty_name, entry.counterparty_bic) == ("Peter Pan", "HYVEDEMMXXX")
    assert (entry.booking_date, entry.value_date) == (date(2014, 9, 2), date(2014, 9, 1))


def test_triodos_angle_bracket_subfields_are_joined_into_one_text():
    entry = mt940.parse(sample("bank/mt940/triodos.sta"), "triodos.sta", strict=False).statements[0].entries[0]
    assert entry.remittance_text == "ALGEMENE TUSSENREKENING KOSTEN VAN 01-10-2010 TOT EN MET 31-12-2010"


def test_rabobank_old_format_takes_the_name_from_the_statement_line():
    entries = mt940.parse(sample("bank/mt940/rabobank.sta"), "rabobank.sta", strict=False).statements[2].entries
    assert [e.counterparty_name for e in entries] == ["T-MOBILE NETHERLANDS BV", "TOMTE TUMMETOT AMERSFOORT"]


def test_booking_date_across_new_year_takes_the_nearest_year():
    text = statement("Y", "C231231EUR0,00", "C240102EUR5,00", ":61:2312310102C5,00NTRFNONREF")
    entry = mt940.parse(text.encode(), "y.sta").statements[0].entries[0]
    assert (entry.value_date, entry.booking_date) == (date(2023, 12, 31), date(2024, 1, 2))


def test_reversal_of_a_debit_is_money_in():
    text = statement("R", "C240301EUR0,00", "C240302EUR5,00", ":61:2403020302RD5,00NTRFNONREF")
    entry = mt940.parse(text.encode(), "r.sta").statements[0].entries[0]
    assert entry.amount == Money.of("5.00", "EUR") and entry.reversal


def test_mt942_interim_report_is_checked_against_its_debit_and_credit_sums():
    report = (":20:INTRA1\n:25:NL91ABNA0417164300\n:28C:7/1\n:34F:EURD0,\n:13D:2403011200+0100\n"
              ":61:2403010301C100,00NTRFNONREF//X1\n:86:/NAME/BAR CENTRAAL/REMI/INV 1001\n"
              ":61:2403010301D20,00NTRFNONREF//X2\n:90D:1EUR20,00\n:90C:1EUR100,00\n-\n")
    parsed = mt940.parse(report.encode(), "intra.sta")
    assert parsed.format == "mt942"
    report_statement = parsed.statements[0]
    assert (report_statement.opening_balance, report_statement.statement_date) == (None, date(2024, 3, 1))
    assert sum(e.amount.amount for e in report_statement.entries) == Decimal("80.00")
    with pytest.raises(FormatError, match=r"line 9, :90D:: debits stated as 2 for 20.00"):
        mt940.parse(report.replace(":90D:1EUR", ":90D:2EUR").encode(), "intra.sta")


def test_fragment_without_statement_reference_is_refused():
    with pytest.raises(FormatError, match=r"line 1, :61:: a statement must start with its :20: reference"):
        mt940.parse(sample("bank/mt940/statement_line.sta"), "statement_line.sta")


def test_statement_in_a_legacy_currency_is_read_and_balances():
    parsed = mt940.parse(sample("bank/mt940/mt940.sta"), "mt940.sta")
    assert [(s.currency, len(s.entries), s.balanced) for s in parsed.statements] == [
        ("DEM", 11, True), ("EUR", 2, True), ("PLN", 3, True)]


def test_statement_in_a_currency_o2c_does_not_know_is_refused_naming_it():
    text = sample("bank/mt940/mt940.sta").replace(b"DEM", b"XXQ")
    with pytest.raises(FormatError, match=r"mt940.sta: line 4, :60F:: currency 'XXQ' is not one o2c knows"):
        mt940.parse(text, "mt940.sta")
