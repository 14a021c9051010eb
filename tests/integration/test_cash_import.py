"""Bank and remittance files through the import service, on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from o2c.adapters.formats.bank import parse_bank_file
from o2c.adapters.store import tables as t
from o2c.domain.money import Money
from o2c.services.cash import import_bank_file, preview_bank_file
from o2c.sim.bank_files import Credit, camt053
from tests.conftest import SAMPLES
from tests.factories import customer, seed

FOLDERS = ("bank/camt", "bank/mt940", "bank/bai2", "remittance/x12_820")
SAMPLE_FILES = sorted(p for f in FOLDERS if (SAMPLES / f).exists() for p in (SAMPLES / f).iterdir()
                      if p.name != "LICENSE")
QUIRKS = Path(__file__).resolve().parents[1] / "golden" / "bank" / "quirks"
DAY = date(2026, 9, 1)
ACCOUNT = "NL91ABNA0417164300"


def _credit(key: str, amount: str, reference: str = "INV-2026-000001") -> Credit:
    return Credit(key, DAY, Money.of(amount, "EUR"), "Customer C1", "NL00BANKC1", reference)


def _statement(credits: list[Credit], opening: str = "0", msg: str = "M1") -> bytes:
    return camt053(ACCOUNT, "EUR", DAY, Money.of(opening, "EUR"), credits, msg)


def _payments(app) -> int:
    with app.uow() as uow:
        return uow.payments.count()


STATEMENT_KEYS = {"statement_id", "account", "currency", "opening", "closing", "entries", "balanced", "difference",
                  "chain_break", "previous_statement", "warnings"}
# Fragments of MT940 (a field or two, no :20:) and a camt message without a statement: nothing to import.
REFUSED = {"camt053.v2.wrong.xml", "account_balance_credit.sta", "account_balance_debit.sta",
           "account_identification_iban.sta", "account_identification_legacy.sta", "available_balance.sta",
           "closing_balance.sta", "reference.sta", "statement_details.sta", "statement_line.sta",
           "statement_number.sta"}
# What the statements that do not add up leave unexplained (closing - (opening + booked entries)), and
# the chain breaks (opening - the previous statement's closing), each worked by hand from the file:
INCONSISTENT = {
    # 4975.09 - 15.70 - 700.00 = 4259.39; closing 4370.79
    "triodos.sta": {0: ("111.40", None)},
    # 3236.28 - (9 + 11.59 + 11.63 + 11.80 + 13.45 + 15.49 + 107 + 141.48 = 321.44) = 2914.84; closing 876.84.
    # 2876.84 - 9.49 - 15.00 = 2852.35; closing 1849.75; it opens 2876.84 after a close of 876.84
    "abnamro.sta": {0: ("-2038.00", None), 1: ("-1002.60", "2000.00")},
    # 0 - 25.03 - 3.03 - 1.11 - 20.00 - 1.10 + 3.68 + 1.00 = -45.59; closing 3.47
    "ing.sta": {0: ("49.06", None)},
    # #2: 3058.98 - 7260.00 + 500.00 = -3701.02; closing 798.98; #1 closed 500.00
    "knab.sta": {1: ("4500.00", "2558.98")},
    # #2: 229.20 - 79.90 + 10.10 = 159.40; closing 159.60
    "postfinance.sta": {1: ("0.20", None)},
    # #1: 473.17 - 1213.28 = -740.11; closing 395.82. #2 opens 1000.89 after 395.82.
    # #3: 1295.82 - 44.95 - 236.56 = 1014.31; closing 1250.87; opens 1295.82 after 1000.89
    "rabobank.sta": {0: ("1135.93", None), 1: ("0.00", "605.07"), 2: ("236.56", "294.93")},
    # opening 100.00 + credit 0.01 = 100.01; closing 100.00
    "citi_example.bai2": {0: ("-0.01", None)},
    # opening 18.15 EUR + 8.85 = 27.00 EUR; the closing balance is 27.00 SEK debit (-27.00): by its figure -54.00
    "camt053.v2.minimal.xml": {0: ("-54.00", None)},
    "camt053.v4.xml": {0: ("-54.00", None)},
    "camt053.v8.xml": {0: ("-54.00", None)},
}


def _statement_rows(app) -> list:
    from o2c.adapters.store.cash_store import bank_statements

    with app.uow() as uow:
        return uow.conn.execute(bank_statements.select().order_by(bank_statements.c.id)).all()


def _open_tasks(app, kind: str) -> list:
    with app.uow() as uow:
        return [task for task in uow.tasks.open_for("treasury") if task.kind == kind]


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_previews_with_the_dry_run_shape(sample):
    summary = preview_bank_file(sample.read_bytes(), sample.name)
    assert set(summary) == {"format", "statements", "payments", "errors", "rejected"}
    for statement in summary["statements"]:
        assert set(statement) == STATEMENT_KEYS


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_is_imported_and_flagged_as_it_adds_up_or_refused_with_its_reason(app, sample):
    data = sample.read_bytes()
    report = import_bank_file(app, data, sample.name, match=False)
    if sample.name in REFUSED:
        assert report.refused and len(report.errors) == 1 and report.exit_code == 2
        with app.uow() as uow:
            assert uow.conn.execute(t.quarantine.select()).first() is not None and uow.payments.count() == 0
        return
    assert not report.refused, report.errors
    parsed = parse_bank_file(data, sample.name, strict=False)
    credits = sum(1 for e in parsed.entries() if e.booked and e.credit and not e.reversal and e.amount)
    assert report.payments_recorded == credits == _payments(app)
    flagged = INCONSISTENT.get(sample.name, {})
    found = {n: (s["difference"], s["chain_break"]) for n, s in enumerate(report.summary["statements"])
             if not s["balanced"] or s["chain_break"]}
    assert found == flagged
    assert [s["reconciled"] for s in report.summary["statements"]] == [
        n not in flagged for n in range(len(parsed.statements))]
    assert len(report.tasks) == len(flagged) and report.exit_code == (1 if flagged else 0)
    again = import_bank_file(app, data, sample.name, match=False)
    assert (again.payments_recorded, again.already_known, again.tasks, _payments(app)) == (0, credits, (), credits)
    assert again.exit_code == report.exit_code and len(_statement_rows(app)) == len(parsed.statements)


def test_a_statement_that_does_not_add_up_is_recorded_flagged_and_never_reconciled(app):
    sample = SAMPLES / "bank/mt940/triodos.sta"
    report = import_bank_file(app, sample.read_bytes(), sample.name, match=False)
    (row,) = _statement_rows(app)
    assert (row.difference_minor, row.reconciled, row.statement_id) == (11140, False, "1308728725026/1/1")
    (task,) = _open_tasks(app, "bank_statement")
    assert task.id == report.tasks[0] and "1308728725026/1/1" in task.title
    assert "a difference of 111.40 EUR" in task.detail and "Likely cause: entries missing" in task.detail


def test_the_refusing_policy_refuses_a_file_that_does_not_add_up_and_writes_nothing(app):
    sample = SAMPLES / "bank/mt940/knab.sta"
    report = import_bank_file(app, sample.read_bytes(), sample.name, refuse_unbalanced=True)
    assert report.refused and report.exit_code == 2 and "does not balance" in report.errors[0]
    assert _payments(app) == 0 and _statement_rows(app) == []


def test_a_chain_break_against_an_earlier_import_is_flagged_and_refused_under_the_refusing_policy(app):
    seed(app, customer("C1"))
    first = _statement([_credit("K1", "10.00")], opening="0")
    assert import_bank_file(app, first, "a.xml").exit_code == 0
    later = camt053(ACCOUNT, "EUR", date(2026, 9, 2), Money.of("15.00", "EUR"),
                    [Credit("K2", date(2026, 9, 2), Money.of("5.00", "EUR"), "Customer C1", None, "x")], "M2")
    refused = import_bank_file(app, later, "b.xml", refuse_unbalanced=True)
    assert refused.refused and "closed with 10.00 EUR: a break of 5.00 EUR" in refused.errors[0]
    report = import_bank_file(app, later, "b.xml")
    statement = report.summary["statements"][0]
    assert (statement["balanced"], statement["chain_break"], statement["previous_statement"]) == (True, "5.00", "M1")
    assert report.exit_code == 1 and report.payments_recorded == 1 and not statement["reconciled"]


def test_a_resend_with_the_same_bank_reference_and_another_amount_is_a_conflict_that_changes_nothing(app):
    seed(app, customer("C1"))
    import_bank_file(app, _statement([_credit("K1", "10.00"), _credit("K2", "20.00")]), "a.xml")
    resend = import_bank_file(app, _statement([_credit("K1", "10.00"), _credit("K2", "25.00")]), "a2.xml")
    assert (resend.payments_recorded, resend.already_known, len(resend.conflicts)) == (0, 1, 1)
    assert "the amount was 20.00 EUR and is now 25.00 EUR" in resend.conflicts[0]["reason"]
    assert resend.exit_code == 1 and _payments(app) == 2
    (task,) = _open_tasks(app, "bank_entry_conflict")
    assert "Nothing was changed" in task.detail


def test_a_corrected_resend_whose_entry_text_changed_adds_nothing_and_says_why(app):
    seed(app, customer("C1"))
    import_bank_file(app, _statement([_credit("K1", "10.00"), _credit("K2", "20.00")]), "a.xml")
    corrected = _statement([_credit("K1", "10.00", "INV-2026-000009"), _credit("K2", "20.00"),
                            _credit("K3", "30.00")])
    report = import_bank_file(app, corrected, "a-corrected.xml")
    assert (report.payments_recorded, report.already_known, report.conflicts, _payments(app)) == (1, 2, (), 3)
    assert "only its text differs" in report.skipped[0]["reason"] and "only its text" not in report.skipped[1]["reason"]


def test_a_csv_row_with_one_byte_changed_is_not_a_second_payment(app):
    seed(app, customer("C1"))
    rows = "date,amount,currency,counterparty,iban,reference\n2026-09-01,10.00,EUR,Customer C1,NL00BANKC1,INV-1\n"
    first = import_bank_file(app, rows.encode(), "bank.csv")
    again = import_bank_file(app, rows.replace("INV-1", "INV-l").encode(), "bank-2.csv")
    assert (first.payments_recorded, again.payments_recorded, again.already_known, _payments(app)) == (1, 0, 1, 1)


def test_one_statement_cut_short_is_reported_while_its_neighbours_are_imported(app):
    sample = QUIRKS / "mt940_five_statements_one_cut_short.sta"
    report = import_bank_file(app, sample.read_bytes(), sample.name, match=False)
    assert report.payments_recorded == 4 and report.exit_code == 1
    assert report.summary["rejected"] == [f"{sample.name}: line 22, :86:: statement FIVE3 ends without a closing "
                                          "balance :62F:"]
    assert [s["chain_break"] for s in report.summary["statements"]] == [None, None, "30.00", None]


@pytest.mark.parametrize("name", ["mt940_amount_finer_than_currency.sta", "mt940_amount_beyond_bound.sta",
                                  "mt940_booking_date_february_30.sta"])
def test_a_file_with_a_value_that_cannot_be_right_is_refused_and_nothing_is_written(app, name):
    report = import_bank_file(app, (QUIRKS / name).read_bytes(), name)
    assert report.refused and len(report.errors) == 1 and report.exit_code == 2
    assert _payments(app) == 0 and _statement_rows(app) == []


@pytest.mark.parametrize("name", ["camt053_utf16.xml", "camt053_two_days.zip", "statement.ofx"])
def test_camt_in_utf16_or_zip_and_ofx_are_imported(app, name):
    report = import_bank_file(app, (QUIRKS / name).read_bytes(), name, match=False)
    assert (report.refused, report.exit_code, report.payments_recorded) == (False, 0, {"camt053_two_days.zip": 2}.get(
        name, 1))


def test_the_deliberately_wrong_camt_file_is_refused_with_a_clear_message(app):
    sample = SAMPLES / "bank/camt/camt053.v2.wrong.xml"
    report = import_bank_file(app, sample.read_bytes(), sample.name)
    assert report.refused and "no Stmt" in report.errors[0] and _payments(app) == 0


def test_reimporting_a_statement_posts_nothing_twice(app):
    seed(app, customer("C1"))
    data = _statement([_credit("K1", "10.00"), _credit("K2", "20.00")])
    assert import_bank_file(app, data, "a.xml").payments_recorded == 2
    again = import_bank_file(app, data, "a.xml")
    assert (again.payments_recorded, again.already_known, _payments(app)) == (0, 2, 2)


def test_an_overlapping_statement_adds_only_the_new_entries(app):
    seed(app, customer("C1"))
    import_bank_file(app, _statement([_credit("K1", "10.00"), _credit("K2", "20.00")]), "a.xml")
    overlap = _statement([_credit("K2", "20.00"), _credit("K3", "30.00")], opening="10.00", msg="M2")
    report = import_bank_file(app, overlap, "b.xml")
    assert (report.payments_recorded, report.already_known, _payments(app)) == (1, 1, 3)


def test_a_truncated_file_is_refused_and_a_tampered_one_flagged_losing_nothing_already_posted(app):
    seed(app, customer("C1"))
    data = _statement([_credit("K1", "10.00"), _credit("K2", "20.00")])
    import_bank_file(app, data, "a.xml")
    truncated = import_bank_file(app, data[: len(data) // 2], "a-cut.xml")
    tampered = import_bank_file(app, data.replace(b">20.00<", b">25.00<", 1), "a-changed.xml")
    assert truncated.refused and not tampered.refused and tampered.conflicts
    assert not tampered.summary["statements"][0]["balanced"] and tampered.exit_code == 1
    with app.uow() as uow:
        assert uow.payments.count() == 2 and uow.ledger.problems() == []


def test_a_remittance_that_arrives_before_its_payment_is_linked_to_it(app):
    sample = SAMPLES / "remittance/x12_820/820-004010-01.x12"
    report = import_bank_file(app, sample.read_bytes(), sample.name, match=False)
    assert report.remittances == 1 and report.linked == 0
    advice = parse_bank_file(sample.read_bytes(), sample.name).remittances[0]
    credit = Credit("K9", advice.payment_date or DAY, advice.payment_amount, "Payer", None,
                    advice.payment_reference)
    data = camt053("US12BANK0001", advice.payment_amount.currency, credit.day, Money.zero("USD"), [credit], "M9")
    assert import_bank_file(app, data, "usd.xml", match=False).linked == 1
    assert Decimal(str(advice.payment_amount.amount)) > 0
