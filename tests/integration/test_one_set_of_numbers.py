"""One set of numbers: on one demo database, the demo summary, the dashboard page, the inbox page, the
API and the CLI show the same waiting items, open AR per currency, DSO, share of cash matched without a
person, and the same best candidate for each waiting payment."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from o2c.api.app import create_app
from o2c.auth.roles import Role
from o2c.auth.service import add_user
from o2c.bootstrap import bootstrap
from o2c.cli import app as cli
from o2c.cli import register_commands
from o2c.config import Settings
from o2c.domain import commands as c
from o2c.domain.money import Money
from o2c.sim.demo import run_demo
from o2c.sim.summary import summarise
from o2c.views.collections import kpis as collection_kpis
from o2c.views.common import business_date

register_commands()
runner = CliRunner()


@pytest.fixture
def demo_books(database_url: str):
    run_demo(Settings(database_url=database_url), days=4, seed=7)
    books = bootstrap(Settings(database_url=database_url, password_scrypt_n=2**12))
    _payments_nobody_matched(books)
    yield books
    books.close()


def _payments_nobody_matched(books) -> None:
    """Two bank receipts the agent leaves to a person: a customer's short pay, and one from nobody known."""
    with books.uow() as uow:
        item = max((i for i in uow.ledger.all_open() if i.kind == "invoice"), key=lambda i: i.open.amount)
        name = uow.customers.get(item.customer_id).name
        on = business_date(uow)
    short = (item.open.amount * Decimal("0.9")).quantize(Decimal("0.01"))
    books.execute(
        c.RecordPayment(
            on,
            Money(short, item.open.currency),
            name.upper(),
            None,
            f"PAYMENT {item.document[-6:]} THANK YOU",
        ),
        "bank",
        "bank statement entry",
    )
    books.execute(
        c.RecordPayment(on, Money(Decimal("123.45"), "EUR"), "ZZ UNKNOWN SENDER", None, "REFUND"),
        "bank",
        "bank statement entry",
    )
    books.dispatcher.drain()


def _logged_in(books, client: TestClient) -> dict[str, str]:
    """Log the client's browser session in; the API token's header for the same person."""
    person = add_user(books, "olga", Role.APPROVER, password="one-set-of-numbers")
    login = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
    client.post("/login", data={"username": "olga", "password": "one-set-of-numbers", "csrf_token": token})
    return {"Authorization": f"Bearer {person.token}"}


def test_summary_dashboard_inbox_api_and_cli_show_the_same_figures(demo_books, database_url):
    with demo_books.uow(read_only=True) as uow:
        as_of = business_date(uow)
    summary = summarise(demo_books, as_of, 4, 7)
    cli_figures = json.loads(runner.invoke(cli, ["figures", "--json", "--db", database_url]).output)
    with TestClient(create_app(demo_books, secret_key="numbers")) as client:
        api = _logged_in(demo_books, client)
        dashboard_html = client.get("/dashboard").text
        inbox_html = client.get("/inbox").text
        api_figures = client.get("/api/figures", headers=api).json()
        api_dashboard = client.get("/api/dashboard", headers=api).json()

    waiting = summary["waiting_for_a_person"]
    assert waiting > 0
    assert cli_figures["waiting"]["total"] == api_figures["waiting"]["total"] == waiting
    assert api_dashboard["figures"]["waiting"]["total"] == waiting
    assert re.search(rf'data-kpi="waiting">{waiting}<', dashboard_html)
    assert re.search(rf'data-kpi="waiting">{waiting} waiting for a person<', inbox_html)

    open_ar = {ccy: Decimal(v) for ccy, v in summary["open_ar"].items()}
    assert {k: Decimal(v) for k, v in cli_figures["open_ar"].items()} == open_ar
    assert {k: Decimal(str(v)) for k, v in api_figures["open_ar_by_currency"].items()} == open_ar
    for ccy, amount in open_ar.items():
        assert re.search(rf'data-open-ar="{ccy}">{amount:,.2f} {ccy}<', dashboard_html)

    dso = summary["dso"]
    assert dso is not None
    assert Decimal(cli_figures["dso"]) == Decimal(str(api_figures["dso"])) == Decimal(str(dso))
    assert f'data-kpi="dso">{Decimal(str(dso))}<' in dashboard_html
    with demo_books.uow(read_only=True) as uow:
        assert collection_kpis(uow.conn, as_of, uow.functional_ccy).dso_standard == Decimal(str(dso))

    rate = summary["cash_auto_match_rate"]
    assert cli_figures["cash_auto_match_rate"] == api_figures["cash_auto_match_rate"] == rate
    assert f'data-kpi="automatch">{rate:.0%}<' in dashboard_html


def test_cash_matched_automatically_counts_the_payments_still_waiting(demo_books):
    with TestClient(create_app(demo_books, secret_key="numbers")) as client:
        figures = client.get("/api/figures", headers=_logged_in(demo_books, client)).json()
    unmatched, received = figures["waiting"]["unmatched_payments"], figures["payments_received"]
    assert unmatched > 0, "the demo leaves payments to match"
    assert figures["cash_auto_match_rate"] <= round((received - unmatched) / received, 4)


def test_the_cli_the_api_and_the_cash_page_name_the_same_best_candidate(demo_books, database_url):
    queue = json.loads(runner.invoke(cli, ["cash", "queue", "--json", "--db", database_url]).output)
    cli_best = {
        item["payment_id"]: (item["candidates"][0]["customer_id"], tuple(item["candidates"][0]["documents"]))
        for item in queue
        if item["candidates"]
    }
    assert cli_best, "the demo leaves a payment with a candidate"
    with TestClient(create_app(demo_books, secret_key="numbers")) as client:
        token = _logged_in(demo_books, client)
        cash_html = client.get("/cash?limit=500").text
        for payment_id, (customer_id, documents) in cli_best.items():
            api = client.get(f"/api/payments/{payment_id}/best-candidate", headers=token).json()
            assert (api["customer_id"], tuple(api["documents"])) == (customer_id, documents)
            row = re.search(rf'data-payment="{payment_id}">.*?data-best="([^"]*)"', cash_html, re.S)
            assert row and row.group(1) == f"{customer_id} {','.join(documents)}"
