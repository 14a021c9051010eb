"""Every public sample is read as its golden file says, and the golden figures agree with a reading
of the samples by hand (entries counted and balances added up with a pencil, not by the parser)."""

from __future__ import annotations

import json

import pytest
from bank_samples import GOLDEN, SAMPLES, golden_script

regenerate = golden_script()
SAMPLE_FILES = regenerate.sample_files() if SAMPLES.exists() else []

# (entries, opening, closing, balanced) per statement, counted in the sample files by hand.
READ_BY_HAND = {
    "camt053.v2.minimal.xml": [(1, "18.15", "-27.00", False)],  # CLBD is a DBIT in SEK
    "camt053.v2.multi.statement.xml": [(1, "18.15", "27.00", True), (1, "27.00", "20.00", True)],
    "camt053.v4.xml": [(1, "18.15", "-27.00", False)],
    "camt053.v8.xml": [(1, "18.15", "-27.00", False)],
    "camt054.v2.xml": [(1, None, None, True)],  # one Ntry, three TxDtls without amounts
    "camt054.v4.xml": [(1, None, None, True)],  # TxDtls 3.1 + 3.2 + 3.2 CHF against 200000 SEK
    "abnamro.sta": [(8, "3236.28", "876.84", False), (2, "2876.84", "1849.75", False)],
    "generic.sta": [(1, "100.00", "90.00", True), (1, "90.00", "80.00", True)],
    "ing.sta": [(7, "0.00", "3.47", False)],
    "knab.sta": [(1, "0.00", "500.00", True), (2, "3058.98", "798.98", False)],
    "postfinance.sta": [(2, "0.00", "229.20", True), (2, "229.20", "159.60", False)],
    "rabobank-iban.sta": [(2, "1000.00", "965.00", True), (2, "965.00", "930.00", True)],
    "rabobank.sta": [(1, "473.17", "395.82", False), (0, "1000.89", "1000.89", True),
                     (2, "1295.82", "1250.87", False), (2, "4196.12", "4101.82", True)],
    "sns.sta": [(2, "1234.56", "1209.56", True), (0, "1209.56", "1209.56", True)],
    "triodos.sta": [(2, "4975.09", "4370.79", False)],
    "citi_example.bai2": [(1, "100.00", "100.00", False)],
    "mt940.sta": [(11, "84349.74", "84437.04", True), (2, "2187.95", "4387.95", True),
                  (3, "40000.00", "50040.00", True)],  # DEM, EUR and PLN statements  # 010 and 015 both 10000, one 16 of 001
}
REFUSED_EVEN_LENIENTLY = {
    "camt053.v2.wrong.xml": "no Stmt",
    "account_balance_credit.sta": "must start with its :20:",
    "account_balance_debit.sta": "must start with its :20:",
    "account_identification_iban.sta": "must start with its :20:",
    "account_identification_legacy.sta": "must start with its :20:",
    "available_balance.sta": "must start with its :20:",
    "closing_balance.sta": "must start with its :20:",
    "reference.sta": "has no :25: field",
    "statement_details.sta": "must start with its :20:",
    "statement_line.sta": "must start with its :20:",
    "statement_number.sta": "must start with its :20:",
}


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda path: path.name)
def test_sample_is_read_as_its_golden_file_says(sample):
    golden = regenerate.golden_path(sample)
    assert golden.exists(), f"no golden file for {sample.name}: run tests/golden/bank/regenerate.py"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert regenerate.expected_for(sample) == expected


def test_every_golden_file_has_its_sample():
    if not SAMPLE_FILES:
        pytest.skip("samples are not available")
    names = {f"{sample.name}.json" for sample in SAMPLE_FILES}
    assert {path.name for path in GOLDEN.glob("*.json")} == names


@pytest.mark.parametrize("name", sorted(READ_BY_HAND))
def test_golden_statements_agree_with_a_reading_by_hand(name):
    summary = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))["summary"]
    pinned = [(s["entries"], s["opening"], s["closing"], s["balanced"]) for s in summary["statements"]]
    assert pinned == READ_BY_HAND[name]


@pytest.mark.parametrize("name", sorted(REFUSED_EVEN_LENIENTLY))
def test_golden_file_of_an_unreadable_sample_pins_why_it_is_refused(name):
    golden = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert golden["summary"] is None
    assert REFUSED_EVEN_LENIENTLY[name] in golden["refused"]


@pytest.mark.parametrize("name", sorted(n for n, statements in READ_BY_HAND.items()
                                         if all(balanced for *_, balanced in statements)))
def test_a_balanced_sample_is_accepted_by_a_strict_parse(name):
    golden = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))
    assert golden["refused"] is None


def test_each_x12_820_sample_pins_one_payment_of_six_invoices():
    for name in ("820-004010-01.x12", "820-004010VICS-01.x12", "820-004030-01.x12", "820-004030UCS-01.x12"):
        payments = json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))["summary"]["payments"]
        assert [(p["amount"], p["reference"], len(p["lines"])) for p in payments] == [("416093.15", "4311000190", 6)]
