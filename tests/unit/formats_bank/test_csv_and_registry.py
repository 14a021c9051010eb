"""CSV layouts, the format registry and the dry-run summary shape."""

from __future__ import annotations

from datetime import date

import pytest
from bank_samples import sample

from o2c.adapters.formats.bank import (
    CsvLayout,
    FormatError,
    dry_run,
    dry_run_summary,
    identify_bank_file,
    parse_bank_file,
)
from o2c.domain.money import Money

DEFAULT_CSV = b"""date,amount,currency,counterparty,iban,reference
2024-03-01,1250.00,EUR,Acme BV,NL91 ABNA 0417 1643 00,INV-1001
2024-03-01,-12.50,EUR,Bank,,Fees March

2024-03-02,99.00,USD,Acme Inc,,INV-2001
"""

GERMAN_CSV = """Buchungstag;Soll;Haben;Empfänger;Verwendungszweck
01.03.2024;;1.250,00;Müller GmbH;RE 1001
02.03.2024;12,50;;Sparkasse;Gebühren
""".encode("latin-1")

GERMAN_LAYOUT = CsvLayout(date="Buchungstag", amount=None, debit="Soll", credit="Haben", currency=None,
                          counterparty="Empfänger", iban=None, reference="Verwendungszweck",
                          delimiter=";", decimal_separator=",", date_format="%d.%m.%Y",
                          account="DE89370400440532013000")


def test_default_csv_layout_gives_one_statement_per_currency():
    parsed = parse_bank_file(DEFAULT_CSV, "export.csv")
    eur, usd = parsed.statements
    assert [e.amount for e in eur.entries] == [Money.of("1250.00", "EUR"), Money.of("-12.50", "EUR")]
    assert eur.entries[0].counterparty_account == "NL91ABNA0417164300"
    assert (usd.entries[0].remittance_text, usd.statement_date) == ("INV-2001", date(2024, 3, 2))


def test_csv_layout_with_debit_and_credit_columns_and_decimal_comma():
    assert identify_bank_file(GERMAN_CSV, "umsatz.csv", GERMAN_LAYOUT) == "csv"
    statement, = parse_bank_file(GERMAN_CSV, "umsatz.csv", csv_layout=GERMAN_LAYOUT).statements
    assert [(e.amount, e.counterparty_name) for e in statement.entries] == [
        (Money.of("1250.00", "EUR"), "Müller GmbH"), (Money.of("-12.50", "EUR"), "Sparkasse")]
    assert statement.account == "DE89370400440532013000"


def test_csv_row_with_a_bad_amount_is_refused_naming_line_and_column():
    data = DEFAULT_CSV.replace(b"-12.50", b"twelve")
    with pytest.raises(FormatError, match=r"export.csv: line 3, amount: 'twelve' is not an amount"):
        parse_bank_file(data, "export.csv")


def test_csv_without_the_layout_columns_is_not_taken_for_a_statement():
    with pytest.raises(FormatError, match="not a format o2c reads"):
        parse_bank_file(b"when,how much\n2024-03-01,10\n", "other.csv")


@pytest.mark.parametrize(("relative", "expected"), [
    ("bank/camt/camt053.v8.xml", "camt.053"),
    ("bank/camt/camt054.v4.xml", "camt.054"),
    ("bank/mt940/abnamro.sta", "mt940"),
    ("bank/bai2/citi_example.bai2", "bai2"),
    ("remittance/x12_820/820-004030UCS-01.x12", "x12.820"),
])
def test_registry_identifies_each_sample_format(relative, expected):
    assert identify_bank_file(sample(relative), relative.rsplit("/", 1)[-1]) == expected


def test_dry_run_summary_has_exactly_the_documented_shape():
    summary = dry_run_summary(parse_bank_file(sample("bank/camt/camt053.v2.multi.statement.xml"), "m.xml"))
    assert set(summary) == {"format", "statements", "payments", "errors", "rejected"}
    assert summary["statements"][1] == {"statement_id": summary["statements"][1]["statement_id"],
                                        "account": "NL26VAYB8060476890", "currency": "EUR", "opening": "27.00",
                                        "closing": "20.00", "entries": 1, "balanced": True, "difference": "0.00",
                                        "chain_break": None, "previous_statement": None,
                                        "warnings": []}
    payment = summary["payments"][1]
    assert set(payment) == {"entry_key", "date", "amount", "currency", "counterparty", "reference"}
    assert (payment["date"], payment["amount"], payment["counterparty"], payment["reference"]) == (
        "2014-12-31", "-7.00", "Company Name 2", "Transaction Description 2")


def test_dry_run_of_a_refused_file_shows_the_reason_instead_of_figures():
    summary = dry_run(sample("bank/camt/camt053.v2.wrong.xml"), "camt053.v2.wrong.xml")
    assert (summary["format"], summary["statements"], summary["payments"]) == ("camt.053", [], [])
    assert "no Stmt" in summary["errors"][0]


def test_dry_run_shows_an_unbalanced_statement_without_refusing_it():
    summary = dry_run(sample("bank/mt940/triodos.sta"), "triodos.sta")
    assert summary["statements"][0]["balanced"] is False
    assert "differs by 111.40 EUR" in summary["errors"][0]
