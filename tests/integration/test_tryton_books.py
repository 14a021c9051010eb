"""Tryton as the books, for real: a ``trytond`` server on loopback (a copy of the cached template
database), o2c talking to it over XML-RPC through the command line, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from o2c.adapters.erp.tryton.books import TrytonBooks
from o2c.bootstrap import bootstrap
from o2c.cli import app as cli
from o2c.cli import register_commands
from o2c.config import Settings
from o2c.domain.money import Money
from o2c.ports.system_of_record import DunningPush, PaymentPush, SaleLine, SalePush
from o2c.services.books_hold import is_held
from o2c.sim.bank_files import Credit, camt053
from o2c.views.inbox import inbox
from tests.integration.tryton_harness import PASSWORD, Clerk, TrytonServer

pytest.importorskip("trytond")
register_commands()
runner = CliRunner()
RECENTLY = date.today() - timedelta(days=3)


@pytest.fixture
def tryton(tmp_path: Path) -> Iterator[TrytonServer]:
    folder = tmp_path / "tryton"
    folder.mkdir()
    server = TrytonServer(folder).prepare()
    server.start()
    yield server
    server.stop()


def o2c(database_url: str, server: TrytonServer, *args: str) -> str:
    env = {
        "O2C_ERP": "tryton",
        "O2C_TRYTON_URL": server.url,
        "O2C_TRYTON_USER": "admin",
        "O2C_TRYTON_PASSWORD": PASSWORD,
    }
    result = runner.invoke(cli, [*args, "--db", database_url], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def synced(database_url: str, server: TrytonServer, tmp_path: Path) -> dict:
    out = tmp_path / "sync.json"
    o2c(database_url, server, "erp", "sync", "--json", str(out))
    return json.loads(out.read_text())


def statement(day: date, *credits: tuple[str, Decimal, str, str]) -> bytes:
    rows = [
        Credit(f"E{n}", day, Money(amount, "EUR"), payer, None, reference)
        for n, (_, amount, payer, reference) in enumerate(credits)
    ]
    return camt053("NL91ABNA0417164300", "EUR", day, Money(Decimal(0), "EUR"), rows, f"STMT-{day}")


def test_a_customer_edited_in_tryton_appears_in_o2c_after_a_sync_and_a_second_sync_changes_nothing(
    database_url, tryton, tmp_path
):
    clerk = Clerk(tryton.client())
    party = clerk.party("C-100", "Polder Markt", vat="NL004495445B01", email="ap@polder.example")
    clerk.invoice("C-100", Decimal("250.00"), RECENTLY)
    first = synced(database_url, tryton, tmp_path)
    assert (first["customers"], first["invoices"], first["open_items"], first["differences"]) == (1, 1, 1, [])
    tryton.client().call("party.party", "write", [party], {"name": "Polder Markt Holding"})
    synced(database_url, tryton, tmp_path)
    app = bootstrap(Settings(database_url=database_url))
    with app.uow(read_only=True) as uow:
        customer = uow.customers.get("C-100")
    assert customer is not None and customer.name == "Polder Markt Holding"
    assert (customer.vat_id, customer.email, customer.terms.net_days) == (
        "NL004495445B01",
        "ap@polder.example",
        30,
    )
    again = synced(database_url, tryton, tmp_path)
    assert "invoices" not in again["changes"]
    assert all(
        " 0 updated" in text or "0 added, 0 updated" in text or "updated" not in text
        for text in again["changes"].values()
    ), again["changes"]
    assert (again["customers"], again["invoices"], again["differences"]) == (1, 1, [])
    with app.uow(read_only=True) as uow:
        assert uow.customers.get("C-100") == customer
    app.close()


def test_a_camt_file_imported_into_o2c_pays_two_tryton_invoices_one_by_a_fuzzy_reference(
    database_url, tryton, tmp_path
):
    clerk = Clerk(tryton.client())
    clerk.party("C-200", "Harbour Foods")
    first = clerk.invoice("C-200", Decimal("250.00"), RECENTLY)
    second = clerk.invoice("C-200", Decimal("410.50"), RECENTLY)
    synced(database_url, tryton, tmp_path)
    fuzzy = second.split("-", 1)[1]  # the bank dropped the prefix: "2026-000002"
    camt = tmp_path / "camt.xml"
    camt.write_bytes(
        statement(
            RECENTLY,
            ("", Decimal("250.00"), "Harbour Foods", first),
            ("", Decimal("410.50"), "Harbour Foods", f"INVOICE {fuzzy}"),
        )
    )
    o2c(database_url, tryton, "import", str(camt))
    o2c(database_url, tryton, "worker", "--once")
    assert (clerk.invoice_state(first), clerk.invoice_state(second)) == ("paid", "paid")
    report = synced(database_url, tryton, tmp_path)
    assert report["open_items"] == 0 and report["differences"] == []
    o2c(database_url, tryton, "worker", "--once")
    assert len(clerk.rows("account.statement", [], ["id"])) == 2


def test_tryton_stopped_during_a_push_then_started_lands_each_payment_exactly_once(
    database_url, tryton, tmp_path
):
    clerk = Clerk(tryton.client())
    clerk.party("C-300", "Great Lakes Grocers")
    number = clerk.invoice("C-300", Decimal("99.00"), RECENTLY)
    synced(database_url, tryton, tmp_path)
    camt = tmp_path / "camt.xml"
    camt.write_bytes(statement(RECENTLY, ("", Decimal("99.00"), "Great Lakes Grocers", number)))
    tryton.stop()
    o2c(database_url, tryton, "import", str(camt))
    o2c(database_url, tryton, "worker", "--once")
    tryton.start()
    assert clerk.invoice_state(number) == "posted"
    time.sleep(2.5)  # the first retry's back-off
    o2c(database_url, tryton, "worker", "--once")
    o2c(database_url, tryton, "worker", "--once")
    assert clerk.invoice_state(number) == "paid"
    assert len(clerk.rows("account.statement", [], ["id"])) == 1


def test_a_push_cut_off_after_the_statement_was_written_finishes_it_without_a_second_one(tryton):
    clerk = Clerk(tryton.client())
    clerk.party("C-400", "Bar Centraal")
    number = clerk.invoice("C-400", Decimal("120.00"), RECENTLY)
    books = TrytonBooks(tryton.client())
    push = PaymentPush(
        "o2c-payment:PAY-1", "C-400", RECENTLY, (number,), (Money(Decimal("120.00"), "EUR"),), "Bar Centraal"
    )
    books._new_statement(push)  # the push got this far when Tryton went away
    books.push_payment(push)
    books.push_payment(push)
    assert clerk.invoice_state(number) == "paid"
    assert len(clerk.rows("account.statement", [], ["id"])) == 1


def test_a_sale_pushed_twice_is_one_confirmed_sale_and_a_dunning_level_shows_in_tryton(tryton):
    clerk = Clerk(tryton.client())
    clerk.party("C-500", "Dunes Wholesale")
    clerk.product("COLA-24", "Cola 24 x 33 cl", Decimal("11.90"))
    books = TrytonBooks(tryton.client())
    sale = SalePush(
        "o2c-order:ORD-1",
        "C-500",
        "PO-77",
        RECENTLY,
        (SaleLine("COLA-24", Decimal(10), Money(Decimal("11.90"), "EUR")),),
    )
    books.push_sale(sale)
    books.push_sale(sale)
    sales = clerk.rows("sale.sale", [], ["state", "reference", "total_amount"])
    assert [(s["state"], s["reference"], s["total_amount"]) for s in sales] == [
        ("processing", "PO-77", Decimal("119.00"))
    ]
    number = clerk.invoice("C-500", Decimal("300.00"), RECENTLY)
    books.push_dunning(DunningPush("o2c-dunning:1", "C-500", (number,), 2))
    books.push_dunning(DunningPush("o2c-dunning:1", "C-500", (number,), 2))
    dunnings = clerk.rows("account.dunning", [], ["level", "state"])
    levels = {r["id"]: r["sequence"] for r in clerk.rows("account.dunning.level", [], ["sequence"])}
    assert [(levels[d["level"]], d["state"]) for d in dunnings] == [(2, "draft")]


def test_books_that_disagree_hold_the_customer_for_a_person_until_released(database_url, tryton, tmp_path):
    clerk = Clerk(tryton.client())
    clerk.party("C-600", "Corner Shop")
    clerk.invoice("C-600", Decimal("80.00"), RECENTLY)
    synced(database_url, tryton, tmp_path)
    clerk.manual_charge("C-600", Decimal("15.00"), RECENTLY)
    report = synced(database_url, tryton, tmp_path)
    assert [(d["customer"], d["o2c"], d["books"]) for d in report["differences"]] == [
        ("C-600", "80.00", "95.00")
    ]
    assert synced(database_url, tryton, tmp_path)["differences"] == report["differences"]
    assert "C-600" in o2c(database_url, tryton, "erp", "holds")
    app = bootstrap(Settings(database_url=database_url))
    with app.uow(read_only=True) as uow:
        assert is_held(uow, "C-600")
        tasks = [(k.team, k.kind, k.subject) for k in inbox(uow).open_tasks]
    assert tasks == [("accounting", "books_hold", "customer:C-600")]
    o2c(
        database_url,
        tryton,
        "erp",
        "release",
        "C-600",
        "--by",
        "alice",
        "--reason",
        "a charge booked by hand",
    )
    assert "C-600" not in o2c(database_url, tryton, "erp", "holds")
    with app.uow(read_only=True) as uow:
        assert inbox(uow).open_tasks == []
    app.close()
