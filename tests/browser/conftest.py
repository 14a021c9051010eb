"""Browser-test fixtures: a demo database, o2c served by uvicorn on a free port, headless Chromium.

The demo company is built once per session (a few simulated days), then given what a person's day
starts with: users (an approver, a clerk, a viewer), a credit note the clerk proposed that waits for
approval, and a payment the bank received that nobody matched. Chromium is Debian's
``/usr/bin/chromium`` driven by the Playwright package (never ``playwright install``); without it the
tests are skipped, except in CI (``CI=true``) where that is a failure. Screenshots of every page go to
the folder ``O2C_SCREENSHOTS`` names, else to ``screenshots/`` under the session's temporary folder.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from o2c.api import actions
from o2c.api.app import create_app
from o2c.auth.roles import Role
from o2c.auth.service import add_user
from o2c.bootstrap import App, bootstrap
from o2c.config import Settings
from o2c.domain import commands as c
from o2c.domain.money import Money
from o2c.sim.demo import run_demo
from o2c.views.common import business_date

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]
SCREENSHOTS = {"folder": Path(os.environ.get("O2C_SCREENSHOTS", "")) if os.environ.get("O2C_SCREENSHOTS") else None}
DEMO_DAYS = 3
PASSWORD = "browser-test-password"


@dataclass(frozen=True)
class Demo:
    base_url: str
    app: App
    proposal_id: str
    invoice_number: str
    payment_id: str
    customer_id: str
    customer_name: str


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _an_open_invoice(app: App) -> tuple[str, str, str]:
    """(invoice number, customer id, customer name) of the largest open EUR invoice."""
    with app.uow() as uow:
        items = [i for i in uow.ledger.all_open() if i.kind == "invoice" and i.open.currency == "EUR"]
        item = max(items, key=lambda i: i.open.amount)
        customer = uow.customers.get(item.customer_id)
    return item.document, item.customer_id, customer.name


def _seed_the_day(app: App) -> tuple[str, str, str, str, str]:
    for name, role in (("alice", Role.APPROVER), ("carla", Role.CLERK), ("vic", Role.VIEWER)):
        add_user(app, name, role, actor="test", password=PASSWORD)
    clerk = add_user(app, "colin", Role.CLERK).user
    number, customer_id, customer_name = _an_open_invoice(app)
    proposed = actions.propose_credit_note(app, clerk, number, Decimal("10.00"), "two cases arrived damaged")
    with app.uow() as uow:
        invoice = uow.ledger.item_for_document(number, "invoice")
        others = [i for i in uow.ledger.open_items_of(customer_id) if i.kind == "invoice" and i.document != number]
        target = others[0] if others else invoice
        on = business_date(uow)
    paid = app.execute(c.RecordPayment(on, Money(target.open.amount, target.open.currency), customer_name.upper(),
                                       None, f"PAYMENT {target.document[-6:]} THANK YOU"), "bank",
                       "bank statement entry")
    return proposed.proposal_id, number, paid.split()[1], customer_id, customer_name


@pytest.fixture(scope="package")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    _require_chromium()
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'demo.db'}"
    run_demo(Settings(database_url=url), days=DEMO_DAYS)
    app = bootstrap(Settings(database_url=url))
    proposal_id, number, payment_id, customer_id, customer_name = _seed_the_day(app)
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(app, secret_key="browser-tests"), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield Demo(f"http://127.0.0.1:{port}", app, proposal_id, number, payment_id, customer_id, customer_name)
    server.should_exit = True
    thread.join(timeout=10)
    app.close()


@pytest.fixture(scope="package")
def browser(demo: Demo) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, demo: Demo) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, base_url=demo.base_url)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session", autouse=True)
def screenshots_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if SCREENSHOTS["folder"] is None:
        SCREENSHOTS["folder"] = tmp_path_factory.mktemp("screenshots")
    return SCREENSHOTS["folder"]


def screenshot(page, name: str) -> Path:
    folder = SCREENSHOTS["folder"] or Path("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, user: str, password: str = PASSWORD) -> None:
    page.goto("/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard")
