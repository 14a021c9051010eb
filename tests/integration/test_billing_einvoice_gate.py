"""No e-invoice leaves unvalidated: a Peppol UBL document that fails XSD, EN 16931 or Peppol rules is held
with a billing task naming the failed rule ids, and goes out once the master data is fixed; the export
holds it the same way. Without Saxon sending is refused unless a setting allows it."""

from __future__ import annotations

import sys
from dataclasses import replace

import pytest
import typer
from typer.testing import CliRunner

from o2c.adapters.formats.einvoice import validate
from o2c.adapters.store.billing_store import BillingStore
from o2c.cli_commands.billing import register
from o2c.domain import commands as c
from o2c.domain.customers import Channel
from o2c.services.einvoice_gate import TASK_KIND
from tests.factories import customer, seed
from tests.integration.test_billing_invoicing import delivered

pytest.importorskip("saxonche", reason="saxonche (the einvoice extra) is not installed")
NUMBER = "INV-2026-000001"
GOOD_GLN, MISTYPED_GLN = "8712345000011", "8712345000012"


def issued_to_a_peppol_customer(app) -> None:  # type: ignore[no-untyped-def]
    seed(app, replace(customer("C3", vat_id=None), preferred_channel=Channel.PEPPOL, gln=GOOD_GLN))
    app.execute(c.InvoiceDelivery(delivered(app, "C3", {"COLA": 2}, po="PO-7")), "billing", "bill")


def set_gln(app, gln: str) -> None:  # type: ignore[no-untyped-def]
    """A master-data change after the invoice was issued: the buyer's GLN as someone typed it."""
    with app.uow() as uow:
        uow.customers.save(replace(uow.customers.get("C3"), gln=gln))
        uow.commit()


def held_tasks(app) -> list:  # type: ignore[type-arg,no-untyped-def]
    with app.uow() as uow:
        return [t for t in uow.tasks.open_for("billing") if t.kind == TASK_KIND]


def test_an_invalid_peppol_invoice_is_held_with_its_rule_ids_and_sent_once_the_master_data_is_fixed(app):
    issued_to_a_peppol_customer(app)
    set_gln(app, MISTYPED_GLN)
    assert "0 of 1" in app.execute(c.SendInvoice((NUMBER,)), "billing", "send")
    with app.uow() as uow:
        assert BillingStore(uow.conn).outbound() == []
    [task] = held_tasks(app)
    assert task.subject == f"invoice:{NUMBER}" and "PEPPOL-EN16931-R010" in task.evidence["rules"]
    assert "PEPPOL-EN16931-R010" in task.title and "buyer electronic address" in task.detail.lower()
    assert "0 of 1" in app.execute(c.SendInvoice((NUMBER,)), "billing", "send again")
    assert len(held_tasks(app)) == 1
    set_gln(app, GOOD_GLN)
    assert "1 of 1" in app.execute(c.SendInvoice((NUMBER,)), "billing", "send after the fix")
    with app.uow() as uow:
        [sent] = BillingStore(uow.conn).outbound()
    assert sent.document == NUMBER and f"peppol:0088:{GOOD_GLN}" == sent.destination


def test_the_export_holds_an_invalid_document_with_its_rule_ids_and_writes_the_valid_ones(app, tmp_path):
    issued_to_a_peppol_customer(app)
    app.execute(c.InvoiceDelivery(delivered(app, "C3", {"COLA": 1}, po="PO-8")), "billing", "bill")
    set_gln(app, MISTYPED_GLN)
    cli = typer.Typer()
    register(cli)
    out = tmp_path / "ubl"
    args = ["export", "invoices", "--format", "ubl", "--out", str(out), "--db", app.settings.database_url]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "PEPPOL-EN16931-R010" in result.output
    assert list(out.iterdir()) == []
    assert {t.subject for t in held_tasks(app)} == {f"invoice:{NUMBER}", "invoice:INV-2026-000002"}
    set_gln(app, GOOD_GLN)
    assert CliRunner().invoke(cli, args).exit_code == 0
    assert len(list(out.iterdir())) == 2


@pytest.fixture
def without_saxon(monkeypatch):  # type: ignore[no-untyped-def]
    """As if the einvoice extra were not installed: the real loader, uncached, finds no ``saxonche``
    (the process's compiled stylesheets stay untouched for the other tests)."""
    monkeypatch.setitem(sys.modules, "saxonche", None)
    monkeypatch.setattr(validate, "_saxon", validate._saxon.__wrapped__)


def test_without_saxon_a_peppol_invoice_is_refused_naming_the_extra_to_install(app, without_saxon):
    issued_to_a_peppol_customer(app)
    with pytest.raises(Exception, match=r"o2c\[einvoice\].*O2C_SEND_UNVALIDATED_EINVOICES"):
        app.execute(c.SendInvoice((NUMBER,)), "billing", "send")
    with app.uow() as uow:
        assert BillingStore(uow.conn).outbound() == []


def test_without_saxon_the_setting_lets_a_peppol_invoice_go_unvalidated(app, without_saxon):
    issued_to_a_peppol_customer(app)
    app.company = replace(app.company, send_unvalidated_einvoices=True)
    assert "1 of 1" in app.execute(c.SendInvoice((NUMBER,)), "billing", "send")
