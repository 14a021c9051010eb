"""o2c's own flows with Tryton as the books, end to end through the command line: an EDI order captured
by o2c's intake becomes a confirmed sale in Tryton, a dunning run shows there, payments made in Tryton
close o2c's open items. One ``trytond`` serves the whole module (each test uses its own customers)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
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
from o2c.ports.system_of_record import CreditHoldPush, SaleLine, SalePush
from o2c.services.clock import SystemClock
from o2c.services.erp_push import TONE_LEVELS
from tests.integration.tryton_harness import PASSWORD, Clerk, TrytonServer

pytest.importorskip("trytond")
register_commands()
runner = CliRunner()
TODAY = date.today()
WORKDAY = TODAY - timedelta(days=max(0, TODAY.weekday() - 4))
"""The latest weekday: reminders go out in office hours on weekdays only (``policy/dunning.yaml``)."""


@pytest.fixture(scope="module")
def tryton(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrytonServer]:
    server = TrytonServer(tmp_path_factory.mktemp("tryton")).prepare()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def office_hours(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """o2c's wall clock at 10:00 on the latest weekday, whenever the test runs."""
    at = datetime.combine(WORKDAY, time(10))
    monkeypatch.setattr(SystemClock, "now", lambda self: at)
    return at


@pytest.fixture
def uid() -> str:
    """Tests share one Tryton (and run once per o2c database): codes carry this test's own suffix."""
    return uuid.uuid4().hex[:6].upper()


@pytest.fixture
def clerk(tryton: TrytonServer) -> Clerk:
    return Clerk(tryton.client())


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


def x12_850(sender: str, po: str, on: date, lines: list[tuple[str, int, Decimal]]) -> bytes:
    stamp = on.strftime("%y%m%d")
    segments = [
        f"ISA*00*          *00*          *ZZ*{sender:<15}*ZZ*O2CSUPPLIER    *{stamp}*0900*U*00401*000000101*0*P*>",
        f"GS*PO*{sender}*O2CSUPPLIER*{on:%Y%m%d}*0900*101*X*004010",
        "ST*850*0001",
        f"BEG*00*SA*{po}**{on:%Y%m%d}",
        "CUR*BY*EUR",
        *(
            f"PO1*{n}*{quantity}*EA*{price}**VN*{sku}"
            for n, (sku, quantity, price) in enumerate(lines, start=1)
        ),
        f"CTT*{len(lines)}",
        f"SE*{5 + len(lines)}*0001",
        "GE*1*101",
        "IEA*1*000000101",
    ]
    return ("~\n".join(segments) + "~\n").encode()


def test_an_x12_850_captured_by_o2c_is_one_confirmed_sale_in_tryton_with_the_po_as_reference(
    database_url, tryton, clerk, tmp_path, uid
):
    customer, tea, cola, po = f"C-850-{uid}", f"TEA-{uid}", f"COLA-{uid}", f"PO-{uid}"
    clerk.party(customer, "Dunes Wholesale")
    clerk.product(tea, "Ice tea 12 x 50 cl", Decimal("8.40"))
    clerk.product(cola, "Cola 24 x 33 cl", Decimal("11.90"))
    report = synced(database_url, tryton, tmp_path)
    assert "prices" in report["changes"], report["changes"]
    o2c(database_url, tryton, "partners", "map", f"ZZ:DUNES{uid}", "--customer", customer)
    order = tmp_path / "order.850"
    order.write_bytes(
        x12_850(f"DUNES{uid}", po, TODAY, [(cola, 10, Decimal("11.90")), (tea, 5, Decimal("8.40"))])
    )
    imported = o2c(database_url, tryton, "import", str(order))
    assert "captured" in imported, imported
    o2c(database_url, tryton, "worker", "--once")
    o2c(database_url, tryton, "worker", "--once")
    o2c(database_url, tryton, "import", str(order))
    o2c(database_url, tryton, "worker", "--once")
    party = clerk.id_of("party.party", [("code", "=", customer)])
    sales = clerk.rows("sale.sale", [("party", "=", party)], ["state", "reference", "untaxed_amount"])
    assert [(s["state"], s["reference"], s["untaxed_amount"]) for s in sales] == [
        ("processing", po, Decimal("161.00"))
    ]


def test_a_list_price_changed_in_tryton_updates_o2cs_price_list_on_the_next_sync(
    database_url, tryton, clerk, tmp_path, uid
):
    product = clerk.product(f"WATER-{uid}", "Still water 6 x 1.5 l", Decimal("3.10"))
    synced(database_url, tryton, tmp_path)
    template = clerk.rows("product.product", [("id", "=", product)], ["template"])[0]["template"]
    clerk.client.call("product.template", "write", [template], {"list_price": Decimal("3.30")})
    report = synced(database_url, tryton, tmp_path)
    assert report["changes"].get("prices", "").startswith("prices: 0 added, 1 updated"), report["changes"]
    again = synced(database_url, tryton, tmp_path)["changes"]
    assert again.get("prices", "0 added, 0 updated").count("0 added, 0 updated") == 1, again


def test_a_reminder_from_o2cs_collections_run_shows_in_tryton_as_a_dunning_at_its_level(
    database_url, tryton, clerk, tmp_path, office_hours, uid
):
    customer = f"C-DUN-{uid}"
    clerk.party(customer, "Slow Payer Foods", email="ap@slowpayer.example")
    number = clerk.invoice(customer, Decimal("640.00"), WORKDAY - timedelta(days=50))
    synced(database_url, tryton, tmp_path)
    out = o2c(database_url, tryton, "collections", "run")
    o2c(database_url, tryton, "worker", "--once")
    o2c(database_url, tryton, "collections", "run")
    o2c(database_url, tryton, "worker", "--once")
    line = clerk.rows("account.move.line", [("move_origin.number", "=", number, "account.invoice")], ["id"])
    dunnings = clerk.rows("account.dunning", [("line.party.code", "=", customer)], ["level", "line", "state"])
    levels = {r["id"]: r["sequence"] for r in clerk.rows("account.dunning.level", [], ["sequence"])}
    app = bootstrap(Settings(database_url=database_url))
    with app.uow(read_only=True) as uow:
        executed = [r.payload["command"] for r in uow.audit.records(action="send_reminder:executed")]
    sent = [command for command in executed if command["customer_id"] == customer]
    app.close()
    assert len(sent) == 1 and len(dunnings) == 1, (out, sent, dunnings)
    assert dunnings[0]["line"] in {r["id"] for r in line}
    assert (levels[dunnings[0]["level"]], dunnings[0]["state"]) == (TONE_LEVELS[sent[0]["tone"]], "draft")


def test_invoices_paid_by_a_person_in_tryton_close_o2cs_open_items_on_sync_without_a_hold(
    database_url, tryton, clerk, tmp_path, uid
):
    customer = f"C-CTR-{uid}"
    clerk.party(customer, "Counter Cash Foods")
    full = clerk.invoice(customer, Decimal("80.00"), TODAY)
    part = clerk.invoice(customer, Decimal("200.00"), TODAY)
    synced(database_url, tryton, tmp_path)
    clerk.pay_at_the_counter(full, Decimal("80.00"), TODAY)
    clerk.pay_at_the_counter(part, Decimal("30.00"), TODAY)
    report = synced(database_url, tryton, tmp_path)
    assert report["differences"] == [] and "2 open items settled" in report["changes"]["settled"], report
    assert customer not in o2c(database_url, tryton, "erp", "holds")
    app = bootstrap(Settings(database_url=database_url))
    with app.uow(read_only=True) as uow:
        opened = {i.document: i.open.amount for i in uow.ledger.all_open() if i.customer_id == customer}
    app.close()
    assert opened == {part: Decimal("170.00")}
    assert "settled" not in synced(database_url, tryton, tmp_path)["changes"]
    o2c(database_url, tryton, "worker", "--once")
    party = clerk.id_of("party.party", [("code", "=", customer)])
    assert len(clerk.rows("account.statement.line", [("party", "=", party)], ["id"])) == 2
    assert (clerk.invoice_state(full), clerk.invoice_state(part)) == ("paid", "posted")


def test_a_credit_hold_on_an_order_tryton_lacks_enters_it_as_a_draft_sale_that_its_release_confirms(
    tryton, clerk
):
    clerk.party("C-HLD", "Risky Retail")
    clerk.product("JUICE-6", "Orange juice 6 x 1 l", Decimal("9.00"))
    books = TrytonBooks(tryton.client())
    sale = SalePush(
        "o2c-order:ORD-H1",
        "C-HLD",
        "PO-H1",
        TODAY,
        (SaleLine("JUICE-6", Decimal(4), Money(Decimal("9.00"), "EUR")),),
    )
    hold = CreditHoldPush("o2c-hold:ORD-H1", "C-HLD", "PO-H1", "over the credit limit", sale)
    books.push_credit_hold(hold)
    books.push_credit_hold(hold)
    party = clerk.id_of("party.party", [("code", "=", "C-HLD")])
    held = clerk.rows("sale.sale", [("party", "=", party)], ["state", "comment"])
    assert [(s["state"], s["comment"].count("over the credit limit")) for s in held] == [("draft", 1)]
    books.push_sale(sale)
    assert [s["state"] for s in clerk.rows("sale.sale", [("party", "=", party)], ["state"])] == ["processing"]
