"""Work a person can finish, on SQLite and PostgreSQL: master data corrected and its billing holds
released at once (one inbox item per customer and reason, never re-created by an approval), quarantined
files dismissed with a reason, receipts that are not customer payments posted to their own account, and
the CLI refusing bad input in one line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from o2c.adapters.store.billing_store import BillingStore
from o2c.cli import app as cli
from o2c.cli import register_commands
from o2c.domain import commands as c
from o2c.domain.errors import DomainError
from o2c.domain.money import Money
from o2c.domain.partners import TradingPartner
from o2c.services import quarantine as quarantined
from o2c.services.intake import IntakeService
from o2c.services.proposals import approve
from tests.conftest import SAMPLES
from tests.factories import customer, seed
from tests.integration.test_billing_invoicing import DAY, D, delivered, ledger_problems

register_commands()


def _two_held_deliveries(app) -> list[str]:  # type: ignore[no-untyped-def]
    seed(app, customer("C2", country="DE", vat_id="DE12345"))
    held = [delivered(app, "C2", {"COLA": 2}), delivered(app, "C2", {"WATER": 3})]
    for delivery_id in held:
        assert "held before invoicing" in app.execute(c.InvoiceDelivery(delivery_id), "billing", "bill")
    app.dispatcher.drain()
    return held


def test_the_same_vat_finding_for_two_deliveries_is_one_review_item(app):
    _two_held_deliveries(app)
    with app.uow() as uow:
        [item] = uow.proposals.list(agent="billing")
    assert (item.action, item.status, item.subject) == (
        "review_billing_hold",
        "pending",
        "billing-hold:C2:vat_id_invalid",
    )


def test_approving_a_review_without_a_fix_is_refused_and_creates_no_new_hold_item(app):
    _two_held_deliveries(app)
    with app.uow() as uow:
        [item] = uow.proposals.list(agent="billing")
        with pytest.raises(DomainError, match="still held, nothing changed"):
            approve(uow, item.id, "alice", "looks fine", app.company)
    app.dispatcher.drain()
    with app.uow() as uow:
        assert [(p.id, p.status) for p in uow.proposals.list(agent="billing")] == [(item.id, "pending")]


def test_correcting_the_vat_id_invoices_every_held_delivery_and_resolves_the_item(app):
    held = _two_held_deliveries(app)
    result = app.execute(c.CorrectCustomer("C2", vat_id="DE100000008"), "carla", "from the letterhead")
    assert "2 of 2 held deliveries invoiced" in result
    app.dispatcher.drain()
    with app.uow() as uow:
        assert all(uow.invoices.for_delivery(d) is not None for d in held)
        assert [p.status for p in uow.proposals.list(agent="billing")] == ["resolved"]
        assert BillingStore(uow.conn).holds_of("C2") == []
        assert uow.customers.get("C2").vat_id == "DE100000008"
        [record] = uow.audit.records(actor="carla", action="CorrectCustomer")
    assert record.reason == "from the letterhead" and ledger_problems(app) == []


def test_a_wrong_vat_id_or_gln_changes_nothing_and_names_every_problem(app):
    seed(app, customer("C2", country="DE", vat_id="DE12345"))
    with pytest.raises(DomainError) as refused:
        app.execute(
            c.CorrectCustomer("C2", vat_id="DE100000001", gln="4012345000008", net_days=400), "carla", "x"
        )
    assert all(word in str(refused.value) for word in ("vat_id", "gln", "net_days"))
    with app.uow() as uow:
        assert uow.customers.get("C2").vat_id == "DE12345"


def test_a_receipt_that_is_no_customer_payment_is_posted_to_its_account_and_leaves_the_queue(app):
    seed(app)
    paid = app.execute(
        c.RecordPayment(DAY, Money(D("42.17"), "EUR"), "OUR BANK", None, "INTEREST"), "bank", "x"
    )
    payment_id = paid.split()[1]
    with pytest.raises(DomainError, match="not an account for a receipt"):
        app.execute(c.RecordOtherReceipt(payment_id, "1100", "interest"), "carla", "interest")
    result = app.execute(c.RecordOtherReceipt(payment_id, "interest_income", "interest"), "carla", "interest")
    assert "posted to 8100" in result
    with app.uow() as uow:
        balances = uow.ledger.balances()
        assert uow.payments.get(payment_id).status.value == "other_receipt"
    assert balances[("8100", "EUR")][0] == -balances[("1000", "EUR")][0] != 0
    assert ledger_problems(app) == []
    with pytest.raises(DomainError, match="not in the cash queue"):
        app.execute(c.RecordOtherReceipt(payment_id, "8100", "again"), "carla", "again")


def test_an_unknown_senders_file_is_quarantined_mapped_then_imported_on_retry(app):
    seed(app)
    service = IntakeService.for_app(app)
    report = service.import_file((SAMPLES / "orders" / "x12" / "850_b.edi").read_bytes(), "850_b.edi")
    assert [o.reasons for o in report.orders] == [("unknown_customer",)]
    with app.uow() as uow:
        [entry] = quarantined.entries(uow)
    assert entry["senders"] == ["12:4405197800"] and entry["source"] == "unknown_sender"
    assert service.retry_quarantined(entry["id"]).orders[0].reasons == ("unknown_customer",)
    app.execute(c.MapTradingPartner(TradingPartner("4405197800", "C1", "12")), "carla", "mapped")
    again = service.retry_quarantined(entry["id"], "carla")
    assert again.status == "imported" and "unknown_customer" not in again.orders[0].reasons
    with app.uow() as uow:
        assert quarantined.entries(uow) == []
        assert [e["status"] for e in quarantined.entries(uow, None)] == ["resolved"]


def test_a_quarantined_file_is_dismissed_once_with_a_reason(app):
    seed(app)
    IntakeService.for_app(app).import_file(b"not an order file at all", "junk.csv")
    with app.uow() as uow:
        [entry] = quarantined.entries(uow)
    with pytest.raises(DomainError, match="needs a reason"):
        app.execute(c.DismissQuarantined(entry["id"], " "), "carla", "")
    assert "dismissed" in app.execute(
        c.DismissQuarantined(entry["id"], "a test file"), "carla", "a test file"
    )
    with pytest.raises(DomainError, match="dismissed already"):
        app.execute(c.DismissQuarantined(entry["id"], "again"), "carla", "again")


BAD = [
    (["customers", "show", "NOPE"], "no customer 'NOPE'"),
    (["customers", "edit", "C2"], "nothing to change"),
    (["customers", "edit", "C2", "--vat-id", "DE1"], "not a valid DE VAT id"),
    (["customers", "edit", "C2", "--gln", "123"], "is not a GLN"),
    (["customers", "edit", "C2", "--net-days", "-1"], "--net-days"),
    (["customers", "edit", "C2", "--discount-percent", "abc"], "not a number"),
    (["customers", "edit", "C2", "--ship-to", "X"], "go together"),
    (["quarantine", "show", "999"], "no quarantined file #999"),
    (["quarantine", "retry", "0"], "entry_id"),
    (["quarantine", "dismiss", "999", "--reason", "x"], "no quarantined file #999"),
    (["quarantine", "dismiss", "1", "--reason", " "], "--reason"),
    (["quarantine", "list", "--status", "foo"], "foo"),
    (["cash", "other-receipt", "PAY-9", "--account", "8100", "--reason", "x"], "unknown payment"),
    (["cash", "other-receipt", "PAY-9", "--account", "4000", "--reason", "x"], "not an account"),
]


@pytest.mark.parametrize("args, said", BAD, ids=[" ".join(a[:3]) for a, _ in BAD])
def test_bad_input_gets_one_line_and_a_non_zero_exit(app, database_url, args, said):
    seed(app, customer("C2", country="DE", vat_id="DE12345"))
    result = CliRunner().invoke(cli, [*args, "--db", database_url])
    lines = [ln for ln in result.output.strip().splitlines() if ln.strip()]
    assert result.exit_code != 0 and len(lines) == 1 and said in lines[0], result.output
    assert "Traceback" not in result.output


def test_the_cli_corrects_a_vat_id_and_shows_no_hold_left(app, database_url):
    _two_held_deliveries(app)
    edit = CliRunner().invoke(
        cli, ["customers", "edit", "C2", "--vat-id", "DE100000008", "--db", database_url]
    )
    assert edit.exit_code == 0 and "2 of 2 held deliveries invoiced" in edit.output, edit.output
    shown = CliRunner().invoke(cli, ["customers", "show", "C2", "--json", "--db", database_url])
    assert '"billing_holds": []' in shown.output and '"vat_id": "DE100000008"' in shown.output
