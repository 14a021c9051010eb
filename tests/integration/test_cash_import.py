"""Bank and remittance files through the import service, on SQLite and PostgreSQL."""

from datetime import date
from decimal import Decimal

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
DAY = date(2026, 9, 1)
ACCOUNT = "NL91ABNA0417164300"


def _credit(key: str, amount: str, reference: str = "INV-2026-000001") -> Credit:
    return Credit(key, DAY, Money.of(amount, "EUR"), "Customer C1", "NL00BANKC1", reference)


def _statement(credits: list[Credit], opening: str = "0", msg: str = "M1") -> bytes:
    return camt053(ACCOUNT, "EUR", DAY, Money.of(opening, "EUR"), credits, msg)


def _payments(app) -> int:
    with app.uow() as uow:
        return uow.payments.count()


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_previews_with_the_dry_run_shape(sample):
    summary = preview_bank_file(sample.read_bytes(), sample.name)
    assert set(summary) == {"format", "statements", "payments", "errors"}
    for statement in summary["statements"]:
        assert set(statement) == {"account", "currency", "opening", "closing", "entries", "balanced"}


@pytest.mark.parametrize("sample", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_imports_or_is_refused_with_its_reason(app, sample):
    data = sample.read_bytes()
    report = import_bank_file(app, data, sample.name, match=False)
    if report.refused:
        assert report.errors and report.exit_code == 2
        with app.uow() as uow:
            assert uow.conn.execute(t.quarantine.select()).first() is not None
        return
    parsed = parse_bank_file(data, sample.name)
    credits = sum(1 for e in parsed.entries() if e.booked and e.credit and not e.reversal and e.amount)
    assert report.payments_recorded == credits == _payments(app)
    assert import_bank_file(app, data, sample.name, match=False).payments_recorded == 0
    assert _payments(app) == credits


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


def test_a_truncated_or_tampered_file_loses_nothing_already_posted(app):
    seed(app, customer("C1"))
    data = _statement([_credit("K1", "10.00"), _credit("K2", "20.00")])
    import_bank_file(app, data, "a.xml")
    truncated = import_bank_file(app, data[: len(data) // 2], "a-cut.xml")
    tampered = import_bank_file(app, data.replace(b">20.00<", b">25.00<", 1), "a-changed.xml")
    assert truncated.refused and tampered.refused and "does not balance" in tampered.errors[0]
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
